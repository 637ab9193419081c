"""The HTML report: one self-contained file (no external asset), citations that show their passage."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from rashomon.model import Comparison, letters
from rashomon.write.common import coverage, segments, shown_facts
from rashomon.write.safe import OUTLET_UNKNOWN, shorten


def _segments(comparison: Comparison, article_id: str) -> list[dict[str, Any]]:
    text = comparison.by_id[article_id].text
    return [{"start": a, "end": b, "text": text[a:b], "kinds": k} for a, b, k in segments(comparison, article_id)]


def _template() -> Any:
    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["short"] = shorten
    source = resources.files("rashomon.write").joinpath("templates/report.html.j2").read_text("utf-8")
    return env.from_string(source)


def render_html(comparison: Comparison) -> str:
    """The report as one HTML page with inline style and script."""
    from rashomon.write.json import to_dict
    from rashomon.write.pictures import report_pictures

    label = letters(comparison.articles)
    rows, matrix = [], []
    for fact in shown_facts(comparison):
        marks = coverage(comparison, fact)
        rows.append({"fact": fact, "cells": [{"states": "y", "contradicts": "x"}.get(m, "") for m in marks]})
        matrix.append({"fact": fact.id, "cells": marks})
    pictures = report_pictures(to_dict(comparison), label, matrix)  # markup whose every text is escaped
    files = resources.files("rashomon.write").joinpath("templates")
    return _template().render(
        c=comparison,
        label=label,
        rows=rows,
        pictures=pictures,
        by_id=comparison.by_id,
        segments={a.id: _segments(comparison, a.id) for a in comparison.articles},
        css=files.joinpath("report.css").read_text("utf-8"),
        js=files.joinpath("report.js").read_text("utf-8"),
        data=json.dumps({a.id: label[a.id] for a in comparison.articles}),
        unknown=OUTLET_UNKNOWN,
    )
