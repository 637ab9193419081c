"""Voices measured on BASIL's quoted bias spans (held out: never used to tune).

    .venv/bin/python benchmarks/voices_basil.py

BASIL names the speaker of each quoted span it annotates (e.g. Rick_Perry).
Recall: named speakers (people, not BASIL's "other_*" buckets or groups) whose surname
appears among the speakers rashomon lists for that article. Skips when
../shared/data is absent.
"""

from __future__ import annotations

import sys
from collections import defaultdict

from devdata import DATA as SHARED
from devdata import basil_person, by_event, rows

DATA = SHARED / "basil"


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return 0
    import rashomon
    from rashomon.compare import compare_articles
    from rashomon.model import Article
    from rashomon.settings import CompareOptions

    wanted: dict[str, set[str]] = defaultdict(set)
    for a in rows(DATA / "annotations.jsonl"):
        surname = basil_person(a["speaker"])  # people only, not "Nebraska_officials"
        if surname:
            wanted[a["article_id"]].add(surname)
    events = by_event(DATA / "articles.jsonl")
    ws = rashomon.Workspace()
    found = total = 0
    for raw in events.values():
        if not any(wanted.get(a["id"]) for a in raw):
            continue
        arts = [Article(id=a["id"], source=a["id"], outlet=a["outlet"] or a["id"], text=a["text"]) for a in raw]
        comparison = compare_articles(arts, options=CompareOptions(), nlp=ws.nlp, embedder=ws.embedder)
        for a in raw:
            said = " ".join(v.speaker.lower() for v in comparison.voices if a["id"] in v.articles)
            for surname in wanted.get(a["id"], ()):
                total += 1
                found += surname in said
    print(
        f"BASIL named speakers found among the article's voices: recall {found / max(total, 1):.3f} ({found}/{total})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
