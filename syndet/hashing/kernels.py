"""Compiled loops of the hashing core: shingle spans, xxh32 of every shingle, the MinHash minimum.

These loops touch every byte, shingle and permutation, so they are compiled with numba and release
the GIL: threads can run them on all cores. The hot ones work in 32-bit vector lanes
(:mod:`syndet.hashing.bitops`). The arithmetic is exactly xxHash32's and datasketch's ``affine32`` scheme;
``tests/test_signature.py`` pins both against the reference implementations.
"""

from __future__ import annotations

import numba
import numpy as np

from syndet.hashing.bitops import add32, and32, ctz64, min32, mul32, rotl32, shr32, sub32, xor32

_PRIMES = (2654435761, 2246822519, 3266489917, 668265263, 374761393)  # xxHash32's five primes
_M32 = np.uint64(0xFFFFFFFF)
_P1, _P2, _P3, _P4, _P5 = (np.uint64(p) for p in _PRIMES)  # for the scalar xxh32 in 64-bit arithmetic


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


@numba.njit(inline="always")
def _load8(buf: np.ndarray, p: np.uint64) -> np.uint64:
    # Eight bytes, little-endian; LLVM folds the byte loads into one unaligned load.
    r = np.uint64(0)
    for i in range(8):
        r |= np.uint64(buf[p + np.uint64(i)]) << np.uint64(8 * i)
    return r


_LOW7 = np.uint64(0x7F7F7F7F7F7F7F7F)
_HIGH = np.uint64(0x8080808080808080)
_SPACES = np.uint64(0x2020202020202020)
_BREAKS = np.uint64(0x0A0A0A0A0A0A0A0A)


@numba.njit(inline="always")
def _zero_bytes(x: np.uint64) -> np.uint64:
    # The high bit of each zero byte of ``x``; the sum cannot carry from one byte into the next.
    return ~(((x & _LOW7) + _LOW7) | x) & _HIGH


@numba.njit(inline="always")
def _separators8(x: np.uint64) -> np.uint64:
    # The high bit of each byte of ``x`` that is a space or a line break.
    return _zero_bytes(x ^ _SPACES) | _zero_bytes(x ^ _BREAKS)


