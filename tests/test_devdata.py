"""Stories the tool was not built on (BASIL events): it runs, its evidence holds, its summary is clean.

Reads ../shared/data, which a user's clone does not have: skipped when absent.
The texts stay there; nothing of them is copied into the project.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

BASIL = Path(__file__).resolve().parents[2] / "shared" / "data" / "basil" / "articles.jsonl"
pytestmark = pytest.mark.skipif(not BASIL.is_file(), reason="../shared/data is absent")


def _events(count: int) -> list[list[dict]]:
    events: dict[str, list[dict]] = defaultdict(list)
    with BASIL.open() as fh:
        for line in fh:
            art = json.loads(line)
            events[art["event_id"]].append(art)
    return [events[k] for k in sorted(events)[:: max(1, len(events) // count)][:count]]


@pytest.mark.parametrize("raw", _events(4) if BASIL.is_file() else [], ids=lambda raw: raw[0]["event_id"][-8:])
def test_an_unseen_story_compares_cleanly(workspace, raw):
    from rashomon.compare import compare_articles
    from rashomon.compare.summary import check_summary
    from rashomon.model import Article
    from rashomon.settings import CompareOptions
    from rashomon.write.json import to_dict

    articles = [Article(id=a["id"][-12:], source=a["id"], outlet=a["outlet"], text=a["text"]) for a in raw]
    comparison = compare_articles(articles, options=CompareOptions(), nlp=workspace.nlp, embedder=workspace.embedder)
    assert comparison.set_aside == []
    assert check_summary(comparison) == []
    assert any(f.support.independent >= 2 for f in comparison.facts)
    report = to_dict(comparison)
    texts = {a["id"]: a["text"] for a in report["articles"]}
    for fact in report["facts"]:
        for m in fact["mentions"]:
            assert texts[m["article"]][m["start"] : m["end"]] == m["text"]
    assert len(report["contradictions"]) <= 8
