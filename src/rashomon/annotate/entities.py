"""Names in one article: the tagger's entities, cleaned into mentions."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from rashomon.model import Article, Mention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "NAME"}
# Lower-case particles inside personal names ("Ursula von der Leyen").
PARTICLES = {"von", "der", "van", "de", "den", "la", "le", "al", "bin", "da", "di", "du", "dos", "del"}
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_NICKNAME = re.compile(r"\s+[\"“‘'][A-Z][\w.]{0,15}[\"”’']\s+[A-Z][\w'’-]+")
_LEADING = re.compile(r"^(?:the|The)\s+")


@cache
def places() -> frozenset[str]:
    """Country and city names (data/places.txt, GeoNames CC BY 4.0)."""
    text = resources.files("rashomon.data").joinpath("places.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


def _relabel_places(mentions: list[Mention]) -> list[Mention]:
    """A one-word "person" that is a known place, and never part of a full name here, is a place."""
    in_full_names = {w for m in mentions if m.label == "PERSON" and " " in m.name for w in m.name.split()}
    known = places()
    out = [
        Mention(m.span, "GPE", m.name)
        if m.label in ("PERSON", "ORG") and " " not in m.name and m.name in known and m.name not in in_full_names
        else m
        for m in mentions
    ]
    # The tagger labels one name differently from sentence to sentence ("Zelenskiy" as ORG
    # beside "Volodymyr Zelenskiy" as PERSON); a name tagged as a person once is one here.
    persons = {m.name for m in out if m.label == "PERSON"}
    surnames = {m.name.split()[-1] for m in out if m.label == "PERSON" and " " in m.name}
    return [
        Mention(m.span, "PERSON", m.name)
        if m.label in ("ORG", "NORP") and (m.name in persons or m.name in surnames) and m.name not in known
        else m
        for m in out
    ]


def _clean(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim a leading article, a possessive and stray punctuation from a name's span."""
    chunk = text[start:end]
    m = _LEADING.match(chunk)
    if m:
        start += m.end()
    chunk = text[start:end]
    m = _POSSESSIVE.search(chunk)
    if m:
        end -= len(m.group())
    while end > start and not text[end - 1].isalnum():
        end -= 1
    while start < end and not text[start].isalnum():
        start += 1
    return start, end


def find_mentions(article: Article, doc: Doc) -> list[Mention]:
    """Named mentions, with names split by a particle ("Ursula von der" + "Leyen") joined again."""
    text = article.text
    ents = [e for e in doc.ents if e.label_ in NAME_LABELS]
    out: list[Mention] = []
    i = 0
    while i < len(ents):
        ent = ents[i]
        start, end, label = ent.start_char, ent.end_char, ent.label_
        words = text[start:end].split()
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        if words and words[-1] in PARTICLES and nxt is not None and nxt.start_char - end <= 1:
            end, label = nxt.end_char, "PERSON"
            i += 1
        elif words and words[-1] in PARTICLES:
            m = re.match(r"(?:\s+(?:von|van|de|der|den|al|bin|la|le|da|di|du))*\s+[A-Z][\w'’-]+", text[end:])
            if m:
                end += m.end()
        if label == "PERSON" and re.search(r"[\"“‘'][A-Z][\w.]{0,15}[\"”’']$", text[start:end]):
            tail = re.match(r"\s+[A-Z][\w'’-]+", text[end:])  # the tagger stopped at the nickname
            end += tail.end() if tail else 0
        nick = _NICKNAME.match(text, end) if label == "PERSON" else None
        if nick:  # William "Mo" Cowan: one name, not a name, a quote and another name
            end = nick.end()
            if nxt is not None and nxt.start_char < end:
                i += 1
        lead = re.search(r"(?:\b(?:von|van|de|der|den|al|bin|la|le|da|di|du)\s+)+$", text[max(0, start - 20) : start])
        if lead and words and words[0][:1].isupper():
            start -= len(lead.group())
            label = "PERSON"
        start, end = _clean(text, start, end)
        if end - start >= 2 and text[start].isupper():
            out.append(Mention(Span(article.id, start, end), label, text[start:end]))
        i += 1
    return _relabel_places(_without_overlaps(out))


def _without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """One mention per stretch of text: a name extended over the next entity swallows it."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.span.start, -m.span.end)):
        if not out or m.span.start >= out[-1].span.end:
            out.append(m)
    return out
