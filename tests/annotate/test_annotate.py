"""Annotation of single articles: sentences, quotes and speakers, numbers, dates, loaded words."""

from __future__ import annotations

import datetime as dt

from rashomon.annotate import NLP, annotate_articles
from rashomon.annotate.dates import find_dates
from rashomon.annotate.numbers import find_numbers
from rashomon.model import Article


def _article(text: str, **kw) -> Article:
    return Article(id="t", source="t.txt", outlet="T", text=text, **kw)


def test_sentence_offsets_point_into_the_text(seed_comparison):
    for ann in seed_comparison.annotated.values():
        text = ann.article.text
        for s in ann.sentences:
            piece = text[s.span.start : s.span.end]
            assert piece == piece.strip() and piece


def test_headings_are_told_from_sentences(seed_comparison):
    headings = {
        ann.article.text[p.span.start : p.span.end]
        for ann in seed_comparison.annotated.values()
        for p in ann.paragraphs
        if p.kind == "heading"
    }
    assert {"Russian demands", "Editorial position", "Tense talks"} <= headings


def test_quotes_have_speakers():
    text = (
        "Kremlin spokesman Dmitry Peskov spoke on Saturday. “A meeting is possible,” Peskov said. "
        "Ukrainian Defence Minister Rustem Umerov told reporters that a date had been set. "
        "“We will not disclose it,” he said."
    )
    ann = annotate_articles([_article(text)], NLP(), {"t": None})["t"]
    pairs = {(text[q.span.start : q.span.end], q.speaker, q.kind) for q in ann.quotes}
    assert ("A meeting is possible,", "Peskov", "direct") in pairs
    assert ("We will not disclose it,", "Rustem Umerov", "direct") in pairs
    assert any(s == "Rustem Umerov" and k == "reported" for _, s, k in pairs)


def test_according_to_names_the_source():
    text = "The sides agreed to meet again, according to Moscow’s chief negotiator, Vladimir Medinsky."
    ann = annotate_articles([_article(text)], NLP(), {"t": None})["t"]
    assert any(q.speaker == "Vladimir Medinsky" for q in ann.quotes)


def test_numbers_with_units_and_not_dates():
    text = "Both sides agreed to swap 1,000 prisoners after a two-hour meeting on May 16, 2025, at 1:30 p.m.; a 30-day truce and 500% tariffs."
    found = {(n.value, n.unit) for n in find_numbers(_article(text))}
    assert (1000.0, "prisoners") in found and (2.0, "hour") in found and (30.0, "day") in found
    assert (500.0, "percent") in found
    assert not any(v in (16.0, 2025.0, 1.0, 30.0) and u is None for v, u in found)


def test_relative_and_absolute_dates():
    text = "The talks on Friday followed a swap on April 18. A new round is due next Monday."
    found = {
        d.span and text[d.span.start : d.span.end]: d.date for d in find_dates(_article(text), dt.date(2025, 5, 17))
    }
    assert found["on Friday"] == dt.date(2025, 5, 16)
    assert found["April 18"] == dt.date(2025, 4, 18)
    assert found["next Monday"] == dt.date(2025, 5, 19)


def test_loaded_words_in_own_voice_and_in_quotes():
    text = "The so-called council met. “These are barbaric thugs,” the mayor said. Its heroic staff worked on."
    ann = annotate_articles([_article(text)], NLP(), {"t": None})["t"]
    got = {(x.term, x.quoted) for x in ann.loaded}
    assert ("so-called", False) in got and ("heroic", False) in got
    assert ("barbaric", True) in got and ("thugs", True) in got


def test_sanctions_regime_is_not_loaded():
    text = "The EU extended its sanctions regime for six months."
    ann = annotate_articles([_article(text)], NLP(), {"t": None})["t"]
    assert ann.loaded == []


def test_opinion_section_under_its_heading(seed_comparison):
    reasons = [o.reason for o in seed_comparison.opinion]
    assert any("Editorial position" in r for r in reasons)


def test_runs_without_the_spacy_model():
    text = "Peskov said the meeting was possible. “We are ready,” Peskov said on Friday in Moscow."
    ann = annotate_articles([_article(text)], NLP(use_model=False), {"t": None})["t"]
    assert ann.sentences and ann.mentions


def test_an_op_ed_disclaimer_marks_the_whole_article():
    from rashomon.annotate.opinion import find_opinion
    from rashomon.annotate.segment import split_paragraphs

    text = (
        "The council should never have closed the pool.\nFamilies deserve better than this.\n"
        "Jane Doe is a columnist for the Gazette. The views expressed in this article are her own."
    )
    article = _article(text)
    found = find_opinion(article, split_paragraphs(article), [])
    assert len(found) == 1 and found[0].span.start == 0 and found[0].span.end == len(text)


def test_a_quoted_nickname_stays_inside_the_name():
    from rashomon.annotate.entities import find_mentions

    text = 'The governor picked former chief of staff William "Mo" Cowan for the seat on Wednesday.'
    article = _article(text)
    doc = NLP().parse([text])[0]
    names = [m.name for m in find_mentions(article, doc)]
    assert 'William "Mo" Cowan' in names


def test_sentences_are_not_split_inside_a_name_or_between_a_question_quote_and_its_cue():
    from rashomon.annotate.segment import split_paragraphs, split_sentences

    text = (
        "Peskov said the talks go on, Caliber.Az reports, citing Russian media. Sen. Graham disagreed.\n\n"
        '"What have you been debating, John?" Obama said. The vote passed.'
    )
    article = Article(id="a", source="a", outlet="A", text=text)
    sentences = [text[s.span.start : s.span.end] for s in split_sentences(article, split_paragraphs(article))]
    assert sentences == [
        "Peskov said the talks go on, Caliber.Az reports, citing Russian media.",
        "Sen. Graham disagreed.",
        '"What have you been debating, John?" Obama said.',
        "The vote passed.",
    ]
