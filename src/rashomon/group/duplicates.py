"""Near-copies: wire reprints and syndicated versions with small edits.

MinHash (datasketch) over 5-word shingles estimates the Jaccard similarity
of two articles; above the threshold the later article is marked a copy of
the earlier, so it adds no independent support to any fact.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rashomon.model import Article

SHINGLE = 5
PERMUTATIONS = 128


def shingles(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}


def minhash(text: str) -> object:
    from datasketch import MinHash

    mh = MinHash(num_perm=PERMUTATIONS, seed=1)
    mh.update_batch([s.encode() for s in shingles(text)])
    return mh


def mark_copies(articles: list[Article], threshold: float) -> list[Article]:
    """Articles in the same order, a near-copy's `copy_of` naming the first it copies."""
    if len(articles) < 2:
        return articles
    hashes = [minhash(a.text) for a in articles]
    out: list[Article] = []
    for i, article in enumerate(articles):
        origin = None
        for j in range(i):
            if out[j].copy_of is None and hashes[i].jaccard(hashes[j]) >= threshold:  # type: ignore[attr-defined]
                origin = articles[j].id
                break
        out.append(replace(article, copy_of=origin) if origin else article)
    return out
