"""Who said it: rashomon's speaker of each quote against BASIL's (2010-2014, all 150 articles).

    .venv/bin/python benchmarks/speakers_basil.py [-v]

BASIL's annotators marked quoted spans that carry bias and named who speaks each (Rick_Perry,
Elizabeth_Lauten; or a bucket such as other_anti, a group such as Tea_Party). Over the spans
spoken by a named person (every part of the name capitalised, the last no group word), this
prints:

* found: the share that lie in a quote rashomon finds (direct, or reported speech);
* accuracy: of those, the share whose speaker rashomon gives as that person (the surname
  matches), the figure the project's target (0.95) is set on; "none" counts as wrong;
* how the wrong ones were attributed: to a pronoun's antecedent ("he"/"she" resolved to
  another person), to no one, or to another name at the cue.

BASIL is a development set here: the pronoun rules were written against English grammar
(gender and number agreement, paragraph scope), not fitted to these spans. Skips when
../shared/data is absent.
"""

from __future__ import annotations

import sys
from collections import Counter

from devdata import DATA as SHARED
from devdata import basil_person, by_event, rows

DATA = SHARED / "basil"


def people_quotes() -> dict[str, list[tuple[int, int, str]]]:
    """Per article: (start, end, surname) of each quoted span BASIL gives to a named person."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    for a in rows(DATA / "annotations.jsonl"):
        surname = basil_person(a["speaker"]) if a["quote"] == "yes" else None
        if surname:
            out.setdefault(a["article_id"], []).append((a["start"], a["end"], surname))
    return out


def measure(verbose: bool = False) -> dict[str, float] | None:
    """found, accuracy and the counts behind them; None when the data is absent."""
    if not DATA.is_dir():
        return None
    import rashomon
    from rashomon.compare import compare_articles
    from rashomon.model import Article
    from rashomon.settings import CompareOptions

    wanted = people_quotes()
    ws = rashomon.Workspace()
    counts: Counter[str] = Counter()
    for raw in by_event(DATA / "articles.jsonl").values():
        if not any(a["id"] in wanted for a in raw):
            continue
        arts = [Article(id=a["id"], source=a["id"], outlet=a["outlet"], text=a["text"]) for a in raw]
        comparison = compare_articles(arts, options=CompareOptions(), nlp=ws.nlp, embedder=ws.embedder)
        for a in raw:
            quotes = comparison.annotated[a["id"]].quotes
            for start, end, surname in wanted.get(a["id"], []):
                counts["spans"] += 1
                hits = [q for q in quotes if q.span.start < end and start < q.span.end]
                if not hits:
                    continue
                counts["found"] += 1
                quote = min(hits, key=lambda q: (q.kind != "direct", q.span.end - q.span.start))
                said = (quote.speaker or "").lower()
                if surname in said.replace("’", "'").replace("'s", "").split() or said.endswith(surname):
                    counts["right"] += 1
                    continue
                why = "none" if not quote.speaker else ("pronoun" if not quote.named else "other name")
                counts[why] += 1
                if verbose:
                    text = a["text"][start:end].replace("\n", " ")[:90]
                    print(f"  {why:10} want {surname:12} got {quote.speaker!r:28} “{text}”")
    found = counts["found"]
    return {
        "spans": counts["spans"],
        "found": found / counts["spans"] if counts["spans"] else 0.0,
        "accuracy": counts["right"] / found if found else 0.0,
        "wrong_pronoun": counts["pronoun"],
        "wrong_none": counts["none"],
        "wrong_other_name": counts["other name"],
    }


def main() -> int:
    result = measure(verbose="-v" in sys.argv)
    if result is None:
        print(f"skipped: {DATA} is absent")
        return 0
    print(
        f"BASIL quotes by a named person: {result['spans']:.0f} spans; in a quote rashomon finds {result['found']:.2f}; "
        f"speaker right {result['accuracy']:.3f} (wrong: {result['wrong_pronoun']:.0f} through a pronoun, "
        f"{result['wrong_none']:.0f} unattributed, {result['wrong_other_name']:.0f} another name)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
