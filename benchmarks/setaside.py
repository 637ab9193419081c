"""Setting aside: events with an article of another event mixed in (BASIL: development; ECB+ dev: held out),
and one-event AllSides triplets where nothing should be set aside (held out).

    .venv/bin/python benchmarks/setaside.py

Prints how many mixed-in articles were set aside and how many articles of
the event itself were set aside by mistake. Skips when ../shared/data is absent.
"""

from __future__ import annotations

import random
import sys

from devdata import DATA as SHARED
from devdata import by_event

DATA = SHARED / "basil"


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return 0
    import rashomon
    from rashomon.compare import compare_articles
    from rashomon.model import Article
    from rashomon.settings import CompareOptions

    events = by_event(DATA / "articles.jsonl")
    keys = sorted(events)
    rnd = random.Random(3)
    ws = rashomon.Workspace()
    caught = wrong = n = 0
    for eid in keys:
        intruder = events[rnd.choice([k for k in keys if k != eid])][0]
        raw = [*events[eid], intruder]
        arts = [Article(id=a["id"][-12:], source=a["id"], outlet=a["outlet"], text=a["text"]) for a in raw]
        comparison = compare_articles(arts, options=CompareOptions(), nlp=ws.nlp, embedder=ws.embedder)
        aside = {s.source for s in comparison.set_aside}
        n += 1
        caught += intruder["id"] in aside
        wrong += len(aside - {intruder["id"]})
    print(f"BASIL: mixed-in articles set aside {caught}/{n}; event articles set aside by mistake {wrong}")
    ecbplus(ws)
    allsides(ws)
    return 0


def allsides(ws: object) -> None:
    """AllSides left/centre/right leads of one event (NeuS val): none should be set aside."""
    from rashomon.compare import compare_articles
    from rashomon.model import Article
    from rashomon.settings import CompareOptions

    events = by_event(DATA.parent / "allsides" / "articles.neus-val.jsonl")
    wrong = total = 0
    for eid in sorted(events):
        arts = [Article(id=a["id"], source=a["id"], outlet=a["id"], text=a["text"]) for a in events[eid]]
        total += len(arts)
        wrong += len(compare_articles(arts, options=CompareOptions(), nlp=ws.nlp, embedder=ws.embedder).set_aside)  # type: ignore[attr-defined]
    print(f"AllSides NeuS val (held out): articles of one event set aside by mistake {wrong}/{total}")


def ecbplus(ws: object) -> None:
    """Held out: ECB+ dev events, pure and with an article of another topic mixed in."""
    from rashomon.compare import compare_articles
    from rashomon.model import Article
    from rashomon.settings import CompareOptions

    events = by_event(DATA.parent / "ecbplus" / "articles.jsonl", split="dev")
    keys = sorted(k for k in events if len(events[k]) >= 3)
    topic = {k: events[k][0]["topic_id"] for k in keys}
    rnd = random.Random(5)
    caught = pure_wrong = mixed_wrong = 0
    for eid in keys:
        arts = [Article(id=a["id"], source=a["id"], outlet=a["id"], text=a["text"]) for a in events[eid]]
        opts = CompareOptions()
        pure_wrong += len(compare_articles(arts, options=opts, nlp=ws.nlp, embedder=ws.embedder).set_aside)  # type: ignore[attr-defined]
        intruder = events[rnd.choice([k for k in keys if topic[k] != topic[eid]])][0]
        mixed = [*arts, Article(id=intruder["id"], source=intruder["id"], outlet="other", text=intruder["text"])]
        aside = {s.source for s in compare_articles(mixed, options=opts, nlp=ws.nlp, embedder=ws.embedder).set_aside}  # type: ignore[attr-defined]
        caught += intruder["id"] in aside
        mixed_wrong += len(aside - {intruder["id"]})
    total = sum(len(events[k]) for k in keys)
    print(
        f"ECB+ dev (held out): mixed-in articles set aside {caught}/{len(keys)}; "
        f"event articles set aside by mistake {pure_wrong}/{total} (pure), {mixed_wrong} (mixed)"
    )


if __name__ == "__main__":
    sys.exit(main())
