"""Workspace: the loaded models and caches, kept between comparisons."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rashomon.annotate import NLP, AnnotationCache
from rashomon.cache import DiskCache
from rashomon.compare import Timer, compare_articles, reference_dates
from rashomon.compare.claims import claim_pieces, clause_chunks, headline
from rashomon.compare.wording import phrase_texts
from rashomon.embed import Embedder
from rashomon.errors import NoArticlesError
from rashomon.model import Article, Comparison
from rashomon.read import read_sources
from rashomon.read.files import cap_text
from rashomon.settings import CompareOptions


class Workspace:
    """Holds the spaCy pipeline and the embedding model; load once, compare many times.

    With `cache_dir`, annotations and vectors are also kept on disk between runs
    (see rashomon.cache); a run whose articles are all cached loads no model.
    """

    def __init__(self, *, use_spacy: bool = True, cache_dir: Path | None = None) -> None:
        self.nlp = NLP(use_model=use_spacy)
        self.embedder = Embedder()
        self.timer = Timer()
        self.annotations: AnnotationCache = {}
        self.disk = DiskCache(cache_dir, use_model=use_spacy) if cache_dir is not None else None

    def compare(self, paths: list[str], *, options: CompareOptions | None = None) -> Comparison:
        """Read the articles at `paths` (files, directories, "-" for stdin) and compare them."""
        options = options or CompareOptions()
        read = self.timer.run("read", lambda: read_sources(paths, outlets=options.outlets, max_chars=options.max_chars))
        if not read.articles:
            detail = "; ".join(read.warnings) if read.warnings else "no input"
            raise NoArticlesError(f"no article could be read ({detail})")
        comparison = self.compare_articles(read.articles, options=options, warnings=read.warnings)
        comparison.failed = list(read.failed)
        return comparison

    def compare_articles(
        self, articles: list[Article], *, options: CompareOptions | None = None, warnings: list[str] | None = None
    ) -> Comparison:
        """Compare articles already read (from files, or from the store), each cut at `options.max_chars`.

        The store keeps up to 2,000,000 characters an article; a comparison reads at most
        `max_chars` (200,000 by default, 1,000,000 at most: spaCy's limit), as `compare` does.
        """
        options = options or CompareOptions()
        if not articles:
            raise NoArticlesError("no article to compare")
        warnings = [] if warnings is None else warnings
        articles = [_capped(a, options.max_chars, warnings) for a in articles]
        fresh = self._load_cached(articles)
        comparison = compare_articles(
            articles,
            options=options,
            nlp=self.nlp,
            embedder=self.embedder,
            warnings=warnings,
            timer=self.timer,
            cache=self.annotations,
        )
        self._save_cached(articles, fresh, options)
        return comparison

    def _load_cached(self, articles: list[Article]) -> list[Article]:
        """Fill the caches from disk; the articles not found there."""
        if self.disk is None:
            return []
        refs = reference_dates(articles)
        fresh = []
        for article in articles:
            key = (article.id, refs[article.id])
            if key in self.annotations:
                continue
            hit = self.disk.load(article, refs[article.id])
            if hit is None:
                fresh.append(article)
                continue
            self.annotations[key] = hit[0]
            self.embedder.preload(hit[1], hit[2])
        return fresh

    def _save_cached(self, articles: list[Article], fresh: list[Article], options: CompareOptions) -> None:
        if self.disk is None or not fresh:
            return
        refs = reference_dates(articles)
        for article in fresh:
            annotated = self.annotations.get((article.id, refs[article.id]))
            if annotated is None:
                continue
            pieces = [p for _, p, _ in claim_pieces(article.text, annotated.sentences, options.min_words_claim)]
            heading = headline(annotated, options.min_words_claim)
            texts = pieces + [c for p in pieces for c in clause_chunks(p)] + phrase_texts(annotated)
            texts += [heading[1]] if heading else []
            self.disk.save(
                annotated, refs[article.id], self.embedder.cached(texts), self.embedder.cached_tokens(pieces)
            )


def _capped(article: Article, max_chars: int, warnings: list[str]) -> Article:
    """The article with its text cut at `max_chars`, keeping its id (it still names the stored article)."""
    text = cap_text(article.text, max_chars, article.source, warnings)
    return article if text is article.text else replace(article, text=text)


def compare(paths: list[str], *, options: CompareOptions | None = None) -> Comparison:
    """Compare the articles at `paths`: the whole pipeline in one call."""
    return Workspace(use_spacy=options.use_spacy if options else True).compare(paths, options=options)
