"""What every report format shows the same way: outlet letters, which facts to show, short texts."""

from __future__ import annotations

import itertools
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from rashomon.model import Comparison, Fact, Span
from rashomon.write.safe import OUTLET_UNKNOWN as OUTLET_UNKNOWN
from rashomon.write.safe import printable, shorten

SHOWN_SINGLE_FACTS = 12


def shown_facts(comparison: Comparison) -> list[Fact]:
    """Facts stated by two or more outlets, then the first single-outlet ones."""
    shared = [f for f in comparison.facts if f.support.independent >= 2]
    single = [f for f in comparison.facts if f.support.independent < 2][:SHOWN_SINGLE_FACTS]
    return shared + single


# The narrowest a clipped cell gets when a table is squeezed into a narrow terminal.
CLIPPED_MIN_WIDTH = 12


class Clipped:
    """A table cell of one line, cut at a word boundary to whatever width the table gives it (never
    wrapped one word per line in a narrow terminal)."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text = " ".join(printable(text).split())
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(shorten(self.text, options.max_width), style=self.style, no_wrap=True, overflow="ellipsis")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        cells = cell_len(self.text)  # wide characters take two cells
        return Measurement(min(cells, CLIPPED_MIN_WIDTH), max(cells, 1))


def terminal_width(default: int = 130) -> int:
    """The terminal's width (COLUMNS when set); `default` when the output is not a terminal."""
    import shutil

    return shutil.get_terminal_size((default, 24)).columns


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
