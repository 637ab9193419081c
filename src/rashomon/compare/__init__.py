"""One story → a Comparison: facts, conflicts, terms, voices, timeline, summary."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from rashomon.annotate import NLP, AnnotationCache, annotate_articles
from rashomon.annotate.nlp import FALLBACK_WARNING
from rashomon.compare.alignment import alignment_matrix
from rashomon.compare.claims import Claim, find_claims, headline_claims, overlap_matrix
from rashomon.compare.conflicts import find_conflicts
from rashomon.compare.descriptors import find_descriptors
from rashomon.compare.entities import LinkedEntity, link_entities, public_entities
from rashomon.compare.facts import clause_cosine, group_facts
from rashomon.compare.relevance import set_aside_offtopic
from rashomon.compare.summary import write_summary
from rashomon.compare.terms import find_terms, rank_terms
from rashomon.compare.timeline import build_timeline
from rashomon.compare.voices import collect_voices
from rashomon.compare.wording import find_wording
from rashomon.embed import Embedder, TokenVectors
from rashomon.group.duplicates import mark_copies
from rashomon.model import Annotated, Article, Comparison, Conflict, Fact, SetAside, Span, TermChoice
from rashomon.settings import CompareOptions

if TYPE_CHECKING:
    import numpy as np

T = TypeVar("T")


def canonical_order(articles: list[Article]) -> list[Article]:
    """A fixed order whatever order the input came in: by date, outlet (unknown ones last, by source), then id."""
    return sorted(
        articles, key=lambda a: (a.published or dt.date.max, a.outlet is None, (a.outlet or a.source).lower(), a.id)
    )


def reference_dates(articles: list[Article]) -> dict[str, dt.date | None]:
    """Each article's publication date; an undated one borrows the story's latest known date."""
    known = [a.published for a in articles if a.published]
    fallback = max(known) if known else None
    return {a.id: a.published or fallback for a in articles}


class Timer:
    """Wall time per stage, for the benchmarks."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}

    def run(self, name: str, fn: Callable[[], T]) -> T:
        start = time.perf_counter()
        try:
            return fn()
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


def _only(
    kept: list[Article], claims: list[Claim], vectors: np.ndarray, tokens: list[TokenVectors]
) -> tuple[list[Claim], np.ndarray, list[TokenVectors]]:
    """The claims (renumbered), vectors and token vectors of the articles kept."""
    keep_ids = {a.id for a in kept}
    rows = [i for i, c in enumerate(claims) if c.span.article in keep_ids]
    return [replace(claims[i], index=n) for n, i in enumerate(rows)], vectors[rows], [tokens[i] for i in rows]


def _embedded_claims(
    articles: list[Article], annotated: dict[str, Annotated], options: CompareOptions, embedder: Embedder, timer: Timer
) -> tuple[list[Article], list[SetAside], list[Claim], np.ndarray, list[TokenVectors]]:
    """The articles about the story and those set aside, with the kept ones' claims, sentence vectors
    and token vectors."""
    claims = find_claims([annotated[a.id] for a in articles], options.min_words_claim)
    # Token vectors first: computing them computes the sentence vectors too, in one pass of the model.
    tokens = timer.run("embed", lambda: embedder.tokens([c.text for c in claims]))
    vectors = timer.run("embed", lambda: embedder.embed([c.text for c in claims]))
    kept, set_aside = timer.run("relevance", lambda: set_aside_offtopic(articles, claims, vectors, annotated, options))
    if set_aside:
        claims, vectors, tokens = _only(kept, claims, vectors, tokens)
    return kept if set_aside else articles, set_aside, claims, vectors, tokens


# What a place further down an article costs a claim's centrality: news copy puts what matters first.
# Chosen on 300 NeuS train events (0, 0.02, 0.05, 0.1 scored within 0.002 ROUGE of one another).
LEAD_PRIOR = 0.02


def _centrality(claims: list[Claim], vectors: np.ndarray) -> dict[Span, float]:
    """How central each claim is to the story, for choosing what the summary says: the mean, over the
    other articles, of its closest cosine to a claim of that article (what the others also tell), less
    LEAD_PRIOR for each claim before it in its own article."""
    import numpy as np

    by_article: dict[str, list[Claim]] = {}
    for claim in sorted(claims, key=lambda c: c.span.start):
        by_article.setdefault(claim.span.article, []).append(claim)
    rows = {a: np.array([c.index for c in own]) for a, own in by_article.items()}
    out: dict[Span, float] = {}
    for article, own in by_article.items():
        others = [vectors[own_rows] for other, own_rows in rows.items() if other != article]
        mine = vectors[rows[article]]
        best = np.mean([(mine @ theirs.T).max(axis=1) for theirs in others], axis=0) if others else np.zeros(len(own))
        for place, claim in enumerate(own):
            out[claim.span] = float(best[place]) - LEAD_PRIOR * place
    return out


