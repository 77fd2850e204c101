"""Array helpers the hash and match stages share.

``numpy.unique`` without ``return_*`` uses a hash table in numpy 2.3 and later, which on this
data (tens of millions of 32- and 64-bit hashes) is one to two orders of magnitude slower than
sorting: 1,000,000 random ``uint32`` take over a second against ten milliseconds sorted. Every
plain distinct-values call goes through :func:`distinct` instead.
"""

from __future__ import annotations

import numpy as np


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of a 1-d array, sorted (what ``np.unique(values)`` returns)."""
    out = np.sort(np.asarray(values).ravel())
    if len(out) < 2:
        return out
    keep = np.empty(len(out), dtype=bool)
    keep[0] = True
    np.not_equal(out[1:], out[:-1], out=keep[1:])
    return out[keep]


def distinct_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a 1-d array, sorted, and how often each comes (``np.unique(values,
    return_counts=True)``, by sorting)."""
    out = np.sort(np.asarray(values).ravel())
    if len(out) == 0:
        return out, np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.append(True, out[1:] != out[:-1]))
    return out[starts], np.diff(np.append(starts, len(out)))


def distinct_pairs(major: np.ndarray, minor: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct pairs ``(major[i], minor[i])`` of two arrays of non-negative integers, sorted by
    ``major`` then ``minor``, as two arrays of their dtypes. Where both fit one 64-bit number
    (``major`` above ``minor``) they are sorted as one, by :func:`distinct`; else by two keys."""
    major, minor = np.asarray(major), np.asarray(minor)
    if len(major) == 0:
        return major.copy(), minor.copy()
    bits = max(1, int(minor.max()).bit_length())
    if bits < 64 and int(minor.min()) >= 0 and int(major.min()) >= 0 and int(major.max()) >> (64 - bits) == 0:
        packed = distinct((major.astype(np.uint64) << np.uint64(bits)) | minor.astype(np.uint64))
        return ((packed >> np.uint64(bits)).astype(major.dtype),
                (packed & np.uint64((1 << bits) - 1)).astype(minor.dtype))
    order = np.lexsort((minor, major))
    major, minor = major[order], minor[order]
    keep = np.r_[True, (major[1:] != major[:-1]) | (minor[1:] != minor[:-1])]
    return major[keep], minor[keep]
