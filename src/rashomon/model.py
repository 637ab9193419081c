"""The data types of rashomon. No I/O here.

The article owns its text; everything else is a span into it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Characters [start, end) of one article's `text`."""

    article: str
    start: int
    end: int

    def text(self, articles: dict[str, Article]) -> str:
        return articles[self.article].text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.article == other.article and self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.article == other.article and self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True)
class Article:
    """One news article: its normalised text and what is known about it."""

    id: str
    source: str
    outlet: str | None  # None: the outlet is not known (never a file's name)
    text: str
    title: str | None = None
    byline: str | None = None
    published: dt.date | None = None
    language: str = "en"
    copy_of: str | None = None

    @property
    def outlet_key(self) -> str:
        """Who published it, for counting outlets: its outlet, or the article alone when that is unknown
        (two articles of unknown outlets are counted as two outlets)."""
        return self.outlet if self.outlet else f"article {self.id}"


def letters(articles: list[Article]) -> dict[str, str]:
    """A short label per article, in the report's order: A, B, C, … then AA, AB, …"""
    upper = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    labels = upper + [a + b for a in upper for b in upper]
    return {a.id: labels[i] for i, a in enumerate(articles)}


def who(article: Article, letter: str) -> str:
    """Who tells an account, as prose says it: the outlet, or the article's letter when its outlet is not
    known ("article C (outlet unknown)")."""
    return article.outlet or f"article {letter} (outlet unknown)"


ParagraphKind = Literal["body", "heading", "item", "embed"]


@dataclass(frozen=True, slots=True)
class Paragraph:
    span: Span
    kind: ParagraphKind


@dataclass(frozen=True, slots=True)
class Sentence:
    span: Span
    paragraph: int
    kind: ParagraphKind


@dataclass(frozen=True, slots=True)
class Mention:
    """A name in the text, with the entity label the tagger gave it."""

    span: Span
    label: str
    name: str


@dataclass(frozen=True, slots=True)
class Entity:
    """One referent across the story: its display name and every form outlets use for it."""

    name: str
    label: str
    aliases: tuple[str, ...]
    mentions: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    """Words attributed to someone: quoted directly or reported."""

    span: Span
    speaker: str | None
    kind: Literal["direct", "reported"]
    cue: str | None = None
    named: bool = False  # the speaker's name stands at the cue (not a pronoun, a role or a guess)


@dataclass(frozen=True, slots=True)
class Number:
    span: Span
    value: float
    unit: str | None


SlotKind = Literal["figure", "date", "place", "predicate"]


@dataclass(frozen=True, slots=True)
class Slot:
    """A figure, date, place or predicate with what it is attached to in its sentence (annotate.structure,
    annotate.placing)."""

    span: Span
    kind: SlotKind
    # figure: the stem of what it counts; date: of the verb or noun it dates; place: of the person, thing or
    # event it places; predicate: its own stem
    head: str
    verb: str  # the stem of the clause's verb
    negated: bool
    context: frozenset[str]  # stems of the content words of the clause around it
    subject: frozenset[str] = frozenset()  # stems of the clause's subject
    hedged: bool = False  # under a belief, a condition or an open question: not asserted
    names: frozenset[str] = frozenset()  # stems of the names (people, groups, places) in its clause
    # a date's words on their own: "weekday:0", "md:3-2" (annotate.dates.date_key); a place's, with what it
    # places ("of:" a person or thing, "at:" an event) and the place qualifying it: "of:Bellingham|Wash"
    value: str = ""
    bound: str = ""  # a figure's modifier: "lower" (more than), "upper" (up to), "approximate" (about)
    scope: frozenset[str] = frozenset()  # a figure's: the counts it is taken over ("five oper", "2007")
    also: frozenset[str] = frozenset()  # a date's: stems of verbs it may hang from besides `head` (one verb off)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A common-noun phrase with what governs it in its clause (annotate.phrases)."""

    span: Span  # from its first modifier to its head noun
    head: str  # the head noun's stem
    words: tuple[str, ...]  # stems of its modifiers and head, in order
    anchor: str  # "governor stem:role": "send:obj", "plead:to"
    fixed: frozenset[str] = frozenset()  # modifiers that tell referents apart (names, numbers)
    owner: str = ""  # its possessor, lower-cased: "his" (wife), "jackson" ('s wife)
    actor: frozenset[str] = frozenset()  # stems of the subject of the clause governing it


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date in the text; `relative` when it was resolved against the publication date."""

    span: Span
    date: dt.date
    relative: bool


@dataclass(frozen=True, slots=True)
class Loaded:
    """Judgemental wording: in the outlet's own voice, or inside a quote it reports."""

    span: Span
    term: str
    category: str
    reason: str
    quoted: bool


