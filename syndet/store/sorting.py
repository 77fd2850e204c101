"""The compiled sort behind writing postings (numba; imported only when an index is written).

An add writes its postings sorted by key; the keys are 64-bit hashes, and a batch holds hundreds
of thousands of them, half of them repeated (the paragraphs many copies of a story share). A stable
sort keeps equal keys in the order they came, which is the order of their refs, and numpy's stable
sort of 64-bit integers is a comparison sort; this one sorts by 16 bits at a time, four passes of
counting and placing, a few times faster on such arrays.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def stable_order(keys: np.ndarray) -> np.ndarray:
    """The stable ``argsort`` of ``uint64`` keys (a least-significant-digit radix sort).

    Args:
        keys: The keys, ``uint64``.

    Returns:
        ``int64`` positions: ``keys[order]`` is sorted, and equal keys keep their order.
    """
    n = len(keys)
    order = np.arange(n)
    spare = np.empty(n, dtype=np.int64)
    current = keys.copy()
    moved = np.empty(n, dtype=np.uint64)
    mask = np.uint64(0xFFFF)
    for p in range(4):
        shift = np.uint64(16 * p)
        counts = np.zeros(65536 + 1, dtype=np.int64)
        for i in range(n):
            counts[np.int64((current[i] >> shift) & mask) + 1] += 1
        if counts.max() == n:  # every key has the same digit here: the pass would move nothing
            continue
        for d in range(65536):
            counts[d + 1] += counts[d]
        for i in range(n):
            digit = np.int64((current[i] >> shift) & mask)
            at = counts[digit]
            counts[digit] = at + 1
            spare[at] = order[i]
            moved[at] = current[i]
        order, spare = spare, order
        current, moved = moved, current
    return order
