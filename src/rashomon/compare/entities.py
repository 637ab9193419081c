"""Entities across articles: mentions of one referent merged under one name.

People are merged on their surname (Jaro–Winkler ≥ 0.92, rapidfuzz), which
joins Zelensky / Zelenskiy / Zelenskyy and Umerov / Umierov while keeping
Zelensky and Medinsky apart (0.75, offline-stack.md §2). Other names merge
when equal, or when data/variants.toml lists them as one place (Kiev/Kyiv).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from rashomon.model import Annotated, Entity, Mention, Span

SURNAME_SIMILARITY = 0.92
# Honorifics and roles that the tagger sometimes keeps inside a person's name.
TITLES = frozenset(
    "mr mrs ms dr sir president prime minister secretary general senator sen gov governor king queen prince "
    "spokesman spokesperson chancellor pope minister-president envoy ambassador presidents ministers leaders "
    "rev reverend rep representative judge justice".split()
)
# Generational suffixes, which end a name without being its surname.
SUFFIXES = frozenset("jr sr ii iii iv".split())


@dataclass
class LinkedEntity:
    """One referent: its display name, its label and every surface form by article."""

    key: str
    name: str
    label: str
    mentions: list[Mention] = field(default_factory=list)

    @property
    def forms(self) -> Counter[str]:
        return Counter(m.name for m in self.mentions)

    @property
    def articles(self) -> set[str]:
        return {m.span.article for m in self.mentions}


def _variant_names() -> dict[str, str]:
    """Each listed name (lower-cased) → the name its group is known by (data/variants.toml)."""
    from rashomon.compare.terms import variant_groups

    return {form.lower(): group[0] for group in variant_groups() for form in group}


def _split_compounds(mentions: list[Mention], standalone: set[str]) -> list[Mention]:
    """ "Putin-Zelenskiy" → two mentions when both halves are names elsewhere in the story."""
    out = []
    for m in mentions:
        parts = m.name.split("-")
        if len(parts) == 2 and all(p in standalone for p in parts):
            first_end = m.span.start + len(parts[0])
            out.append(Mention(Span(m.span.article, m.span.start, first_end), "PERSON", parts[0]))
            out.append(Mention(Span(m.span.article, first_end + 1, m.span.end), "PERSON", parts[1]))
        else:
            out.append(m)
    return out


def person_tokens(name: str) -> list[str]:
    """The words of a person's name without titles."""
    return [w for w in re.split(r"\s+", name) if w.lower().strip(".") not in TITLES]


def surname(tokens: list[str]) -> str:
    """The family name with its generational suffix: "Jesse L. Jackson Jr." → "Jackson Jr".

    A suffix names a different person of the same family (a father and his son), so it is
    kept with the name rather than taken for the surname itself.
    """
    if len(tokens) >= 3 and tokens[-1].strip(".").lower() in SUFFIXES:
        return f"{tokens[-2]} {tokens[-1].strip('.')}"
    return tokens[-1]


def _same_surname(a: str, b: str) -> bool:
    from rapidfuzz.distance import JaroWinkler

    if a == b:
        return True
    if a.split()[1:] != b.split()[1:]:  # Jackson and Jackson Jr are father and son
        return False
    if len(a) < 4 or len(b) < 4 or a[0].lower() != b[0].lower():
        return False
    if a.endswith("a") != b.endswith("a"):  # Zelensky and Zelenska are two people
        return False
    return JaroWinkler.similarity(a.lower(), b.lower()) >= SURNAME_SIMILARITY


def link_entities(annotated: list[Annotated]) -> list[LinkedEntity]:
    """Entities of the story, people first, each with all its mentions."""
    mentions = [m for ann in annotated for m in ann.mentions]
    standalone = {m.name for m in mentions if "-" not in m.name}
    mentions = _split_compounds(mentions, standalone)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for m in mentions:
        votes[m.name][m.label] += 1
    surnames = {
        surname(person_tokens(m.name)) for m in mentions if m.label == "PERSON" and len(person_tokens(m.name)) > 1
    }
    person_names = {n for n, v in votes.items() if v.most_common(1)[0][0] == "PERSON" or n in surnames}
    people: list[LinkedEntity] = []
    others: dict[str, LinkedEntity] = {}
    variants = _variant_names()
    for m in sorted(mentions, key=lambda m: (m.span.article, m.span.start)):
        tokens = person_tokens(m.name)
        if m.name in person_names and tokens:
            family = surname(tokens)
            home = next((e for e in people if _same_surname(e.key, family)), None)
            if home is None:
                home = LinkedEntity(key=family, name=family, label="PERSON")
                people.append(home)
            home.mentions.append(m)
        else:
            canonical = variants.get(m.name.lower())
            key = (canonical or m.name).lower().replace(".", "")  # U.S. and US are one
            label = votes[m.name].most_common(1)[0][0]
            others.setdefault(key, LinkedEntity(key=key, name=canonical or m.name, label=label)).mentions.append(m)
    for person in people:
        person.name = display_name(person)
    return people + sorted(others.values(), key=lambda e: e.key)


def _forms(entity: LinkedEntity) -> set[str]:
    if entity.label != "PERSON":
        return set(entity.forms)
    return {" ".join(person_tokens(f)) for f in entity.forms} - {""}


def public_entities(linked: list[LinkedEntity]) -> list[Entity]:
    """The story's entities as report data, those named in the most articles first."""
    out = [
        Entity(
            name=e.name,
            label=e.label,
            aliases=tuple(sorted(_forms(e) - {e.name})),
            mentions=tuple(sorted(m.span for m in e.mentions)),
        )
        for e in linked
        if e.mentions
    ]
    out.sort(key=lambda e: (-len({s.article for s in e.mentions}), -len(e.mentions), e.name))
    return out


def display_name(entity: LinkedEntity) -> str:
    """The most used surname spelling with the most used first name, counted by articles."""
    surname_articles: set[tuple[str, str]] = set()
    first_articles: set[tuple[str, str]] = set()
    for m in entity.mentions:
        tokens = person_tokens(m.name)
        if not tokens:
            continue
        family = surname(tokens)
        surname_articles.add((family, m.span.article))
        given = tokens[: len(tokens) - len(family.split())]
        if given:
            first_articles.add((" ".join(given), m.span.article))
    surnames = Counter(s for s, _ in surname_articles)
    firsts = Counter(f for f, _ in first_articles)
    if not surnames:
        return entity.key
    family = max(surnames, key=lambda s: (surnames[s], s))
    if firsts:
        first = max(firsts, key=lambda f: (firsts[f], f))
        return f"{first} {family}"
    return family
