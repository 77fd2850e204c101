"""Candidate paragraph pairs by LSH banding over the signature matrix (in memory, for one scan).

The bands are datasketch's: ``MinHashLSH`` chooses ``(bands, rows)`` for the threshold and its
``hashranges`` cut each signature. Two paragraphs share a bucket exactly when one band of their
signatures is equal, so instead of a million ``insert`` calls each band is grouped at once with
NumPy: rows are sorted by a 64-bit mix of the band and bucket boundaries are where the band
changes. ``tests/test_index.py`` pins the pairs to those of a real ``MinHashLSH``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from syndet.hashing.arrays import distinct
from syndet.hashing.bands import lsh_bands
from syndet.settings import VerifySettings

_MIX = np.uint64(0x9E3779B97F4A7C15)
_THREADED_KEYS = 100_000  # below this many paragraphs a thread costs more than it saves


class MemoryIndex:
    """An LSH index over paragraph signatures held in memory, keyed by integer paragraph number.

    Args:
        threshold: Jaccard similarity at which pairs become candidates.
        num_perm: Signature length.
        seed: MinHash seed of the signatures.
    """

    def __init__(self, threshold: float, num_perm: int, seed: int) -> None:
        b, r = lsh_bands(threshold, num_perm)
        self.hashranges: list[tuple[int, int]] = [(i * r, (i + 1) * r) for i in range(b)]  # as MinHashLSH's
        self._bands = (b, r)
        self.seed = seed
        self._keys: list[np.ndarray] = []
        self._sigs: list[np.ndarray] = []

    @property
    def bands(self) -> tuple[int, int]:
        """``(bands, rows)`` datasketch chose for the threshold."""
        return self._bands

    def add(self, keys: np.ndarray, sigs: np.ndarray) -> None:
        """Add signature rows under non-negative integer keys below 2**31 (the arrays are kept, not copied)."""
        self._keys.append(np.asarray(keys, dtype=np.int64))
        self._sigs.append(sigs)

    def candidate_pairs(self, max_bucket: int, threads: int = 1) -> np.ndarray:
        """Every pair of keys that share a bucket in any band, once, as sorted ``(left, right)`` rows.

        A bucket larger than ``max_bucket`` pairs each member with its first member only, so that
        one line repeated across thousands of articles cannot produce millions of pairs. The bands
        are worked on ``threads`` at a time (their sorts release the GIL).
        """
        if not self._keys:
            return np.empty((0, 2), dtype=np.int64)
        keys = np.concatenate(self._keys) if len(self._keys) > 1 else self._keys[0]
        sigs = np.concatenate(self._sigs) if len(self._sigs) > 1 else self._sigs[0]
        if len(keys) > 1 and not (keys[1:] > keys[:-1]).all():
            order = np.argsort(keys, kind="stable")
            keys, sigs = keys[order], sigs[order]
        span = np.int64(keys[-1] + 1) if len(keys) else np.int64(1)
        # One strided pass copies each band out of the wide matrix; the rest works on the small copy.
        def band(bounds: tuple[int, int]) -> np.ndarray:
            return band_pairs(keys, np.ascontiguousarray(sigs[:, bounds[0]:bounds[1]]), max_bucket, span)

        if threads > 1 and len(keys) >= _THREADED_KEYS:
            with ThreadPoolExecutor(max_workers=threads) as pool:
                codes = list(pool.map(band, self.hashranges))
        else:
            codes = [band(bounds) for bounds in self.hashranges]
        unique = np.concatenate(codes)
        unique.sort()  # sort, then drop repeats: faster than np.unique's hashing at millions of pairs
        unique = unique[np.append(True, unique[1:] != unique[:-1])] if len(unique) else unique
        return np.stack([unique // span, unique % span], axis=1)


def band_mix(band: np.ndarray) -> np.ndarray:
    """A 64-bit mix of each row of a band: equal rows, equal mixes."""
    mixed = np.zeros(len(band), dtype=np.uint64)
    for col in range(band.shape[1]):
        mixed = mixed * _MIX + band[:, col].astype(np.uint64)
    return mixed


def band_pairs(keys: np.ndarray, band: np.ndarray, max_bucket: int, span: np.int64) -> np.ndarray:
    """Pairs (coded ``left * span + right``) of keys (ascending) whose rows of ``band`` are equal; a
    bucket larger than ``max_bucket`` pairs each member with its first only."""
    mixed = band_mix(band)
    order = np.argsort(mixed, kind="stable")  # keys ascend, so members of a bucket stay in key order
    sorted_mix, sorted_band = mixed[order], band[order]
    # A bucket ends where the band changes; comparing the band itself, not only its mix, keeps two
    # different bands with the same 64-bit mix apart.
    new = np.ones(len(keys), dtype=bool)
    new[1:] = (sorted_mix[1:] != sorted_mix[:-1]) | (sorted_band[1:] != sorted_band[:-1]).any(axis=1)
    group = np.cumsum(new) - 1
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, len(keys)))
    size_of = sizes[group]
    shared = size_of >= 2
    members = keys[order][shared]
    group, size_of = group[shared], size_of[shared]
    first = members[np.searchsorted(group, group)]  # first member of each row's bucket
    out = []
    big = size_of > max_bucket
    out.append(np.stack([first[big], members[big]], axis=1)[first[big] != members[big]])
    small = ~big
    members, group = members[small], group[small]
    for d in range(1, int(size_of[small].max(initial=1))):
        same = np.flatnonzero(group[:-d] == group[d:])
        if len(same) == 0:
            break
        out.append(np.stack([members[same], members[same + d]], axis=1))
    pairs = np.concatenate(out)
    codes: np.ndarray = pairs[:, 0] * span + pairs[:, 1]
    return codes


def overlaps(hashes: np.ndarray, offsets: np.ndarray, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Exact ``(containment, jaccard)`` of the shingle sets of each pair of rows, as ``float64`` arrays.

    The same quantities as :func:`syndet.match.align.similarity`, for many pairs in one compiled pass:
    containment is over the smaller set, and a pair with an empty row scores zero.
    """
    from syndet.hashing import kernels  # numba loads on first use: ``import syndet`` stays light

    values, bounds = kernels.sorted_unique_rows(np.ascontiguousarray(hashes, dtype=np.uint32),
                                                np.ascontiguousarray(offsets, dtype=np.int64))
    left = np.ascontiguousarray(pairs[:, 0], dtype=np.int64)
    right = np.ascontiguousarray(pairs[:, 1], dtype=np.int64)
    inter = kernels.intersections(values, bounds, left, right).astype(np.float64)
    sizes = np.diff(bounds)
    a, b = sizes[left].astype(np.float64), sizes[right].astype(np.float64)
    smaller = np.minimum(a, b)
    union = a + b - inter
    containment = np.divide(inter, smaller, out=np.zeros_like(inter), where=smaller > 0)
    jaccard = np.divide(inter, union, out=np.zeros_like(inter), where=smaller > 0)
    return containment, jaccard


