"""Candidate pairs from spilled signatures and shingles, a part at a time.

The same pairs as :class:`syndet.match.candidates.MemoryIndex` and
:func:`syndet.match.candidates.shared_shingle_pairs`, cut differently: a band's rows go to the part
their bucket falls in (two rows of one bucket always share a part), and shingle postings to the
part their hash falls in, so each part is sorted alone and no sort holds the whole corpus.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from syndet.engines.bounded.spill import ArrayFile
from syndet.hashing.arrays import distinct, distinct_counts
from syndet.match.candidates import band_mix, band_pairs, verified_pairs
from syndet.settings import VerifySettings

Done = Callable[[int, int], None]


class BandSpill:
    """Signature bands on disk, one file per band and part.

    Args:
        folder: Where the files go.
        hashranges: The columns of each band (:attr:`MemoryIndex.hashranges`).
        parts: Parts per band (a power of two).
    """

    def __init__(self, folder: Path, hashranges: Sequence[tuple[int, int]], parts: int) -> None:
        self.hashranges = list(hashranges)
        self.bits = max(0, parts.bit_length() - 1)
        self._keys = [[ArrayFile(folder / f"band{b}-{p}.keys", np.int64) for p in range(parts)]
                      for b in range(len(hashranges))]
        self._rows = [[ArrayFile(folder / f"band{b}-{p}.rows", np.uint32, hi - lo) for p in range(parts)]
                      for b, (lo, hi) in enumerate(hashranges)]

    def add(self, keys: np.ndarray, sigs: np.ndarray) -> None:
        """Spill signature rows (keys ascending, above every key added before)."""
        for b, (lo, hi) in enumerate(self.hashranges):
            band = np.ascontiguousarray(sigs[:, lo:hi])
            part = (band_mix(band) >> np.uint64(64 - self.bits)).astype(np.int64) if self.bits else None
            for p, (key_file, row_file) in enumerate(zip(self._keys[b], self._rows[b], strict=True)):
                chosen = slice(None) if part is None else part == p
                key_file.append(keys[chosen])
                row_file.append(band[chosen])

    def pairs(self, span: int, max_bucket: int, done: Done | None = None) -> np.ndarray:
        """Every pair of keys sharing a bucket in a band, once, as sorted codes ``left * span + right``
        (``span``: above every key), each band's files deleted once read. Repeats are dropped
        whenever the codes not yet merged outnumber those merged."""
        found: list[np.ndarray] = []
        merged = held = 0
        total = sum(len(files) for files in self._keys)
        for b, (key_files, row_files) in enumerate(zip(self._keys, self._rows, strict=True)):
            for p, (key_file, row_file) in enumerate(zip(key_files, row_files, strict=True)):
                keys = key_file.read()
                if len(keys) >= 2:
                    codes = band_pairs(keys, row_file.read(), max_bucket, np.int64(span))
                    found.append(codes)
                    held += len(codes)
                key_file.delete()
                row_file.delete()
                if held > max(merged, 1 << 20):
                    found = [distinct(np.concatenate(found))]
                    merged, held = len(found[0]), 0
                if done:
                    done(b * len(key_files) + p + 1, total)
        return distinct(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)


def verify(codes: np.ndarray, span: int, flat: ArrayFile, offsets: np.ndarray, owners: np.ndarray,
           settings: VerifySettings, block: int) -> tuple[np.ndarray, int]:
    """The candidate paragraph pairs (codes) of different articles that really share text
    (:func:`syndet.match.candidates.verified_pairs`), as ``(left, right)`` rows, and how many
    pairs of different articles there were; ``block`` pairs are checked at a time, with only
    their paragraphs' shingles read from ``flat``."""
    pairs = np.stack([codes // span, codes % span], axis=1) if len(codes) else np.empty((0, 2), dtype=np.int64)
    pairs = pairs[owners[pairs[:, 0]] != owners[pairs[:, 1]]]
    kept: list[np.ndarray] = []
    for lo in range(0, len(pairs), block):
        mapped = flat.mapped()  # mapped afresh for each block: the pages read leave with the map
        part = pairs[lo:lo + block]
        rows = distinct(part.ravel())
        starts, ends = offsets[rows], offsets[rows + 1]
        lengths = ends - starts
        local = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=local[1:])
        where = np.repeat(starts - local[:-1], lengths) + np.arange(local[-1], dtype=np.int64)
        hashes = np.asarray(mapped[where]) if len(where) else np.empty(0, dtype=np.uint32)
        del mapped
        remapped = np.searchsorted(rows, part)
        kept.append(part[verified_pairs(hashes, local, remapped, settings)])
    out = np.concatenate(kept) if kept else np.empty((0, 2), dtype=np.int64)
    return out, len(pairs)


class PostingSpill:
    """Each article's distinct shingles on disk, cut into parts by hash.

    Args:
        folder: Where the files go.
        parts: Number of parts (a power of two).
    """

    def __init__(self, folder: Path, parts: int) -> None:
        self.folder = folder
        self.bits = max(0, parts.bit_length() - 1)
        self._files = [ArrayFile(folder / f"postings-{p}.u64", np.uint64) for p in range(parts)]

    def add(self, hashes: np.ndarray, articles: np.ndarray) -> None:
        """Spill shingle hashes with the article holding each (whole articles only)."""
        keys = distinct((np.asarray(hashes, dtype=np.uint32).astype(np.uint64) << np.uint64(32))
                        | np.asarray(articles, dtype=np.uint64))
        if not self.bits:
            self._files[0].append(keys)
            return
        part = (keys >> np.uint64(64 - self.bits)).astype(np.int64)
        bounds = np.searchsorted(part, np.arange(len(self._files) + 1))  # keys are sorted
        for p, spill in enumerate(self._files):
            spill.append(keys[bounds[p]:bounds[p + 1]])

    def pairs(self, n_articles: int, min_shared: int, max_df: int, block: int, done: Done | None = None
              ) -> np.ndarray:
        """Article pairs sharing at least ``min_shared`` distinct shingles that two to ``max_df``
        articles hold, as sorted codes ``low * n_articles + high`` (see
        :func:`syndet.match.candidates.shared_shingle_pairs`). The pairs of each part are made at
        most ``block`` at a time, spilled again by code range and summed a range at a time."""
        from syndet.hashing import kernels  # numba loads on first use

        ranges = 2 * len(self._files)
        steps = len(self._files) + ranges
        top = max(1, n_articles * n_articles)
        counted = [(ArrayFile(self.folder / f"paircodes-{q}.i64", np.int64),
                    ArrayFile(self.folder / f"paircounts-{q}.i64", np.int64)) for q in range(ranges)]
        for p, spill in enumerate(self._files):
            keys = spill.read()
            spill.delete()
            keys.sort()
            values = keys >> np.uint64(32)
            if len(keys) >= 2:
                starts = np.flatnonzero(np.concatenate(([True], values[1:] != values[:-1])))
                sizes = np.diff(np.append(starts, len(values)))
                keep = (sizes >= 2) & (sizes <= max_df)
                members = (keys & np.uint64(0xFFFFFFFF)).astype(np.int64)
                del keys, values
                starts, sizes = starts[keep].astype(np.int64), sizes[keep].astype(np.int64)
                # The groups' pairs a slice of groups at a time, each slice under ``block`` pairs.
                ends = np.cumsum(sizes * (sizes - 1) // 2)
                lo = 0
                while lo < len(starts):
                    hi = max(lo + 1, int(np.searchsorted(ends, (ends[lo - 1] if lo else 0) + block, side="right")))
                    codes = kernels.group_pairs(members, starts[lo:hi], sizes[lo:hi], n_articles)
                    _spill_counts(codes, counted, top)
                    lo = hi
            if done:
                done(p + 1, steps)
        strong: list[np.ndarray] = []
        for q, (code_file, count_file) in enumerate(counted):
            codes, counts = code_file.read(), count_file.read()
            code_file.delete()
            count_file.delete()
            if len(codes):
                order = np.argsort(codes, kind="stable")
                codes, counts = codes[order], counts[order]
                new = np.flatnonzero(np.append(True, codes[1:] != codes[:-1]))
                total = np.add.reduceat(counts, new)
                strong.append(codes[new][total >= min_shared])
            if done:
                done(len(self._files) + q + 1, steps)
        return np.concatenate(strong) if strong else np.empty(0, dtype=np.int64)


def _spill_counts(codes: np.ndarray, counted: list[tuple[ArrayFile, ArrayFile]], top: int) -> None:
    """Spill the distinct ``codes`` (below ``top``) with how often each came, to the file of its range."""
    if not len(codes):
        return
    unique, counts = distinct_counts(codes)
    ranges = len(counted)
    cut = np.searchsorted(unique, (np.arange(ranges + 1, dtype=np.float64) * top / ranges).astype(np.int64))
    for q, (code_file, count_file) in enumerate(counted):
        code_file.append(unique[cut[q]:cut[q + 1]])
        count_file.append(counts[cut[q]:cut[q + 1]])
