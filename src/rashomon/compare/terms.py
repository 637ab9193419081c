"""Naming choices: one referent named differently by different outlets.

Three sources: the spelling of a person's surname or first name across
articles (Zelensky / Zelenskiy / Zelenskyy, Vladimir / Volodymyr), place
names from data/variants.toml (Kiev / Kyiv), and dismissive labels
("so-called Ukrainian government"). A form counts only where it is an
article's own choice: the form an article uses at least as often as any
other, so a one-off typo beside the usual spelling is not a naming choice.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from functools import cache
from importlib import resources

from rashomon.compare.entities import LinkedEntity, person_tokens
from rashomon.model import Annotated, Article, Span, TermChoice, TermForm

# "so-called" and the one or two words it qualifies ("so-called Ukrainian government").
_LABEL = re.compile(r"\bso-called\s+[“\"‘']?(?:[A-Z][\w-]+\s+)?[\w-]+")


@cache
def variant_groups() -> tuple[tuple[str, ...], ...]:
    data = tomllib.loads(resources.files("rashomon.data").joinpath("variants.toml").read_text("utf-8"))
    return tuple(tuple(g) for g in data["groups"])


@cache
def _form_pattern(form: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w-])" + re.escape(form) + r"(?![\w])")


def _occurrences(form: str, article: Article) -> list[Span]:
    if form not in article.text:
        return []
    return [Span(article.id, m.start(), m.end()) for m in _form_pattern(form).finditer(article.text)]


def _choice(referent: str, kind: str, forms: list[str], articles: list[Article]) -> TermChoice | None:
    """A TermChoice when at least two forms are each some article's main form."""
    spans: dict[str, dict[str, list[Span]]] = defaultdict(dict)
    for article in articles:
        for form in forms:
            found = _occurrences(form, article)
            if found:
                spans[form][article.id] = found
    chosen: set[str] = set()
    for article in articles:
        counts = {f: len(spans[f].get(article.id, [])) for f in forms}
        top = max(counts.values(), default=0)
        if top:
            chosen.update(f for f, n in counts.items() if n == top)
    if len(chosen) < 2:
        return None
    return TermChoice(referent=referent, kind=kind, forms=_term_forms(spans, chosen))


def _term_forms(spans: dict[str, dict[str, list[Span]]], forms: set[str] | list[str]) -> tuple[TermForm, ...]:
    """TermForms with their articles, counts and spans, the most used first."""

    def total(f: str) -> int:
        return sum(len(v) for v in spans[f].values())

    return tuple(
        TermForm(
            form=f,
            articles=tuple(sorted(spans[f])),
            count=total(f),
            spans=tuple(s for v in spans[f].values() for s in v),
        )
        for f in sorted(forms, key=lambda f: (-total(f), f))
    )


def _sentence_initial(span: Span, articles: dict[str, Article]) -> bool:
    before = articles[span.article].text[: span.start].rstrip(" “\"‘'(")
    return not before or before[-1] in ".!?:\n"


def _person_slots(entity: LinkedEntity, articles: dict[str, Article]) -> list[tuple[str, list[str]]]:
    """Surname spellings and first-name forms of one person, as (slot, forms).

    A first name counts only where it is not merely capitalised by the start of a sentence
    ("Plus Obama said"), and is made of letters.
    """
    surnames: set[str] = set()
    firsts: dict[str, bool] = {}
    for m in entity.mentions:
        tokens = person_tokens(m.name)
        if not tokens:
            continue
        surnames.add(tokens[-1])
        if len(tokens) == 2 and tokens[0][:1].isupper() and tokens[0].replace("-", "").isalpha():
            initial = _sentence_initial(m.span, articles)
            firsts[tokens[0]] = firsts.get(tokens[0], True) and initial
    return [
        ("surname", sorted(surnames)),
        ("first name", sorted(f for f, only_initial in firsts.items() if not only_initial)),
    ]


