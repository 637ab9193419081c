"""Claims: the sentences an article states or reports, with what fact-finding needs of them."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from rashomon.model import Annotated, Sentence, Span

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")

STOPWORDS = frozenset(
    """a an the of to in on at for by with from and or but not no is are was were be been being has have
    had that this these those it its as he she they them his her their who which what when where would
    will could should can may might also said says say than then there about after before over under into
    out up down more most some any all both each such only very just so if while because during between
    against we our us i you your one two new told added noted""".split()
)


_US = re.compile(r"\bU\.?S\.?A?(?![\w.])|\bU\.S\.")


def content_words(text: str) -> frozenset[str]:
    """Lower-case content words, plurals folded, thousands separators dropped ("US" is not "us")."""
    text = _US.sub(" usa ", text)
    words = re.findall(r"[a-z0-9]+", text.replace(",", "").lower())
    return frozenset(w.removesuffix("s") for w in words if w not in STOPWORDS and len(w) > 1)


# Where a sentence joins two statements: a clause after these starts a new chunk.
_CLAUSE_BREAK = re.compile(
    r";\s+|\s+[—–-]{1,2}\s+|,\s+(?=(?:and|but|while|though|although|whereas|adding|saying|insisting|citing|noting|as|without)\b)"
    r"|\s+(?=(?:and|but)\s+(?:added|said|noted|stressed|insisted|confirmed|told)\b)"
    r"|(?:"
    + "|".join(
        f"(?<={verb})"
        for verb in (
            "said",
            "says",
            "reporters",
            "noted",
            "added",
            "confirmed",
            "stated",
            "announced",
            "insisted",
            "revealed",
        )
    )
    + r")\s+(?=that\b)"
)
# Chunks shorter than this are glued to the one before: "he said" alone states nothing.
CHUNK_MIN_WORDS = 5
# Only sentences this long are cut into clauses: shorter ones rarely state two facts,
# and every clause costs an embedding.
CHUNK_MIN_SENTENCE_WORDS = 30


def _reported_break(text: str, start: int, end: int) -> int | None:
    """Where "X told reporters after the meeting that both sides agreed" turns to what was reported."""
    from rashomon.annotate.quotes import speech_forms

    m = re.compile(r"\s(?=that\s)").search(text, start, end)
    if m is None:
        return None
    before = re.findall(r"[a-z]+", text[start : m.start()].lower())
    return m.start() if any(w in speech_forms() for w in before) else None


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " ,":
        start += 1
    while end > start and text[end - 1] in " ,":
        end -= 1
    return start, end


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Offsets of the clauses of a long sentence; [] when it is short or has one clause."""
    if len(text.split()) < CHUNK_MIN_SENTENCE_WORDS:
        return []
    cuts: list[tuple[int, int]] = []
    start = 0
    for m in [*_CLAUSE_BREAK.finditer(text), None]:
        end = m.start() if m is not None else len(text)
        split = _reported_break(text, start, end)
        parts = [(start, split), (split, end)] if split is not None else [(start, end)]
        cuts.extend(p for p in (_trim(text, a, b) for a, b in parts) if p[1] > p[0])
        if m is not None:
            start = m.end()
    out: list[tuple[int, int]] = []
    for a, b in cuts:
        short = len(text[a:b].split()) < CHUNK_MIN_WORDS
        if out and (short or len(text[out[-1][0] : out[-1][1]].split()) < CHUNK_MIN_WORDS):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out if len(out) > 1 else []


def clause_chunks(text: str) -> list[str]:
    """The clauses of a long sentence, for matching one proposition of it; [] when it has one."""
    return [text[a:b] for a, b in clause_spans(text)]


@dataclass
class Claim:
    """A sentence of one article (with the list it introduces), as a candidate statement of a fact."""

    index: int
    span: Span
    text: str
    words: frozenset[str]
    numbers: list[tuple[float, str | None]] = field(default_factory=list)
    quoted: bool = False
    opinion: bool = False
    loaded: bool = False
    kind: str = "body"
    chunks: list[str] = field(default_factory=list)


def _with_list(sentences: list[Sentence], i: int, text: str) -> tuple[Span, str, int]:
    """A sentence ending in a colon followed by list items: one claim spanning the list."""
    sent = sentences[i]
    piece = text[sent.span.start : sent.span.end]
    j = i + 1
    while j < len(sentences) and sentences[j].kind == "item":
        j += 1
    if not piece.rstrip().endswith(":") or j == i + 1:
        return sent.span, piece, i + 1
    items = [text[s.span.start : s.span.end] for s in sentences[i + 1 : j]]
    span = Span(sent.span.article, sent.span.start, sentences[j - 1].span.end)
    return span, piece + " " + "; ".join(items) + ".", j


