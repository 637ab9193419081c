"""Pictures as inline SVG, drawn on the server (no script is needed to see them): the fact × outlet
matrix at a glance, the timeline of the event, and the map of outlets.

Each takes plain data (so the HTML report, built from a comparison, and the story page, built from a
stored JSON report, draw the same picture) and returns SVG markup in which every text is escaped, as
markupsafe.Markup: this module is the one place that vouches for the markup the pages insert.
Sizes follow the data; the pictures scale down to a phone's width (CSS `svg.picture`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape

from markupsafe import Markup

from rashomon.write.safe import OUTLET_UNKNOWN, shorten

# Average width of a character of the pictures' 12 px sans-serif font, to size label areas.
CHAR_PX = 6.4
CELL = 22  # a matrix cell's side
ROW = 26  # a timeline row's height
# As presentation attributes, not a style attribute: the web UI's Content-Security-Policy (style-src 'self')
# drops inline styles.
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _svg(width: float, height: float, label: str, body: Iterable[str]) -> Markup:
    w, h = math.ceil(width), math.ceil(height)
    return Markup(
        f'<svg class="picture" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
        f'width="{w}" height="{h}" viewBox="0 0 {w} {h}" {FONT}><title>{escape(label)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _text(x: float, y: float, text: str, anchor: str = "start", css: str = "", extra: str = "") -> str:
    style = f' class="{css}"' if css else ""
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{style}{extra}>{escape(text)}</text>'


@dataclass(frozen=True)
class Column:
    """An account: its letter in the report and its outlet (None when unknown)."""

    letter: str
    outlet: str | None

    @property
    def name(self) -> str:
        return self.outlet or OUTLET_UNKNOWN


@dataclass(frozen=True)
class MatrixRow:
    text: str
    status: str  # all, most, some, one
    cells: Sequence[str]  # per column: "states", "contradicts" or "" (silent)
    disputed: bool = False


# The longest fact label, in characters (the full text is the row's tooltip).
MATRIX_LABEL_CHARS = 52


def matrix_svg(columns: Sequence[Column], rows: Sequence[MatrixRow]) -> Markup:
    """Facts (rows) by accounts (columns): a dot where an account states the fact, a red cross where it
    contradicts it, a faint ring where it is silent; disputed facts on a pink band."""
    label_w = MATRIX_LABEL_CHARS * CHAR_PX + 12
    top = 34
    width = label_w + CELL * len(columns) + 8
    height = top + CELL * len(rows) + 6
    out = []
    for j, col in enumerate(columns):
        x = label_w + CELL * j + CELL / 2
        out.append(f"<g><title>{escape(col.letter)}: {escape(col.name)}</title>")
        out.append(_text(x, 20, col.letter, "middle", extra=' font-weight="700"') + "</g>")
    for i, row in enumerate(rows):
        y = top + CELL * i
        tip = f"{row.text} ({row.status}{', disputed' if row.disputed else ''})"
        out.append(f'<g class="row {escape(row.status)}"><title>{escape(tip)}</title>')
        if row.disputed:
            out.append(f'<rect x="0" y="{y:.1f}" width="{width:.1f}" height="{CELL}" fill="#fde8e8"/>')
        out.append(_text(4, y + 15, shorten(row.text, MATRIX_LABEL_CHARS)))
        for j, cell in enumerate(row.cells):
            cx, cy = label_w + CELL * j + CELL / 2, y + CELL / 2
            out.append(_mark(cx, cy, cell))
        out.append("</g>")
    legend = "Facts × outlets: dot states it, red cross contradicts it, ring: silent"
    return _svg(width, height, legend, out)


def _mark(cx: float, cy: float, cell: str) -> str:
    if cell == "states":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6" fill="#1f5fa8"/>'
    if cell == "contradicts":
        d = 5.5
        return (
            f'<path d="M{cx - d:.1f} {cy - d:.1f}L{cx + d:.1f} {cy + d:.1f}M{cx + d:.1f} {cy - d:.1f}'
            f'L{cx - d:.1f} {cy + d:.1f}" stroke="#c0392b" stroke-width="2.5"/>'
        )
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="none" stroke="#c8c8cc"/>'


@dataclass(frozen=True)
class Moment:
    """A dated entry of the timeline: the day, what happened (a sentence that dates it) and who says so."""

    date: dt.date
    text: str
    letters: Sequence[str] = field(default_factory=tuple)


TIMELINE_TEXT_CHARS = 70
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def _day(day: dt.date) -> str:
    """ "6 May 2025", whatever the locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


