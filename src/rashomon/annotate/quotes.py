"""Quotes and their speakers: direct quotes in quotation marks, and reported speech.

Speakers come from the dependency parse: the subject of a speech verb
("Peskov said", "said Peskov", "Umerov told reporters"), the object of
"according to", a name beside a quote that has no verb, the signature of an
embedded post, "he"/"she" carried over from the last named speaker or person
it agrees with in gender (annotate.genders: what the text says of each person,
never a guess from a first name), and "they" from the last plural speaker
named nearby.
"""

from __future__ import annotations

import bisect
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from rashomon.annotate.genders import ANTECEDENT_PARAGRAPHS, Antecedents, genders, looks_plural
from rashomon.annotate.roles import ROLE_NOUNS, TITLES, described, learn_roles, own_tokens, role_of, same_paragraph
from rashomon.model import Article, Mention, Paragraph, Quote, Sentence, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_OPENERS = '“"'
_CLOSERS = '”"'
_SIGNATURE = re.compile(r"—\s*(?P<name>[A-Z][^—(]{1,60}?)\s*\(@\w{1,30}\)")
_PRONOUNS = {"he", "she"}
# Pronouns that name no one we can resolve: a quote "they said" stays unattributed.
_OTHER_PRONOUNS = frozenset(
    "i we you it they me us him her them this that these those who which what one someone".split()
)
# Dependency labels a speech word carries when it is used as a verb ("said"), not as a noun
# ("his comments"): the parse tells this without the tagger, which rashomon does not run.
_VERB_DEPS = frozenset("ROOT ccomp advcl xcomp relcl acl pcomp parataxis conj csubj".split())
_SUBJECTS = ("nsubj", "nsubjpass")


@cache
def speech_forms() -> frozenset[str]:
    """Word forms of speech and attribution verbs, from data/speech_verbs.toml."""
    data = tomllib.loads(resources.files("rashomon.data").joinpath("speech_verbs.toml").read_text("utf-8"))
    forms: set[str] = set()
    for verb in data["verbs"]:
        forms.update(verb.split("|"))
    return frozenset(forms)


@cache
def quote_only_forms() -> frozenset[str]:
    """Forms of verbs that attribute a direct quote beside them but report nothing without one
    ("…," Akin continued), from data/speech_verbs.toml."""
    data = tomllib.loads(resources.files("rashomon.data").joinpath("speech_verbs.toml").read_text("utf-8"))
    return frozenset(form for verb in data.get("quote_only", []) for form in verb.split("|"))


@cache
def cue_forms() -> frozenset[str]:
    """Every form that can attribute a direct quote: the speech verbs and the quote-only ones."""
    return speech_forms() | quote_only_forms()


@cache
def speech_stems() -> frozenset[str]:
    """The stems of the speech verbs' forms (annotate.structure.stem)."""
    from rashomon.annotate.structure import stem

    return frozenset(stem(w) for w in speech_forms())


def quote_spans(text: str, paragraphs: list[Paragraph]) -> list[tuple[int, int]]:
    """Inner spans of text in double quotation marks, paired within each paragraph."""
    out: list[tuple[int, int]] = []
    for para in paragraphs:
        start = None
        for i in range(para.span.start, para.span.end):
            ch = text[i]
            before = text[i - 1] if i > para.span.start else " "
            after = text[i + 1] if i + 1 < para.span.end else " "
            if start is None and ch in _OPENERS and (not before.isalnum() or ch == "“"):
                start = i + 1
            elif start is not None and ch in _CLOSERS and (not after.isalnum() or ch == "”") and i > start:
                out.append((start, i))
                start = None
        if start is not None and para.span.end - start > 20:  # a quote running on to the next paragraph
            out.append((start, para.span.end))
    return out


_PERSON_LABELS = ("PERSON", "NAME")