def _claim(ann: Annotated, index: int, span: Span, piece: str, kind: str, quotes: list[Span]) -> Claim:
    inside = sum(q.end - q.start for q in quotes if span.contains(q))
    return Claim(
        index=index,
        span=span,
        text=piece,
        words=content_words(piece),
        numbers=[(n.value, n.unit) for n in ann.numbers if span.contains(n.span)],
        quoted=inside > 0.6 * len(piece),
        opinion=any(o.span.contains(span) for o in ann.opinion),
        loaded=any(span.contains(x.span) for x in ann.loaded),
        kind=kind,
        chunks=clause_chunks(piece),
    )


def claim_pieces(text: str, sentences: list[Sentence], min_words: int) -> list[tuple[Span, str, str]]:
    """(span, text, kind) of each claim of one article: needs only its sentences, not the parse."""
    out: list[tuple[Span, str, str]] = []
    i = 0
    while i < len(sentences):
        sent = sentences[i]
        if sent.kind not in ("body", "item"):
            i += 1
            continue
        span, piece, i = _with_list(sentences, i, text)
        if len(piece.split()) >= min_words:
            out.append((span, piece, sent.kind))
    return out


def find_claims(annotated: list[Annotated], min_words: int) -> list[Claim]:
    """Body sentences (a list folded into the sentence that introduces it) and loose list items."""
    out: list[Claim] = []
    for ann in annotated:
        quotes = [q.span for q in ann.quotes if q.kind == "direct"]
        for span, piece, kind in claim_pieces(ann.article.text, ann.sentences, min_words):
            out.append(_claim(ann, len(out), span, piece, kind, quotes))
    return out


def headline_claims(annotated: list[Annotated], first_index: int, min_words: int) -> list[Claim]:
    """Each article's headline (the first line when it repeats the title) as a claim of kind "heading",
    numbered from `first_index`. A headline states no fact of its own (the lede says it again), but what
    it says can contradict another outlet ("fired head coach Maurice Cheeks on Saturday" / "On Wednesday,
    Cheeks was fired"), so contradictions are looked for in headlines too."""
    out: list[Claim] = []
    for ann in annotated:
        if (found := headline(ann, min_words)) is not None:
            quotes = [q.span for q in ann.quotes if q.kind == "direct"]
            out.append(_claim(ann, first_index + len(out), *found, "heading", quotes))
    return out


def headline(ann: Annotated, min_words: int) -> tuple[Span, str] | None:
    """The article's headline (its first line, when that repeats the title) and its words."""
    first = ann.sentences[0] if ann.sentences else None
    if first is None or first.kind != "heading" or first.paragraph != 0:
        return None
    piece = ann.article.text[first.span.start : first.span.end]
    return (first.span, piece) if len(piece.split()) >= min_words else None


def idf(documents: Iterable[Iterable[T]]) -> dict[T, float]:
    """Inverse document frequency of each item over the documents (each counted once a document)."""
    docs = [set(d) for d in documents]
    df = Counter(item for d in docs for item in d)
    n = max(len(docs), 1)
    return {item: math.log((n + 1) / (k + 0.5)) for item, k in df.items()}


def idf_weights(claims: list[Claim]) -> dict[str, float]:
    """Inverse document frequency of each word over the story's claims."""
    return idf(c.words for c in claims)


def overlap_matrix(claims: list[Claim]) -> np.ndarray:
    """For every pair of claims: their shared words weighted by rarity, over the smaller claim's weight (0..1)."""
    import numpy as np

    idf = idf_weights(claims)
    vocab = {w: i for i, w in enumerate(sorted(idf))}
    weights = np.array([idf[w] for w in sorted(idf)], dtype=np.float64)
    has = np.zeros((len(claims), len(vocab)), dtype=np.float64)
    for row, claim in enumerate(claims):
        has[row, [vocab[w] for w in claim.words]] = 1.0
    shared = (has * weights) @ has.T
    total = has @ weights
    smaller = np.minimum(total[:, None], total[None, :])
    return np.minimum(1.0, shared / np.maximum(smaller, 1e-9))