STRIP = 46  # the height of the proportional strip above the list


def timeline_svg(moments: Sequence[Moment]) -> Markup:
    """The event's days: a strip with each day placed in proportion to the time between them, then one
    row a dated entry (its day, a sentence that dates it, and the letters of the accounts saying it)."""
    moments = sorted(moments, key=lambda m: m.date)
    if not moments:
        return Markup("")
    letters_w = max((len(" ".join(m.letters)) for m in moments), default=1) * CHAR_PX + 16
    width = 96 + TIMELINE_TEXT_CHARS * CHAR_PX + letters_w
    height = STRIP + ROW * len(moments) + 8
    first, last = moments[0].date, moments[-1].date
    span = max((last - first).days, 1)
    left, right = 20.0, width - 20.0
    out = [f'<line x1="{left}" y1="22" x2="{right:.1f}" y2="22" stroke="#888"/>']
    for day in sorted({m.date for m in moments}):
        x = left + (right - left) * (day - first).days / span if last != first else (left + right) / 2
        count = sum(m.date == day for m in moments)
        out.append(f"<g><title>{day.isoformat()}: {count} dated entr{'y' if count == 1 else 'ies'}</title>")
        out.append(f'<circle cx="{x:.1f}" cy="22" r="{3 + min(count, 6)}" fill="#1f5fa8" fill-opacity="0.8"/></g>')
    out.append(_text(left, 40, first.isoformat(), extra=' fill="#666"'))
    if last != first:
        out.append(_text(right, 40, last.isoformat(), "end", extra=' fill="#666"'))
    x_line = 88
    out.append(
        f'<line x1="{x_line}" y1="{STRIP + 4}" x2="{x_line}" y2="{height - 6:.1f}" stroke="#c8c8cc" stroke-width="2"/>'
    )
    for i, moment in enumerate(moments):
        y = STRIP + ROW * i + ROW / 2
        who = " ".join(moment.letters)
        out.append(f"<g><title>{moment.date.isoformat()}: {escape(moment.text)} ({escape(who)})</title>")
        out.append(_text(x_line - 10, y + 4, _day(moment.date), "end"))
        out.append(f'<circle cx="{x_line}" cy="{y:.1f}" r="5" fill="#1f5fa8"/>')
        out.append(_text(x_line + 12, y + 4, shorten(moment.text, TIMELINE_TEXT_CHARS)))
        out.append(_text(width - 6, y + 4, who, "end", extra=' font-weight="700"') + "</g>")
    return _svg(width, height, "Timeline of the event: each dated entry, in order", out)


@dataclass(frozen=True)
class OutletPoint:
    """What the map knows of an outlet, over the compared stories it shares with others."""

    outlet: str
    articles: int
    loaded_per_1000_words: float
    voices: dict[str, int]  # speaker → quotes carried
    naming: dict[str, str]  # referent → the form it uses most


def outlet_distance(a: OutletPoint, b: OutletPoint, loaded_range: float) -> float:
    """How differently two outlets report, in [0, 1]: the mean of what can be compared of the voices they
    carry (weighted Jaccard), the names they choose for the referents both name (the share named
    differently) and their loaded-word rates (the difference over the range of all outlets' rates)."""
    parts = []
    speakers = set(a.voices) | set(b.voices)
    if speakers:
        shared = sum(min(a.voices.get(s, 0), b.voices.get(s, 0)) for s in speakers)
        parts.append(1 - shared / sum(max(a.voices.get(s, 0), b.voices.get(s, 0)) for s in speakers))
    both = set(a.naming) & set(b.naming)
    if both:
        parts.append(sum(a.naming[r] != b.naming[r] for r in both) / len(both))
    if loaded_range > 0:
        parts.append(abs(a.loaded_per_1000_words - b.loaded_per_1000_words) / loaded_range)
    return sum(parts) / len(parts) if parts else 0.5


