"""The in-memory banding finds exactly the pairs datasketch's MinHashLSH buckets hold."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHashLSH

from syndet.hashing.signature import SignatureView, permutations, signatures
from syndet.match import candidates
from syndet.match.candidates import MemoryIndex


def datasketch_pairs(lsh: MinHashLSH, max_bucket: int) -> set[tuple[int, int]]:
    pairs: set[tuple[int, int]] = set()
    for table in lsh.hashtables:
        for bucket in table:
            members = sorted(table.get(bucket))
            if len(members) > max_bucket:
                pairs.update((members[0], m) for m in members[1:])
            else:
                pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    return pairs


@pytest.mark.parametrize(("threshold", "max_bucket"), [(0.3, 64), (0.5, 3), (0.8, 2)])
def test_pairs_equal_minhashlsh_buckets(threshold: float, max_bucket: int, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(5)
    base = [rng.integers(0, 2**32, 40, dtype=np.uint32) for _ in range(30)]
    docs = []
    for _ in range(400):  # near copies of a few texts, so that buckets of many sizes form
        src = base[int(rng.integers(0, len(base)))].copy()
        edits = rng.integers(0, 40, int(rng.integers(0, 25)))
        src[edits] = rng.integers(0, 2**32, len(edits), dtype=np.uint32)
        docs.append(src)
    sigs = signatures(docs, permutations(128, 1))
    keys = np.arange(0, 2 * len(docs), 2)  # keys need not be row numbers
    index = MemoryIndex(threshold, 128, 1)
    index.add(keys[:150], sigs[:150])
    index.add(keys[150:], sigs[150:])
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    assert index.bands == (lsh.b, lsh.r)
    for key, row in zip(keys.tolist(), sigs, strict=True):
        lsh.insert(key, SignatureView(row, 1))
    got = index.candidate_pairs(max_bucket)
    expected = datasketch_pairs(lsh, max_bucket)
    assert len(expected) > 40
    assert [tuple(p) for p in got.tolist()] == sorted(expected)
    monkeypatch.setattr(candidates, "_THREADED_KEYS", 1)  # the bands on two threads: the same pairs
    assert np.array_equal(index.candidate_pairs(max_bucket, threads=2), got)


def test_keys_added_out_of_order_and_empty_index() -> None:
    assert MemoryIndex(0.5, 64, 1).candidate_pairs(8).shape == (0, 2)
    rng = np.random.default_rng(1)
    row = rng.integers(0, 2**32, 20, dtype=np.uint32)
    sigs = signatures([row, rng.integers(0, 2**32, 20, dtype=np.uint32), row], permutations(64, 1))
    index = MemoryIndex(0.5, 64, 1)
    index.add(np.array([9, 4, 2]), sigs)
    assert index.candidate_pairs(8).tolist() == [[2, 9]]
