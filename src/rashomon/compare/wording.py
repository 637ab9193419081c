"""Wording choices: one thing worded differently by different outlets.

"a lewd photo" / "a suggestive photograph", "campaign funds" / "campaign
money" / "campaign cash", "an Internet security firm" / "a private security
company". Two noun phrases (annotate.phrases) of different articles are one
thing worded two ways when

* they sit in sentences of one fact, in the same place of the proposition
  (the same governor and role: both what was sent, both what was pleaded to),
  or they carry the same modifiers on a different head ("campaign funds" /
  "campaign cash") anywhere in the story; and
* their wordings are close in meaning (MiniLM cosine of the two phrases), so
  that "sent a photo" and "sent a message" stay apart; and
* no modifier that tells referents apart (a name, a nationality, a number)
  differs: "the Russian delegation" / "the Ukrainian delegation" are two things.

Pairs join into groups of forms; a form counts where it is an article's own
choice (the form it uses at least as often as any other of the group).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from rashomon.annotate.quotes import speech_stems
from rashomon.compare.terms import main_forms, term_forms
from rashomon.model import Annotated, Article, Fact, Phrase, Span, TermChoice

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import numpy as np

# MiniLM cosine two phrases in one place of one fact's proposition need to word one thing.
# On the five gold stories' 19 naming choices, the anchored gold pairs sit at 0.53-0.89
# (lewd photo / suggestive photograph 0.53, nuclear bomb / nuclear arms 0.56) and the
# anchored pairs below 0.5 are mostly two different things ("voters" / "attorneys").
ANCHORED_COSINE = 0.5
# The same governor and role anywhere in the story (not in one fact) need also close heads
# ("lewd photo" / "suggestive photograph": photo / photograph), as a different thing in
# the same place usually has a different head ("sent a photo" / "sent a message").
PLACED_HEAD_COSINE = 0.8
# The same modifiers on two heads anywhere in the story ("campaign funds" / "campaign cash")
# need close heads and close phrases: on the same stories every gold pair has a head cosine
# of 0.69-0.74 and a phrase cosine of 0.87-0.96, while "federal prosecutors" / "federal
# court" (0.61) and "marijuana legalization" / "marijuana prohibition" (0.57) are below.
HEAD_COSINE = 0.65
MODIFIED_COSINE = 0.85
# Groups larger than this are chains of loosely related phrases, not one thing.
MAX_FORMS = 4

Pair = tuple[Phrase, Phrase]


def phrase_text(phrase: Phrase, by_id: dict[str, Article]) -> str:
    return by_id[phrase.span.article].text[phrase.span.start : phrase.span.end]


def key(phrase: Phrase, by_id: dict[str, Article]) -> str:
    return " ".join(phrase_text(phrase, by_id).lower().split())


def _head_text(phrase: Phrase, by_id: dict[str, Article]) -> str:
    return key(phrase, by_id).rsplit(None, 1)[-1].rsplit("-", 1)[-1]


def phrase_texts(annotated: Annotated) -> list[str]:
    """Every text the comparison may embed for one article's phrases (kept in the disk cache)."""
    by_id = {annotated.article.id: annotated.article}
    return [t for p in annotated.phrases for t in (key(p, by_id), _head_text(p, by_id))]


def _inside(span: Span, phrases: list[Phrase]) -> list[Phrase]:
    return [p for p in phrases if span.start <= p.span.start and p.span.end <= span.end]


def differ(p: Phrase, q: Phrase) -> bool:
    """Worded differently, neither a detail added to the other, no name or number telling them apart,
    and not done by two different actors ("Lavrov held a phone call" / "Zelensky held urgent calls")."""
    a, b = set(p.words), set(q.words)
    two_actors = bool(p.actor and q.actor and not p.actor & q.actor)
    return p.words != q.words and not a <= b and not b <= a and p.fixed == q.fixed and not two_actors


def _anchored(groups: list[tuple[Span, ...]], annotated: dict[str, Annotated]) -> set[Pair]:
    """Phrases of different articles in sentences that state one thing with the same governor and role."""
    pairs: set[Pair] = set()
    for mentions in groups:
        if len({m.article for m in mentions}) < 2:
            continue
        inside = [(m.article, _inside(m, annotated[m.article].phrases)) for m in mentions]
        for i, (a, pa) in enumerate(inside):
            for b, pb in inside[i + 1 :]:
                if a != b:
                    pairs.update((p, q) for p in pa for q in pb if p.anchor == q.anchor and differ(p, q))
    return pairs


def _pairs_within(buckets: dict[object, list[Phrase]], keep: Callable[[Phrase, Phrase], bool]) -> set[Pair]:
    """Pairs of phrases of different articles in one bucket that `keep` accepts."""
    pairs: set[Pair] = set()
    for group in buckets.values():
        for i, p in enumerate(group):
            pairs.update((p, q) for q in group[i + 1 :] if q.span.article != p.span.article and keep(p, q))
    return pairs


