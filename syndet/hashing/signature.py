"""Batched MinHash signatures, bit-for-bit those of datasketch's ``MinHash`` (scheme ``affine32``).

datasketch hashes each value, pre-mixes it with the MurmurHash3 finalizer and applies
``a_k * h + b_k`` in 32-bit wrap-around arithmetic for every permutation ``k``, keeping the minimum.
Here the same arithmetic runs over many paragraphs at once: the shingle hashes of a batch are one
flat array with row offsets, and a compiled loop (:mod:`syndet.hashing.kernels`) keeps each row's minimum
per permutation in 32-bit vector lanes, optionally on several threads.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SCHEME = "affine32"
EMPTY = np.uint32(0xFFFFFFFF)
_FMIX32 = (16, np.uint32(0x85EBCA6B), 13, np.uint32(0xC2B2AE35), 16)


@dataclass(frozen=True)
class Permutations:
    """The permutation parameters of a ``MinHash(num_perm, seed)``: two ``uint32`` arrays."""

    num_perm: int
    seed: int
    a: np.ndarray
    b: np.ndarray


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> Permutations:
    """The parameters datasketch draws for ``MinHash(num_perm=num_perm, seed=seed)``.

    They are drawn the same way datasketch draws them (NumPy's legacy ``RandomState``), so the
    signatures match without calling into datasketch on the hot path.
    """
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    for arr in (a, b):
        arr.flags.writeable = False
    return Permutations(num_perm, seed, a, b)


def fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer over a ``uint32`` array (wrap-around is intended)."""
    s1, m1, s2, m2, s3 = _FMIX32
    h = values ^ (values >> np.uint32(s1))
    h = h * m1
    h ^= h >> np.uint32(s2)
    h = h * m2
    h ^= h >> np.uint32(s3)
    result: np.ndarray = h
    return result


def signatures(hashes: Sequence[np.ndarray], perms: Permutations) -> np.ndarray:
    """MinHash signatures of many shingle-hash arrays at once.

    Args:
        hashes: One ``uint32`` array of shingle hashes per paragraph (duplicates allowed).
        perms: The permutations, from :func:`permutations`.

    Returns:
        ``(len(hashes), num_perm)`` ``uint32`` array; an empty input row is all ``0xFFFFFFFF``, as an
        empty datasketch MinHash.
    """
    offsets = np.zeros(len(hashes) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, hashes), dtype=np.int64, count=len(hashes)), out=offsets[1:])
    flat = np.concatenate(hashes).astype(np.uint32, copy=False) if hashes else np.empty(0, dtype=np.uint32)
    return signatures_flat(flat, offsets, perms)


def signatures_flat(hashes: np.ndarray, offsets: np.ndarray, perms: Permutations, threads: int = 1) -> np.ndarray:
    """MinHash signatures of rows of one flat hash array (row ``i`` is ``hashes[offsets[i]:offsets[i + 1]]``).

    Args:
        hashes: ``uint32`` shingle hashes of all rows, concatenated.
        offsets: ``int64`` row boundaries, ``len(rows) + 1`` of them.
        perms: The permutations, from :func:`permutations`.
        threads: Threads to split the rows over (the compiled loop releases the GIL).

    Returns:
        ``(rows, num_perm)`` ``uint32`` array, as :func:`signatures`.
    """
    from syndet.hashing import kernels  # numba loads on first use: ``import syndet`` stays light

    rows = len(offsets) - 1
    out = np.empty((rows, perms.num_perm), dtype=np.uint32)  # the kernel writes every row whole
    flat = np.ascontiguousarray(hashes, dtype=np.uint32)
    bounds = np.ascontiguousarray(offsets, dtype=np.int64)
    parts = max(1, min(threads, rows // 1024))
    # Split so that each thread gets about the same number of shingles, not of rows.
    cuts = np.searchsorted(bounds, np.linspace(0, bounds[-1], parts + 1)).tolist()
    cuts[0], cuts[-1] = 0, rows
    spans = [(lo, hi) for lo, hi in itertools.pairwise(cuts) if hi > lo]
    if len(spans) <= 1:
        kernels.minhash_rows(flat, bounds, perms.a, perms.b, 0, rows, out)
        return out
    with ThreadPoolExecutor(len(spans)) as pool:
        for done in [pool.submit(kernels.minhash_rows, flat, bounds, perms.a, perms.b, lo, hi, out)
                     for lo, hi in spans]:
            done.result()
    return out


class SignatureView:
    """A read-only MinHash over one signature row, accepted by datasketch's ``MinHashLSH``.

    It holds a view of the row (no copy), the seed and the scheme, which is all ``MinHashLSH``
    reads from the MinHash it is given.
    """

    __slots__ = ("hashvalues", "scheme", "seed")

    def __init__(self, row: np.ndarray, seed: int) -> None:
        self.hashvalues = row
        self.seed = seed
        self.scheme = SCHEME

    def __len__(self) -> int:
        return len(self.hashvalues)
