"""Compiled loops of the hashing core: xxh32 of every shingle, and the MinHash minimum.

Both loops touch every shingle (and every permutation of every shingle), so they are compiled with
numba and release the GIL: threads can run them on all cores. The arithmetic is exactly xxHash32's
and datasketch's ``affine32`` scheme; ``tests/test_signature.py`` pins both against the reference
implementations.
"""

from __future__ import annotations

import numba
import numpy as np

_M32 = np.uint64(0xFFFFFFFF)
_P1 = np.uint64(2654435761)
_P2 = np.uint64(2246822519)
_P3 = np.uint64(3266489917)
_P4 = np.uint64(668265263)
_P5 = np.uint64(374761393)
_FM1 = np.uint64(0x85EBCA6B)
_FM2 = np.uint64(0xC2B2AE35)


@numba.njit(inline="always")
def _rotl(x: np.uint64, r: int) -> np.uint64:
    return ((x << np.uint64(r)) | (x >> np.uint64(32 - r))) & _M32


@numba.njit(inline="always")
def _lane(buf: np.ndarray, p: int) -> np.uint64:
    return (np.uint64(buf[p]) | (np.uint64(buf[p + 1]) << np.uint64(8)) | (np.uint64(buf[p + 2]) << np.uint64(16))
            | (np.uint64(buf[p + 3]) << np.uint64(24)))


@numba.njit(inline="always")
def _round(v: np.uint64, lane: np.uint64) -> np.uint64:
    v = (v + lane * _P2) & _M32
    return (_rotl(v, 13) * _P1) & _M32


@numba.njit(nogil=True, cache=True)
def xxh32(buf: np.ndarray, lo: int, hi: int, seed: np.uint64) -> np.uint32:
    """xxHash32 of ``buf[lo:hi]`` (``buf`` is ``uint8``)."""
    n = hi - lo
    p = lo
    if n >= 16:
        v1 = (seed + _P1 + _P2) & _M32
        v2 = (seed + _P2) & _M32
        v3 = seed
        v4 = (seed - _P1) & _M32
        limit = hi - 16
        while p <= limit:
            v1 = _round(v1, _lane(buf, p))
            v2 = _round(v2, _lane(buf, p + 4))
            v3 = _round(v3, _lane(buf, p + 8))
            v4 = _round(v4, _lane(buf, p + 12))
            p += 16
        h = (_rotl(v1, 1) + _rotl(v2, 7) + _rotl(v3, 12) + _rotl(v4, 18)) & _M32
    else:
        h = (seed + _P5) & _M32
    h = (h + np.uint64(n)) & _M32
    while p + 4 <= hi:
        h = (h + _lane(buf, p) * _P3) & _M32
        h = (_rotl(h, 17) * _P4) & _M32
        p += 4
    while p < hi:
        h = (h + np.uint64(buf[p]) * _P5) & _M32
        h = (_rotl(h, 11) * _P1) & _M32
        p += 1
    h ^= h >> np.uint64(15)
    h = (h * _P2) & _M32
    h ^= h >> np.uint64(13)
    h = (h * _P3) & _M32
    h ^= h >> np.uint64(16)
    return np.uint32(h)


@numba.njit(nogil=True, cache=True)
def word_bounds(buf: np.ndarray, words: int) -> tuple[np.ndarray, np.ndarray, bool]:
    """Start and end byte offsets of the ``words`` space-separated words of ``buf``.

    The third value is False when ``buf`` holds another number of spaces than ``words - 1`` (a
    word with a space inside it): the offsets are then not usable.
    """
    starts = np.empty(words, dtype=np.int64)
    ends = np.empty(words, dtype=np.int64)
    k = 0
    starts[0] = 0
    for p in range(len(buf)):
        if buf[p] == 0x20:
            if k + 1 >= words:
                return starts, ends, False
            ends[k] = p
            k += 1
            starts[k] = p + 1
    ends[k] = len(buf)
    return starts, ends, k == words - 1


@numba.njit(nogil=True, cache=True)
def shingle_hashes(buf: np.ndarray, starts: np.ndarray, ends: np.ndarray, word_off: np.ndarray,
                   shingle_off: np.ndarray, size: int, seed: np.uint64, out: np.ndarray) -> None:
    """Hash every shingle of every paragraph of a joined word buffer into ``out``.

    Args:
        buf: The words of all paragraphs as UTF-8, one space between words.
        starts: Byte offset of each word in ``buf``.
        ends: Byte offset one past each word.
        word_off: Paragraph ``p`` holds words ``word_off[p]:word_off[p + 1]``.
        shingle_off: Paragraph ``p`` writes ``out[shingle_off[p]:shingle_off[p + 1]]``.
        size: Words per shingle (a paragraph with fewer words is one shingle).
        seed: xxh32 seed.
        out: ``uint32`` hashes, filled in place.
    """
    for p in range(len(word_off) - 1):
        first, stop = word_off[p], word_off[p + 1]
        at = shingle_off[p]
        for k in range(shingle_off[p + 1] - at):
            last = min(first + k + size, stop) - 1
            out[at + k] = xxh32(buf, starts[first + k], ends[last], seed)


@numba.njit(nogil=True, cache=True)
def minhash_rows(hashes: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray, first: int, stop: int,
                 out: np.ndarray) -> None:
    """Signature rows ``first:stop``: minimum over each row's shingles of ``a * fmix32(h) + b`` (mod 2**32).

    Row ``r`` covers ``hashes[offsets[r]:offsets[r + 1]]``; ``out`` must start at ``0xFFFFFFFF``.
    """
    num_perm = len(a)
    a64 = a.astype(np.uint64)
    b64 = b.astype(np.uint64)
    for r in range(first, stop):
        row = out[r]
        for i in range(offsets[r], offsets[r + 1]):
            h = np.uint64(hashes[i])
            h ^= h >> np.uint64(16)
            h = (h * _FM1) & _M32
            h ^= h >> np.uint64(13)
            h = (h * _FM2) & _M32
            h ^= h >> np.uint64(16)
            for k in range(num_perm):
                v = np.uint32((a64[k] * h + b64[k]) & _M32)
                if v < row[k]:
                    row[k] = v


@numba.njit(nogil=True, cache=True)
def sorted_unique_rows(hashes: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's distinct hashes, sorted: ``(values, row offsets)``."""
    rows = len(offsets) - 1
    values = np.empty(len(hashes), dtype=hashes.dtype)
    out_off = np.zeros(rows + 1, dtype=np.int64)
    at = 0
    for r in range(rows):
        row = np.sort(hashes[offsets[r]:offsets[r + 1]])
        for i in range(len(row)):
            if i == 0 or row[i] != row[i - 1]:
                values[at] = row[i]
                at += 1
        out_off[r + 1] = at
    return values[:at], out_off


@numba.njit(nogil=True, cache=True)
def intersections(values: np.ndarray, offsets: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Size of the intersection of rows ``left[i]`` and ``right[i]`` of sorted distinct ``values``."""
    out = np.zeros(len(left), dtype=np.int64)
    for i in range(len(left)):
        p, p_end = offsets[left[i]], offsets[left[i] + 1]
        q, q_end = offsets[right[i]], offsets[right[i] + 1]
        n = 0
        while p < p_end and q < q_end:
            if values[p] < values[q]:
                p += 1
            elif values[p] > values[q]:
                q += 1
            else:
                n += 1
                p += 1
                q += 1
        out[i] = n
    return out