def _same_place(annotated: dict[str, Annotated], speech: frozenset[str]) -> set[Pair]:
    """Phrases of different articles anywhere in the story with the same governor and role.

    Not the subjects of speech verbs: "a senior official said" and "a former official said"
    are most often two people.
    """
    by_anchor: dict[object, list[Phrase]] = defaultdict(list)
    for ann in annotated.values():
        for p in ann.phrases:
            governor, role = p.anchor.rsplit(":", 1)
            if not (role == "subj" and governor in speech):
                by_anchor[p.anchor].append(p)
    return _pairs_within(by_anchor, differ)


def _modified(annotated: dict[str, Annotated]) -> set[Pair]:
    """Phrases of different articles with the same modifiers on different heads."""
    by_mods: dict[object, list[Phrase]] = defaultdict(list)
    for ann in annotated.values():
        for p in ann.phrases:
            if len(p.words) > 1:
                by_mods[p.words[:-1]].append(p)
    return _pairs_within(by_mods, lambda p, q: p.head != q.head and differ(p, q))


def cosines(texts: set[str], embed: Callable[[list[str]], np.ndarray]) -> Callable[[str, str], float]:
    """The MiniLM cosine of any two of `texts`, all embedded in one call."""
    ordered = sorted(texts)
    vectors = embed(ordered) if ordered else None
    row = {t: i for i, t in enumerate(ordered)}

    def cos(a: str, b: str) -> float:
        return float(vectors[row[a]] @ vectors[row[b]]) if vectors is not None else 0.0

    return cos


def _edges(
    anchored: set[Pair],
    placed: set[Pair],
    modified: set[Pair],
    by_id: dict[str, Article],
    embed: Callable[[list[str]], np.ndarray],
) -> dict[frozenset[str], float]:
    """Pairs of wordings (lower-cased) judged to name one thing, with their cosine.

    Heads are compared first (single words), so that only the pairs whose heads are close
    enough have their whole phrases embedded.
    """
    placed, modified = placed - anchored, modified - anchored
    heads = cosines({_head_text(p, by_id) for pair in placed | modified for p in pair}, embed)

    def head_cos(p: Phrase, q: Phrase) -> float:
        return heads(_head_text(p, by_id), _head_text(q, by_id))

    near = {pair for pair in placed if head_cos(*pair) >= PLACED_HEAD_COSINE}
    near_modified = {pair for pair in modified if head_cos(*pair) >= HEAD_COSINE}
    kept = anchored | near | near_modified
    whole = cosines({key(p, by_id) for pair in kept for p in pair}, embed)
    edges: dict[frozenset[str], float] = {}
    for p, q in kept:
        a, b = key(p, by_id), key(q, by_id)
        if a == b:
            continue
        cos = whole(a, b)
        floor = MODIFIED_COSINE if (p, q) in near_modified and (p, q) not in near else ANCHORED_COSINE
        if cos >= floor:
            edges[frozenset((a, b))] = cos
    return edges


def _groups(edges: dict[frozenset[str], float]) -> list[set[str]]:
    """Groups of forms joined closest pair first, where at least half the pairs across two groups are edges.

    Half, not all: "Internet security firm" / "Internet security company" share their
    modifiers and "Internet security company" / "private security company" their place,
    while the third pair has no evidence of its own; single links would chain unrelated
    phrases through one ambiguous one.
    """
    group_of: dict[str, set[str]] = {}
    for edge, _ in sorted(edges.items(), key=lambda e: (-e[1], sorted(e[0]))):
        a, b = sorted(edge)
        ga, gb = group_of.get(a, {a}), group_of.get(b, {b})
        if ga is gb or len(ga | gb) > MAX_FORMS:
            continue
        linked = sum(frozenset((x, y)) in edges for x in ga for y in gb)
        if linked * 2 >= len(ga) * len(gb):
            merged = ga | gb
            for form in merged:
                group_of[form] = merged
    unique = {id(g): g for g in group_of.values()}
    return sorted(unique.values(), key=sorted)


def find_wording(
    facts: list[Fact],
    annotated: dict[str, Annotated],
    articles: list[Article],
    embed: Callable[[list[str]], np.ndarray],
    aligned: Sequence[tuple[Span, Span]] = (),
) -> list[TermChoice]:
    """Things the outlets word differently, as naming choices of kind "wording".

    `aligned` are pairs of sentences of different articles close enough to state one thing
    even where the fact clustering put them apart (one quotation worded two ways).
    """
    by_id = {a.id: a for a in articles}
    annotated = {a.id: annotated[a.id] for a in articles}  # not the articles set aside
    groups = [f.mentions for f in facts] + [tuple(pair) for pair in aligned]
    edges = _edges(
        _anchored(groups, annotated), _same_place(annotated, speech_stems()), _modified(annotated), by_id, embed
    )
    written: dict[str, list[Phrase]] = defaultdict(list)  # each lower-cased wording with its phrases
    for ann in annotated.values():
        for p in ann.phrases:
            written[key(p, by_id)].append(p)
    out = []
    for group in _groups(edges):
        spans: dict[str, dict[str, list[Span]]] = defaultdict(dict)
        for lowered in group:
            form = phrase_text(written[lowered][0], by_id)
            for p in written[lowered]:
                spans[form].setdefault(p.span.article, []).append(p.span)
        chosen = main_forms(spans, articles)
        if len(chosen) >= 2:
            forms = term_forms(spans, chosen)
            out.append(TermChoice(referent=forms[0].form, kind="wording", forms=forms))
    return out
