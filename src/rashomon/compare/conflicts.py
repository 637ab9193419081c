"""Contradictions: aligned claims that cannot both be true, or that judge one thing oppositely.

Sentence embeddings score a contradicting pair as high as a paraphrase
(offline-stack.md §1b), so claims are aligned first (cosine or shared rare
words) and each aligned pair is then checked:

* number: different figures in one quoted remark, or for one quantity (compare.slots: what each
  figure counts and the clause around it, from the dependency parse);
* date: one event given two dates (compare.slots);
* place: one person, thing or event put in two places that cannot be one (compare.slots, annotate.places);
* attribution: the same quoted words given to different speakers;
* negation: one predicate asserted in one claim and denied in the other (compare.slots);
* verdict: one judges an outcome a failure, the other says it was not (data/verdicts.toml).

Without the parser's slots (the blank fallback pipeline) number, date and negation fall
back to surface rules: the same unit word, one date per claim, the same verb token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from rashomon.compare.claims import Claim, content_words, overlap_matrix
from rashomon.compare.slots import (
    SAME_SENTENCE_COSINE,
    SlotEvidence,
    check_dates,
    check_figures,
    check_places,
    check_predicates,
    compatible_figures,
    slot_evidence,
)
from rashomon.model import Annotated, Article, Conflict, ConflictKind, Quote, Span

if TYPE_CHECKING:
    import numpy as np

# Two claims are aligned (about the same thing) above this cosine, or with this much shared rare wording.
ALIGN_COSINE = 0.45
ALIGN_OVERLAP = 0.3
# Figures of the same unit only clash between claims this close: "21 years" and "three years"
# in two unrelated sentences are not one quantity.
NUMBER_COSINE = 0.6
# Two claims must be this close to be one event told with two dates ("on May 16" / "on May 15").
DATE_COSINE = 0.7
# Figures further apart than this factor are different quantities ("$1,179 a month", "$6.5 trillion").
MAX_RATIO = 5.0
# Quotes this short may be one reply told twice ("Next time it will be five" / "We said eight").
SHORT_QUOTE_WORDS = 8
# Verdicts need less: "ended in failure" and "were not a failure" share few words.
VERDICT_COSINE = 0.3
NEGATORS = frozenset("not n't never no without neither nor".split())
NEGATION_WINDOW = 3
# How much each kind weighs when conflicts are ranked (a number mismatch is the most certain).
KIND_WEIGHT: dict[str, float] = {
    "number": 1.0,
    "date": 0.95,
    "place": 0.9,
    "attribution": 0.9,
    "negation": 0.8,
    "verdict": 0.8,
}


@cache
def verdict_words() -> dict[str, int]:
    data = tomllib.loads(resources.files("rashomon.data").joinpath("verdicts.toml").read_text("utf-8"))
    return {**dict.fromkeys(data["positive"], 1), **dict.fromkeys(data["negative"], -1)}


def _tokens(text: str) -> list[str]:
    return re.findall(r"n't|[\w’'-]+", text.lower())


def _negated(tokens: list[str], i: int) -> bool:
    return any(t in NEGATORS for t in tokens[max(0, i - NEGATION_WINDOW) : i])


def _polarity_words(tokens: list[str]) -> dict[str, bool]:
    """Each content word with whether it is negated."""
    return {t: _negated(tokens, i) for i, t in enumerate(tokens) if len(t) > 3}


@cache
def _claim_polarity(text: str) -> dict[str, bool]:
    return _polarity_words(_tokens(text))


# Past participles used as adjectives ("not a theology based on the Bible"): no act is denied.
PARTICIPLE_ADJECTIVES = frozenset(
    "based related concerned involved interested supposed used limited unrelated detailed qualified "
    "experienced advanced armed united divided mixed".split()
)
# Words after the verb that must also appear in the other claim: the same thing was (not) done.
OBJECT_WINDOW = 6


def _after(text: str, word: str) -> frozenset[str]:
    """Content words of the few words after `word`, read from the original text (so "US" stays a country)."""
    m = re.search(r"(?<![\w'’-])" + re.escape(word) + r"(?![\w'’-])", text, re.I)
    if m is None:
        return frozenset()
    return content_words(" ".join(text[m.end() :].split()[:OBJECT_WINDOW]))


def _check_negation(a: Claim, b: Claim, ea: _Evidence, eb: _Evidence, cosine: float) -> str | None:
    """A predicate done in one claim and denied in the other, to the same thing."""
    if _parsed(ea, eb):
        return check_predicates(ea.slots, eb.slots, cosine)
    return _surface_negation(a, b)


def _surface_negation(a: Claim, b: Claim) -> str | None:
    """Without a parse: a verb token done in one claim and not done in the other, to the same thing."""
    from rashomon.annotate.quotes import speech_forms

    pa, pb = _claim_polarity(a.text), _claim_polarity(b.text)
    for word in pa:
        if word not in pb or pa[word] == pb[word] or word in speech_forms():
            continue
        if not re.search(r"(ed|held|made|met|took|sent|signed)$", word) or word in PARTICIPLE_ADJECTIVES:
            continue
        negated, other = (a, b) if pa[word] else (b, a)
        if _after(negated.text, word) & other.words and _after(other.text, word) & negated.words:
            return f"one account says “{word}”, the other “not {word}”"
    return None


def _verdict(tokens: list[str]) -> tuple[int, str] | None:
    """The sign of the first verdict word and its phrase ("not a failure" counts as positive)."""
    words = verdict_words()
    for i, t in enumerate(tokens):
        if t in words and not (i + 1 < len(tokens) and tokens[i + 1] == "to"):  # "failed to show up" judges no outcome
            negated = _negated(tokens, i)
            sign = -words[t] if negated else words[t]
            window = [w for w in tokens[max(0, i - NEGATION_WINDOW) : i + 1] if w[0].isalnum() or w == "n't"]
            phrase = " ".join(window) if negated else t
            return sign, phrase
    return None


@cache
def _claim_verdict(text: str) -> tuple[int, str] | None:
    return _verdict(_tokens(text))


def _check_verdict(a: Claim, b: Claim) -> str | None:
    va, vb = _claim_verdict(a.text), _claim_verdict(b.text)
    if va is None or vb is None or va[0] == vb[0]:
        return None
    return f"opposite verdicts on the outcome: “{va[1]}” against “{vb[1]}”"


@dataclass(frozen=True)
class _Evidence:
    """What the checks need of one claim, gathered once: its direct quotes, quoted figures and dates."""

    quotes: tuple[tuple[Quote, str], ...]
    quoted_numbers: frozenset[float]
    dates: frozenset[dt.date]
    slots: SlotEvidence
    dated: tuple[tuple[int, int], ...] = ()  # where dates are written, as offsets in the claim's text


def _evidence(claim: Claim, ann: Annotated) -> _Evidence:
    text = ann.article.text
    quotes = tuple(
        (q, text[q.span.start : q.span.end]) for q in ann.quotes if q.kind == "direct" and claim.span.contains(q.span)
    )
    numbers = frozenset(n.value for n in ann.numbers if any(q.span.contains(n.span) for q, _ in quotes))
    dates = frozenset(d.date for d in ann.dates if claim.span.contains(d.span))
    slots = slot_evidence(claim.span, ann)
    dated = tuple((s.span.start - claim.span.start, s.span.end - claim.span.start) for _, s, *_ in slots.dates)
    return _Evidence(quotes, numbers, dates, slots, dated)


def _parsed(ea: _Evidence, eb: _Evidence) -> bool:
    """Whether both claims have slots from the parser (the blank fallback has none: surface rules then)."""
    return not (ea.slots.empty or eb.slots.empty)


def _check_dates(ea: _Evidence, eb: _Evidence, cosine: float) -> str | None:
    """One event, two different days: each claim names one date and they differ."""
    if _parsed(ea, eb):
        return check_dates(ea.slots, eb.slots, cosine)
    if cosine < DATE_COSINE or len(ea.dates) != 1 or len(eb.dates) != 1 or ea.dates == eb.dates:
        return None
    return f"different dates: {next(iter(ea.dates)).isoformat()} in one account, {next(iter(eb.dates)).isoformat()} in the other"


# One sentence told twice differs in at most this many words besides its figures ("just after 11 p.m.,
# Fanning said in a statement" / "just after 6 p.m., Fanning said in the statement").
RETOLD_MAX_CHANGES = 3
_TOKEN = re.compile(r"\d[\d,.]*\d|\d|\w+")


def _figure_value(token: str) -> float | None:
    try:
        return float(token.replace(",", ""))
    except ValueError:
        return None


def _words(text: str, dated: tuple[tuple[int, int], ...]) -> list[str]:
    """The claim's words and figures, a date's words as one token (its day is no figure)."""
    out: list[str] = []
    for m in _TOKEN.finditer(text.lower()):
        span = next((d for d in dated if d[0] <= m.start() < d[1]), None)
        word = text[span[0] : span[1]].lower() if span else m.group()
        if not out or span is None or out[-1] != word:
            out.append(word)
    return out


def _retold_figure(a: str, b: str, ea: _Evidence, eb: _Evidence) -> str | None:
    """The same sentence in two accounts (SAME_SENTENCE_COSINE) with a figure changed: whatever the
    figure counts (times of day included), one of the two is wrong. Dates are left to the date check."""
    from difflib import SequenceMatcher

    ta, tb = _words(a, ea.dated), _words(b, eb.dated)
    changes = [op for op in SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes() if op[0] != "equal"]
    if not changes or sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in changes) > RETOLD_MAX_CHANGES + 1:
        return None
    for tag, i1, i2, j1, j2 in changes:
        # Only the figure changed, not its unit: "24 km" against "15 miles" is one distance converted.
        if tag != "replace" or i2 - i1 != 1 or j2 - j1 != 1:
            continue
        va, vb = _figure_value(ta[i1]), _figure_value(tb[j1])
        if va is not None and vb is not None and not compatible_figures(va, "", vb, ""):
            return f"one sentence told with two figures: “{ta[i1]}” in one account, “{tb[j1]}” in the other"
    return None


def _check_numbers(a: Claim, b: Claim, ea: _Evidence, eb: _Evidence, cosine: float) -> str | None:
    """Different figures in one remark quoted twice, in one sentence told twice, or for one quantity in
    two close claims."""
    qa, qb = ea.quoted_numbers, eb.quoted_numbers
    if qa and qb and not qa & qb and _same_remark(ea, eb):
        return f"the quoted words differ: {_fmt(set(qa))} in one account, {_fmt(set(qb))} in the other"
    if cosine >= SAME_SENTENCE_COSINE and (why := _retold_figure(a.text, b.text, ea, eb)):
        return why
    if _parsed(ea, eb):
        return check_figures(ea.slots, eb.slots, cosine)
    if cosine < NUMBER_COSINE:
        return None
    units_a = {u: v for v, u in a.numbers if u}
    units_b = {u: v for v, u in b.numbers if u}
    for unit, value in units_a.items():
        other = units_b.get(unit)
        if other is None or other == value or max(value, other) > MAX_RATIO * max(min(value, other), 1e-9):
            continue
        if {v for v, u in a.numbers if u == unit}.isdisjoint({v for v, u in b.numbers if u == unit}):
            return f"different figures for the same quantity: {_fmt({value})} {unit} against {_fmt({other})} {unit}"
    return None


def _same_remark(ea: _Evidence, eb: _Evidence) -> bool:
    """Two quotes that may be one remark told twice: both short replies, or nearly the same words."""
    from rapidfuzz import fuzz

    for _, ta in ea.quotes:
        for _, tb in eb.quotes:
            short = len(ta.split()) <= SHORT_QUOTE_WORDS and len(tb.split()) <= SHORT_QUOTE_WORDS
            if short or fuzz.ratio(ta, tb) >= 70:
                return True
    return False


def _fmt(values: set[float]) -> str:
    """Figures as a reader writes them: 716 billion, 1,179, 2.5."""

    def one(v: float) -> str:
        for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if v >= size:
                return f"{v / size:g} {word}"
        return f"{v:,.10g}"

    return " and ".join(one(v) for v in sorted(values))


# Quotes shorter than this are too short to tell a misattribution from a common phrase.
ATTRIBUTION_MIN_CHARS = 25


# A quotation this long may be quoted in part by another outlet: the shorter then only has to
# recur inside the longer ("from what I understand from doctors, that's really rare").
PARTIAL_QUOTE_CHARS = 40


def _same_words(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    score = fuzz.ratio(a, b)
    if min(len(a), len(b)) >= PARTIAL_QUOTE_CHARS:
        score = max(score, fuzz.partial_ratio(a, b))
    return score


def _check_attribution(a: Claim, b: Claim, ea: _Evidence, eb: _Evidence) -> str | None:
    """The same words (fuzz ratio ≥ 90, or partly quoted) given to two different speakers."""

    # A speaker named at the cue, or resolved from a pronoun ("he said" after a named sentence);
    # at least one of the two must be named at the cue.
    said_a = [(q, t) for q, t in ea.quotes if q.speaker and len(t) >= ATTRIBUTION_MIN_CHARS]
    said_b = [(q, t) for q, t in eb.quotes if q.speaker and len(t) >= ATTRIBUTION_MIN_CHARS]
    for qa, text_a in said_a:
        for qb, text_b in said_b:
            if _same_words(text_a, text_b) < 90 or not (qa.speaker and qb.speaker) or not (qa.named or qb.named):
                continue
            sa, sb = qa.speaker.split()[-1], qb.speaker.split()[-1]
            # Both named, neither named in the other's sentence ("Manley, Reid's spokesman"): two attributions.
            if sa.lower() != sb.lower() and sa not in b.text and sb not in a.text:
                return f"the same words are attributed to {qa.speaker} in one account and to {qb.speaker} in the other"
    return None


def _first_conflict(
    a: Claim, b: Claim, ea: _Evidence, eb: _Evidence, cosine: float, aligned: bool
) -> tuple[ConflictKind, str] | None:
    """The first check that finds a conflict, most certain kinds first; later checks do not run."""
    checks: list[tuple[ConflictKind, Callable[[], str | None]]] = []
    if aligned:
        checks += [
            ("number", lambda: _check_numbers(a, b, ea, eb, cosine)),
            ("date", lambda: _check_dates(ea, eb, cosine)),
            ("place", lambda: check_places(ea.slots, eb.slots, cosine) if _parsed(ea, eb) else None),
            ("attribution", lambda: _check_attribution(a, b, ea, eb)),
            ("negation", lambda: _check_negation(a, b, ea, eb, cosine)),
        ]
    if aligned and cosine >= VERDICT_COSINE:
        checks.append(("verdict", lambda: _check_verdict(a, b)))
    for kind, check in checks:
        why = check()
        if why:
            return kind, why
    return None


def find_conflicts(
    claims: list[Claim],
    vectors: np.ndarray,
    annotated: dict[str, Annotated],
    articles: list[Article],
    limit: int,
    overlaps: np.ndarray | None = None,
) -> list[Conflict]:
    """The strongest `limit` conflicts between claims of different articles."""
    cos = vectors @ vectors.T
    overlaps = overlap_matrix(claims) if overlaps is None else overlaps
    evidence = [_evidence(c, annotated[c.span.article]) for c in claims]
    found: list[Conflict] = []
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if a.span.article == b.span.article:
                continue
            c, o = float(cos[i, j]), float(overlaps[i, j])
            hit = _first_conflict(a, b, evidence[i], evidence[j], c, c >= ALIGN_COSINE or o >= ALIGN_OVERLAP)
            if hit is not None:
                kind, why = hit
                found.append(_conflict(kind, why, a, b, KIND_WEIGHT[kind] * (0.5 + 0.5 * max(c, o))))
    found.sort(key=lambda k: (-k.score, k.sides))
    return _one_per_claim(_merge(found))[:limit]


def _conflict(kind: ConflictKind, why: str, a: Claim, b: Claim, score: float) -> Conflict:
    sides = tuple(sorted((a.span, b.span)))
    return Conflict(id=_conflict_id(sides), kind=kind, explanation=why, sides=sides, score=round(score, 4))


def _conflict_id(sides: tuple[Span, ...]) -> str:
    return "c-" + hashlib.sha256(repr(sides).encode()).hexdigest()[:10]


# A claim takes part in this many conflicts at most, so one sentence does not fill the list.
PER_CLAIM = 2
# One conflict gathers at most this many sides: a claim and the sentences of other outlets that
# all say the same against it ("not charged" against three "charged").
MAX_SIDES = 4


def _merge(conflicts: list[Conflict]) -> list[Conflict]:
    """Conflicts (strongest first) of one kind that share a side become one, the strongest's wording kept,
    when the added side is of an article the conflict does not yet hold."""
    merged: list[Conflict] = []
    for conflict in conflicts:
        for n, kept in enumerate(merged):
            shared = set(kept.sides) & set(conflict.sides)
            if kept.kind != conflict.kind or not shared or len(kept.sides) >= MAX_SIDES:
                continue
            new = [s for s in conflict.sides if s not in shared]
            if new and all(s.article not in {k.article for k in kept.sides} for s in new):
                sides = tuple(sorted({*kept.sides, *new}))
                merged[n] = Conflict(_conflict_id(sides), kept.kind, kept.explanation, sides, kept.score)
                break
        else:
            merged.append(conflict)
    return merged


def _one_per_claim(conflicts: list[Conflict]) -> list[Conflict]:
    """The strongest conflicts, each claim in at most PER_CLAIM of them."""
    used: dict[object, int] = {}
    out = []
    for conflict in conflicts:
        if any(used.get(side, 0) >= PER_CLAIM for side in conflict.sides):
            continue
        for side in conflict.sides:
            used[side] = used.get(side, 0) + 1
        out.append(conflict)
    return out
