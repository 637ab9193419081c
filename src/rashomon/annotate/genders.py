"""Who "he", "she" and "they" are: the gender a text itself gives each named person, and the nearest
person a pronoun can stand for.

No list of first names and no guess from a name: a person's gender is what the article says of them,
outside quotes (data/gendered.toml):

* an honorific before the name ("Mr. Weiner", "Ms. Lauten");
* a gendered noun beside it, in apposition or as a title ("Elizabeth Lauten, a spokeswoman",
  "Congresswoman Giffords", "his wife, Sandi Jackson");
* a reflexive or possessive pronoun in the clause the person is the only named subject of
  ("Liz Cheney issued a statement voicing her opposition").

Each is a vote; a name gets the gender with more votes, none on a tie. A pronoun then stands for the
most recent person it agrees with (a person of unknown gender agrees with both), within
ANTECEDENT_PARAGRAPHS paragraphs.
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from rashomon.model import Mention

# Endings of a singular noun that look plural ("address", "campus", "basis").
SINGULAR_ENDINGS = ("ss", "us", "is")


def looks_plural(noun: Token) -> bool:
    """Whether a noun names more than one, read from its ending (rashomon runs no tagger): "officials",
    "Republicans", not "campus"."""
    return noun.lower_.endswith("s") and not noun.lower_.endswith(SINGULAR_ENDINGS)


# A pronoun's antecedent lies at most this many paragraphs back (its own paragraph and the one before;
# news copy names the speaker again after that).
ANTECEDENT_PARAGRAPHS = 2
_SUBJECTS = ("nsubj", "nsubjpass")


@dataclass(frozen=True)
class _Lexicon:
    honorifics: dict[str, str]
    pronouns: dict[str, str]
    nouns: dict[str, str]


@cache
def lexicon() -> _Lexicon:
    data = tomllib.loads(resources.files("rashomon.data").joinpath("gendered.toml").read_text("utf-8"))
    out = _Lexicon({}, {}, {})
    for gender, key in (("female", "f"), ("male", "m")):
        out.honorifics.update(dict.fromkeys((h.lower() for h in data[gender]["honorifics"]), key))
        out.pronouns.update(dict.fromkeys(data[gender]["pronouns"], key))
        out.nouns.update(dict.fromkeys(data[gender]["nouns"], key))
    return out


def person_key(name: str) -> str:
    """One key for every form of a person's name in an article: the surname ("Ms. Lauten", "Elizabeth
    Lauten" → "lauten")."""
    return name.replace("’", "'").removesuffix("'s").split()[-1].lower()


_HONORIFIC = re.compile(r"\b([A-Z][a-z]{1,4})\.?\s+$")


def genders(
    doc: Doc, people: list[Mention], mention_at: Callable[[Token], Mention | None], in_quote: Callable[[int], bool]
) -> dict[str, str]:
    """Person key → "f" or "m", where the text says so (outside quotes) and its votes agree."""
    lex = lexicon()
    votes: dict[str, Counter[str]] = {}
    text = doc.text
    starts = {t.idx: t for t in doc}
    for m in people:
        if in_quote(m.span.start):
            continue
        key = person_key(m.name)
        honorific = _HONORIFIC.search(text[max(0, m.span.start - 8) : m.span.start])
        if honorific and honorific.group(1).lower() in lex.honorifics:
            votes.setdefault(key, Counter())[lex.honorifics[honorific.group(1).lower()]] += 1
        token = starts.get(m.span.start)
        if token is not None:
            for gender in _beside(token, lex, mention_at) + _own_pronouns(token, lex, mention_at, in_quote):
                votes.setdefault(key, Counter())[gender] += 1
    out = {}
    for key, count in votes.items():
        ranked = count.most_common()
        if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
            out[key] = ranked[0][0]
    return out


def _head_of(token: Token, mention_at: Callable[[Token], Mention | None]) -> Token:
    """The last token of the name the token starts (the head of "Elizabeth Lauten")."""
    mention = mention_at(token)
    head = token
    while head.i + 1 < len(head.doc) and mention is not None and mention_at(head.doc[head.i + 1]) is mention:
        head = head.doc[head.i + 1]
    return head if head.dep_ != "compound" else head.head