def verified_pairs(hashes: np.ndarray, offsets: np.ndarray, pairs: np.ndarray, settings: VerifySettings) -> np.ndarray:
    """Which candidate pairs of rows really share text: containment or Jaccard (:func:`overlaps`)
    at least ``verify.min_containment`` or ``verify.min_jaccard``."""
    containment, jaccard = overlaps(hashes, offsets, pairs)
    keep: np.ndarray = (containment >= settings.min_containment) | (jaccard >= settings.min_jaccard)
    return keep


def shared_shingle_pairs(hashes: np.ndarray, offsets: np.ndarray, owners: np.ndarray, n_articles: int,
                         min_shared: int, max_df: int, parts: int = 8) -> dict[tuple[int, int], int]:
    """Article pairs that share at least ``min_shared`` distinct shingles, wherever they sit.

    Paragraph signatures find paragraphs that are alike as a whole; a run of thirty words copied
    into a paragraph of three hundred, or into a text without paragraph breaks, is not. This pass
    reads the postings of every shingle instead (as passim does): a shingle that two to
    ``max_df`` articles hold pairs them, and a shingle more articles hold is a stock phrase that
    pairs nothing. The hashes are taken ``parts`` ranges at a time, so that the sorting needs an
    eighth of the memory. Returns ``{(article, article): shared shingles}``, lower index first.
    """
    from syndet.hashing import kernels  # numba loads on first use

    lengths = np.diff(offsets)
    if len(hashes) == 0 or n_articles < 2:
        return {}
    values32 = np.asarray(hashes, dtype=np.uint32)
    article = np.repeat(np.asarray(owners, dtype=np.uint32)[: len(lengths)], lengths)
    shift = np.uint32(32 - max(1, int(parts - 1).bit_length()))
    part_of = values32 >> shift
    found_codes: list[np.ndarray] = []
    found_counts: list[np.ndarray] = []
    for part in range(int(part_of.max()) + 1):
        at = np.flatnonzero(part_of == part)
        if len(at) < 2:
            continue
        keys = distinct((values32[at].astype(np.uint64) << np.uint64(32)) | article[at].astype(np.uint64))
        del at
        values = keys >> np.uint64(32)
        starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
        sizes = np.diff(np.append(starts, len(values)))
        keep = (sizes >= 2) & (sizes <= max_df)
        members = (keys & np.uint64(0xFFFFFFFF)).astype(np.int64)
        del keys, values
        codes = kernels.group_pairs(members, starts[keep].astype(np.int64), sizes[keep].astype(np.int64), n_articles)
        if len(codes):
            unique, counts = np.unique(codes, return_counts=True)
            found_codes.append(unique)
            found_counts.append(counts)
    if not found_codes:
        return {}
    codes = np.concatenate(found_codes)
    pairs, where = np.unique(codes, return_inverse=True)
    counts = np.bincount(where, weights=np.concatenate(found_counts)).astype(np.int64)
    strong = counts >= min_shared
    return {(int(c) // n_articles, int(c) % n_articles): int(n)
            for c, n in zip(pairs[strong].tolist(), counts[strong].tolist(), strict=True)}
