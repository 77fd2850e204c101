"""The compiled search behind postings lookups (numba; imported only when an index is read)."""

from __future__ import annotations

import numba
import numpy as np

_GROUP = 16  # queries searched in lockstep, so that their memory reads overlap


@numba.njit(cache=True, nogil=True)
def key_ranges(keys: np.ndarray, fence: np.ndarray, step: int, queries: np.ndarray, lo: np.ndarray,
               hi: np.ndarray) -> None:
    """For each query, the range ``[lo, hi)`` of ``keys`` equal to it.

    The fence (every ``step``-th key, in memory) picks the block of ``keys`` that can hold the
    query's first occurrence, a binary search in the block finds it, a scan finds the last. The
    searches of :data:`_GROUP` queries advance together, one step of each per round, without
    branches: a round's reads miss the cache together instead of one after the other, which is
    what a search over memory-mapped gigabytes waits on.
    """
    n = len(keys)
    f = len(fence)
    base = np.zeros(_GROUP, dtype=np.int64)
    end = np.zeros(_GROUP, dtype=np.int64)
    size = np.zeros(_GROUP, dtype=np.int64)
    rounds = 1
    while (1 << rounds) <= step:
        rounds += 1
    for g in range(0, len(queries), _GROUP):
        m = min(_GROUP, len(queries) - g)
        if n == 0:
            for k in range(m):
                lo[g + k] = 0
                hi[g + k] = 0
            continue
        # first fence entry >= query
        for k in range(m):
            base[k] = 0
        width = f
        while width > 1:
            half = width >> 1
            for k in range(m):
                base[k] += half * (fence[base[k] + half] < queries[g + k])
            width -= half
        for k in range(m):
            j = base[k] + (fence[base[k]] < queries[g + k])
            a = (j - 1) * step + 1 if j > 0 else 0
            b = min(n, j * step + 1)
            base[k] = a
            end[k] = b
            size[k] = b - a
        # first key >= query in keys[a:b]
        for _ in range(rounds):  # a block of at most ``step`` keys halves to one in this many rounds
            for k in range(m):
                width = size[k]
                half = width >> 1
                if width > 1:
                    base[k] += half * (keys[base[k] + half] < queries[g + k])
                    size[k] = width - half
        for k in range(m):
            q = queries[g + k]
            first = base[k]
            if end[k] > first and keys[first] < q:
                first += 1
            last = first
            while last < n and keys[last] == q:
                last += 1
            lo[g + k] = first
            hi[g + k] = last


@numba.njit(cache=True, nogil=True)
def segment_hits(keys: np.ndarray, fence: np.ndarray, step: int, refs: np.ndarray, ordered: np.ndarray,
                 order: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """The postings of one segment whose key is a query: ``(positions, refs)``, the position in the
    query list (``order`` maps a sorted query back to it) and the ref of each, at most the last
    ``cap`` of each key (the newest: a key's refs are sorted).

    Args:
        keys: The segment's sorted keys.
        fence: Every ``step``-th key.
        refs: The segment's refs, in key order.
        ordered: The queries, sorted.
        order: Where each sorted query stands in the query list.
        cap: Postings kept per key.
    """
    n = len(ordered)
    lo = np.empty(n, dtype=np.int64)
    hi = np.empty(n, dtype=np.int64)
    key_ranges(keys, fence, step, ordered, lo, hi)
    total = 0
    for k in range(n):
        total += min(hi[k] - lo[k], cap)
    positions = np.empty(total, dtype=np.int64)
    out = np.empty(total, dtype=np.uint64)
    at = 0
    for k in range(n):
        start = max(lo[k], hi[k] - cap)
        for j in range(start, hi[k]):
            positions[at] = order[k]
            out[at] = refs[j]
            at += 1
    return positions, out


@numba.njit(cache=True, nogil=True)
def _same_key(blob: np.ndarray, r: int, queries: np.ndarray, q: int) -> bool:
    """Whether the record at ``blob[r]`` holds query ``q``'s key (its low 40 bits)."""
    for b in range(5):  # noqa: SIM110  a loop, not all() over a generator: compiled code
        if blob[r + b] != queries[q, 3 + b]:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def shard_hits(blob: np.ndarray, sizes: np.ndarray, queries: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
    """The records of fetched Redis postings shards whose key is their query's: ``(positions,
    refs)``, the query of each and its ref, at most the last ``cap`` of each query (the latest
    written).

    Args:
        blob: The shards fetched, back to back: 13-byte records, a key's low 40 bits then a ref,
            both big-endian.
        sizes: Bytes of each query's shard in ``blob`` (0 for a missing one).
        queries: ``(n, 8)`` bytes per query: its shard (3 bytes), then its key's low 40 bits.
        cap: Postings kept per query.
    """
    n = len(sizes)
    counts = np.zeros(n, dtype=np.int64)
    at = 0
    for q in range(n):
        for r in range(at, at + sizes[q], 13):
            counts[q] += _same_key(blob, r, queries, q)
        at += sizes[q]
    total = 0
    for q in range(n):
        total += min(counts[q], cap)
    positions = np.empty(total, dtype=np.int64)
    refs = np.empty(total, dtype=np.uint64)
    at = 0
    out = 0
    for q in range(n):
        skip = counts[q] - cap
        for r in range(at, at + sizes[q], 13):
            if _same_key(blob, r, queries, q):
                if skip > 0:
                    skip -= 1
                    continue
                ref = np.uint64(0)
                for k in range(5, 13):
                    ref = (ref << np.uint64(8)) | np.uint64(blob[r + k])
                positions[out] = q
                refs[out] = ref
                out += 1
        at += sizes[q]
    return positions, refs
