"""Fact grouping measured on ECB+ event coreference (held out: never used to tune).

    .venv/bin/python benchmarks/facts_ecbplus.py [--split dev] [--no-secondary]

For each seminal event, rashomon compares its articles. Two sentences of
different articles *should* share a fact when they mention the same event
(one non-singleton ECB+ event coreference chain); they *do* when some fact
holds both. Prints pairwise precision, recall and F1 over those sentence
pairs, among the sentences ECB+ annotated (it annotates only some). A proxy:
chains also link minor events ("said"). Skips when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from itertools import combinations

from devdata import DATA as SHARED
from devdata import by_event, rows

DATA = SHARED / "ecbplus"


def _load(split: str) -> tuple[dict[str, list[dict]], dict[str, list[dict]]]:
    mentions: dict[str, list[dict]] = defaultdict(list)
    for m in rows(DATA / "mentions.jsonl"):
        if m["kind"] == "event" and not m["is_singleton"] and m["split"] == split:
            mentions[m["article_id"]].append(m)
    return by_event(DATA / "articles.jsonl", split=split), mentions


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="dev")
    parser.add_argument("--no-secondary", action="store_true", help="facts without the clause-level second membership")
    parser.add_argument("--threshold", type=float, default=None, help="fact threshold (default: CompareOptions')")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent")
        return 0
    from rashomon import Workspace
    from rashomon.compare import compare_articles
    from rashomon.compare import facts as facts_module  # (the function rashomon.compare shadows the package attribute)
    from rashomon.model import Article
    from rashomon.settings import CompareOptions

    if args.no_secondary:
        facts_module.SECONDARY_MARGIN = 9.0
    options = CompareOptions() if args.threshold is None else CompareOptions(fact_threshold=args.threshold)
    events, mentions = _load(args.split)
    ws = Workspace()
    tp = fp = fn = 0
    for _event, raw in sorted(events.items()):
        if len(raw) < 2:
            continue
        articles = [Article(id=a["id"], source=a["id"], outlet=a["id"], text=a["text"]) for a in raw]
        comparison = compare_articles(articles, options=options, nlp=ws.nlp, embedder=ws.embedder)
        sentences = {aid: ann.sentences for aid, ann in comparison.annotated.items()}

        def sentence_of(aid: str, pos: int, sentences: dict = sentences) -> tuple[str, int] | None:
            for s in sentences.get(aid, []):
                if s.span.start <= pos < s.span.end:
                    return (aid, s.span.start)
            return None

        chains: dict[tuple[str, int], set[str]] = defaultdict(set)
        for a in raw:
            for m in mentions.get(a["id"], []):
                key = sentence_of(a["id"], m["start"])
                if key:
                    chains[key].add(m["coref_chain"])
        facts_of: dict[tuple[str, int], set[str]] = defaultdict(set)
        for fact in comparison.facts:
            for span in fact.mentions:
                for s in sentences[span.article]:
                    if span.start <= s.span.start < span.end:
                        facts_of[(span.article, s.span.start)].add(fact.id)
        keys = sorted(chains)  # ECB+ annotates only some sentences: score those
        for x, y in combinations(keys, 2):
            if x[0] == y[0]:
                continue
            gold = bool(chains[x] & chains[y])
            said = bool(facts_of[x] & facts_of[y])
            tp += gold and said
            fp += said and not gold
            fn += gold and not said
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    mode = "without" if args.no_secondary else "with"
    print(
        f"ECB+ {args.split}, threshold {options.fact_threshold}, {mode} clause second membership: pairs precision {p:.3f} recall {r:.3f} F1 {f1:.3f} (tp {tp}, fp {fp}, fn {fn})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
