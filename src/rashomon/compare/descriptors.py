"""Descriptions of one named referent, and one role filled by two names.

An outlet introduces a name with a description, and the words it picks are a
choice: "nonprofit conservative advocacy group Secure America Now" / "Secure
America Now, a neoconservative nonprofit organization". The description is
the noun phrase (annotate.phrases) right before the name, or set off after it
by a comma ("X, a ..."). Two outlets' descriptions of one entity are a choice
when they word one thing (MiniLM cosine as for wordings) and neither only adds
a detail to the other.

The same construction read the other way finds one role that two outlets fill
with different names: "His wife, Sandra Jackson" / "Jackson's wife, Sandi".
Only possessed roles count ("his wife", "the group's director"): one person
fills them, while "a spokesman, X" and "a spokesman, Y" are often two people;
and "his lawyer" / "her lawyer" are two roles.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

from rashomon.compare.terms import main_forms, term_forms
from rashomon.compare.wording import ANCHORED_COSINE, cosines, differ, key, phrase_text
from rashomon.model import Annotated, Article, Phrase, Span, TermChoice

if TYPE_CHECKING:
    from collections.abc import Callable

    import numpy as np

    from rashomon.compare.entities import LinkedEntity

# Between a description and the name it introduces ("advocacy group Secure America Now"),
# between a role and the name that fills it ("his wife, Sandi"), and between a name and the
# description set off after it ("Secure America Now, a neoconservative ...").
_BEFORE = re.compile(r"\s+")
_ROLE = re.compile(r"\s*,\s*")
_AFTER = re.compile(r",\s+(?:a|an|the)\s+")
# Possessors that carry a gender: "his lawyer" and "her lawyer" are two roles.
_PRONOUNS = frozenset("his her their its".split())

# (phrase, entity, name span, how they stand: "before", "role" or "after")
Described = tuple[Phrase, "LinkedEntity", Span, str]


def _described(entities: list[LinkedEntity], annotated: dict[str, Annotated]) -> list[Described]:
    """(description, entity, name span) wherever a phrase sits right beside a name."""
    out: list[Described] = []
    by_article: dict[str, list[tuple[Span, LinkedEntity]]] = defaultdict(list)
    for entity in entities:
        for m in entity.mentions:
            by_article[m.span.article].append((m.span, entity))
    for aid, names in by_article.items():
        if aid not in annotated:
            continue
        text = annotated[aid].article.text
        ends = {p.span.end: p for p in annotated[aid].phrases}
        starts = {p.span.start: p for p in annotated[aid].phrases}
        for span, entity in names:
            gap = next((g for g in range(span.start, span.start - 4, -1) if g in ends), None)
            if gap is not None and _BEFORE.fullmatch(text, gap, span.start):
                out.append((ends[gap], entity, span, "before"))
            elif gap is not None and _ROLE.fullmatch(text, gap, span.start) and ends[gap].owner:
                out.append((ends[gap], entity, span, "role"))
            after = _AFTER.match(text, span.end)
            if after and after.end() in starts:
                out.append((starts[after.end()], entity, span, "after"))
    return out


def _descriptions(
    described: list[Described],
    articles: list[Article],
    close: Callable[[str, str], bool],
    by_id: dict[str, Article],
) -> list[TermChoice]:
    """Entities two articles describe in different words for one thing."""
    by_entity: dict[str, list[Phrase]] = defaultdict(list)
    names: dict[str, str] = {}
    for phrase, entity, _, how in described:
        if how == "role":
            continue
        by_entity[entity.key].append(phrase)
        names[entity.key] = entity.name
    out = []
    for entity_key, phrases in by_entity.items():
        linked = {
            phrase_text(p, by_id)
            for p in phrases
            for q in phrases
            if p.span.article != q.span.article and differ(p, q) and close(key(p, by_id), key(q, by_id))
        }
        spans: dict[str, dict[str, list[Span]]] = defaultdict(dict)
        for p in phrases:
            if phrase_text(p, by_id) in linked:
                spans[phrase_text(p, by_id)].setdefault(p.span.article, []).append(p.span)
        chosen = main_forms(spans, articles)
        if len(chosen) >= 2:
            out.append(TermChoice(referent=names[entity_key], kind="descriptor", forms=term_forms(spans, chosen)))
    return out


def _other_names(described: list[Described], by_id: dict[str, Article], articles: list[Article]) -> list[TermChoice]:
    """One possessed role ("his wife") that articles fill with names of different people."""
    by_role: dict[str, dict[str, dict[str, list[Span]]]] = defaultdict(lambda: defaultdict(dict))
    owners: dict[str, set[str]] = defaultdict(set)
    for phrase, entity, span, how in described:
        if entity.label != "PERSON" or how != "role":
            continue
        role = phrase_text(phrase, by_id).lower()  # as written: "lawyers" is no role one person fills
        owners[role].add(phrase.owner)
        name = by_id[span.article].text[span.start : span.end]
        by_role[role][name].setdefault(span.article, []).append(span)
    out = []
    for role, spans in by_role.items():
        per_article: dict[str, set[str]] = defaultdict(set)
        for name, where in spans.items():
            for aid in where:
                per_article[aid].add(name)
        if any(len(v) > 1 for v in per_article.values()) or len(owners[role] & _PRONOUNS) > 1:
            continue  # two names in one article, or "his" and "her" lawyer: two people
        if _one_name(list(spans)):
            continue  # "James" / "James Mattioli": one name, written short
        chosen = main_forms(spans, articles)
        if len(chosen) >= 2 and len(per_article) >= 2:
            out.append(TermChoice(referent=role, kind="other name", forms=term_forms(spans, chosen)))
    return out


def _one_name(names: list[str]) -> bool:
    """Whether every name's words are among the longest name's words."""
    longest = set(max(names, key=len).split())
    return all(set(n.split()) <= longest for n in names)


def find_descriptors(
    entities: list[LinkedEntity],
    annotated: dict[str, Annotated],
    articles: list[Article],
    embed: Callable[[list[str]], np.ndarray],
) -> list[TermChoice]:
    """Descriptions of one referent worded differently, and roles filled with different names."""
    annotated = {a.id: annotated[a.id] for a in articles}
    described = _described(entities, annotated)
    by_id = {aid: ann.article for aid, ann in annotated.items()}
    cos = cosines({key(p, by_id) for p, _, _, _ in described}, embed)

    def close(a: str, b: str) -> bool:
        return cos(a, b) >= ANCHORED_COSINE

    return _descriptions(described, articles, close, by_id) + _other_names(described, by_id, articles)
