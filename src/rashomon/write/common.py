"""What every report format shows the same way: outlet letters, which facts to show, short texts."""

from __future__ import annotations

import itertools
import string
from typing import Any

from rich.console import Console
from rich.text import Text

from rashomon.model import Article, Comparison, Fact, Span
from rashomon.write.safe import printable

SHOWN_SINGLE_FACTS = 12


def letters(articles: list[Article]) -> dict[str, str]:
    """A short column label per article: A, B, C, … then AA, AB, …"""
    labels = list(string.ascii_uppercase) + [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase]
    return {a.id: labels[i] for i, a in enumerate(articles)}


def shown_facts(comparison: Comparison) -> list[Fact]:
    """Facts stated by two or more outlets, then the first single-outlet ones."""
    shared = [f for f in comparison.facts if f.support.independent >= 2]
    single = [f for f in comparison.facts if f.support.independent < 2][:SHOWN_SINGLE_FACTS]
    return shared + single


def shorten(text: str, width: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def coverage(comparison: Comparison, fact: Fact) -> list[str]:
    """For each article: "states" the fact, "contradicts" it, or "" (silent).

    A fact groups sentences about one matter, so both sides of a contradiction can fall
    inside it: then the accounts disagree on the fact itself, and each side contradicts.
    An article that does not state the fact contradicts it when one of its sentences is
    the other side of a contradiction with one of the fact's sentences.
    """
    mentions = set(fact.mentions)
    stating = {s.article for s in fact.mentions}
    disputed: set[str] = set()
    against: set[str] = set()
    for conflict in comparison.contradictions:
        sides = set(conflict.sides)
        inside = sides & mentions
        if len({s.article for s in inside}) >= 2:
            disputed.update(s.article for s in inside)
        if inside:
            against.update(s.article for s in sides - mentions)
    return [
        "contradicts"
        if a.id in disputed or (a.id in against and a.id not in stating)
        else "states"
        if a.id in stating
        else ""
        for a in comparison.articles
    ]


def segments(comparison: Comparison, article_id: str) -> list[tuple[int, int, str]]:
    """The article's text cut at every span boundary: (start, end, kinds) for each piece, the kinds
    (quote, loaded, loaded-quoted, opinion, heading, fact) of the spans covering it, space-separated."""
    ann = comparison.annotated[article_id]
    marks: list[tuple[Span, str]] = []
    marks += [(q.span, "quote") for q in ann.quotes if q.kind == "direct"]
    marks += [(x.span, "loaded-quoted" if x.quoted else "loaded") for x in ann.loaded]
    marks += [(o.span, "opinion") for o in ann.opinion]
    marks += [(p.span, "heading") for p in ann.paragraphs if p.kind == "heading"]
    shared = {s for f in comparison.facts if f.support.independent >= 2 for s in f.mentions if s.article == article_id}
    marks += [(s, "fact") for s in shared]
    text = ann.article.text
    cuts = sorted({0, len(text), *(b for s, _ in marks for b in (s.start, s.end))})
    return [
        (a, b, " ".join(sorted({k for s, k in marks if s.start <= a and b <= s.end})))
        for a, b in itertools.pairwise(cuts)
    ]


class SafeConsole(Console):
    """A rich Console that escapes control characters in every string it renders (tables included)."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(printable(text), **kwargs)
