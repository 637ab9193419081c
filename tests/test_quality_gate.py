"""The seed story scored against its gold with the project's copy of score.py, held to pinned floors."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

EVAL = Path(__file__).resolve().parent / "eval"


def _score_module():
    spec = importlib.util.spec_from_file_location("score", EVAL / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def metrics(seed_report):
    gold = tomllib.loads((EVAL / "istanbul-2025-05.toml").read_text("utf-8"))
    return _score_module().score(gold, seed_report)


FLOORS = tomllib.loads((EVAL / "floors.toml").read_text("utf-8"))


@pytest.mark.parametrize("name", [k for k in FLOORS if k != "max"])
def test_metric_reaches_its_floor(metrics, name):
    assert metrics[name] is not None and metrics[name] >= FLOORS[name], f"{name} = {metrics[name]} < {FLOORS[name]}"


@pytest.mark.parametrize("name", list(FLOORS["max"]))
def test_count_stays_under_its_ceiling(metrics, name):
    assert metrics[name] <= FLOORS["max"][name], f"{name} = {metrics[name]} > {FLOORS['max'][name]}"


def test_every_article_is_matched(metrics):
    assert metrics["articles_matched"] == 1.0
