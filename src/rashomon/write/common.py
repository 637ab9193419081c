"""What every report format shows the same way: outlet letters, which facts to show, short texts."""

from __future__ import annotations

import string

from rashomon.model import Article, Comparison, Fact

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


def conflict_sides(comparison: Comparison, fact: Fact) -> set[str]:
    """Articles whose claims on this fact take part in a contradiction."""
    out: set[str] = set()
    mentions = set(fact.mentions)
    for conflict in comparison.contradictions:
        if mentions & set(conflict.sides):
            out.update(s.article for s in conflict.sides)
    return out
