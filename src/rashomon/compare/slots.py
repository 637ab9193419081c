"""Contradictions read from slots (annotate.structure, annotate.placing): one quantity given two figures,
one event two dates, one person, thing or event two places, one predicate asserted in one account and
denied in the other.

Two slots are the same quantity, event or predicate when they hang from the same
thing (a figure's counted noun, a date's verb, a predicate's stem) and their
clauses share content words around them. The claims holding them must also be
about the same matter (their cosine), so "17 percent" for one candidate and
"32 percent" for another, or "said Monday" and "said Tuesday" of two remarks,
are not set against each other.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from rashomon.annotate.places import Place, apart, located, same_place
from rashomon.annotate.quotes import speech_stems
from rashomon.annotate.structure import stem
from rashomon.model import Annotated, Slot, Span

# Context stems (besides the head) two figures must share to count one quantity: one shared word is
# often the verb ("said", "has"); two tie the figure to its clause. Chosen on the metamorphic suite
# over all BASIL and ECB+ dev stories (planted figures caught against false alarms on unmodified ones).
FIGURE_SHARED = 2
# Figures with no counted noun ("rose to 17") need one more shared word.
BARE_FIGURE_SHARED = 3
# Claims this close (MiniLM cosine) tell one thing: one shared stem then ties two figures of the
# same noun ("dragging her 15 feet" / "dragging her 10 feet"), and two figures of different
# nouns count one quantity when their clauses share FIGURE_SHARED stems ("272 women who serve as
# store managers" / "544 store managers").
CLOSE_COSINE = 0.6
# Figures of two different counted nouns are one quantity only in claims this close.
OTHER_NOUN_COSINE = 0.7
# Context stems (besides the verbs) two dates must share to date one event: outlets tell one event
# with different verbs ("vowed on his radio show Tuesday" / "told Huckabee on his radio show Tuesday");
# with the same verb (or dated noun) one shared stem is enough.
DATE_SHARED = 3
# Claims this close (MiniLM cosine) are one sentence told twice: the same verb dated differently is one
# event dated twice even with no other content word beside it ("Sunday, he looked as if ..." /
# "Monday, he looked as if ..."). Chosen on the metamorphic suite (BASIL and ECB+ dev).
SAME_SENTENCE_COSINE = 0.9
# Context stems (besides the verb) that make one event of two dates on the same verb whose actors are
# named differently: the same thing done to the same things ("released a 225-page report").
EVENT_SHARED = 2
# A predicate with nothing to tie it to the other (no argument, no named subject: "I can see more
# clearly how hurtful my words were") is the same assertion when this many words after it are the same,
# but for one (`_same_words_after`). Chosen on the metamorphic suite: 4 and 6 each found one more BASIL
# negation plant; 4 also set two parties' claims against each other ("was not 'a war of Obama's choosing'"
# / "his claim that it was ..."). Allowing one word of difference found one more with no new false alarm.
FOLLOWING_WORDS = 6
# Argument stems a predicate and its denial must share (fewer when a predicate has fewer): the
# same thing was (not) done to the same things.
PREDICATE_SHARED = 1
# Figures further apart than this factor are different quantities ("$1,179 a month", "$6.5 trillion").
MAX_RATIO = 5.0


@dataclass(frozen=True)
class SlotEvidence:
    """A claim's slots with the values and words they hold."""

    figures: tuple[tuple[float, Slot, str], ...]
    dates: tuple[tuple[dt.date | None, Slot, str, bool], ...]  # with whether the date was resolved from a weekday
    places: tuple[tuple[Slot, str, str, tuple[Place, ...]], ...]  # with what it places ("of", "at") and where
    # with the words that follow each predicate in its claim (lower-case, FOLLOWING_WORDS of them)
    predicates: tuple[tuple[Slot, str, tuple[str, ...]], ...]

    @property
    def empty(self) -> bool:
        return not (self.figures or self.dates or self.places or self.predicates)


