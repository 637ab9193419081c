"""A fast subset of the metamorphic suite (benchmarks/metamorphic.py) as a regression gate: the first 10 BASIL
stories, every kind of planted edit. Floors sit at or just under what this subset measured when the gate was
set; raise a floor when detection rises, never lower one silently. Skipped when ../shared/data is absent."""

from __future__ import annotations

import sys

import pytest

from tests.conftest import ROOT

DATA = ROOT.parent / "shared" / "data" / "basil" / "articles.jsonl"
pytestmark = pytest.mark.skipif(not DATA.is_file(), reason="../shared/data is absent")

STORIES = 10
# Measured on this subset (seed 1): reprint, other event, shuffle 1.0; figure 0.5 (2 of 4), negation 1.0
# (2 of 2), speaker 0.67 (4 of 6), date 0.33 (3 of 9; 0.22 before dates were read from the event they
# hang from, a time of day and a dated noun included). The figure floor was 0.7 (3 of 4) until the third
# plant ("after the $670 billion jobs package failed" / "the full $447 billion package") turned out to be
# found only through a false negation ("is preparing to take up" / "has declined to take up", Senate and
# House): what is planned is no longer read as asserted, and the two figures share one clause word.
FLOORS = {
    "reprint": 1.0,
    "other event": 0.9,
    "shuffle": 1.0,
    "figure": 0.5,
    "negation": 0.9,
    "speaker": 0.6,
    "date": 0.3,
    "place": 0.5,  # 1 of 2 plants
}
MAX_FALSE_ALARMS = 1.1  # contradictions per unmodified story; measured 1.0 on this subset (1.4 before bounds,
# rounding and unasserted plans)


def test_planted_edits_on_development_stories(workspace) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import metamorphic
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    result = metamorphic.run("basil", workspace, limit=STORIES)
    assert result.stories == STORIES
    for kind, floor in FLOORS.items():
        rate = result.rate(kind)
        assert rate is not None and rate >= floor, (kind, rate, result.found)
    assert result.false_alarms <= MAX_FALSE_ALARMS, result.alarms
    planted = sum(len(result.found.get(kind, [])) for kind in ("figure", "date", "negation", "speaker"))
    assert planted >= STORIES  # the planters still find sites in real text
