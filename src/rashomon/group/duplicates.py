"""Near-copies: wire reprints and syndicated versions with small edits.

Within one comparison (a handful of articles) the Jaccard similarity of two
articles' 5-word shingle sets is computed exactly; above the threshold the
later article is marked a copy of the earlier, so it adds no independent
support to any fact. (Corpus mode, over many thousands of articles, needs
MinHash and LSH instead: datasketch, with the same shingles and threshold.)
"""

from __future__ import annotations

import re
from dataclasses import replace

from rashomon.model import Article

SHINGLE = 5


def shingles(text: str) -> frozenset[str]:
    """Overlapping runs of SHINGLE lower-cased words."""
    words = re.findall(r"\w+", text.lower())
    return frozenset(" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1)))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def mark_copies(articles: list[Article], threshold: float) -> list[Article]:
    """Articles in the same order, a near-copy's `copy_of` naming the first it copies."""
    if len(articles) < 2:
        return articles
    sets = [shingles(a.text) for a in articles]
    out: list[Article] = []
    for i, article in enumerate(articles):
        origin = next(
            (articles[j].id for j in range(i) if out[j].copy_of is None and jaccard(sets[i], sets[j]) >= threshold),
            None,
        )
        out.append(replace(article, copy_of=origin) if origin else article)
    return out
