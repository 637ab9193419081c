"""What each figure, date and predicate is attached to in its sentence, read from the dependency parse.

A contradiction check must know that two figures are one quantity, two dates
date one event, and two predicates say the same thing but one denies it.
Surface words cannot tell: "1,000 prisoners of war each" and "a swap
involving 1,000 POWs" count the same thing, while "17 percent" (Trump) and
"32 percent" (Romney) in one sentence do not. So each figure, date and
predicate becomes a `Slot`:

* `head`: for a figure, the stem of the noun it counts (its unit, or the noun
  it modifies in the parse); for a date, the stem of the verb it dates; for a
  predicate, the verb's stem, or the complement's for a copula ("is not vital");
* `verb`: the stem of the clause's verb the slot hangs from;
* `context`: the stems of the content words of that clause near the slot (the
  verb's arguments, the head's modifiers, the names around it), without the slot's own words;
* `negated`: whether the predicate is denied: a `neg` dependent ("not",
  "never", "n't"), "no" on an argument, or an implicative governor that
  entails the opposite ("refused to sign", "failed to agree": data/negators.toml).

Without the spaCy model (the blank fallback has no parser) no slots are made
and the checks that need them fall back to saying nothing.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from rashomon.annotate.dates import date_key, unresolved_dates
from rashomon.annotate.numbers import ORDINAL_UNIT
from rashomon.annotate.quotes import speech_stems
from rashomon.model import Article, DateMention, Number, Slot, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Dependency labels that head a clause (predicates are read at each of them).
CLAUSE_DEPS = frozenset("ROOT ccomp xcomp advcl relcl acl conj pcomp csubj csubjpass parataxis".split())
# A slot's verb is the nearest ancestor heading a finite clause: an infinitive or gerund
# complement shares its governor's subject ("Russia agreed to exchange 1,000 prisoners").
FINITE_DEPS = CLAUSE_DEPS - {"xcomp", "pcomp"}
# A clause head must have one of these dependents to be read as a predicate ("Russia and
# Ukraine": a conjoined noun heads no clause).
VERBAL_DEPS = frozenset("nsubj nsubjpass aux auxpass neg dobj xcomp ccomp attr acomp dative agent prt".split())
# Dependents that carry a predicate's arguments besides its subject (to what, what it is, how).
ARGUMENT_DEPS = frozenset("dobj attr acomp oprd pobj prep agent dative xcomp".split())
# Subjects that may stand in for the people acting ("Russia has not held talks" / "Lavrov held a call"):
# they neither tell two actors apart nor tie two clauses to one actor.
STAND_IN_LABELS = frozenset("GPE ORG LOC FAC NORP".split())
# How far (in tokens) from the slot the context reaches: a clause, not the whole sentence.
CONTEXT_WINDOW = 10
# Words of no content for matching slots.
STOP = frozenset(
    """a an the of to in on at for by with from and or but not no nor is are was were be been being am has
    have had do does did that this these those it its as he she they them his her their who whom which what
    when where would will could should can may might must shall also than then there about after before
    over under into out up down more most some any all both each such only very just so if while because
    during between against we our us i you your me my him mr mrs ms dr""".split()
)
BE_FORMS = frozenset("is are was were be been being am 's 're".split())
# Relative pronouns: as a relative clause's subject they stand for the noun the clause modifies
# ("a farmer who never went to law school").
RELATIVES = frozenset(["who", "whom", "which", "that"])
# Auxiliaries that stand for an elided predicate when they have no complement of their own.
ELLIPTIC = frozenset(["do", "have"])


@cache
def _stemmer():  # type: ignore[no-untyped-def]
    import snowballstemmer

    return snowballstemmer.stemmer("english")


@cache
def irregular_verbs() -> dict[str, str]:
    """Irregular verb forms → their base ("sent" → "send", "told" → "tell"): data/irregular_verbs.txt
    (WordNet 3.0's verb.exc, with its licence)."""
    text = resources.files("rashomon.data").joinpath("irregular_verbs.txt").read_text("utf-8")
    pairs = (line.split() for line in text.splitlines() if line and not line.startswith("#"))
    return {form: base for form, base in pairs}


@cache
def stem(word: str) -> str:
    """The Snowball stem of a lower-cased word's base ("agreed", "agreeing" → "agre"; "sent" → "send")."""
    lower = word.lower()
    return str(_stemmer().stemWord(irregular_verbs().get(lower, lower)))


@cache
def _lexicon() -> dict[str, list[str]]:
    return tomllib.loads(resources.files("rashomon.data").joinpath("negators.toml").read_text("utf-8"))


@cache
def negative_governors() -> frozenset[str]:
    """Stems of verbs whose complement did not happen ("refused to sign"): data/negators.toml."""
    return frozenset(stem(w) for w in _lexicon()["implicative"])


@cache
def _nonfactive() -> frozenset[str]:
    return frozenset(stem(w) for w in _lexicon()["nonfactive"])


def _hedged(token: Token) -> bool:
    """Whether the token's clause, or one it sits in, is a belief, a condition or an open question; a
    question asserts nothing ("And who, exactly, sucked as much as the other side?")."""
    if any(t.text == "?" for t in token.sent[-3:]):  # the mark, maybe behind closing quotes
        return True
    node = token
    for _ in range(40):
        if any(c.dep_ == "mark" and c.lower_ in _lexicon()["unasserted_markers"] for c in node.children):
            return True
        if node.head.i == node.i or node.dep_ == "advcl":
            return False  # an adverbial clause ("after the package failed") is taken as given
        if node.dep_ in ("ccomp", "xcomp") and stem(node.head.text) in _nonfactive():
            return True
        node = node.head
    return False


def clause_subject(verb: Token) -> frozenset[str]:
    """Stems of the content words of the clause's subject (a complement borrows its governor's)."""
    for node in (verb, verb.head):
        subject = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if node.dep_ == "relcl" and subject and all(c.lower_ in RELATIVES for c in subject):
            # "a farmer who never went": the relative pronoun stands for the noun the clause modifies
            antecedent = node.head
            return frozenset() if antecedent.ent_type_ in STAND_IN_LABELS else frozenset([stem(antecedent.text)])
        if any(c.ent_type_ in STAND_IN_LABELS for c in subject):
            return frozenset()  # "Russia", "the White House": a place or body standing in for its people
        if subject:
            return frozenset(stem(t.text) for c in subject for t in c.subtree if _content(t))
        if verb.dep_ != "xcomp":
            break
    return frozenset()


def _verbal(token: Token) -> bool:
    return any(c.dep_ in VERBAL_DEPS for c in token.children)


def _content(token: Token) -> bool:
    """A content word: not a function word; an upper-case abbreviation ("US", "UN") counts."""
    if token.is_alpha and len(token.text) >= 2 and token.text.isupper():
        return True
    return token.is_alpha and len(token.text) > 2 and token.lower_ not in STOP


def _clause_verb(token: Token) -> Token:
    """The nearest ancestor (or the token itself) that heads a finite clause."""
    node = token
    for _ in range(40):  # a parse is a tree; the bound only guards a malformed one
        if node.head.i == node.i or (node.dep_ in FINITE_DEPS and (node.dep_ != "conj" or _verbal(node))):
            return node
        node = node.head
    return node


def _context(verb: Token, lo: int, hi: int) -> frozenset[str]:
    """Stems of the content words of the verb's own clause (not of clauses inside it) within
    CONTEXT_WINDOW tokens of [lo, hi)."""
    return frozenset(
        stem(t.text)
        for t in verb.subtree
        if (lo - CONTEXT_WINDOW <= t.i < lo or hi <= t.i < hi + CONTEXT_WINDOW or t.i == verb.i)
        and _content(t)
        and _clause_verb(t).i == verb.i
    )


# Entity labels that name a referent: two figures (ages, tolls) or dates of differently named people
# or peoples are about two referents. Places and organisations are left out: one team or city is
# often the setting of two events, and naming it does not tell them apart.
NAME_LABELS = frozenset("PERSON NORP".split())


def _names(verb: Token, lo: int, hi: int) -> frozenset[str]:
    """Stems of the named referents in the verb's clause near [lo, hi), and in its subject however far
    ("Jamal Williams, the defensive tackle for the San Diego Chargers, was arrested ... on Sunday")."""
    subject = {t.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    return _named(t for t in verb.subtree if (lo - CONTEXT_WINDOW <= t.i < hi + CONTEXT_WINDOW or t.i in subject))


def _named(tokens: Iterable[Token]) -> frozenset[str]:
    """Stems of the names among the tokens: people's when there are any, else peoples' ("a 32-year-old
    British climber"). A people beside named persons ties nothing: "two Republican senators, Jeff Flake
    and John McCain" and "three Republican state senators, Adam Driggs, ..." are other people."""
    named = [t for t in tokens if t.ent_type_ in NAME_LABELS and t.is_alpha]
    people = [t for t in named if t.ent_type_ == "PERSON"]
    return frozenset(stem(t.text) for t in people or named)


def _span_tokens(doc: Doc, span: Span) -> tuple[int, int] | None:
    piece = doc.char_span(span.start, span.end, alignment_mode="expand")
    if piece is None or len(piece) == 0:
        return None
    return piece.start, piece.end


# A cardinal written in digits or words ("five", "1,098"), not an ordinal ("2nd") or a piece of a
# range, score or model name ("88-72", "AK-47").
YEAR = re.compile(r"(1[89]|20)\d\d")
_CARDINAL = re.compile(r"[\d.,]+|[a-z]+")


def _counted_over(t: Token, root: Token, head: str) -> bool:
    """Whether the figure `t` says what the figure at `root` is counted over: a cardinal in a
    prepositional phrase of its own (not the phrase holding the figure, whose list it is part of), of
    another noun (the same noun is a comparison: "21 percent, up from 17 percent")."""
    doc = t.doc
    if not t.like_num or not _CARDINAL.fullmatch(t.lower_) or t.lower_.endswith(("st", "nd", "rd", "th")):
        return False
    if YEAR.fullmatch(t.text):
        return False  # a year is a date: "in 2008" and "in his fourth season" can be one season
    if (t.i > 0 and doc[t.i - 1].text == "-") or (t.i + 1 < len(doc) and doc[t.i + 1].text == "-"):
        return False
    if t.dep_ == "nummod" and stem(t.head.text) == head:
        return False
    node = t
    while node.head.i != node.i:
        if node.dep_ == "prep":
            return not node.is_ancestor(root) and node.i != root.i
        node = node.head
    return False


def _scope(verb: Token, root: Token, lo: int, hi: int, head: str) -> frozenset[str]:
    """What a figure is counted over: the other figures of its clause in a prepositional phrase of
    their own ("have confiscated 14 rifles in their five operations": "five oper"; "a 162-139 record in
    three-plus seasons"), not those listed beside it ("six rifles, 12 magazines and 300 rounds")."""
    return frozenset(
        f"{t.lower_} {stem(t.head.text)}" if t.dep_ == "nummod" else t.lower_
        for t in verb.subtree
        if t.like_num and not lo <= t.i < hi and _clause_verb(t).i == verb.i and _counted_over(t, root, head)
    )


# Dependency labels inside a noun phrase that climb from a figure to the noun it describes.
MODIFIER_DEPS = frozenset("nummod npadvmod compound amod quantmod".split())


def _described(root: Token) -> Token | None:
    """The person or thing an adjectival figure describes: "a 30-year-old grandmother" → grandmother."""
    node, adjectival = root, False
    for _ in range(6):
        if node.dep_ not in MODIFIER_DEPS or node.head.i == node.i:
            break
        adjectival = adjectival or node.dep_ == "amod"
        node = node.head
    return node if adjectival and node.i != root.i else None


def _referent(noun: Token) -> tuple[frozenset[str], frozenset[str]]:
    """Stems of a described noun and the noun it is in apposition with ("Raj Chohan, a 30-year-old
    grandmother"), and of the names among them: who the figure is about, whoever acts in the clause."""
    heads = [noun] + [c for c in noun.children if c.dep_ == "appos"]
    if noun.dep_ == "appos":
        heads.append(noun.head)
    # with its name parts and the peoples it is of ("a 32-year-old British climber")
    tokens = [
        t for h in heads for t in [h, *(c for c in h.children if c.dep_ == "compound" or c.ent_type_ in NAME_LABELS)]
    ]
    stems = frozenset(stem(t.text) for t in tokens if _content(t))
    return stems, _named(tokens)


# The head given to a person's age, however written: "38-year-old Anthony LaCalamita", "a 38 - year - old
# suspect", "LaCalamita, 38, of Troy", "he is 38 years old".
AGE = "<age>"
_AGE_AFTER = re.compile(r"\s*-?\s*old\b")


def _age(doc: Doc, number: Number, root: Token) -> bool:
    unit = (number.unit or "").rstrip("s")
    if unit in ("year-old", "year") and (unit == "year-old" or _AGE_AFTER.match(doc.text, number.span.end)):
        return True
    # a bare number in apposition to a named person
    return number.unit is None and root.dep_ == "appos" and root.head.ent_type_ == "PERSON" and 0 < number.value < 120


def titled(noun: Token) -> bool:
    """A capitalised head: part of a name or title ("117th Street", "US President", "Nebraska Attorney
    General"), so what modifies it ranks or places nothing."""
    return noun.text[:1].isupper()


def _ordinal_slot(doc: Doc, number: Number, root: Token) -> Slot | None:
    """An ordinal ranks the noun it modifies ("the 21st head coach of the 76ers": coach); its scope says it
    is a rank, so a rank is never set against a count of the same noun. An ordinal in a name ranks nothing."""
    noun = root.head
    if root.dep_ not in ("amod", "nummod", "compound", "nmod") or noun.i == root.i or not noun.is_alpha:
        return None
    if titled(noun):
        return None  # "117th Street", "the 5th Circuit"
    verb = _clause_verb(root)
    lo, hi = root.i, root.i + 1
    described = frozenset(stem(t.text) for t in noun.subtree if _content(t) and abs(t.i - root.i) <= CONTEXT_WINDOW)
    ranked, names = _referent(noun)  # what is ranked, not who acts ("The club introduced Reyes as its 21st coach")
    return Slot(
        number.span,
        "figure",
        stem(noun.text),
        stem(verb.text),
        False,
        (_context(verb, lo, hi) | described) - {stem(root.text)},
        ranked,
        _hedged(root),
        names or _names(verb, lo, hi),
        scope=frozenset([ORDINAL_UNIT]),
    )


def _figure_slot(doc: Doc, number: Number) -> Slot | None:
    bounds = _span_tokens(doc, number.span)
    if bounds is None:
        return None
    lo, hi = bounds
    root = doc[lo:hi].root
    if number.unit == ORDINAL_UNIT:
        return _ordinal_slot(doc, number, root)
    head = number.unit
    counted = root.head if root.dep_ in ("nummod", "quantmod", "compound", "nmod") else root
    if head is None and counted.i != root.i and counted.is_alpha and (counted.i >= hi or root.dep_ == "nummod"):
        head = counted.text
    if _age(doc, number, root):
        head = AGE
    verb = _clause_verb(root)
    own = {stem(t.text) for t in doc[lo:hi]}
    # What is counted is described by its own modifiers too ("272 women who serve as store managers").
    described = frozenset(stem(t.text) for t in counted.subtree if _content(t) and abs(t.i - root.i) <= CONTEXT_WINDOW)
    subject, names = clause_subject(verb), _names(verb, lo, hi)
    if verb.i > root.i and stem(verb.text) in speech_stems():
        subject = frozenset()  # "..., the aides said": who tells a figure after it is not what it counts
    if (noun := _described(root)) is not None:
        subject, names = _referent(noun)
    return Slot(
        number.span,
        "figure",
        stem(head) if head else "",
        stem(verb.text),
        False,
        (_context(verb, lo, hi) | described) - own,
        subject,
        _hedged(root),
        names,
        bound=figure_bound(doc.text, number.span.start),
        scope=frozenset() if head == AGE else _scope(verb, root, lo, hi, stem(head) if head else ""),
    )


@cache
def _bound_pattern() -> re.Pattern[str]:
    data = tomllib.loads(resources.files("rashomon.data").joinpath("quantifiers.toml").read_text("utf-8"))
    groups = "|".join(
        f"(?P<{kind}>" + "|".join(re.escape(w) for w in sorted(data[kind], key=len, reverse=True)) + ")"
        for kind in ("lower", "upper", "approximate")
    )
    return re.compile(r"(?<![\w-])(?:" + groups + r")\s+[$€£]?\s*$", re.IGNORECASE)


def figure_bound(text: str, start: int) -> str:
    """ "lower", "upper" or "approximate" when a modifier right before the figure at `start` makes it
    a bound or an estimate (data/quantifiers.toml), else ""."""
    found = _bound_pattern().search(text, max(0, start - 30), start)
    return (found.lastgroup or "") if found else ""


# Entity labels of a time expression: "Tuesday afternoon", "Friday night" date as one ("afternoon" is
# part of the date, not what it dates).
TIME_LABELS = frozenset(["DATE", "TIME"])
# Dependency labels of a noun as an argument: a date in a prepositional phrase on it dates the noun
# ("Perry's statement on Thursday", "the attack on Tuesday").
NOMINAL_DEPS = frozenset("nsubj nsubjpass dobj pobj attr appos dative oprd".split())


def _time_expression(token: Token) -> Token:
    """The head of the time expression the token is part of ("Tuesday" → "afternoon")."""
    node = token
    for _ in range(5):
        if node.head.i == node.i or node.head.ent_type_ not in TIME_LABELS or node.ent_type_ not in TIME_LABELS:
            break
        node = node.head
    return node


def _event(token: Token) -> Token:
    """The nearest ancestor heading a clause, finite or not: what a date on it dates ("for passing a
    resolution on Friday": passing; "vowed to remain ... Monday": remain)."""
    node = token
    for _ in range(40):
        if node.head.i == node.i:
            return node
        node = node.head
        if node.dep_ in CLAUSE_DEPS and (node.dep_ != "conj" or _verbal(node)):
            return node
    return node


def _dated_noun(root: Token, hi: int) -> Token | None:
    """The noun a date modifies, if it dates a noun: "Sunday's playoff game", "the statement on
    Thursday"."""
    if root.dep_ in ("poss", "compound", "nmod", "amod") and root.head.i >= hi:
        return root.head
    noun = root.head.head
    if root.dep_ == "pobj" and root.head.dep_ == "prep" and noun.dep_ in NOMINAL_DEPS and not _verbal(noun):
        return noun
    return None


# Words an adverb may stand between a date and the verb after it ("Liz Cheney on Friday first articulated").
DATE_GAP = 2


def _also_dated(root: Token, lo: int, hi: int, head: Token) -> frozenset[str]:
    """Verbs the date may hang from besides the one the parser chose: a date is often attached one verb
    off. The participle whose phrase ends just before it ("E-mails released by the White House on Saturday
    revealed ...": released, not only revealed), and a clause's verb just after it ("The Times reports
    Liz Cheney on Friday first articulated ...": articulated, not only reports)."""
    doc = root.doc
    found = set()
    for t in doc[root.sent.start : lo]:
        if t.dep_ in ("acl", "relcl") and t.right_edge.i == lo - 1 and t.i != head.i:
            found.add(stem(t.text))
    for t in doc[hi : min(hi + DATE_GAP + 1, root.sent.end)]:
        if t.dep_ in CLAUSE_DEPS and _verbal(t) and t.i != head.i:
            found.add(stem(t.text))
            break
        if t.dep_ not in ("advmod", "punct"):
            break
    return frozenset(found)


def _date_slot(doc: Doc, span: Span) -> Slot | None:
    bounds = _span_tokens(doc, span)
    if bounds is None:
        return None
    root = _time_expression(doc[bounds[0] : bounds[1]].root)
    lo, hi = min(bounds[0], root.left_edge.i), max(bounds[1], root.i + 1)
    verb = _clause_verb(root)
    own = {stem(t.text) for t in doc[lo:hi]}
    head, context = _event(root), _context(verb, lo, hi)
    if (noun := _dated_noun(root, hi)) is not None:
        head = noun
        context = frozenset(stem(t.text) for t in noun.subtree if _content(t)) | {stem(noun.text)}
    return Slot(
        span,
        "date",
        stem(head.text),
        stem(verb.text),
        False,
        context - own,
        clause_subject(verb),
        _hedged(root),
        _names(verb, lo, hi),
        date_key(doc.text[span.start : span.end]),
        also=_also_dated(root, lo, hi, head),
    )


def _split_not(token: Token) -> bool:
    """ "hadn ’ t" written apart (as some corpora tokenise): a "t" after an apostrophe just before the verb."""
    doc = token.doc
    for i in range(max(1, token.i - 4), token.i):
        # ... and it denies this token, not another verb before it ("didn ’ t return a call seeking comment")
        if doc[i].lower_ == "t" and doc[i - 1].text in ("’", "'") and (doc[i].head.i == token.i or i == token.i - 1):
            return True
    return False


# Words that deny a predicate when they depend on it, whatever label the parser gave them.
NEGATORS = frozenset(["not", "n't", "n’t", "never"])
# Arguments that deny it: "did nothing wrong", "told nobody".
NEGATIVE_ARGUMENTS = frozenset(["nothing", "none", "nobody"])


def _negated(token: Token) -> bool:
    """Denied by a dependent ("not", "never"), by a negative argument ("no deal", "nothing"), or by an
    implicative governor."""
    if any(c.dep_ == "neg" or c.lower_ in NEGATORS for c in token.children) or _split_not(token):
        return True
    for c in token.children:
        if c.dep_ in ARGUMENT_DEPS and (
            c.lower_ in NEGATIVE_ARGUMENTS or any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
        ):
            return True
    governor = token.head
    return token.dep_ == "xcomp" and governor.i != token.i and stem(governor.text) in negative_governors()


def _predicate_slot(article_id: str, token: Token) -> Slot | None:
    """A clause's predicate: the verb, or a copula's complement ("is not vital" → "vital")."""
    if not _verbal(token):
        return None
    if stem(token.text) in ELLIPTIC and not any(c.dep_ in ARGUMENT_DEPS for c in token.children):
        return None  # "Biden did what Obama did not": the predicate is elided, nothing to compare
    word = token
    if token.lower_ in BE_FORMS:
        complement = next((c for c in token.children if c.dep_ in ("acomp", "attr")), None)
        if complement is None:
            return None
        word = complement
    if not word.is_alpha or len(word.text) < 3:
        return None
    doc = token.doc
    start, end = doc[word.i].idx, doc[word.i].idx + len(doc[word.i].text)
    # An adjective complement carries arguments of its own ("is married to Huma Abedin"); a noun's are
    # its modifiers ("the moderator of the debate"), not what is asserted of the subject.
    holders = (token, word) if word.dep_ == "acomp" else (token,)
    args = frozenset(
        stem(t.text)
        for h in holders
        for c in h.children
        if c.dep_ in ARGUMENT_DEPS and c.i != word.i
        for t in c.subtree
        if _content(t) and abs(t.i - token.i) <= CONTEXT_WINDOW
    )
    return Slot(
        Span(article_id, start, end),
        "predicate",
        stem(word.text),
        stem(token.text),
        _negated(token) or (word.i != token.i and _negated(word)),
        args,
        clause_subject(token),
        _hedged(token),
    )


def find_slots(article: Article, doc: Doc, numbers: list[Number], dates: list[DateMention]) -> list[Slot]:
    """Every figure, date and clause predicate of the article as a Slot, in text order (places:
    annotate.placing)."""
    if not doc.has_annotation("DEP"):
        return []
    slots: list[Slot] = []
    for number in numbers:
        if (slot := _figure_slot(doc, number)) is not None:
            slots.append(slot)
    for span in [d.span for d in dates] + unresolved_dates(article, dates):
        if (slot := _date_slot(doc, span)) is not None:
            slots.append(slot)
    for token in doc:
        if token.dep_ in CLAUSE_DEPS and token.is_alpha:
            if (slot := _predicate_slot(article.id, token)) is not None:
                slots.append(slot)
    slots.sort(key=slot_order)
    return slots


def slot_order(slot: Slot) -> tuple[int, int, str]:
    return slot.span.start, slot.span.end, slot.kind