def _first_name_choice(
    entity: LinkedEntity, forms: list[str], surnames: list[str], articles: list[Article]
) -> TermChoice | None:
    """First names as written before one of the person's surname spellings.

    Two first names in one article mean two people of one surname (Bill and Hillary
    Clinton), not a naming choice: an outlet writes one person's name one way.
    """
    spans: dict[str, dict[str, list[Span]]] = defaultdict(dict)
    for article in articles:
        for form in forms:
            found = [s for surname in surnames for s in _occurrences(f"{form} {surname}", article)]
            if found:
                spans[form][article.id] = found
    for article in articles:
        if sum(1 for f in forms if article.id in spans[f]) > 1:
            return None
    used = [f for f in forms if spans[f]]
    if len(used) < 2:
        return None
    return TermChoice(referent=entity.name, kind="first name", forms=_term_forms(spans, used))


def find_terms(
    entities: list[LinkedEntity], annotated: dict[str, Annotated], articles: list[Article]
) -> list[TermChoice]:
    """Naming choices in the story, those used by the most articles first."""
    out: list[TermChoice] = []
    by_id = {a.id: a for a in articles}
    for entity in entities:
        if entity.label != "PERSON":
            continue
        (_, surnames), (_, firsts) = _person_slots(entity, by_id)
        if len(surnames) >= 2:
            found = _choice(entity.name, "surname", surnames, articles)
            if found is not None:
                out.append(found)
        if len(firsts) >= 2:
            found = _first_name_choice(entity, firsts, surnames, articles)
            if found is not None:
                out.append(found)
    for group in variant_groups():
        found = _choice(group[0], "place", list(group), articles)
        if found is not None:
            out.append(found)
    out.extend(_descriptors(entities, articles))
    out.extend(_labels(articles))
    out.sort(key=lambda t: (-len({a for f in t.forms for a in f.articles}), t.referent, t.kind))
    return out


@cache
def descriptor_sets() -> tuple[tuple[str, frozenset[str], frozenset[str]], ...]:
    """(name, plain words, marked words) of data/descriptors.toml."""
    data = tomllib.loads(resources.files("rashomon.data").joinpath("descriptors.toml").read_text("utf-8"))
    return tuple((s["name"], frozenset(s["plain"]), frozenset(s["marked"])) for s in data["set"])


def _descriptors(entities: list[LinkedEntity], articles: list[Article]) -> list[TermChoice]:
    """Words chosen to describe one named group ("Hamas militants" / "Hamas terrorists")."""
    by_id = {a.id: a for a in articles}
    out = []
    for name, plain, marked in descriptor_sets():
        words = sorted(plain | marked, key=len, reverse=True)
        pattern = re.compile(r"\s+(?:-\s*)?(" + "|".join(re.escape(w) for w in words) + r")\b", re.I)
        for entity in entities:
            if entity.label == "PERSON":
                continue
            spans: dict[str, dict[str, list[Span]]] = defaultdict(dict)
            for m in entity.mentions:
                hit = pattern.match(by_id[m.span.article].text, m.span.end) if m.span.article in by_id else None
                if hit:
                    form = f"{m.name} {hit.group(1).lower()}"
                    spans[form].setdefault(m.span.article, []).append(Span(m.span.article, m.span.start, hit.end()))
            used_words = {f.split()[-1] if f.split()[-1] in plain | marked else f for f in spans}
            if len(spans) < 2 or not any(f.lower().endswith(tuple(marked)) for f in spans) or len(used_words) < 2:
                continue
            forms = _term_forms(spans, list(spans))
            out.append(TermChoice(referent=f"{entity.name} ({name})", kind="descriptor", forms=forms))
    return out


def _labels(articles: list[Article]) -> list[TermChoice]:
    """ "so-called X": a dismissive label, listed with who uses it."""
    found: dict[str, dict[str, list[Span]]] = defaultdict(dict)
    for article in articles:
        for m in _LABEL.finditer(article.text):
            found[m.group(0)].setdefault(article.id, []).append(Span(article.id, m.start(), m.end()))
    out = []
    for phrase, by_article in sorted(found.items()):
        referent = phrase.split(None, 1)[1]
        counts = Counter({a: len(s) for a, s in by_article.items()})
        form = TermForm(
            phrase, tuple(sorted(by_article)), sum(counts.values()), tuple(s for v in by_article.values() for s in v)
        )
        out.append(TermChoice(referent=referent, kind="label", forms=(form,)))
    return out