@dataclass(frozen=True, slots=True)
class Opinion:
    span: Span
    reason: str


@dataclass(slots=True)
class Annotated:
    """One article with everything annotation found in it."""

    article: Article
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    numbers: list[Number] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    loaded: list[Loaded] = field(default_factory=list)
    opinion: list[Opinion] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    phrases: list[Phrase] = field(default_factory=list)


FactStatus = Literal["all", "most", "some", "one"]


@dataclass(frozen=True, slots=True)
class Support:
    articles: int
    outlets: int
    independent: int


@dataclass(frozen=True, slots=True)
class Fact:
    """Claims from one or more articles that state the same proposition."""

    id: str
    text: str
    status: FactStatus
    support: Support
    mentions: tuple[Span, ...]
    outlets: tuple[str, ...]  # the known outlets stating it (an article of unknown outlet is in `mentions` only)
    conflicts: tuple[str, ...] = ()  # ids of the contradictions with a side among its mentions

    @property
    def disputed(self) -> bool:
        """Some account contradicts what the fact's sentences say (or they contradict each other)."""
        return bool(self.conflicts)

    @property
    def shown_status(self) -> str:
        """The status as shown to a reader: "most", or "most · disputed"."""
        return f"{self.status} · disputed" if self.conflicts else self.status


ConflictKind = Literal["number", "negation", "verdict", "attribution", "date", "place"]


@dataclass(frozen=True, slots=True)
class Conflict:
    id: str
    kind: ConflictKind
    explanation: str
    sides: tuple[Span, ...]
    score: float


@dataclass(frozen=True, slots=True)
class TermForm:
    form: str
    articles: tuple[str, ...]
    count: int
    spans: tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class TermChoice:
    """One referent named differently across outlets."""

    referent: str
    kind: str
    forms: tuple[TermForm, ...]


@dataclass(frozen=True, slots=True)
class Voice:
    speaker: str
    aliases: tuple[str, ...]
    articles: tuple[str, ...]
    quotes: tuple[Quote, ...]
    kind: Literal["person", "group"] = "person"


@dataclass(frozen=True, slots=True)
class SetAside:
    article: str
    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    date: dt.date
    mentions: tuple[Span, ...]


SummarySection = Literal["shared", "differ", "single"]


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    section: SummarySection
    citations: tuple[Span, ...]


@dataclass(slots=True)
class Comparison:
    """Everything `compare` finds in one story."""

    articles: list[Article]
    annotated: dict[str, Annotated]
    set_aside: list[SetAside]
    facts: list[Fact]
    contradictions: list[Conflict]
    terms: list[TermChoice]
    voices: list[Voice]
    timeline: list[TimelineEntry]
    summary: list[SummarySentence]
    warnings: list[str]
    entities: list[Entity] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def by_id(self) -> dict[str, Article]:
        return {a.id: a for a in self.articles}

    @property
    def loaded(self) -> list[Loaded]:
        return [item for a in self.articles for item in self.annotated[a.id].loaded]

    @property
    def quantities(self) -> list[Number]:
        return [item for a in self.articles for item in self.annotated[a.id].numbers]

    @property
    def opinion(self) -> list[Opinion]:
        return [item for a in self.articles for item in self.annotated[a.id].opinion]
