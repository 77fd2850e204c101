"""Word n-gram shingles hashed with xxhash (32-bit).

A shingle is the space-joined run of ``size`` normalised words, encoded as UTF-8 and hashed with
``xxhash.xxh32_intdigest(shingle, seed)``: exactly what :func:`shingle_texts` yields and
:func:`hashfunc` hashes, so that datasketch's ``MinHash(hashfunc=...)`` fed with the same shingles
produces the same signature as syndet's batched core.

The batched path joins the words of many paragraphs into one UTF-8 buffer and hashes every shingle
in one compiled loop (:mod:`syndet.kernels`), so no Python code runs per shingle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import chain, pairwise

import numpy as np
import xxhash

from syndet.normalize import words

_xxh32 = xxhash.xxh32_intdigest


def hashfunc(seed: int = 0) -> Callable[[bytes], int]:
    """The shingle hash as a one-argument function, as datasketch's ``hashfunc`` expects."""

    def _hash(shingle: bytes) -> int:
        return _xxh32(shingle, seed)

    return _hash


def shingle_texts(tokens: Sequence[str], size: int) -> list[bytes]:
    """The shingles of a word sequence as bytes; fewer words than ``size`` make one shingle."""
    if not tokens:
        return []
    count = max(len(tokens) - size + 1, 1)
    return [" ".join(tokens[i:i + size]).encode("utf-8") for i in range(count)]


def shingle_counts(word_counts: np.ndarray, size: int) -> np.ndarray:
    """Shingles of paragraphs with these word counts: none for no words, one for fewer than ``size``."""
    counts = np.asarray(word_counts, dtype=np.int64)
    return np.where(counts > 0, np.maximum(counts - size + 1, 1), 0)


def _offsets(counts: np.ndarray) -> np.ndarray:
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


def hash_token_lists(token_lists: Sequence[Sequence[str]], size: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """xxhash32 of every shingle of every word list, flat, with each list's range in it.

    Returns:
        ``(hashes, offsets)``: ``uint32`` hashes in order, and ``int64`` offsets such that list ``i``
        has ``hashes[offsets[i]:offsets[i + 1]]``.
    """
    word_off = _offsets(np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists)))
    shingle_off = _offsets(shingle_counts(np.diff(word_off), size))
    hashes = np.empty(int(shingle_off[-1]), dtype=np.uint32)
    total = int(word_off[-1])
    if total == 0:
        return hashes, shingle_off
    from syndet import kernels  # numba loads on first use: ``import syndet`` stays light

    # Joining each list, then the lists, is twice as fast as joining one flattened list.
    buf = np.frombuffer(" ".join(map(" ".join, filter(None, token_lists))).encode("utf-8"), dtype=np.uint8)
    starts, ends, ok = kernels.word_bounds(buf, total)
    if not ok:  # a word that normalised to text with a space in it (rare compatibility characters)
        lengths = np.fromiter((len(t.encode("utf-8")) for t in chain.from_iterable(token_lists)),
                              dtype=np.int64, count=total)
        starts = _offsets(lengths + 1)[:-1]
        ends = starts + lengths
    kernels.shingle_hashes(buf, starts, ends, word_off, shingle_off, size, np.uint64(seed), hashes)
    return hashes, shingle_off


def shingle_hashes(tokens: Sequence[str], size: int, seed: int = 0) -> np.ndarray:
    """xxhash32 of every shingle of ``tokens``, in order, as ``uint32`` (empty for no words)."""
    return hash_token_lists([tokens], size, seed)[0]


def hash_batch(texts: Sequence[str], size: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of each text after normalisation, flat with offsets (see :func:`hash_token_lists`)."""
    return hash_token_lists([words(t) for t in texts], size, seed)


def hash_texts(texts: Sequence[str], size: int, seed: int = 0) -> list[np.ndarray]:
    """Shingle hashes of each text after normalisation (see :func:`syndet.normalize.words`)."""
    hashes, offsets = hash_batch(texts, size, seed)
    return split(hashes, offsets)


def split(hashes: np.ndarray, offsets: np.ndarray) -> list[np.ndarray]:
    """Views of ``hashes`` per row, from offsets (no copies)."""
    bounds = offsets.tolist()
    return [hashes[lo:hi] for lo, hi in pairwise(bounds)]
