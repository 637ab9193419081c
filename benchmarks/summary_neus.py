"""The neutral summary against the AllSides editors' on NeuS validation events, and against lead baselines.

    .venv/bin/python benchmarks/summary_neus.py [--limit N]

Each NeuS val event is three articles (left, centre, right: title and lead) with the AllSides
editors' neutral summary as reference. For every event this compares the articles as `compare`
does and scores, with ROUGE-1, -2 and -L F1 (Google's rouge-score, Porter stemming):

* rashomon: the summary as the report gives it (its sentences joined, frames such as "Only
  article B (outlet unknown) reports:" included);
* lead-3, each: the first three sentences of each article, scored alone (mean over the three);
* lead-3, together: the first sentence of each of the three articles;

and the summary's length in words over the reference's. Means over events. The target (issue 11):
rashomon at least 0.02 above both baselines on each ROUGE, at 0.75-1.25 of the reference's length.
Skips when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import statistics
from collections import defaultdict

from devdata import DATA as SHARED
from devdata import by_event, rows

DATA = SHARED / "allsides"
KINDS = ("rouge1", "rouge2", "rougeL")


def _sentences(article) -> list[str]:  # type: ignore[no-untyped-def]
    from rashomon.annotate.segment import split_paragraphs, split_sentences

    text = article.text
    return [
        text[s.span.start : s.span.end] for s in split_sentences(article, split_paragraphs(article)) if s.kind == "body"
    ]


def measure(limit: int | None = None) -> dict[str, dict[str, float]] | None:
    if not DATA.is_dir():
        return None
    from rouge_score import rouge_scorer

    import rashomon
    from rashomon.model import Article

    scorer = rouge_scorer.RougeScorer(list(KINDS), use_stemmer=True)
    references = {r["event_id"]: r["reference_summary"] for r in rows(DATA / "references.neus-val.jsonl")}
    events = by_event(DATA / "articles.neus-val.jsonl")
    ws = rashomon.Workspace()
    scores: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    lengths: list[float] = []
    for n, (event, raw) in enumerate(sorted(events.items())):
        if limit is not None and n >= limit:
            break
        reference = references.get(event)
        if not reference or len(raw) < 2:
            continue
        articles = [
            Article(id=a["id"], source=a["id"], outlet=a.get("outlet"), text=a["text"], title=a.get("title"))
            for a in raw
        ]
        comparison = ws.compare_articles(articles)
        ours = " ".join(s.text for s in comparison.summary)
        leads = [_sentences(a) for a in comparison.articles]
        runs = {
            "rashomon": [ours],
            "lead-3, each": [" ".join(s[:3]) for s in leads if s],
            "lead-3, together": [" ".join(s[0] for s in leads if s)],
        }
        for name, texts in runs.items():
            for kind in KINDS:
                scores[name][kind].append(statistics.mean(scorer.score(reference, t)[kind].fmeasure for t in texts))
        lengths.append(len(ours.split()) / max(len(reference.split()), 1))
    out = {name: {k: statistics.mean(v) for k, v in kinds.items()} for name, kinds in scores.items()}
    out["rashomon"]["length"] = statistics.median(lengths) if lengths else 0.0
    out["rashomon"]["events"] = len(lengths)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None, help="only the first N events")
    args = parser.parse_args()
    result = measure(args.limit)
    if result is None:
        print(f"skipped: {DATA} is absent")
        return 0
    events = int(result["rashomon"].pop("events"))
    length = result["rashomon"].pop("length")
    print(f"NeuS val, {events} events: ROUGE F1 against the AllSides editors' neutral summary")
    print(f"{'':18} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8}")
    for name, kinds in result.items():
        print(f"{name:18} " + " ".join(f"{kinds[k]:8.3f}" for k in KINDS))
    print(f"rashomon's summary length over the reference's (median): {length:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