@dataclass
class _Context:
    article: Article
    doc: Doc
    mentions: list[Mention]
    inside: list[tuple[int, int]]
    last_person: str | None = None
    last_speaker: str | None = None
    roles: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # role noun -> (offset, person)
    antecedents: Antecedents = field(default_factory=lambda: Antecedents({}))
    paragraph: int = 0  # the paragraph of the sentence being read
    last_group: tuple[int, str] | None = None  # (paragraph, name) of the last plural speaker, for "they"

    def __post_init__(self) -> None:
        # Lookups by offset are bisections: a long article holds thousands of names and quotes.
        self.mentions = sorted(self.mentions, key=lambda m: m.span.start)
        self._starts = [m.span.start for m in self.mentions]
        self.inside = sorted(self.inside)
        self._quote_starts = [a for a, _ in self.inside]
        # surnames of the people the article names in full, for a lone surname the tagger missed
        self._surnames = {m.name.split()[-1]: m.name for m in self.mentions if m.label == "PERSON" and " " in m.name}

    def in_quote(self, pos: int) -> bool:
        i = bisect.bisect_right(self._quote_starts, pos) - 1
        return i >= 0 and pos < self.inside[i][1]

    def mention_at(self, token: Token) -> Mention | None:
        i = bisect.bisect_right(self._starts, token.idx) - 1
        if i >= 0 and token.idx < self.mentions[i].span.end:
            return self.mentions[i]
        return None

    def person(self, token: Token) -> Mention | None:
        """The person (or capitalised name) mention the token is part of, if any."""
        m = self.mention_at(token)
        if m is None and token.text in self._surnames and token.text.istitle():
            return Mention(Span(self.article.id, token.idx, token.idx + len(token.text)), "PERSON", token.text)
        return m if m is not None and m.label in _PERSON_LABELS else None


def _subject(verb: Token) -> Token | None:
    if verb.lower_ == "according":
        for child in verb.children:
            if child.lower_ == "to":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                return objs[0] if objs else None
        return None
    for child in verb.children:  # "was first reported by BigGovernment.com": the agent speaks
        if child.dep_ == "agent":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                return objs[0]
    for child in verb.children:
        if child.dep_ in _SUBJECTS:
            return child
    if verb.dep_ in ("conj", "advcl", "xcomp", "dep") and verb.head is not verb:
        return _subject(verb.head)
    return None


def _mention_of(token: Token, ctx: _Context) -> Mention | None:
    m = ctx.mention_at(token)
    return m if m is not None and m.label in ("PERSON", "NAME", "ORG", "GPE", "NORP") else None


def _name(token: Token, ctx: _Context) -> str | None:
    """The speaker a subject token stands for: a name, a carried-over person, or its noun phrase."""
    if token.lower_ in _PRONOUNS:  # "he said" in news copy most often continues the last speaker
        return _antecedent(token, ctx)
    if token.lower_ == "they":  # "officials said ... they added": the last plural speaker, named nearby
        group = ctx.last_group
        return group[1] if group and ctx.paragraph - group[0] < ANTECEDENT_PARAGRAPHS else None
    if token.lower_ in _OTHER_PRONOUNS:
        return None
    own = _mention_of(token, ctx)
    if own is not None and own.label in _PERSON_LABELS:
        return own.name
    for t in own_tokens(token):  # "the envoy, Jane Doe", not "Lauten, who works for Rep. Fincher"
        m = ctx.person(t)
        if m is not None and (t.dep_ in ("appos", "compound") or t.head.dep_ == "appos"):
            return m.name
    if own is not None:
        return own.name
    role = role_of(token, ctx) or described(token, ctx)  # "the Texas governor" after "Gov. Rick Perry"
    if role is not None:
        return role
    for child in token.children if token.text.islower() else ():  # "Mr. Braley's apology noted": Braley
        m = ctx.person(child)
        if child.dep_ == "poss" and m is not None:
            return m.name
    words = [
        t
        for t in token.subtree
        if (t.i <= token.i and t.dep_ in ("compound", "amod", "poss", "nmod") and same_paragraph(t, token))
        or t.i == token.i
    ]
    phrase = " ".join(t.text for t in words if not t.is_stop and t.dep_ != "case").strip()
    if any(w[:1].isupper() for w in phrase.split()) or token.lower_ in ROLE_NOUNS:
        return phrase or None
    return None


def _antecedent(pronoun: Token, ctx: _Context) -> str | None:
    """Who "he" or "she" is: a person named as a subject earlier in its own sentence ("Ryan hammered
    Obama for what he called ..."), else the last speaker or named subject, else a person named nearby,
    each only if the text does not give them the other gender (annotate.genders)."""
    subjects = [
        m.name
        for t in pronoun.sent
        if t.i < pronoun.i and t.dep_ in _SUBJECTS and not ctx.in_quote(t.idx) and (m := ctx.person(t)) is not None
    ]
    preferred = [*reversed(subjects), ctx.last_speaker, ctx.last_person]
    return ctx.antecedents.resolve(pronoun.lower_, ctx.paragraph, preferred, sentence=subjects)


