"""The SVG pictures: well-formed, every text escaped, marks where the data puts them, outlets placed by
how alike they report."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

from rashomon.write.pictures import (
    Column,
    MatrixRow,
    Moment,
    OutletPoint,
    matrix_svg,
    outlet_distance,
    outlet_map_svg,
    place_outlets,
    report_pictures,
    timeline_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)> & ]]>'


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # well-formed XML, or this raises
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("aria-label")
    return root


def test_the_matrix_draws_one_mark_per_cell_and_escapes_every_text():
    columns = [Column("A", "The Daily"), Column("B", None), Column("C", HOSTILE)]
    rows = [
        MatrixRow("The council closed the bridge.", "all", ["states", "states", "states"]),
        MatrixRow(HOSTILE, "some", ["states", "contradicts", ""], disputed=True),
    ]
    svg = matrix_svg(columns, rows)
    assert "<script" not in svg and "<img" not in svg and "&lt;script&gt;" in svg
    root = _parse(svg)
    dots = [c for c in root.iter(f"{SVG}circle") if c.get("r") == "6"]
    rings = [c for c in root.iter(f"{SVG}circle") if c.get("r") == "3"]
    crosses = list(root.iter(f"{SVG}path"))
    assert (len(dots), len(crosses), len(rings)) == (4, 1, 1)
    assert len([r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#fde8e8"]) == 1  # the disputed band
    titles = [t.text or "" for t in root.iter(f"{SVG}title")]
    assert any("outlet unknown" in t for t in titles) and any(HOSTILE in t for t in titles)  # the text, escaped


def test_the_timeline_places_days_in_proportion_and_lists_them_in_order():
    moments = [
        Moment(dt.date(2025, 5, 17), "The Kremlin said a meeting was possible.", ["A", "C"]),
        Moment(dt.date(2025, 5, 6), "Both sides repatriated 205 soldiers.", ["E"]),
        Moment(dt.date(2025, 5, 16), HOSTILE, ["B"]),
    ]
    svg = timeline_svg(moments)
    assert "<script" not in svg
    root = _parse(svg)
    strip = [c for c in root.iter(f"{SVG}circle") if c.get("cy") == "22"]
    xs = [float(c.get("cx")) for c in strip]
    assert xs == sorted(xs) and len(xs) == 3
    # 6 May to 16 May is ten days, 16 to 17 May one: the gaps keep that ratio
    assert abs((xs[1] - xs[0]) / (xs[2] - xs[1]) - 10) < 0.01
    rows = [t.text for t in root.iter(f"{SVG}text") if re.fullmatch(r"\d+ \w{3} \d{4}", t.text or "")]
    assert rows == ["6 May 2025", "16 May 2025", "17 May 2025"]
    assert timeline_svg([]) == ""


def _point(name: str, voices: dict[str, int], naming: dict[str, str], loaded: float) -> OutletPoint:
    return OutletPoint(name, 10, loaded, voices, naming)


def test_outlets_that_report_alike_are_placed_together():
    kyiv = {"Kyiv": "Kyiv", "Zelensky": "Zelenskyy"}
    kiev = {"Kyiv": "Kiev", "Zelensky": "Zelensky"}
    points = [
        _point("One", {"Peskov": 3, "Umerov": 2}, kyiv, 1.0),
        _point("Two", {"Peskov": 3, "Umerov": 2}, kyiv, 1.1),  # reports as One does
        _point("Three", {"Medinsky": 4, "Simonyan": 1}, kiev, 6.0),
        _point("Four", {"Medinsky": 3, "Peskov": 1}, kiev, 5.5),
    ]
    spread = 5.0
    assert outlet_distance(points[0], points[1], spread) < 0.05 < 0.8 < outlet_distance(points[0], points[2], spread)
    places = place_outlets(points)
    assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in places)

    def gap(i: int, j: int) -> float:
        return ((places[i][0] - places[j][0]) ** 2 + (places[i][1] - places[j][1]) ** 2) ** 0.5

    assert gap(0, 1) < gap(0, 2) and gap(0, 1) < gap(1, 3) and gap(2, 3) < gap(0, 3)
    points[2] = _point(HOSTILE, {"Medinsky": 4}, kiev, 6.0)
    svg = outlet_map_svg(points)
    assert "<script" not in svg and len([g for g in _parse(svg).iter(f"{SVG}g") if g.get("class") == "outlet"]) == 4
    assert place_outlets(points[:1]) == [(0.5, 0.5)] and outlet_map_svg([]) == ""


def test_the_report_pictures_follow_the_json_report(seed_report):
    labels = {a["id"]: chr(ord("A") + i) for i, a in enumerate(seed_report["articles"])}
    matrix = [{"fact": f["id"], "cells": ["states"] * len(f["outlets"])} for f in seed_report["facts"][:5]]
    drawn = report_pictures(seed_report, labels, matrix)
    root = _parse(drawn["matrix"])
    assert len([g for g in root.iter(f"{SVG}g") if (g.get("class") or "").startswith("row")]) == 5
    timeline = _parse(drawn["timeline"])
    assert len([c for c in timeline.iter(f"{SVG}circle") if c.get("r") == "5"]) == len(seed_report["timeline"])
