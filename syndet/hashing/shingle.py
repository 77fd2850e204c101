"""Word n-gram shingles hashed with xxhash (32-bit).

A shingle is the space-joined run of ``size`` normalised words, encoded as UTF-8 and hashed with
``xxhash.xxh32_intdigest(shingle, seed)``: exactly what :func:`shingle_texts` yields and
:func:`hashfunc` hashes, so that datasketch's ``MinHash(hashfunc=...)`` fed with the same shingles
produces the same signature as syndet's batched core.

The batched path (:func:`hash_normal`) joins normalised paragraphs into one UTF-8 buffer, finds
every shingle's bytes and hashes them in compiled loops (:mod:`syndet.hashing.kernels`), so no Python code
runs per word or shingle.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np
import xxhash

from syndet.text.normalize import normal

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


def _offsets(counts: np.ndarray) -> np.ndarray:
    out = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=out[1:])
    return out


_PAD = 64  # zero bytes after the text: the compiled hash reads whole 8-byte words past a span's start


def hash_normal(texts: Sequence[str], size: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """xxhash32 of every shingle of normalised paragraphs, flat, with each paragraph's range in it.

    This is the hashing core: the paragraphs are joined into one UTF-8 buffer and a compiled pass
    finds every shingle's bytes and hashes them all, so no Python code runs per word or shingle.

    Args:
        texts: Normalised paragraphs: words separated by single spaces (:func:`syndet.text.normalize.normal`),
            no line breaks.
        size: Words per shingle.
        seed: xxh32 seed.

    Returns:
        ``(hashes, offsets)``: ``uint32`` hashes in order, and ``int64`` offsets such that paragraph
        ``i`` has ``hashes[offsets[i]:offsets[i + 1]]``.

    Raises:
        ValueError: A text holds a line break.
    """
    if len(texts) <= _CHUNK:
        return _hash_chunk(texts, size, seed)
    parts = [_hash_chunk(texts[lo:lo + _CHUNK], size, seed) for lo in range(0, len(texts), _CHUNK)]
    return (np.concatenate([h for h, _ in parts]), _offsets(np.concatenate([np.diff(off) for _, off in parts])))


_CHUNK = 1024  # paragraphs joined at a time: the buffers of one chunk stay in the CPU's cache


def _hash_chunk(texts: Sequence[str], size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    if not texts:
        return np.empty(0, dtype=np.uint32), np.zeros(1, dtype=np.int64)
    from syndet.hashing import kernels  # numba loads on first use: ``import syndet`` stays light

    joined = "\n".join(texts).encode("utf-8")
    buf = np.zeros(len(joined) + _PAD, dtype=np.uint8)
    buf[:len(joined)] = np.frombuffer(joined, dtype=np.uint8)
    starts, lengths, offsets, found = kernels.shingle_spans(buf, len(joined), size, len(texts))
    if found != len(texts):
        raise ValueError("a normalised text holds a line break")
    hashes = np.empty(len(starts), dtype=np.uint32)
    kernels.xxh32_spans(buf, starts, lengths, seed, hashes)
    return hashes, offsets


def hash_token_lists(token_lists: Sequence[Sequence[str]], size: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """xxhash32 of every shingle of every word list, flat, with each list's range in it.

    Words are expected as :func:`syndet.text.normalize.words` makes them (no spaces inside, none empty);
    lists holding other words are hashed exactly, by the slower per-shingle path.

    Returns:
        ``(hashes, offsets)``, as :func:`hash_normal`.
    """
    texts = [" ".join(t) for t in token_lists]
    # The joined text splits back into the same words unless a word is empty or holds a space (one
    # space too many) or a line break (which would end the paragraph).
    if all(not t or ("" not in t and text.count(" ") == len(t) - 1 and "\n" not in text)
           for text, t in zip(texts, token_lists, strict=True)):
        return hash_normal(texts, size, seed)
    rows = [np.fromiter((_xxh32(s, seed) for s in shingle_texts(t, size)), dtype=np.uint32) for t in token_lists]
    offsets = _offsets(np.fromiter(map(len, rows), dtype=np.int64, count=len(rows)))
    return (np.concatenate(rows) if rows else np.empty(0, dtype=np.uint32)), offsets


def shingle_hashes(tokens: Sequence[str], size: int, seed: int = 0) -> np.ndarray:
    """xxhash32 of every shingle of ``tokens``, in order, as ``uint32`` (empty for no words)."""
    return hash_token_lists([tokens], size, seed)[0]


def hash_batch(texts: Sequence[str], size: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of each text after normalisation, flat with offsets (see :func:`hash_normal`)."""
    return hash_normal([normal(t) for t in texts], size, seed)


def hash_texts(texts: Sequence[str], size: int, seed: int = 0) -> list[np.ndarray]:
    """Shingle hashes of each text after normalisation (see :func:`syndet.text.normalize.words`)."""
    hashes, offsets = hash_batch(texts, size, seed)
    return split(hashes, offsets)


def split(hashes: np.ndarray, offsets: np.ndarray) -> list[np.ndarray]:
    """Views of ``hashes`` per row, from offsets (no copies)."""
    bounds = offsets.tolist()
    return [hashes[lo:hi] for lo, hi in pairwise(bounds)]