def _person_at(token: Token, ctx: _Context) -> Mention | None:
    """The person a subject names itself, or through an apposition ("the envoy, Jane Doe")."""
    for t in [token, *token.children]:
        if t is token or t.dep_ == "appos":
            m = ctx.person(t)
            if m is not None:
                return m
    return None


def _track_person(tokens: list[Token], ctx: _Context) -> None:
    """Remember the last named person in subject position, and every person named outside quotes, for a
    later "he" or "she"."""
    last: Mention | None = None
    for tok in tokens:
        if ctx.in_quote(tok.idx):
            continue
        m = ctx.person(tok)
        if m is not None and m is not last:
            ctx.antecedents.saw(ctx.paragraph, m.name)
            last = m
        if tok.dep_ in _SUBJECTS and m is not None:
            ctx.last_person = m.name


def _speech_verbs(tokens: list[Token], ctx: _Context) -> list[tuple[Token, str | None, bool]]:
    """(verb, speaker, named) for each speech cue in a sentence; cues inside a quote only with a named subject."""
    out: list[tuple[Token, str | None, bool]] = []
    forms = cue_forms()
    for tok in tokens:
        if tok.lower_ not in forms or (tok.dep_ not in _VERB_DEPS and tok.lower_ != "according"):
            continue
        if tok.dep_ == "xcomp" and tok.head.lower_ in forms:  # "declined to comment": one cue
            continue
        subj = _subject(tok)
        if subj is not None and not tokens[0].i <= subj.i <= tokens[-1].i:
            # the parse ran on past the sentence (a paragraph ending without a full stop): take the
            # name that opens this sentence's clause instead of a subject from the sentence before
            subj = _first_name(tokens, tok, ctx)
        if subj is None:
            continue
        subject_person = ctx.person(subj)
        if ctx.in_quote(tok.idx) and subject_person is None:
            continue
        speaker = _name(subj, ctx)
        if speaker is None:
            continue
        out.append((tok, speaker, _person_at(subj, ctx) is not None))
        if subject_person is None and _plural(subj) and not ctx.in_quote(tok.idx):
            ctx.last_group = (ctx.paragraph, speaker)
        if subj.lower_ in _PRONOUNS and not ctx.in_quote(tok.idx):  # "he said" goes on the chain it resolved to
            ctx.last_speaker = speaker
            ctx.antecedents.saw(ctx.paragraph, speaker)
        if subject_person is not None and not ctx.in_quote(tok.idx):  # a quoted "Obama has said" is no narration
            ctx.last_speaker = subject_person.name
            if subj.dep_ in _SUBJECTS:
                ctx.last_person = subject_person.name
    return out


def _first_name(tokens: list[Token], verb: Token, ctx: _Context) -> Token | None:
    """The first named actor before the verb in the sentence, outside quotes; else the sentence's first
    word when it is a capitalised name the tagger missed ("Romney released a statement")."""
    found = next((t for t in tokens if t.i < verb.i and not ctx.in_quote(t.idx) and _mention_of(t, ctx)), None)
    if found is None and tokens and tokens[0].i < verb.i and tokens[0].text.istitle() and not tokens[0].is_stop:
        return tokens[0]
    return found


def _plural(subject: Token) -> bool:
    """Whether a speaker names more than one: a plural noun ("officials", "Republicans"; read from its
    ending, as rashomon runs no tagger) or names joined by "and"."""
    if subject.lower_ in _OTHER_PRONOUNS:
        return False
    return any(c.dep_ == "conj" for c in subject.children) or looks_plural(subject)


Cue = tuple["Token", str | None, bool]


def _attribution(quote: tuple[int, int], verbs: list[Cue]) -> Cue | None:
    """The speech verb a quote belongs to: the smallest clause holding it, else the nearest verb."""
    a, b = quote
    outside = [cue for cue in verbs if not a <= cue[0].idx < b]
    if not outside:
        return None
    holding = []
    for cue in outside:
        v = cue[0]
        lo = v.left_edge.idx
        hi = v.right_edge.idx + len(v.right_edge.text)
        if lo <= a and b <= hi + 1:
            holding.append((hi - lo, cue))
    if holding:
        return min(holding, key=lambda x: x[0])[1]
    return min(outside, key=lambda cue: min(abs(cue[0].idx - a), abs(cue[0].idx - b)))