def slot_evidence(span: Span, ann: Annotated) -> SlotEvidence:
    text = ann.article.text
    values = {(n.span.start, n.span.end): n.value for n in ann.numbers}
    days = {(d.span.start, d.span.end): d for d in ann.dates}
    figures: list[tuple[float, Slot, str]] = []
    dates: list[tuple[dt.date | None, Slot, str, bool]] = []
    places: list[tuple[Slot, str, str, tuple[Place, ...]]] = []
    predicates: list[tuple[Slot, str, tuple[str, ...]]] = []
    for slot in ann.slots:
        if not span.contains(slot.span):
            continue
        key = (slot.span.start, slot.span.end)
        words = text[slot.span.start : slot.span.end]
        if slot.kind == "figure" and key in values:
            figures.append((values[key], slot, words))
        elif slot.kind == "date" and key in days:
            dates.append((days[key].date, slot, words, days[key].relative))
        elif slot.kind == "date" and slot.value:
            dates.append((None, slot, words, True))
        elif slot.kind == "place" and (where := located(slot.value))[1]:
            places.append((slot, words, *where))
        elif slot.kind == "predicate":
            after = re.findall(r"\w+", text[slot.span.end : min(span.end, slot.span.end + 80)].lower())
            predicates.append((slot, words, tuple(after[:FOLLOWING_WORDS])))
    return SlotEvidence(tuple(figures), tuple(dates), tuple(places), tuple(predicates))


def _other_actor(a: Slot, b: Slot) -> bool:
    """Two actors or referents, not one: both clauses name their subject, or name referents
    around the slot, and share none ("36-year-old Duncan Raite" / "32-year-old Robert Buckley")."""
    return bool(a.subject and b.subject and not a.subject & b.subject) or bool(
        a.names and b.names and not a.names & b.names
    )


def _one_quantity(fa: Slot, fb: Slot, cosine: float) -> bool:
    shared = len(fa.context & fb.context)
    close = cosine >= CLOSE_COSINE
    if fa.head and fa.head == fb.head:
        return shared >= (1 if close else FIGURE_SHARED)
    if fa.head == fb.head:  # both bare
        return shared >= BARE_FIGURE_SHARED - (1 if close else 0)
    return cosine >= OTHER_NOUN_COSINE and shared >= FIGURE_SHARED


def _unlike(a: Slot, b: Slot) -> bool:
    """Not one assertion: one is asserted and the other only believed, supposed or asked
    ("many believe he was not born here" / "officials certified he was born here"), or two actors."""
    return a.hedged != b.hedged or _other_actor(a, b)


# How far an estimate ("about 300") reaches either side of its figure.
APPROXIMATE_SPREAD = 0.1


def _interval(value: float, bound: str) -> tuple[float, float]:
    if bound == "lower":
        return value, math.inf
    if bound == "upper":
        return -math.inf, value
    if bound == "approximate":
        return value * (1 - APPROXIMATE_SPREAD), value * (1 + APPROXIMATE_SPREAD)
    return value, value


# A precise figure shows at least this many significant digits ("$43,350", "$716 billion"): "1,100"
# against "1,000" is two counts, not one count rounded.
PRECISE_DIGITS = 3
# ... and a round figure stands for it only this close: "$700 billion" for "$716 billion" (2%), not
# "1,000" for "1,390", though that is 1,390 rounded to one digit.
ROUNDING_TOLERANCE = 0.05


def _digits(value: float) -> int:
    """Significant digits a figure shows (700,000,000,000 → 1; 716,000,000,000 → 3; 5,687.75 → 6)."""
    return len(Decimal(repr(value)).normalize().as_tuple().digits)


