"""Workspace: the loaded models and caches, kept between comparisons."""

from __future__ import annotations

from rashomon.annotate import NLP, AnnotationCache
from rashomon.compare import Timer, compare_articles
from rashomon.embed import Embedder
from rashomon.errors import NoArticlesError
from rashomon.model import Comparison
from rashomon.read import read_sources
from rashomon.settings import CompareOptions


class Workspace:
    """Holds the spaCy pipeline and the embedding model; load once, compare many times."""

    def __init__(self, *, use_spacy: bool = True) -> None:
        self.nlp = NLP(use_model=use_spacy)
        self.embedder = Embedder()
        self.timer = Timer()
        self.annotations: AnnotationCache = {}

    def compare(self, paths: list[str], *, options: CompareOptions | None = None) -> Comparison:
        """Read the articles at `paths` (files, directories, "-" for stdin) and compare them."""
        options = options or CompareOptions()
        read = self.timer.run("read", lambda: read_sources(paths, outlets=options.outlets, max_chars=options.max_chars))
        if not read.articles:
            detail = "; ".join(read.warnings) if read.warnings else "no input"
            raise NoArticlesError(f"no article could be read ({detail})")
        comparison = compare_articles(
            read.articles,
            options=options,
            nlp=self.nlp,
            embedder=self.embedder,
            warnings=read.warnings,
            timer=self.timer,
            cache=self.annotations,
        )
        comparison.failed = list(read.failed)
        return comparison


def compare(paths: list[str], *, options: CompareOptions | None = None) -> Comparison:
    """Compare the articles at `paths`: the whole pipeline in one call."""
    return Workspace(use_spacy=options.use_spacy if options else True).compare(paths, options=options)