def _beside(token: Token, lex: _Lexicon, mention_at: Callable[[Token], Mention | None]) -> list[str]:
    """Gendered nouns in apposition to the name, or before it as a title ("Congresswoman ...")."""
    head = _head_of(token, mention_at)
    near = [c for c in head.children if c.dep_ in ("appos", "compound")]
    if head.dep_ == "appos":
        near.append(head.head)
    found = [lex.nouns[t.lower_] for t in near if t.lower_ in lex.nouns]
    before = head.doc[token.i - 1] if token.i > 0 else None
    if before is not None and before.lower_ in lex.nouns and before.text[:1].isupper():
        found.append(lex.nouns[before.lower_])  # "Congresswoman Gabrielle Giffords", "Actress Jane Fonda"
    return found


def _own_pronouns(
    token: Token, lex: _Lexicon, mention_at: Callable[[Token], Mention | None], in_quote: Callable[[int], bool]
) -> list[str]:
    """Reflexive and possessive pronouns in the clause the person is the subject of, when no other person
    is named before them ("Whitfield made her case to Governor Grant")."""
    head = _head_of(token, mention_at)
    if head.dep_ not in _SUBJECTS:
        return []
    verb = head.head
    named = [(t.i, id(m)) for t in verb.subtree if (m := mention_at(t)) is not None and m.label in ("PERSON", "NAME")]
    return [
        lex.pronouns[t.lower_]
        for t in verb.subtree
        if t.lower_ in ("his", "her", "himself", "herself")
        and t.i > head.i
        and not in_quote(t.idx)
        and len({m for i, m in named if i < t.i}) == 1  # the subject is the only person named before it
    ]


@dataclass
class Antecedents:
    """Persons named so far (outside quotes), most recent last, with their paragraph, to resolve pronouns."""

    gender: dict[str, str]
    seen: list[tuple[int, str]] = field(default_factory=list)  # (paragraph, name)

    def saw(self, paragraph: int, name: str) -> None:
        self.seen.append((paragraph, name))

    def near(self, name: str, paragraph: int) -> bool:
        """Whether the person was named within ANTECEDENT_PARAGRAPHS paragraphs of this one."""
        key = person_key(name)
        return any(paragraph - where < ANTECEDENT_PARAGRAPHS and person_key(n) == key for where, n in self.seen)

    def agrees(self, name: str | None, pronoun: str, *, known: bool = False) -> bool:
        """Whether the person can be the pronoun: of its gender, or (unless `known`) of unknown gender."""
        want = lexicon().pronouns.get(pronoun)
        return name is not None and self.gender.get(person_key(name)) in ((want,) if known else (None, want))

    def resolve(
        self, pronoun: str, paragraph: int, preferred: list[str | None], sentence: list[str] | None = None
    ) -> str | None:
        """The person "he" or "she" stands for. `preferred` are the last speaker and the last named subject,
        whom news copy's "he said" most often continues (after the subjects named earlier in the pronoun's
        own `sentence`, which count as named nearby). In order: the first of them named within
        ANTECEDENT_PARAGRAPHS paragraphs known to agree with the pronoun; for "she", the most recent person
        named there known to be a woman (most people of unknown gender in news copy are men, so a
        known woman is the better bet than a preferred person of unknown gender); the first preferred
        person of unknown gender; the most recent person named there known to agree, then not known to
        disagree; the first of them, named further back, that agrees."""
        near = []
        for where, name in reversed(self.seen):
            if paragraph - where >= ANTECEDENT_PARAGRAPHS:
                break
            near.append(name)
        keys = {person_key(n) for n in [*near, *(sentence or [])]}
        recent = [n for n in preferred if n is not None and person_key(n) in keys]
        order = [(recent, True), (recent, False), (near, True), (near, False)]
        if pronoun == "she":  # most people of unknown gender in news copy are men: a woman named near wins
            order.insert(1, (near, True))
        for names, known in order:
            for name in names:
                if self.agrees(name, pronoun, known=known):
                    return name
        return next((n for n in preferred if self.agrees(n, pronoun)), None)