def _rounds_to(rough: float, precise: float) -> bool:
    """Whether `rough` is `precise` rounded to the significant digits `rough` shows ("$43,000" for
    "$43,350", "$700 billion" for "$716 billion")."""
    shown = _digits(rough)
    if rough <= 0 or precise <= 0 or _digits(precise) < max(PRECISE_DIGITS, shown + 1):
        return False
    if abs(rough - precise) > ROUNDING_TOLERANCE * precise:
        return False
    step = Decimal(10) ** (math.floor(math.log10(precise)) - shown + 1)
    return (Decimal(repr(precise)) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step == Decimal(repr(rough))


def compatible_figures(va: float, bound_a: str, vb: float, bound_b: str) -> bool:
    """Two figures that can both be true: a bound and a figure inside it ("more than 100 mph" / "up to
    120 mph", "more than $1 million" / "$1.1 million"), or a round figure and the precise one it rounds.
    Two bounds the same way ("more than 1,000" / "more than 1,500") report one count differently."""
    if bound_a and bound_a == bound_b and bound_a != "approximate":
        return False
    if not bound_a and not bound_b:
        return _rounds_to(va, vb) or _rounds_to(vb, va)
    lo_a, hi_a = _interval(va, bound_a)
    lo_b, hi_b = _interval(vb, bound_b)
    return lo_a <= hi_b and lo_b <= hi_a


# Units of measure one account may convert into another's ("about 24 km" / "about 15 miles"): the size of
# each in its dimension's base unit (metre, kilogram, square metre, metre a second), by definition.
UNIT_SIZES = {
    "km": ("length", 1000.0),
    "kilometre": ("length", 1000.0),
    "kilometer": ("length", 1000.0),
    "metre": ("length", 1.0),
    "meter": ("length", 1.0),
    "mile": ("length", 1609.344),
    "yard": ("length", 0.9144),
    "foot": ("length", 0.3048),
    "feet": ("length", 0.3048),
    "kg": ("mass", 1.0),
    "kilogram": ("mass", 1.0),
    "pound": ("mass", 0.45359237),
    "lb": ("mass", 0.45359237),
    "hectare": ("area", 10000.0),
    "acre": ("area", 4046.8564224),
    "mph": ("speed", 0.44704),
    "kph": ("speed", 1 / 3.6),
}
# Converted figures are rounded ("24 km" is 14.9 miles, written "15 miles"): this close counts as equal.
CONVERSION_TOLERANCE = 0.1


@cache
def _unit_sizes() -> dict[str, tuple[str, float]]:
    return {stem(word): size for word, size in UNIT_SIZES.items()}


def converted(va: float, unit_a: str, vb: float, unit_b: str) -> bool:
    """Whether two figures in two units of one dimension measure the same amount."""
    a, b = _unit_sizes().get(unit_a), _unit_sizes().get(unit_b)
    if a is None or b is None or a[0] != b[0] or unit_a == unit_b:
        return False
    x, y = va * a[1], vb * b[1]
    return abs(x - y) <= CONVERSION_TOLERANCE * max(x, y)


def check_figures(ea: SlotEvidence, eb: SlotEvidence, cosine: float) -> str | None:
    """One quantity (the same counted noun, a shared clause) with different figures in the two claims."""
    for va, fa, wa in ea.figures:
        for vb, fb, wb in eb.figures:
            if va == vb or max(va, vb) > MAX_RATIO * max(min(va, vb), 1e-9) or _unlike(fa, fb):
                continue
            if fa.scope != fb.scope:
                continue  # counted over different things: "in their five operations" / one seizure
            if fa.head != fb.head and (
                any(f.head == fb.head for _, f, _ in ea.figures) or any(f.head == fa.head for _, f, _ in eb.figures)
            ):
                continue  # each is matched with the figure of its own noun: "14 rifles" / "six rifles", not "five patrols"
            if not _one_quantity(fa, fb, cosine):
                continue
            # A figure the other claim also states for the same noun is not in dispute.
            if any(v == va for v, _, _ in eb.figures) or any(v == vb for v, _, _ in ea.figures):
                continue
            if compatible_figures(va, fa.bound, vb, fb.bound) or converted(va, fa.head, vb, fb.head):
                continue
            return f"different figures for the same quantity: “{wa}” in one account, “{wb}” in the other"
    return None


# The facets of a date two accounts can be compared on, most precise first.
_FACETS = ("date", "md", "weekday")


def _facets(day: dt.date | None, slot: Slot) -> dict[str, object]:
    """What is known of a date: the day itself when resolved (and so its month-day and weekday), else
    what its words say ("weekday:4" for a Friday, "md:3-2" for March 2)."""
    if day is not None:
        return {"date": day, "md": (day.month, day.day), "weekday": day.weekday()}
    kind, _, value = slot.value.partition(":")
    if kind == "weekday":
        return {"weekday": int(value)}
    if kind == "md":
        month, _, dom = value.partition("-")
        return {"md": (int(month), int(dom))}
    return {}


def _one_event(a: Slot, b: Slot) -> bool:
    """Whether two dates can date one event: both asserted, and one actor, unless what they date is
    one thing done to the same things. Actors of one event are named differently ("an NRA task force
    released a 225-page report" / "Asa Hutchinson released a 225-page report"), and a dated noun or a
    non-finite verb is not done by its clause's subject ("justices suggested in Friday's arguments")."""
    if a.hedged != b.hedged:
        return False
    if not _other_actor(a, b):
        return True
    if a.head != b.head or (a.names and b.names and not a.names & b.names):
        return False  # other things done, or people named differently ("Jamal Williams" / "Vincent Jackson")
    own_event = a.head != a.verb and b.head != b.verb
    return own_event or len((a.context & b.context) - {a.verb, b.verb}) >= EVENT_SHARED


# Claims this close tell one remark: two verbs of speech dating it are one act of speaking ("the Treasury
# announced Monday that ..." / "... the Treasury said Thursday"). Chosen on the metamorphic suite: 0.7 found one
# more BASIL date plant and no false alarm; 0.55 no more plants and one false alarm (two speeches).
SPEECH_EVENT_COSINE = 0.7


def _events(slot: Slot, cosine: float) -> set[str]:
    """What a date dates: its verb or noun and its clause's verb, any verb of speech as one when the claims
    tell one remark."""
    events = {slot.head, slot.verb} | slot.also
    if cosine >= SPEECH_EVENT_COSINE and events & speech_stems():
        events.add("<speech>")
    return events


def check_dates(ea: SlotEvidence, eb: SlotEvidence, cosine: float) -> str | None:
    """One event (a shared clause) dated differently, on the most precise facet both dates have."""
    facets_a = [_facets(d, s) for d, s, *_ in ea.dates]
    facets_b = [_facets(d, s) for d, s, *_ in eb.dates]
    for (_, sa, wa, relative_a), fa in zip(ea.dates, facets_a, strict=True):
        for (_, sb, wb, relative_b), fb in zip(eb.dates, facets_b, strict=True):
            facet = next((f for f in _FACETS if f in fa and f in fb), None)
            if facet is None or fa[facet] == fb[facet] or not _one_event(sa, sb):
                continue
            # A date the other claim also gives (on this facet) is not in dispute.
            if any(f.get(facet) == fa[facet] for f in facets_b) or any(f.get(facet) == fb[facet] for f in facets_a):
                continue
            if relative_a and relative_b and wa.lower() == wb.lower():
                continue  # the same words read against two publication dates: nothing written differs
            shared = len((sa.context & sb.context) - {sa.verb, sb.verb})
            same_event = bool(_events(sa, cosine) & _events(sb, cosine))
            if shared >= DATE_SHARED or (same_event and (shared >= 1 or cosine >= SAME_SENTENCE_COSINE)):
                return f"different dates: “{wa}” in one account, “{wb}” in the other"
    return None


# Claims this close (MiniLM cosine) describe one person or thing when they place the same noun, unnamed
# ("a college student in Seattle" / "a student at a college in Bellingham"), or nouns whose clauses, not
# their own phrases, name one person ("tweeted to a Seattle woman, later identified as Gennette Cordova").
# Chosen on the metamorphic suite (BASIL and ECB+ dev: planted places against false alarms): at 0.45 a
# playoff game and a highway were one thing for naming one player.
PLACE_REFERENT_COSINE = 0.55


def _own_names(a: Slot, b: Slot) -> bool:
    """Whether both placed phrases name one person themselves ("Gennette Cordova, a student in ...")."""
    return bool(a.names & b.names) and a.names <= a.context and b.names <= b.context


def _one_referent(a: Slot, b: Slot, cosine: float) -> bool:
    """Two placed nouns are one person or thing: their phrases name one person ("Gennette Cordova, a
    student in Bellingham"), or their clauses do and the claims are about one matter, or, unnamed, they
    share a word of their phrases in claims about one matter."""
    if a.hedged != b.hedged:
        return False
    if a.names and b.names:
        if not a.names & b.names:
            return False
        return _own_names(a, b) or cosine >= PLACE_REFERENT_COSINE
    # the same noun, or a word of one phrase ("a Sam's Club store" / "the Sam's Club")
    return bool(a.head == b.head or a.context & b.context) and cosine >= PLACE_REFERENT_COSINE


def _one_scene(a: Slot, b: Slot, cosine: float) -> bool:
    """Two places of one event, as two dates of one event are (check_dates)."""
    if not _one_event(a, b):
        return False
    shared = len((a.context & b.context) - {a.verb, b.verb})
    same_event = bool(_events(a, cosine) & _events(b, cosine))
    return shared >= DATE_SHARED or (same_event and (shared >= 1 or cosine >= SAME_SENTENCE_COSINE))


def check_places(ea: SlotEvidence, eb: SlotEvidence, cosine: float) -> str | None:
    """One person, thing or event put in two places that cannot be one (annotate.places)."""
    for sa, wa, what_a, pa in ea.places:
        for sb, wb, what_b, pb in eb.places:
            person = what_a == what_b == "of" and _own_names(sa, sb)  # states and countries place a person too
            if not apart(pa, pb, regions=person):
                continue
            # A place the other claim also gives is not in dispute.
            if any(same_place(pa, p) for *_, p in eb.places) or any(same_place(pb, p) for *_, p in ea.places):
                continue
            if _one_referent(sa, sb, cosine) if what_a == what_b == "of" else _one_scene(sa, sb, cosine):
                return f"different places: “{wa}” in one account, “{wb}” in the other"
    return None


def _same_words_after(after_a: tuple[str, ...], after_b: tuple[str, ...]) -> bool:
    """The words after two predicates are the same but for one left out, added or changed ("see more
    clearly just how hurtful my" / "see more clearly how hurtful my words")."""
    if len(after_a) < FOLLOWING_WORDS or len(after_b) < FOLLOWING_WORDS:
        return False
    return after_a == after_b or len(set(after_a) & set(after_b)) >= FOLLOWING_WORDS - 1


def check_predicates(ea: SlotEvidence, eb: SlotEvidence, cosine: float) -> str | None:
    """A predicate done to the same arguments in one claim and denied in the other; with no arguments
    or subject to tie them, only in one sentence told twice (SAME_SENTENCE_COSINE) or when the words
    after it are the same (FOLLOWING_WORDS)."""
    for pa, wa, after_a in ea.predicates:
        for pb, wb, after_b in eb.predicates:
            if pa.head != pb.head or pa.negated == pb.negated or pa.head in speech_stems() or _unlike(pa, pb):
                continue
            need = min(PREDICATE_SHARED, len(pa.context), len(pb.context))
            if len(pa.context & pb.context) < need:
                continue
            told_alike = cosine >= SAME_SENTENCE_COSINE or _same_words_after(after_a, after_b)
            if need == 0 and not pa.subject & pb.subject and not told_alike:
                continue
            negated, (plain, plain_words) = (ea, (pb, wb)) if pa.negated else (eb, (pa, wa))
            if any(p.head == plain.head and not p.negated for p, *_ in negated.predicates):
                continue  # the denying account also asserts it elsewhere in the sentence
            return f"one account says “{plain_words}”, the other denies it"
    return None
