"""The BASIL gold stories of ../shared/eval/gold scored with ../shared/eval/score.py, as a regression gate.

Floors sit at or just under what these stories measured when the gate was set (`python3
../shared/eval/run_gold.py .venv/bin/rashomon`); raise a floor when a figure rises, never lower one
silently. The bundled story has its own gate (test_quality_gate.py). Skipped when ../shared is absent.
"""

from __future__ import annotations

import importlib.util
import json
import tomllib
from pathlib import Path

import pytest

from rashomon.write.json import to_dict
from tests.conftest import ROOT

EVAL = ROOT.parent / "shared" / "eval"
BASIL = ROOT.parent / "shared" / "data" / "basil" / "articles.jsonl"
pytestmark = pytest.mark.skipif(
    not (EVAL / "score.py").is_file() or not BASIL.is_file(), reason="../shared/eval or ../shared/data is absent"
)

# story: (fact_recall, term_recall, contradiction_recall) measured 2026-11-30 with word-by-word alignment in
# facts and place contradictions: 0.52 / 1.00 / 1.0, 0.67 / 0.80 / 1.0, 0.61 / 0.80 / 1.0, 0.67 / 0.50 / 0.0.
FLOORS = {
    "basil-2011-weiner-photo": (0.5, 1.0, 1.0),
    "basil-2012-netanyahu-ad": (0.65, 0.8, 1.0),
    "basil-2013-jackson-guilty-plea": (0.6, 0.8, 1.0),
    "basil-2014-colorado-marijuana-suit": (0.65, 0.5, 0.0),
}
MEAN_TERM_RECALL = 0.77  # measured 0.775 over these four (0.82 with the bundled story)


def _score_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("shared_score", EVAL / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _texts(names: set[str]) -> dict[str, str]:
    found = {}
    for line in BASIL.open(encoding="utf-8"):
        row = json.loads(line)
        if row["id"] in names:
            found[row["id"]] = f"{row['title']}\n\n{row['text']}"
    return found


@pytest.fixture(scope="module")
def scores(workspace, tmp_path_factory) -> dict[str, dict]:
    score = _score_module()
    out = {}
    for story in FLOORS:
        gold = tomllib.loads((EVAL / "gold" / f"{story}.toml").read_text("utf-8"))
        folder: Path = tmp_path_factory.mktemp(story)
        for name, text in _texts(set(gold["articles"])).items():
            (folder / f"{name}.txt").write_text(text, "utf-8")
        report = to_dict(workspace.compare(sorted(str(p) for p in folder.glob("*.txt"))))
        out[story] = score.score(gold, json.loads(json.dumps(report)))
    return out


@pytest.mark.parametrize("story", list(FLOORS))
def test_gold_story_reaches_its_floors(scores, story):
    fact_floor, term_floor, contradiction_floor = FLOORS[story]
    metrics = scores[story]
    assert metrics["articles_matched"] == 1.0
    assert metrics["fact_recall"] >= fact_floor, metrics
    assert metrics["term_recall"] >= term_floor, metrics
    assert metrics["contradiction_recall"] >= contradiction_floor, metrics


def test_mean_term_recall(scores):
    mean = sum(m["term_recall"] for m in scores.values()) / len(scores)
    assert mean >= MEAN_TERM_RECALL, {s: m["term_recall"] for s, m in scores.items()}
