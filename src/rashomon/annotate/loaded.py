"""Loaded wording: lexicon terms in the outlet's own voice or inside a quote it carries."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rashomon.model import Article, Loaded, Span


@dataclass(frozen=True)
class _Category:
    name: str
    why: str
    pattern: re.Pattern[str]
    unless: frozenset[str]


def _term_pattern(term: str) -> str:
    parts = []
    for word in re.split(r"[\s-]+", term.strip()):
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]).replace(r"\*", r"\w*") + r"\w*")
        else:
            parts.append(re.escape(word).replace(r"\*", r"\w*"))
    return r"[\s-]+".join(parts)


@cache
def lexicon() -> tuple[_Category, ...]:
    """The categories of data/loaded.toml, each compiled to one pattern."""
    data = tomllib.loads(resources.files("rashomon.data").joinpath("loaded.toml").read_text("utf-8"))
    out = []
    for cat in data["category"]:
        terms = sorted(cat["terms"], key=len, reverse=True)
        body = "|".join(_term_pattern(t) for t in terms)
        pattern = re.compile(r"(?<![\w-])(?:" + body + r")(?![\w-])", re.I)
        out.append(
            _Category(cat["name"], cat["why"], pattern, frozenset(data.get("unless", []) + cat.get("unless", [])))
        )
    return tuple(out)


def find_loaded(article: Article, quotes: list[tuple[int, int]]) -> list[Loaded]:
    """Every lexicon hit, marked quoted when it sits inside a direct quote."""
    text = article.text
    hits: list[Loaded] = []
    taken: list[tuple[int, int]] = []
    for cat in lexicon():
        for m in cat.pattern.finditer(text):
            start, end = m.start(), m.end()
            if any(a < end and start < b for a, b in taken):
                continue
            before = re.findall(r"[\w-]+", text[max(0, start - 30) : start])
            if before and before[-1].lower() in cat.unless:
                continue
            taken.append((start, end))
            quoted = any(a <= start and end <= b for a, b in quotes)
            hits.append(Loaded(Span(article.id, start, end), m.group().lower(), cat.name, cat.why, quoted))
    return sorted(hits, key=lambda h: h.span.start)
