"""The compiled search behind postings lookups (numba; imported only when an index is read)."""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def key_ranges(keys: np.ndarray, fence: np.ndarray, step: int, queries: np.ndarray, lo: np.ndarray,
               hi: np.ndarray) -> None:
    """For each query, the range ``[lo, hi)`` of ``keys`` equal to it: the fence (every
    ``step``-th key) picks the block, a binary search in the block finds the first, a scan
    the last."""
    n = len(keys)
    for i in range(len(queries)):
        q = queries[i]
        j = np.searchsorted(fence, q)
        a = (j - 1) * step if j > 0 else 0
        b = min(n, j * step + 1)
        while a < b:  # first key >= q in keys[a:b]
            mid = (a + b) >> 1
            if keys[mid] < q:
                a = mid + 1
            else:
                b = mid
        e = a
        while e < n and keys[e] == q:
            e += 1
        lo[i] = a
        hi[i] = e
