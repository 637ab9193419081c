"""How much of one sentence another states, word by word (BERTScore-style token alignment).

A sentence vector averages every proposition of its sentence, so a short sentence
stated inside a long one ("Sentencing has been set for June 28." / "The judge ...,
Robert L. Wilkins, is scheduled to sentence Mr. Jackson on June 28.") scores low. Here
each content token of one sentence is matched to its most similar token of the other
(MiniLM's contextual token vectors), and the matches are averaged, rarer words weighing
more (Zhang et al., "BERTScore", ICLR 2020: greedy matching with idf weights). On the gold
stories' sentence pairs it ranks the pairs of one gold fact above the rest better than the
sentence cosine (average precision 0.44 against 0.29; README, quality).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rashomon.compare.claims import idf
from rashomon.embed import TOKEN_SCALE, TokenVectors

if TYPE_CHECKING:
    import numpy as np

# Token rows multiplied at once (a block × all tokens of the story, float32: 4 MB per 1,000 tokens).
BLOCK_TOKENS = 2048


def coverage(tokens: list[TokenVectors]) -> np.ndarray:
    """cover[a, b]: the idf-weighted mean, over the content tokens of text a, of each one's best
    cosine with a token of text b (0 where a has none)."""
    import numpy as np

    n = len(tokens)
    out = np.zeros((n, n), dtype=np.float32)
    sizes = [len(ids) for ids, _ in tokens]
    if n == 0 or not sum(sizes):
        return out
    weight = idf(ids.tolist() for ids, _ in tokens)
    every = np.vstack([v for _, v in tokens]).astype(np.float32) / TOKEN_SCALE
    weights = np.array([weight[i] for ids, _ in tokens for i in ids.tolist()], dtype=np.float32)
    present = np.flatnonzero(np.array(sizes) > 0)
    first = np.cumsum([0, *sizes])[:-1][present]  # reduceat needs the start of every non-empty text
    ends = [*first[1:], len(every)]
    k = 0
    while k < len(present):  # texts in blocks of about BLOCK_TOKENS rows, so memory stays bounded
        j = k + 1
        while j < len(present) and ends[j] - first[k] <= BLOCK_TOKENS:
            j += 1
        rows = slice(int(first[k]), int(ends[j - 1]))
        best = np.maximum.reduceat(every[rows] @ every.T, first, axis=1)  # each token's best match per text
        starts = first[k:j] - first[k]
        covered = np.add.reduceat(weights[rows, None] * best, starts, axis=0)
        out[np.ix_(present[k:j], present)] = covered / np.add.reduceat(weights[rows], starts)[:, None]
        k = j
    return out


def alignment_matrix(tokens: list[TokenVectors]) -> np.ndarray:
    """Pairwise alignment of texts (0..1): the harmonic mean of how much of each the other covers."""
    import numpy as np

    cover = np.clip(coverage(tokens), 0.0, 1.0)
    both = cover + cover.T
    return np.where(both > 0, 2 * cover * cover.T / np.maximum(both, 1e-9), 0.0)
