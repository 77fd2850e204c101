"""Word n-gram shingles hashed with xxhash (32-bit).

A shingle is the space-joined run of ``size`` normalised words, encoded as UTF-8 and hashed with
``xxhash.xxh32_intdigest(shingle, seed)``: exactly what :func:`shingle_texts` yields and
:func:`hashfunc` hashes, so that datasketch's ``MinHash(hashfunc=...)`` fed with the same shingles
produces the same signature as syndet's batched core.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import xxhash

_xxh32 = xxhash.xxh32_intdigest


def hashfunc(seed: int = 0) -> Callable[[bytes], int]:
    """The shingle hash as a one-argument function, as datasketch's ``hashfunc`` expects."""

    def _hash(shingle: bytes) -> int:
        return _xxh32(shingle, seed)

    return _hash


def _bounds(tokens: Sequence[str], size: int) -> tuple[bytes, list[int], list[int]]:
    joined = " ".join(tokens)
    data = joined.encode("utf-8")
    if len(data) == len(joined):
        lengths = [len(t) for t in tokens]
    else:
        lengths = [len(t.encode("utf-8")) for t in tokens]
    starts = [0] * len(tokens)
    pos = 0
    for i, n in enumerate(lengths):
        starts[i] = pos
        pos += n + 1
    count = len(tokens) - size + 1
    if count <= 0:
        return data, [0], [len(data)]
    lo = starts[:count]
    hi = [starts[i + size - 1] + lengths[i + size - 1] for i in range(count)]
    return data, lo, hi


def shingle_texts(tokens: Sequence[str], size: int) -> list[bytes]:
    """The shingles of a word sequence as bytes; fewer words than ``size`` make one shingle."""
    if not tokens:
        return []
    data, lo, hi = _bounds(tokens, size)
    return [data[a:b] for a, b in zip(lo, hi, strict=False)]


def shingle_hashes(tokens: Sequence[str], size: int, seed: int = 0) -> np.ndarray:
    """xxhash32 of every shingle of ``tokens``, in order, as ``uint32`` (empty for no words)."""
    if not tokens:
        return np.empty(0, dtype=np.uint32)
    data, lo, hi = _bounds(tokens, size)
    return np.fromiter((_xxh32(data[a:b], seed) for a, b in zip(lo, hi, strict=False)), dtype=np.uint32, count=len(lo))


def hash_texts(texts: Sequence[str], size: int, seed: int = 0) -> list[np.ndarray]:
    """Shingle hashes of each text after normalisation (see :func:`syndet.normalize.words`)."""
    from syndet.normalize import words

    return [shingle_hashes(words(t), size, seed) for t in texts]
