"""The HTML report: one self-contained file (no external asset), citations that show their passage."""

from __future__ import annotations

import itertools
import json
from importlib import resources
from typing import Any

from rashomon.model import Comparison, Span
from rashomon.write.common import coverage, letters, shown_facts


def _segments(comparison: Comparison, article_id: str) -> list[dict[str, Any]]:
    """The article's text cut at every span boundary, each piece with the kinds of span covering it."""
    ann = comparison.annotated[article_id]
    text = ann.article.text
    marks: list[tuple[Span, str]] = []
    marks += [(q.span, "quote") for q in ann.quotes if q.kind == "direct"]
    marks += [(x.span, "loaded-quoted" if x.quoted else "loaded") for x in ann.loaded]
    marks += [(o.span, "opinion") for o in ann.opinion]
    marks += [(p.span, "heading") for p in ann.paragraphs if p.kind == "heading"]
    shared = {s for f in comparison.facts if f.support.independent >= 2 for s in f.mentions if s.article == article_id}
    marks += [(s, "fact") for s in shared]
    cuts = sorted({0, len(text), *(b for s, _ in marks for b in (s.start, s.end))})
    out = []
    for a, b in itertools.pairwise(cuts):
        kinds = sorted({k for s, k in marks if s.start <= a and b <= s.end})
        out.append({"start": a, "end": b, "text": text[a:b], "kinds": " ".join(kinds)})
    return out


def _template() -> Any:
    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    source = resources.files("rashomon.write").joinpath("templates/report.html.j2").read_text("utf-8")
    return env.from_string(source)


def render_html(comparison: Comparison) -> str:
    """The report as one HTML page with inline style and script."""
    label = letters(comparison.articles)
    rows = []
    for fact in shown_facts(comparison):
        cells = [{"states": "y", "contradicts": "x"}.get(m, "") for m in coverage(comparison, fact)]
        rows.append({"fact": fact, "cells": cells})
    files = resources.files("rashomon.write").joinpath("templates")
    return _template().render(
        c=comparison,
        label=label,
        rows=rows,
        by_id=comparison.by_id,
        segments={a.id: _segments(comparison, a.id) for a in comparison.articles},
        css=files.joinpath("report.css").read_text("utf-8"),
        js=files.joinpath("report.js").read_text("utf-8"),
        data=json.dumps({a.id: label[a.id] for a in comparison.articles}),
    )