@numba.njit(nogil=True, cache=True)
def shingle_spans(buf: np.ndarray, length: int, size: int,
                  paragraphs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Byte spans of every shingle of paragraphs joined into one buffer.

    Args:
        buf: UTF-8 bytes; ``buf[:length]`` holds the paragraphs separated by line breaks, each being
            words separated by spaces (empty words, as from two spaces in a row, are skipped).
            ``buf`` has 8 readable bytes past ``length``.
        length: Bytes of text in ``buf``.
        size: Words per shingle (a paragraph with fewer words is one shingle).
        paragraphs: Paragraphs expected; no more are read.

    Returns:
        ``(starts, lengths, shingle_off, found)``: each shingle's byte offset and length, paragraph
        ``p``'s shingles ``shingle_off[p]:shingle_off[p + 1]``, and the paragraphs found in the
        buffer (the caller checks it against ``paragraphs``).
    """
    seps = 0
    for p in range(length):
        c = buf[p]
        seps += (c == 0x20) | (c == 0x0A)
    ends = np.empty(seps + 1, dtype=np.int64)
    k = 0
    for base in range(0, length, 8):  # eight bytes at a time: a bit per space or line break
        mask = _separators8(_load8(buf, np.uint64(base)))
        if base + 8 > length:
            mask &= (np.uint64(1) << np.uint64(8 * (length - base))) - np.uint64(1)
        while mask:
            ends[k] = base + np.int64(ctz64(mask) >> np.uint64(3))
            k += 1
            mask &= mask - np.uint64(1)
    ends[seps] = length
    starts = np.empty(seps + 1, dtype=np.int64)
    lengths = np.empty(seps + 1, dtype=np.uint32)
    shingle_off = np.zeros(paragraphs + 1, dtype=np.int64)
    recent = np.zeros(size, dtype=np.int64)  # start of the last ``size`` words, as a ring
    para = n_words = head = k = word_start = last_end = 0
    for i in range(seps + 1):
        end = ends[i]
        if end > word_start:
            recent[head] = word_start
            head = head + 1 if head + 1 < size else 0  # now the slot of the word ``size`` words back
            n_words += 1
            last_end = end
            if n_words >= size:
                first = recent[head]
                starts[k] = first
                lengths[k] = end - first
                k += 1
        if i == seps or buf[end] == 0x0A:
            if para == paragraphs:
                return starts[:k], lengths[:k], shingle_off, para + 1
            if 0 < n_words < size:
                starts[k] = recent[0]
                lengths[k] = last_end - recent[0]
                k += 1
            para += 1
            shingle_off[para] = k
            n_words = head = 0
        word_start = end + 1
    return starts[:k], lengths[:k], shingle_off, para


_Q1, _Q2, _Q3, _Q4, _Q5 = (np.uint32(p) for p in _PRIMES)  # the same primes for the 32-bit lanes
_BYTE = np.uint32(0xFF)
_R = tuple(np.uint32(r) for r in range(33))  # shift counts as uint32 constants
_SHORT = 48  # bytes: shorter spans take the branch-free path (two stripes, three words, three bytes)
_BLOCK = 256  # spans per block: the transposed block stays in the L1 cache


@numba.njit(inline="always")
def _round32(v: np.uint32, lane: np.uint32) -> np.uint32:
    return mul32(rotl32(add32(v, mul32(lane, _Q2)), _R[13]), _Q1)


@numba.njit(inline="always")
def _word32(h: np.uint32, lane: np.uint32) -> np.uint32:
    return mul32(rotl32(add32(h, mul32(lane, _Q3)), _R[17]), _Q4)


@numba.njit(inline="always")
def _byte32(h: np.uint32, byte: np.uint32) -> np.uint32:
    return mul32(rotl32(add32(h, mul32(byte, _Q5)), _R[11]), _Q1)


@numba.njit(nogil=True, cache=True)
def xxh32_spans(buf: np.ndarray, starts: np.ndarray, lengths: np.ndarray, seed: int, out: np.ndarray) -> None:
    """xxh32 of ``buf[starts[i]:starts[i] + lengths[i]]`` into ``out[i]``, for every span.

    Spans are taken a block at a time: their bytes are first copied into a transposed block (one
    row per 4-byte lane), then every step of xxh32 runs for all spans of the block at once, as
    32-bit vector code. Spans shorter than 48 bytes (nearly all shingles) follow one branch-free
    formula: both stripes, all three 4-byte steps and all three byte steps are computed, and each
    kept only when the span is long enough. Longer spans are hashed one by one afterwards.

    ``buf`` must hold 56 readable bytes past the start of every span (the caller pads it).
    """
    lanes = np.empty((13, _BLOCK), dtype=np.uint32)
    x0, x1, x2, x3, x4, x5 = lanes[0], lanes[1], lanes[2], lanes[3], lanes[4], lanes[5]
    x6, x7, x8, x9, x10, tail8 = lanes[6], lanes[7], lanes[8], lanes[9], lanes[10], lanes[11]
    nbytes = lanes[12]
    s = np.uint32(seed)
    init1, init2, init4 = add32(add32(s, _Q1), _Q2), add32(s, _Q2), sub32(s, _Q1)
    short = add32(s, _Q5)
    m32 = np.uint64(0xFFFFFFFF)
    for lo in range(0, len(starts), _BLOCK):
        m = min(_BLOCK, len(starts) - lo)
        for j in range(m):
            p = np.uint64(starts[lo + j])
            n = np.uint64(lengths[lo + j])
            a = _load8(buf, p)
            x0[j], x1[j] = np.uint32(a & m32), np.uint32(a >> np.uint64(32))
            a = _load8(buf, p + np.uint64(8))
            x2[j], x3[j] = np.uint32(a & m32), np.uint32(a >> np.uint64(32))
            a = _load8(buf, p + np.uint64(16))
            x4[j], x5[j] = np.uint32(a & m32), np.uint32(a >> np.uint64(32))
            a = _load8(buf, p + np.uint64(24))
            x6[j], x7[j] = np.uint32(a & m32), np.uint32(a >> np.uint64(32))
            a = _load8(buf, p + np.uint64(32))
            x8[j], x9[j] = np.uint32(a & m32), np.uint32(a >> np.uint64(32))
            x10[j] = np.uint32(_load8(buf, p + np.uint64(40)) & m32)
            tail8[j] = np.uint32(_load8(buf, p + (n & ~np.uint64(3))) & m32)
            nbytes[j] = np.uint32(n)
        for j in range(m):
            n = nbytes[j]
            two = n >= _R[32]
            one = n >= _R[16]
            v1 = _round32(init1, x0[j])
            v2 = _round32(init2, x1[j])
            v3 = _round32(s, x2[j])
            v4 = _round32(init4, x3[j])
            w1 = _round32(v1, x4[j])
            w2 = _round32(v2, x5[j])
            w3 = _round32(v3, x6[j])
            w4 = _round32(v4, x7[j])
            v1 = w1 if two else v1
            v2 = w2 if two else v2
            v3 = w3 if two else v3
            v4 = w4 if two else v4
            merged = add32(add32(rotl32(v1, _R[1]), rotl32(v2, _R[7])), add32(rotl32(v3, _R[12]), rotl32(v4, _R[18])))
            h = add32(merged if one else short, n)
            left = sub32(n, _R[32] if two else (_R[16] if one else _R[0]))
            y0 = x8[j] if two else (x4[j] if one else x0[j])
            y1 = x9[j] if two else (x5[j] if one else x1[j])
            y2 = x10[j] if two else (x6[j] if one else x2[j])
            g = _word32(h, y0)
            h = g if left >= _R[4] else h
            g = _word32(h, y1)
            h = g if left >= _R[8] else h
            g = _word32(h, y2)
            h = g if left >= _R[12] else h
            rest = and32(n, _R[3])
            t = tail8[j]
            g = _byte32(h, and32(t, _BYTE))
            h = g if rest >= _R[1] else h
            g = _byte32(h, and32(shr32(t, _R[8]), _BYTE))
            h = g if rest >= _R[2] else h
            g = _byte32(h, and32(shr32(t, _R[16]), _BYTE))
            h = g if rest >= _R[3] else h
            h = mul32(xor32(h, shr32(h, _R[15])), _Q2)
            h = mul32(xor32(h, shr32(h, _R[13])), _Q3)
            out[lo + j] = xor32(h, shr32(h, _R[16]))
        for j in range(m):
            if nbytes[j] >= _SHORT:
                first = starts[lo + j]
                out[lo + j] = xxh32(buf, first, first + lengths[lo + j], np.uint64(seed))


_F1 = np.uint32(0x85EBCA6B)
_F2 = np.uint32(0xC2B2AE35)


@numba.njit(inline="always")
def _fmix32(h: np.uint32) -> np.uint32:
    h = mul32(xor32(h, shr32(h, _R[16])), _F1)
    h = mul32(xor32(h, shr32(h, _R[13])), _F2)
    return xor32(h, shr32(h, _R[16]))


@numba.njit(inline="always")
def _perm(a: np.uint32, h: np.uint32, b: np.uint32) -> np.uint32:
    return add32(mul32(a, h), b)


@numba.njit(nogil=True, cache=True)
def minhash_rows(hashes: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray, first: int, stop: int,
                 out: np.ndarray) -> None:
    """Signature rows ``first:stop``: minimum over each row's shingles of ``a * fmix32(h) + b`` (mod 2**32).

    Row ``r`` covers ``hashes[offsets[r]:offsets[r + 1]]`` and is written whole (``0xFFFFFFFF`` for
    no shingles). Eight shingles go through the permutations together, so a row of minima is read
    and written once per eight shingles rather than once per shingle.
    """
    num_perm = len(a)
    for r in range(first, stop):
        row = out[r]
        row[:] = np.uint32(0xFFFFFFFF)
        i, end = offsets[r], offsets[r + 1]
        while i + 8 <= end:
            h0, h1 = _fmix32(hashes[i]), _fmix32(hashes[i + 1])
            h2, h3 = _fmix32(hashes[i + 2]), _fmix32(hashes[i + 3])
            h4, h5 = _fmix32(hashes[i + 4]), _fmix32(hashes[i + 5])
            h6, h7 = _fmix32(hashes[i + 6]), _fmix32(hashes[i + 7])
            for k in range(num_perm):
                ak, bk = a[k], b[k]
                low = min32(min32(_perm(ak, h0, bk), _perm(ak, h1, bk)), min32(_perm(ak, h2, bk), _perm(ak, h3, bk)))
                high = min32(min32(_perm(ak, h4, bk), _perm(ak, h5, bk)), min32(_perm(ak, h6, bk), _perm(ak, h7, bk)))
                row[k] = min32(row[k], min32(low, high))
            i += 8
        while i < end:
            h = _fmix32(hashes[i])
            for k in range(num_perm):
                row[k] = min32(row[k], _perm(a[k], h, b[k]))
            i += 1


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


@numba.njit(nogil=True, cache=True)
def group_pairs(articles: np.ndarray, starts: np.ndarray, sizes: np.ndarray, n_articles: int) -> np.ndarray:
    """Every pair of distinct articles inside each group (``articles[starts[g]:starts[g] + sizes[g]]``,
    sorted and distinct within a group), as codes ``low * n_articles + high``."""
    total = 0
    for g in range(len(starts)):
        total += sizes[g] * (sizes[g] - 1) // 2
    out = np.empty(total, dtype=np.int64)
    at = 0
    for g in range(len(starts)):
        lo = starts[g]
        hi = lo + sizes[g]
        for i in range(lo, hi):
            for j in range(i + 1, hi):
                out[at] = articles[i] * n_articles + articles[j]
                at += 1
    return out