def place_outlets(points: Sequence[OutletPoint]) -> list[tuple[float, float]]:
    """Positions in [0, 1]² whose distances follow `outlet_distance` (classical multidimensional scaling)."""
    import numpy as np

    n = len(points)
    if n <= 1:
        return [(0.5, 0.5)] * n
    rates = [p.loaded_per_1000_words for p in points]
    spread = max(rates) - min(rates)
    d = np.array([[outlet_distance(p, q, spread) for q in points] for p in points])
    centre = np.eye(n) - np.ones((n, n)) / n
    b = -0.5 * centre @ (d**2) @ centre
    values, vectors = np.linalg.eigh(b)
    order = np.argsort(values)[::-1][:2]
    coords = vectors[:, order] * np.sqrt(np.clip(values[order], 0, None))
    if coords.shape[1] < 2:
        coords = np.column_stack([coords, np.zeros(n)])
    low, high = coords.min(axis=0), coords.max(axis=0)
    scaled = (coords - low) / np.where(high - low > 1e-9, high - low, 1.0)
    scaled[:, high - low <= 1e-9] = 0.5
    return [(float(x), float(y)) for x, y in scaled]


MAP_W, MAP_H, MAP_PAD = 640, 380, 60


def outlet_map_svg(points: Sequence[OutletPoint]) -> Markup:
    """Each outlet a dot (its size: its articles), placed so that outlets close together carry the same
    voices, choose the same names and use loaded words at a like rate; far apart, they differ."""
    if not points:
        return Markup("")
    places = place_outlets(points)
    largest = max(p.articles for p in points) or 1
    out = [f'<rect x="0.5" y="0.5" width="{MAP_W - 1}" height="{MAP_H - 1}" fill="none" stroke="#d9d9de"/>']
    for point, (x, y) in zip(points, places, strict=True):
        cx, cy = MAP_PAD + x * (MAP_W - 2 * MAP_PAD), MAP_PAD / 2 + y * (MAP_H - 1.5 * MAP_PAD)
        r = 4 + 10 * math.sqrt(point.articles / largest)
        voices = ", ".join(s for s, _ in sorted(point.voices.items(), key=lambda v: -v[1])[:3]) or "none quoted"
        tip = f"{point.outlet}: {point.articles} articles, {point.loaded_per_1000_words:.1f} loaded words per 1,000; voices: {voices}"
        out.append(f'<g class="outlet"><title>{escape(tip)}</title>')
        out.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:.1f}" fill="#1f5fa8" fill-opacity="0.55"/>')
        out.append(_text(cx, cy + r + 13, shorten(point.outlet, 24), "middle") + "</g>")
    label = "Outlet map: outlets close together carry the same voices, choose the same names and use loaded words alike"
    return _svg(MAP_W, MAP_H, label, out)


def report_pictures(report: dict, labels: dict[str, str], matrix: Sequence[dict]) -> dict[str, Markup]:
    """The matrix and the timeline of a JSON report (as `compare` writes it), with the report's letters and
    the matrix rows it shows (`{"fact": id, "cells": [...]}`): what the HTML report and the story page draw."""
    columns = [Column(labels[a["id"]], a.get("outlet")) for a in report["articles"]]
    facts = {f["id"]: f for f in report["facts"]}
    rows = [
        MatrixRow(f["text"], f["status"], m["cells"], bool(f.get("disputed")))
        for m in matrix
        if (f := facts.get(m["fact"])) is not None
    ]
    moments = [
        Moment(
            dt.date.fromisoformat(t["date"]),
            t["mentions"][0]["text"],
            sorted({labels[x["article"]] for x in t["mentions"] if x["article"] in labels}),
        )
        for t in report.get("timeline", [])
        if t.get("mentions")
    ]
    return {"matrix": matrix_svg(columns, rows) if rows else Markup(""), "timeline": timeline_svg(moments)}
