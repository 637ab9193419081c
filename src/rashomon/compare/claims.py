"""Claims: the sentences an article states or reports, with what fact-finding needs of them."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from rashomon.model import Annotated, Span

STOPWORDS = frozenset(
    """a an the of to in on at for by with from and or but not no is are was were be been being has have
    had that this these those it its as he she they them his her their who which what when where would
    will could should can may might also said says say than then there about after before over under into
    out up down more most some any all both each such only very just so if while because during between
    against we our us i you your one two new told added noted""".split()
)


def content_words(text: str) -> frozenset[str]:
    """Lower-case content words, plurals folded, thousands separators dropped."""
    words = re.findall(r"[a-z0-9]+", text.replace(",", "").lower())
    return frozenset(w.removesuffix("s") for w in words if w not in STOPWORDS and len(w) > 1)


@dataclass
class Claim:
    """A sentence of one article, as a candidate statement of a fact."""

    index: int
    span: Span
    text: str
    words: frozenset[str]
    numbers: list[tuple[float, str | None]] = field(default_factory=list)
    quoted: bool = False
    opinion: bool = False
    loaded: bool = False
    kind: str = "body"


def find_claims(annotated: list[Annotated], min_words: int) -> list[Claim]:
    """Body sentences and list items of at least `min_words` words, in a fixed order."""
    out: list[Claim] = []
    for ann in annotated:
        text = ann.article.text
        quotes = [q.span for q in ann.quotes if q.kind == "direct"]
        for sent in ann.sentences:
            if sent.kind not in ("body", "item"):
                continue
            piece = text[sent.span.start : sent.span.end]
            if len(piece.split()) < min_words:
                continue
            inside = sum(q.end - q.start for q in quotes if sent.span.contains(q))
            out.append(
                Claim(
                    index=len(out),
                    span=sent.span,
                    text=piece,
                    words=content_words(piece),
                    numbers=[(n.value, n.unit) for n in ann.numbers if sent.span.contains(n.span)],
                    quoted=inside > 0.6 * len(piece),
                    opinion=any(o.span.contains(sent.span) for o in ann.opinion),
                    loaded=any(sent.span.contains(x.span) for x in ann.loaded),
                    kind=sent.kind,
                )
            )
    return out


def idf_weights(claims: list[Claim]) -> dict[str, float]:
    """Inverse document frequency of each word over the story's claims."""
    df = Counter(w for c in claims for w in c.words)
    n = max(len(claims), 1)
    return {w: math.log((n + 1) / (k + 0.5)) for w, k in df.items()}


def overlap(a: Claim, b: Claim, idf: dict[str, float]) -> float:
    """Shared words weighted by rarity, over the smaller claim's weight (0..1)."""
    shared = a.words & b.words
    if not shared:
        return 0.0
    wa = sum(idf[w] for w in a.words)
    wb = sum(idf[w] for w in b.words)
    return min(1.0, sum(idf[w] for w in shared) / max(min(wa, wb), 1e-9))
