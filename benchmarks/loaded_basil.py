"""The loaded-wording lexicon measured on BASIL's lexical-bias spans (held out: never used to tune).

    .venv/bin/python benchmarks/loaded_basil.py

Recall: BASIL lexical-bias spans in the outlet's own voice (quote = "no")
that a rashomon loaded-wording hit overlaps. Share on annotated spans: rashomon
hits in the outlet's own voice that overlap any BASIL bias span; BASIL marks only
bias aimed at the story's main entities, so this is a floor on precision, not
precision. Skips when ../shared/data is absent.
"""

from __future__ import annotations

import sys
from collections import defaultdict

from devdata import DATA as SHARED
from devdata import rows

DATA = SHARED / "basil"


def main() -> int:
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return 0
    from rashomon.annotate.loaded import find_loaded
    from rashomon.annotate.quotes import quote_spans
    from rashomon.annotate.segment import split_paragraphs
    from rashomon.model import Article

    spans: dict[str, list[dict]] = defaultdict(list)
    for a in rows(DATA / "annotations.jsonl"):
        if not a["in_title"]:
            spans[a["article_id"]].append(a)
    found = total = hits = on_gold = 0
    for raw in rows(DATA / "articles.jsonl"):
        article = Article(id=raw["id"], source=raw["id"], outlet=raw["outlet"] or "", text=raw["text"])
        inside = quote_spans(article.text, split_paragraphs(article))
        own = [x for x in find_loaded(article, inside) if not x.quoted]
        gold = spans.get(raw["id"], [])
        for g in gold:
            if g["bias_type"] == "lexical" and g["quote"] == "no":
                total += 1
                found += any(x.span.start < g["end"] and g["start"] < x.span.end for x in own)
        hits += len(own)
        on_gold += sum(any(x.span.start < g["end"] and g["start"] < x.span.end for g in gold) for x in own)
    print(f"BASIL lexical bias (own voice): recall {found / max(total, 1):.3f} ({found}/{total})")
    print(f"rashomon own-voice hits on any BASIL bias span: {on_gold / max(hits, 1):.3f} ({on_gold}/{hits})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