def _nearby_person(tokens: list[Token], ctx: _Context) -> str | None:
    for tok in tokens:
        if not ctx.in_quote(tok.idx):
            m = ctx.person(tok)
            if m is not None:
                return m.name
    return None


def find_quotes(
    article: Article,
    doc: Doc,
    paragraphs: list[Paragraph],
    sentences: list[Sentence],
    mentions: list[Mention],
    inside: list[tuple[int, int]] | None = None,
) -> list[Quote]:
    """Direct quotes with speakers where one can be found, and reported speech.

    `inside` is `quote_spans` of the article when the caller has it already.
    """
    inside = quote_spans(article.text, paragraphs) if inside is None else inside
    ctx = _Context(article, doc, _surnames_as_people(mentions), inside)
    people = [m for m in ctx.mentions if m.label in _PERSON_LABELS]
    ctx.antecedents = Antecedents(genders(doc, people, ctx.mention_at, ctx.in_quote))
    learn_roles(doc, ctx)
    starts = [t.idx for t in doc]
    out: list[Quote] = []
    claimed: set[tuple[int, int]] = set()
    previous: tuple[int, str | None] = (-1, None)
    waiting: list[Quote] = []  # quotes running on past their first sentence with no cue there yet
    quote_only = quote_only_forms()
    for sent in sentences:
        lo = bisect.bisect_left(starts, sent.span.start)
        hi = bisect.bisect_left(starts, sent.span.end)
        tokens = [doc[i] for i in range(lo, hi)]
        if sent.kind == "embed":
            out.extend(_embed_quotes(article, sent, inside, claimed))
            continue
        if sent.kind != "body":
            continue
        if waiting and sent.paragraph != ctx.paragraph:
            out.extend(waiting)
            waiting = []
        ctx.paragraph = sent.paragraph
        verbs = _speech_verbs(tokens, ctx)
        here = [(a, b) for a, b in inside if a < sent.span.end and b > sent.span.start and (a, b) not in claimed]
        claimed.update(here)
        carried = previous[1] if previous[0] == sent.paragraph else None
        direct, used = _direct_quotes(article, here, verbs, tokens, ctx, carried)
        settled, waiting = _settle(waiting, direct, verbs, used, sent)
        out.extend(settled)
        out.extend(
            Quote(_reported_span(verb, sent), speaker, "reported", verb.text, named)
            for verb, speaker, named in verbs
            if verb.i not in used and (verb.lower_ not in quote_only or _reports(verb))
        )
        if verbs:
            # a quote with no cue of its own goes on the last speaker's words; "according to TIME" names
            # where the report comes from, not who speaks on ("..., said Trump ..., according to TIME.")
            speaking = [cue for cue in verbs if cue[0].lower_ != "according"] or verbs
            previous = (sent.paragraph, speaking[-1][1])
        _track_person(tokens, ctx)
    out.extend(waiting)
    return sorted(out, key=lambda q: (q.span.start, q.span.end))


# How far after a quote that ran over several sentences its cue may stand ("…," Labrador said).
_CUE_AFTER = 40


def _reports(verb: Token) -> bool:
    """Whether a verb that mostly frames quotes reports words here ("joked that the photo ...")."""
    return any(c.dep_ == "ccomp" for c in verb.children)


def _settle(
    waiting: list[Quote], direct: list[Quote], verbs: list[Cue], used: set[int], sent: Sentence
) -> tuple[list[Quote], list[Quote]]:
    """The quotes done with at this sentence, and those still waiting for a cue. Quotes that began in an
    earlier sentence of the paragraph with no cue there: the cue right after their closing mark in this
    sentence gives their speaker; those still running on keep waiting; the rest keep the speaker they
    were given (a person named beside them, or the paragraph's last speaker). This sentence's own
    `direct` quotes wait when they have no cue and run on past it."""
    settled: list[Quote] = []
    still: list[Quote] = []
    for quote in waiting:
        end = quote.span.end
        after = [cue for cue in verbs if cue[0].i not in used and 0 <= cue[0].idx - end <= _CUE_AFTER]
        if after:
            verb, speaker, named = min(after, key=lambda cue: cue[0].idx)
            used.add(verb.i)
            settled.append(Quote(quote.span, speaker, "direct", verb.text, named))
        elif end > sent.span.end:
            still.append(quote)
        else:
            settled.append(quote)
    for quote in direct:
        (still if quote.cue is None and quote.span.end > sent.span.end else settled).append(quote)
    return settled, still


