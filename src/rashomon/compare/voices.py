"""Voices: who is quoted or paraphrased in each article, direct or reported, and how much."""

from __future__ import annotations

from collections import defaultdict

from rashomon.compare.entities import LinkedEntity, _same_surname, person_tokens, surname
from rashomon.model import Annotated, Article, Quote, Voice


def _canonical(speaker: str, people: list[LinkedEntity]) -> str:
    """A speaker's display name: the person entity it names, else the words as given."""
    tokens = person_tokens(speaker)
    if tokens:
        for person in people:
            if _same_surname(person.key, surname(tokens)):
                return person.name
    return speaker


def collect_voices(
    annotated: dict[str, Annotated], articles: list[Article], entities: list[LinkedEntity]
) -> list[Voice]:
    """One Voice per speaker, those heard in the most articles first."""
    people = [e for e in entities if e.label == "PERSON"]
    quotes: dict[str, list[Quote]] = defaultdict(list)
    aliases: dict[str, set[str]] = defaultdict(set)
    for article in articles:
        for quote in annotated[article.id].quotes:
            if not quote.speaker:
                continue
            name = _canonical(quote.speaker, people)
            quotes[name].append(quote)
            aliases[name].add(quote.speaker)
    out = [
        Voice(
            speaker=name,
            aliases=tuple(sorted(aliases[name] - {name})),
            articles=tuple(sorted({q.span.article for q in qs})),
            quotes=tuple(sorted(qs, key=lambda q: q.span)),
            kind="person" if name in {p.name for p in people} else "group",
        )
        for name, qs in quotes.items()
    ]
    out.sort(key=lambda v: (-len(v.articles), -len(v.quotes), v.speaker))
    return out
