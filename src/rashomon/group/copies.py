"""Near-copies across a corpus: MinHash signatures with locality-sensitive hashing bands.

The same 5-word shingles as group.duplicates; 64 permutations in 16 bands
of 4 rows, so a pair with Jaccard 0.5 shares a band with probability 0.65
and one with 0.7 with probability 0.98; a candidate is confirmed when its
estimated Jaccard reaches the copy threshold (0.5, as in `compare`). The
bands live in the store (table minhash_bands), so memory does not grow with
the corpus.
"""

from __future__ import annotations

import functools
import hashlib
import struct
import zlib
from typing import Any

import numpy as np

from rashomon.group.duplicates import shingles

PERMUTATIONS = 64
BANDS = 16
ROWS = PERMUTATIONS // BANDS
THRESHOLD = 0.5


@functools.cache
def _template() -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=PERMUTATIONS, seed=1, hashfunc=zlib.crc32)


def signature(text: str) -> np.ndarray:
    """The MinHash signature of a text's shingles (datasketch, seed 1, CRC-32 shingle hashes:
    stable across processes and versions, which the stored bands need)."""
    sketch = _template().copy()
    sketch.update_batch([s.encode() for s in shingles(text)])
    return np.asarray(sketch.hashvalues, dtype=np.uint64)


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 63-bit key per band (fits an SQLite INTEGER)."""
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(sig[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8).digest()
        keys.append(struct.unpack("<q", digest)[0])
    return keys


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def to_blob(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<u8").astype(np.uint64)
