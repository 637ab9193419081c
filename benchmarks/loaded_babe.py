"""Loaded wording against BABE's expert labels (3,674 news sentences; AGPL-3.0: measured here, nothing
derived from its text is shipped).

    .venv/bin/python benchmarks/loaded_babe.py

BABE labels each sentence biased or not, and marks the words that make it biased. Each sentence is
read as a one-paragraph article and passed through rashomon's loaded-wording detector
(annotate.loaded, with quotes found as `compare` finds them):

* sentence level: a sentence counts as flagged when a loaded span in the outlet's own voice (not
  inside a quote) lies in it; precision, recall and F1 against BABE's "Biased" label (the
  target, issue 11: F1 ≥ 0.70);
* word level: the share of BABE's biased words that a flag (own voice or quoted) covers (target ≥ 0.5).

Skips when ../shared/data is absent.
"""

from __future__ import annotations

import re

from devdata import DATA as SHARED
from devdata import rows

DATA = SHARED / "babe" / "sentences.jsonl"


def measure() -> dict[str, float] | None:
    if not DATA.is_file():
        return None
    from rashomon.annotate.loaded import find_loaded
    from rashomon.annotate.quotes import quote_spans
    from rashomon.annotate.segment import split_paragraphs
    from rashomon.model import Article

    tp = fp = fn = tn = words = covered = 0
    for n, row in enumerate(rows(DATA)):
        if row["label_bias"] not in ("Biased", "Non-biased"):
            continue
        article = Article(id=f"s{n}", source="babe", outlet=row.get("outlet"), text=row["text"])
        hits = find_loaded(article, quote_spans(article.text, split_paragraphs(article)))
        flagged = any(not x.quoted for x in hits)
        biased = row["label_bias"] == "Biased"
        tp += flagged and biased
        fp += flagged and not biased
        fn += biased and not flagged
        tn += not (flagged or biased)
        for word in row.get("biased_words") or []:
            found = [m.span() for m in re.finditer(r"(?<!\w)" + re.escape(word) + r"(?!\w)", row["text"], re.I)]
            if not found:
                continue
            words += 1
            covered += any(x.span.start < e and s < x.span.end for s, e in found for x in hits)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    share = (tp + fn) / (tp + fp + fn + tn) if tp + fp + fn + tn else 0.0
    return {
        "flag_all_f1": 2 * share / (share + 1) if share else 0.0,  # flagging every sentence: P = share, R = 1
        "sentences": tp + fp + fn + tn,
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "word_recall": covered / words if words else 0.0,
        "words": words,
    }


def main() -> int:
    result = measure()
    if result is None:
        print(f"skipped: {DATA} is absent")
        return 0
    print(
        f"BABE, {result['sentences']:.0f} sentences: biased sentences flagged (own voice) precision "
        f"{result['precision']:.3f}, recall {result['recall']:.3f}, F1 {result['f1']:.3f}; "
        f"biased words covered {result['word_recall']:.3f} of {result['words']:.0f} "
        f"(flagging every sentence would score F1 {result['flag_all_f1']:.3f})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
