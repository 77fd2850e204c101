"""Batched MinHash signatures, bit-for-bit those of datasketch's ``MinHash`` (scheme ``affine32``).

datasketch hashes each value, pre-mixes it with the MurmurHash3 finalizer and applies
``a_k * h + b_k`` in 32-bit wrap-around arithmetic for every permutation ``k``, keeping the minimum.
Here the same arithmetic runs over many paragraphs at once: the shingle hashes of a batch are
concatenated, permuted as one ``(shingles, num_perm)`` array in bounded chunks, and reduced per
paragraph with ``np.minimum.reduceat``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

SCHEME = "affine32"
EMPTY = np.uint32(0xFFFFFFFF)
_FMIX32 = (16, np.uint32(0x85EBCA6B), 13, np.uint32(0xC2B2AE35), 16)
_CHUNK_ROWS = 1 << 15


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
    out = np.full((len(hashes), perms.num_perm), EMPTY, dtype=np.uint32)
    lengths = np.fromiter((len(h) for h in hashes), dtype=np.int64, count=len(hashes))
    if lengths.sum() == 0:
        return out
    rows = np.flatnonzero(lengths)
    a = perms.a[None, :]
    b = perms.b[None, :]
    start = 0
    while start < len(rows):
        stop, total = start, 0
        while stop < len(rows) and (stop == start or total + lengths[rows[stop]] <= _CHUNK_ROWS):
            total += int(lengths[rows[stop]])
            stop += 1
        batch = rows[start:stop]
        flat = fmix32(np.concatenate([hashes[i] for i in batch]).astype(np.uint32, copy=False))
        permuted = flat[:, None] * a
        permuted += b
        offsets = np.zeros(len(batch), dtype=np.int64)
        np.cumsum(lengths[batch][:-1], out=offsets[1:])
        out[batch] = np.minimum.reduceat(permuted, offsets, axis=0)
        start = stop
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
