"""One article → sentences, mentions, quotes, numbers, dates, loaded wording, opinion."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from rashomon.annotate.dates import find_dates
from rashomon.annotate.entities import find_mentions
from rashomon.annotate.loaded import find_loaded
from rashomon.annotate.nlp import NLP
from rashomon.annotate.numbers import find_numbers
from rashomon.annotate.opinion import find_opinion
from rashomon.annotate.phrases import find_phrases
from rashomon.annotate.places import readings
from rashomon.annotate.placing import find_place_slots
from rashomon.annotate.quotes import find_quotes, quote_spans
from rashomon.annotate.segment import split_paragraphs, split_sentences
from rashomon.annotate.structure import find_slots, slot_order
from rashomon.model import Annotated, Article

__all__ = ["NLP", "AnnotationCache", "annotate_articles"]


# Keyed by article id (a hash of its text) and reference date; a hit is rebound to the article asked for.
AnnotationCache = dict[tuple[str, "dt.date | None"], Annotated]


def annotate_articles(
    articles: list[Article],
    nlp: NLP,
    references: dict[str, dt.date | None],
    cache: AnnotationCache | None = None,
) -> dict[str, Annotated]:
    """Annotate each article; `references` gives the date relative dates resolve against.

    With a cache, an article already annotated against the same reference date is not parsed again.
    """
    cache = {} if cache is None else cache
    out: dict[str, Annotated] = {}
    todo = [
        a
        for a in articles
        if (a.id, references.get(a.id)) not in cache or cache[a.id, references.get(a.id)].article.text != a.text
    ]
    docs = nlp.parse([a.text for a in todo]) if todo else []
    for article, doc in zip(todo, docs, strict=True):
        paragraphs = split_paragraphs(article)
        sentences = split_sentences(article, paragraphs)
        mentions = find_mentions(article, doc)
        inside = quote_spans(article.text, paragraphs)
        numbers = find_numbers(article)
        dates = find_dates(article, references.get(article.id))
        out[article.id] = Annotated(
            article=article,
            paragraphs=paragraphs,
            sentences=sentences,
            mentions=mentions,
            quotes=find_quotes(article, doc, paragraphs, sentences, mentions, inside),
            numbers=numbers,
            dates=dates,
            loaded=find_loaded(article, inside),
            opinion=find_opinion(article, paragraphs, inside),
            slots=sorted(
                find_slots(article, doc, numbers, dates)
                + find_place_slots(doc, [m for m in mentions if readings(m.name)]),
                key=slot_order,
            ),
            phrases=find_phrases(article, doc),
        )
        cache[(article.id, references.get(article.id))] = out[article.id]
    for article in articles:
        hit = cache[(article.id, references.get(article.id))]
        out[article.id] = hit if hit.article == article else replace(hit, article=article)
    return out