def _facts_and_conflicts(
    claims: list[Claim],
    vectors: np.ndarray,
    tokens: list[TokenVectors],
    annotated: dict[str, Annotated],
    articles: list[Article],
    options: CompareOptions,
    embedder: Embedder,
    timer: Timer,
) -> tuple[list[Fact], list[Conflict]]:
    """Facts and contradictions, sharing one word-overlap matrix (a second one, over claims and
    headlines, only when some article has a headline: facts keep the body's word weights)."""
    import numpy as np

    chunk_vectors = timer.run("embed", lambda: embedder.embed([t for c in claims for t in c.chunks]))
    cos_matrix = clause_cosine(claims, vectors, chunk_vectors)
    overlaps = overlap_matrix(claims)
    aligned = timer.run("align", lambda: alignment_matrix(tokens))
    facts = timer.run(
        "facts",
        lambda: group_facts(claims, vectors, articles, options.fact_threshold, cos_matrix, overlaps, aligned),
    )
    # Headlines take part in contradictions only (claims.headline_claims).
    heads = headline_claims([annotated[a.id] for a in articles], len(claims), options.min_words_claim)
    checked, checked_vectors, checked_overlaps = claims, vectors, overlaps
    if heads:
        head_vectors = timer.run("embed", lambda: embedder.embed([c.text for c in heads]))
        checked, checked_vectors = claims + heads, np.vstack([vectors, head_vectors])
        checked_overlaps = overlap_matrix(checked)
    conflicts = timer.run(
        "conflicts",
        lambda: find_conflicts(
            checked, checked_vectors, annotated, articles, options.max_contradictions, checked_overlaps
        ),
    )
    return mark_disputed(facts, conflicts), conflicts


# Sentence cosine above which two sentences of different articles state one thing for the
# wording comparison, whatever facts they fell into. Chosen on the five gold stories' naming
# choices and read on 40 BASIL stories (see README, quality).
ALIGNED_COSINE = 0.8


def aligned_pairs(claims: list[Claim], vectors: np.ndarray) -> list[tuple[Span, Span]]:
    """Pairs of claims of different articles whose sentences are at least ALIGNED_COSINE alike."""
    import numpy as np

    if not claims:
        return []
    sims = vectors @ vectors.T
    return [
        (claims[i].span, claims[j].span)
        for i, j in np.argwhere(sims >= ALIGNED_COSINE)
        if i < j and claims[i].span.article != claims[j].span.article
    ]


def _naming(
    entities: list[LinkedEntity],
    facts: list[Fact],
    claims: list[Claim],
    vectors: np.ndarray,
    annotated: dict[str, Annotated],
    articles: list[Article],
    embedder: Embedder,
) -> list[TermChoice]:
    """Every naming choice, those that set the most articles apart first: names and labels, wordings
    of one thing, and descriptions of one referent."""
    return rank_terms(
        find_terms(entities, annotated, articles)
        + find_wording(facts, annotated, articles, embedder.embed, aligned_pairs(claims, vectors))
        + find_descriptors(entities, annotated, articles, embedder.embed)
    )


def mark_disputed(facts: list[Fact], conflicts: list[Conflict]) -> list[Fact]:
    """Each fact with the contradictions that have a side among its sentences."""
    out = []
    for fact in facts:
        mentions = set(fact.mentions)
        ids = tuple(c.id for c in conflicts if mentions & set(c.sides))
        out.append(replace(fact, conflicts=ids) if ids else fact)
    return out


def compare_articles(
    articles: list[Article],
    *,
    options: CompareOptions,
    nlp: NLP,
    embedder: Embedder,
    warnings: list[str] | None = None,
    timer: Timer | None = None,
    cache: AnnotationCache | None = None,
) -> Comparison:
    """Compare articles already read; the stages run in the order of the data flow."""
    timer = timer or Timer()
    warnings = list(warnings or [])
    articles = canonical_order(articles)
    if len(articles) == 1:
        warnings.append(
            "only one article: nothing to compare it with, so every fact is reported by one outlet; add more articles"
        )
    articles = timer.run("copies", lambda: mark_copies(articles, options.copy_threshold))
    annotated = timer.run("annotate", lambda: annotate_articles(articles, nlp, reference_dates(articles), cache))
    if nlp.is_loaded and not nlp.has_model:
        warnings.append(FALLBACK_WARNING)
    articles, set_aside, claims, vectors, tokens = _embedded_claims(articles, annotated, options, embedder, timer)
    entities = timer.run("entities", lambda: link_entities([annotated[a.id] for a in articles]))
    facts, conflicts = _facts_and_conflicts(claims, vectors, tokens, annotated, articles, options, embedder, timer)
    terms = timer.run("terms", lambda: _naming(entities, facts, claims, vectors, annotated, articles, embedder))
    terms = terms[: options.max_terms]
    voices = timer.run("voices", lambda: collect_voices(annotated, articles, entities))
    timeline = build_timeline(annotated, articles)
    centrality = _centrality(claims, vectors)
    summary = timer.run(
        "summary", lambda: write_summary(facts, conflicts, claims, annotated, articles, options, centrality)
    )
    return Comparison(
        articles=articles,
        annotated={a.id: annotated[a.id] for a in articles},
        set_aside=set_aside,
        facts=facts,
        contradictions=conflicts,
        terms=terms,
        voices=voices,
        timeline=timeline,
        summary=summary,
        warnings=warnings,
        entities=public_entities(entities),
    )
