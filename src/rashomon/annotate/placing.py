"""Where each place mentioned sits in its sentence: the person, thing or event it places (a `Slot` of kind
"place", compared by compare.slots.check_places against annotate.places' gazetteer).

"a Seattle woman" places the woman; "Gennette Cordova, a student at a college in Bellingham, Wash."
places the student (climbing the phrases the place sits in), with "Wash." narrowing Bellingham;
"exploded in Houston" places the explosion. A possessor, a title, a group and a subject or object are
no place of anything (see `_placed`, `_individual`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rashomon.annotate.genders import looks_plural
from rashomon.annotate.places import readings
from rashomon.annotate.structure import (
    CLAUSE_DEPS,
    _clause_verb,
    _content,
    _context,
    _hedged,
    _names,
    _referent,
    _span_tokens,
    _verbal,
    clause_subject,
    stem,
    titled,
)
from rashomon.model import Mention, Slot

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Prepositions that place what they hang from ("a student in Seattle", "a man from Ohio", "died at a
# hospital in Paris"). "of" places a named person only ("Johnson, 66, of Burnsville"): of anything else it
# names a jurisdiction or an owner ("the attorneys general of Oklahoma", "the role of the United States").
PLACE_PREPS = frozenset("in of from at near outside inside".split())
# Dependency labels of a place written before a noun ("a Seattle woman"); a possessor ("Israel's security
# concerns", "Moscow's stance") is an owner, not where a thing is.
PLACE_MODIFIER_DEPS = frozenset("compound amod nmod".split())
# Names of one person or thing a place can describe.
PLACED_NAME_LABELS = frozenset("PERSON ORG FAC".split())
# Determiners of one person or thing ("a woman", "the event"; a possessor too: "San Diego's playoff loss").
SINGULAR_DETERMINERS = frozenset("a an the this that".split())


def _individual(noun: Token) -> bool:
    """One person or thing: a named person, a noun in apposition with one, or a singular noun under a
    determiner. A group placed by where it belongs ("Nebraska officials", "Colorado officials") is not
    where anyone is. (The pipeline has no tagger: a plural is read from its ending.)"""
    if noun.ent_type_ in PLACED_NAME_LABELS:
        return True  # a name: one person, body or building ("Hennepin County Medical Center")
    if not looks_plural(noun) and any(
        (c.dep_ == "det" and c.lower_ in SINGULAR_DETERMINERS) or c.dep_ == "poss" for c in noun.children
    ):
        return True
    return (noun.dep_ == "appos" and noun.head.ent_type_ == "PERSON") or any(
        c.dep_ == "appos" and c.ent_type_ == "PERSON" for c in noun.children
    )


def _placed(root: Token) -> tuple[Token, bool] | None:
    """What a place locates: the person or thing it describes, climbing the phrases it sits in ("a student
    at a college in Bellingham" → student), with True; or the event it is the place of ("died in Paris" →
    died), with False. None for a place that is a subject or object itself ("Russia said"), or part of a
    title or name ("US President Donald Trump", "Nebraska Attorney General": a capitalised head)."""
    if root.dep_ in PLACE_MODIFIER_DEPS and root.head.i != root.i:
        return None if titled(root.head) else (root.head, True)
    node, noun = root, None
    for _ in range(6):
        prep = node.head
        if node.dep_ != "pobj" or prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPS:
            break
        governor = prep.head
        if _verbal(governor) or governor.dep_ in CLAUSE_DEPS:
            return (noun, True) if noun is not None else (governor, False)
        if prep.lower_ == "of" and governor.ent_type_ != "PERSON":
            return None
        node = noun = governor
    return (noun, True) if noun is not None else None


def _place_slot(doc: Doc, place: Mention, qualifier: str) -> Slot | None:
    """A place with what it locates: a described noun (`value` "of:…") or an event ("at:…"). A name the
    tagger did not call a place is one only after a preposition of place ("a loss at Pittsburgh")."""
    span = place.span
    bounds = _span_tokens(doc, span)
    if bounds is None:
        return None
    lo, hi = bounds
    root = doc[lo:hi].root
    if place.label != "GPE" and not (root.dep_ == "pobj" and root.head.lower_ in PLACE_PREPS):
        return None
    placed = _placed(root)
    if placed is None:
        return None
    target, described = placed
    if described and not _individual(target):
        return None
    verb = _clause_verb(target)
    own = {stem(t.text) for t in doc[lo:hi]}
    subject, names = clause_subject(verb), _names(verb, lo, hi)
    context = _context(verb, lo, hi)
    if described:  # its context is the phrase of what it places, its names those of the phrase if any
        referent, referent_names = _referent(target)
        names = referent_names or names
        context = frozenset(stem(t.text) for t in target.subtree if _content(t)) | referent
    where = doc.text[span.start : span.end] + (f"|{qualifier}" if qualifier else "")
    return Slot(
        span,
        "place",
        stem(target.text),
        stem(verb.text),
        False,
        context - own,
        subject,
        _hedged(target),
        names,
        f"{'of' if described else 'at'}:{where}",
    )


def _places(doc: Doc, places: Sequence[Mention]) -> list[tuple[Mention, str]]:
    """Each place with the state or country qualifying it ("Bellingham, Wash."), which is no place of its
    own; a place after a comma that is neither ("Miami, West Palm Beach") is the next of a list."""
    out: list[tuple[Mention, str]] = []
    qualifiers: set[int] = set()
    for i, place in enumerate(places):
        if i in qualifiers:
            continue
        after = places[i + 1].span if i + 1 < len(places) else None
        qualifier = ""
        if (
            after is not None
            and doc.text[place.span.end : after.start].strip() == ","
            and (found := readings(doc.text[after.start : after.end]))
            and all(p.kind != "city" for p in found)
        ):
            qualifier = doc.text[after.start : after.end]
            qualifiers.add(i + 1)
        out.append((place, qualifier))
    return out


def find_place_slots(doc: Doc, places: Sequence[Mention]) -> list[Slot]:
    """A slot for each place that places something, in text order; none without a parse."""
    if not doc.has_annotation("DEP"):
        return []
    found = (_place_slot(doc, place, qualifier) for place, qualifier in _places(doc, places))
    return [slot for slot in found if slot is not None]