def _direct_quotes(
    article: Article,
    here: list[tuple[int, int]],
    verbs: list[Cue],
    tokens: list[Token],
    ctx: _Context,
    carried: str | None,
) -> tuple[list[Quote], set[int]]:
    """The sentence's direct quotes with their speakers, and the speech verbs they took: the verb a quote
    belongs to, else a person named in the sentence, else `carried` (the last speaker of the paragraph)."""
    out: list[Quote] = []
    used: set[int] = set()
    for a, b in here:
        found = _attribution((a, b), verbs)
        named = False
        if found is not None:
            verb, speaker, named = found
            used.add(verb.i)
            cue: str | None = verb.text
        elif (inverted := _inverted_cue(b, tokens, ctx)) is not None:
            speaker, cue, named = inverted
        else:
            speaker, cue = _nearby_person(tokens, ctx) or carried, None
        out.append(Quote(Span(article.id, a, b), speaker, "direct", cue, named))
    return out, used


def _surnames_as_people(mentions: list[Mention]) -> list[Mention]:
    """A lone surname the tagger read as an organisation ("Akin said" after "Rep. Todd Akin") is that
    person when the article names a person with that surname."""
    from rashomon.annotate.genders import person_key

    surnames = {person_key(m.name) for m in mentions if m.label == "PERSON" and len(m.name.split()) > 1}
    return [
        Mention(m.span, "PERSON", m.name)
        if m.label in ("ORG", "NAME") and len(m.name.split()) == 1 and person_key(m.name) in surnames
        else m
        for m in mentions
    ]


def _inverted_cue(end: int, tokens: list[Token], ctx: _Context) -> tuple[str, str, bool] | None:
    """'…," added Lauten' where the parse did not read the cue as a verb: a speech word right after the
    closing mark and the capitalised name after it (a title such as "Gov." skipped)."""
    words = [t for t in tokens if t.idx > end and not t.is_punct][:4]
    if len(words) < 2 or words[0].lower_ not in cue_forms() or words[0].idx - end > 3:
        return None
    name = [t for t in words[1:] if t.text[:1].isupper() and t.lower_ not in TITLES]
    if not name or name[0].i != words[1].i + (words[1].lower_ in TITLES):
        return None
    m = ctx.person(name[0])
    if m is not None:
        return m.name, words[0].text, True
    run = [name[0]]
    for t in name[1:]:
        if t.i != run[-1].i + 1:
            break
        run.append(t)
    return " ".join(t.text for t in run), words[0].text, False


def _embed_quotes(
    article: Article, sent: Sentence, inside: list[tuple[int, int]], claimed: set[tuple[int, int]]
) -> list[Quote]:
    """An embedded post signed "— Name (@handle) date": the post, and a quote just before it, are theirs."""
    text = article.text
    sig = _SIGNATURE.search(text, sent.span.start, sent.span.end)
    if not sig:
        return []
    who = sig["name"].strip()
    out = [Quote(Span(article.id, sent.span.start, sig.start()), who, "direct", "post", True)]
    for a, b in inside:
        if sent.span.start - 400 < a < sent.span.start and (a, b) not in claimed:
            claimed.add((a, b))
            out.append(Quote(Span(article.id, a, b), who, "direct", "post", True))
    return out


def _reported_span(verb: Token, sent: Sentence) -> Span:
    """What was reported: the verb's clause when the parse gives one, else the sentence."""
    comps = [c for c in verb.children if c.dep_ in ("ccomp", "xcomp")]
    if comps:
        sub = list(comps[0].subtree)
        start, end = sub[0].idx, sub[-1].idx + len(sub[-1].text)
        if sent.span.start <= start < end <= sent.span.end and end - start > 10:
            return Span(sent.span.article, start, end)
    return sent.span
