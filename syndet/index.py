"""Candidate paragraph pairs from datasketch's ``MinHashLSH`` (in memory, for one scan)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from datasketch import MinHashLSH

from syndet.signature import SignatureView


class MemoryIndex:
    """An LSH index over paragraph signatures held in memory, keyed by integer paragraph number.

    Args:
        threshold: Jaccard similarity at which pairs become candidates.
        num_perm: Signature length.
        seed: MinHash seed (recorded on each signature handed to datasketch).
    """

    def __init__(self, threshold: float, num_perm: int, seed: int) -> None:
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.seed = seed

    @property
    def bands(self) -> tuple[int, int]:
        """``(bands, rows)`` datasketch chose for the threshold."""
        return int(self.lsh.b), int(self.lsh.r)

    def add(self, keys: np.ndarray, sigs: np.ndarray) -> None:
        """Insert signature rows under integer keys (rows are viewed, not copied)."""
        insert = self.lsh.insert
        seed = self.seed
        for key, row in zip(keys.tolist(), sigs, strict=False):
            insert(key, SignatureView(row, seed), check_duplication=False)

    def candidate_pairs(self, max_bucket: int) -> Iterator[tuple[int, int]]:
        """Every pair of keys that share a bucket in any band, each pair once per bucket.

        A bucket larger than ``max_bucket`` pairs each member with its first member only, so that
        one line repeated across thousands of articles cannot produce millions of pairs.
        """
        for table in self.lsh.hashtables:
            for bucket_key in table:
                members = table.get(bucket_key)
                if len(members) < 2:
                    continue
                ordered = sorted(members)
                if len(ordered) > max_bucket:
                    first = ordered[0]
                    for other in ordered[1:]:
                        yield first, other
                    continue
                for i, left in enumerate(ordered):
                    for right in ordered[i + 1:]:
                        yield left, right
