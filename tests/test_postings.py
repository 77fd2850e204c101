"""The on-disk LSH postings: band keys, sorted segments, lookups, merges, and the SQLite index around them."""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from datasketch import MinHashLSH
from hypothesis import given
from hypothesis import settings as examples
from hypothesis import strategies as st

from syndet.errors import IndexError_
from syndet.filter import Filter
from syndet.models import Article
from syndet.settings import IndexSettings, Settings
from syndet.store import postings
from syndet.store.base import Banding, Found
from syndet.store.postings import FANOUT, Postings, SegmentInfo, due_merge, key_ref_order, refs_of, unpack


def _brute(pairs: list[tuple[int, int]], queries: np.ndarray, cap: int) -> set[tuple[int, int]]:
    by_key: dict[int, list[int]] = defaultdict(list)
    for key, ref in pairs:
        by_key[key].append(ref)
    out = set()
    for pos, q in enumerate(queries.tolist()):
        for ref in sorted(by_key.get(q, []))[-cap:]:
            out.add((pos, ref))
    return out


def test_band_keys_are_shared_exactly_when_a_band_is() -> None:
    settings = Settings()
    banding = Banding.for_settings(settings)
    lsh = MinHashLSH(threshold=settings.lsh.threshold, num_perm=settings.minhash.num_perm)
    assert (banding.b, banding.r) == (lsh.b, lsh.r)
    rng = np.random.default_rng(3)
    sigs = rng.integers(0, 2**32, (40, settings.minhash.num_perm), dtype=np.uint32)
    for k in range(1, 40):  # each row copies a few bands of the row before it
        for band in rng.choice(banding.b, size=int(rng.integers(0, 4)), replace=False):
            lo, hi = band * banding.r, (band + 1) * banding.r
            sigs[k, lo:hi] = sigs[k - 1, lo:hi]
    keys = banding.hashed(sigs)
    assert keys.shape == (40, banding.b) and keys.dtype == np.uint64
    raw = banding.keys(sigs)
    for i in range(40):
        for j in range(40):
            for band in range(banding.b):
                assert (keys[i, band] == keys[j, band]) == (raw[i][band] == raw[j][band])
    # one band's values in another band's place give another key
    assert keys[0, 0] != banding.hashed(np.roll(sigs[:1], -banding.r, axis=1))[0, banding.b - 1] or banding.b == 1


def test_lookup_finds_what_a_dictionary_finds(tmp_path: Path) -> None:
    rng = np.random.default_rng(5)
    store = Postings(tmp_path / "p")
    pairs: list[tuple[int, int]] = []
    infos = []
    for _ in range(4):
        keys = rng.integers(0, 2**64 - 1, 3000, dtype=np.uint64, endpoint=True)
        keys[:300] = keys[0]  # one key held 300 times, across several fence blocks
        keys[300:310] = np.uint64(0)
        keys[310:320] = np.uint64(2**64 - 1)
        refs = rng.integers(0, 2**40, 3000, dtype=np.uint64)
        pairs.extend(zip(keys.tolist(), refs.tolist(), strict=True))
        infos.append(store.write(keys, refs))
    present = np.array([k for k, _ in pairs[::97]], dtype=np.uint64)
    queries = np.concatenate([present, rng.integers(0, 2**64 - 1, 50, dtype=np.uint64),
                              np.array([0, 2**64 - 1, pairs[0][0]], dtype=np.uint64)])
    for cap in (1, 7, 10_000):
        positions, refs = store.lookup(infos, queries, cap)
        assert set(zip(positions.tolist(), refs.tolist(), strict=True)) == _brute(pairs, queries, cap)
        assert len(positions) == len(_brute(pairs, queries, cap))


@pytest.mark.parametrize(("seed", "in_ref_order"), [(seed, seed % 2 == 0) for seed in range(6)])
def test_an_adds_postings_are_ordered_by_key_then_ref(seed: int, in_ref_order: bool) -> None:
    """The order an add writes its postings in: by key, then ref, as a full sort of both gives,
    with keys repeated in runs of any length, and refs as an add makes them (never going down,
    the same ref once per band) or in any order."""
    rng = np.random.default_rng(seed)
    n = 5000
    keys = rng.integers(0, 2**64 - 1, n, dtype=np.uint64, endpoint=True)
    for _ in range(rng.integers(1, 50)):  # runs of one key, scattered
        keys[rng.integers(0, n, rng.integers(2, 40))] = keys[rng.integers(0, n)]
    keys[:7] = np.uint64(2**64 - 1)
    keys[7:12] = np.uint64(0)
    refs = rng.integers(0, 2**44, n, dtype=np.uint64)
    if in_ref_order:
        refs = np.repeat(np.sort(refs[:n // 4]), 4)[:n]
    else:
        refs[100:110] = refs[100]  # the same posting more than once
    order = key_ref_order(keys, refs)
    assert sorted(order.tolist()) == list(range(n))
    want = np.lexsort((refs, keys))
    assert np.array_equal(keys[order], keys[want]) and np.array_equal(refs[order], refs[want])
    assert len(key_ref_order(keys[:0], refs[:0])) == 0 and key_ref_order(keys[:1], refs[:1]).tolist() == [0]


def test_the_compiled_stable_sort_is_numpys() -> None:
    """Keys differing only in some 16-bit digits (passes skipped), and keys of every size."""
    from syndet.store.sorting import stable_order

    rng = np.random.default_rng(3)
    for shift in (0, 16, 40, 60):
        keys = rng.integers(0, 8, 3000, dtype=np.uint64) << np.uint64(shift)
        assert np.array_equal(stable_order(keys), np.argsort(keys, kind="stable"))
    keys = rng.integers(0, 2**64 - 1, 3000, dtype=np.uint64, endpoint=True)
    assert np.array_equal(stable_order(keys), np.argsort(keys, kind="stable"))


def test_refs_pack_article_and_paragraph() -> None:
    uids, idx = np.array([1, 2**40, 7]), np.array([0, 5, 2**20 - 1])
    back = unpack(refs_of(uids, idx))
    assert back[0].tolist() == uids.tolist() and back[1].tolist() == idx.tolist()


@pytest.mark.parametrize("chunk", [10**9, 500])
def test_merge_keeps_live_postings_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int) -> None:
    monkeypatch.setattr(postings, "MERGE_CHUNK", chunk)
    rng = np.random.default_rng(8)
    store = Postings(tmp_path / "p")
    infos, pairs = [], []
    for _ in range(5):
        keys = rng.integers(0, 2**20, 1000, dtype=np.uint64)
        refs = refs_of(rng.integers(1, 50, 1000), rng.integers(0, 9, 1000))
        pairs.extend(zip(keys.tolist(), refs.tolist(), strict=True))
        infos.append(store.write(keys, refs))
    alive = np.ones(50, dtype=bool)
    alive[[3, 17, 40]] = False
    merged = store.merge(infos, alive, level=1)
    kept = sorted((k, r) for k, r in pairs if alive[r >> postings.IDX_BITS])
    assert merged.level == 1 and merged.count == len(kept)
    seg = store.segments([merged])[0]
    assert list(zip(seg.keys.tolist(), seg.refs.tolist(), strict=True)) == kept
    assert seg.fence.tolist() == seg.keys[::postings.FENCE].tolist()
    assert (tmp_path / "p" / f"{merged.name}.fence").stat().st_size == 8 * len(seg.fence)


def test_tiering_merges_a_full_level() -> None:
    level0 = [SegmentInfo(f"0-{n}", 0, 10) for n in range(FANOUT - 1)]
    assert due_merge(level0) is None
    full = [*level0, SegmentInfo("0-x", 0, 10)]
    assert due_merge(full) == (full, 1)
    mixed = [SegmentInfo(f"1-{n}", 1, 80) for n in range(FANOUT)] + level0
    assert due_merge(mixed) == (mixed[:FANOUT], 2)


def _settings(tmp_path: Path) -> Settings:
    return Settings(index=IndexSettings(path=str(tmp_path / "index.sqlite")))


def _articles(prefix: str, n: int) -> list[Article]:
    from conftest import story

    return [Article(f"{prefix}{k}", story(k)) for k in range(n)]


def test_many_small_adds_are_merged_and_still_found(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    items = _articles("a", 3 * FANOUT)
    with Filter(settings, create=True) as flt:
        for item in items:
            flt.add([item])
        store: Any = flt.store
        infos = store._segments()
        assert len(infos) < FANOUT and {i.level for i in infos} >= {1}
        assert flt.store.verify() == []
        for item in items[::5]:
            assert flt.check(Article("probe", item.text)).matches[0] == (item.id, 1.0)


def test_a_bulk_load_merges_less_often_and_ends_as_one_run(tmp_path: Path) -> None:
    """Batches through the bulk path: no merge until BULK_FANOUT segments of a level, then one run
    for the whole load; lookups find what they found in the segments."""
    settings = _settings(tmp_path)
    items = _articles("a", 2 * FANOUT + 3)
    with Filter(dataclasses.replace(settings, jobs=1), create=True) as flt:
        store: Any = flt.store
        counts = []
        loaded = flt.add_batches(items, 1)
        for _ in range(2 * FANOUT):
            next(loaded)
            counts.append(len(store._segments()))
        assert counts == list(range(1, 2 * FANOUT + 1))  # one segment per batch, none merged yet
        probes = [flt.check(Article("probe", item.text)).matches for item in items[:2 * FANOUT:3]]
        assert all(m and m[0][1] == 1.0 for m in probes)
        for _ in loaded:
            pass
        infos = store._segments()
        stats = flt.store.stats()
        assert len(infos) == 1 and infos[0].count == stats["postings"]
        # the merged-away segments wait for readers; the size counts the live run only
        assert stats["retired_bytes"] > 0
        assert stats["postings_bytes"] + stats["retired_bytes"] == store.postings.bytes()
        assert stats["postings_bytes"] >= 16 * infos[0].count
        assert [flt.check(Article("probe", item.text)).matches for item in items[:2 * FANOUT:3]] == probes
        assert flt.store.verify() == []


def test_a_small_bulk_add_into_a_larger_index_keeps_the_usual_tiering(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with Filter(dataclasses.replace(settings, jobs=1), create=True) as flt:
        store: Any = flt.store
        for lo in range(0, 30, 10):
            flt.add(_articles("a", 30)[lo:lo + 10])
        before = {i.name for i in store._segments()}
        assert len(before) == 3
        for _ in flt.add_batches(_articles("b", 4), 2):
            pass
        after = {i.name for i in store._segments()}
        assert before < after and len(after) == 5  # two more segments, nothing merged
        assert postings.due_merge(store._segments()) is None


def test_removed_articles_are_not_found_and_a_full_merge_drops_their_postings(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with Filter(settings, create=True) as flt:
        flt.add(_articles("a", 30))
        store: Any = flt.store
        store.remove([f"a{k}" for k in range(25)])
        stats = flt.store.stats()
        assert stats["articles"] == 5
        assert stats["postings"] == 30 * stats["signed_paragraphs"] // 5 * store.banding.b  # still on disk
        assert flt.check(Article("probe", _articles("a", 30)[3].text)).action == "accept"
        assert flt.check(Article("probe", _articles("a", 30)[27].text)).action == "reject"
        store.compact(full=True)
        assert flt.store.stats()["postings"] == flt.store.stats()["signed_paragraphs"] * store.banding.b
        assert flt.store.verify() == []


def test_a_segment_file_nobody_registered_is_deleted_by_the_next_writer(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with Filter(settings, create=True) as flt:
        flt.add(_articles("a", 3))
        store: Any = flt.store
        stray = store.postings.write(np.array([1, 2], dtype=np.uint64), np.array([5, 6], dtype=np.uint64))
        assert stray.name in store.postings.files()
        flt.add(_articles("b", 2))
        assert stray.name not in store.postings.files()
        assert store.postings.files() == {i.name for i in store._segments()}


def test_a_missing_segment_file_is_reported_by_the_check(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    with Filter(settings, create=True) as flt:
        flt.add(_articles("a", 3))
        store: Any = flt.store
        name = store._segments()[0].name
        (tmp_path / "index.sqlite.postings" / f"{name}.refs").unlink()
        assert flt.store.verify() == [f"postings segment {name}.refs is missing"]


def test_an_index_of_the_earlier_layout_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO meta VALUES ('schema', 'syndet.match.candidates/1')")
    db.commit()
    db.close()
    with pytest.raises(IndexError_, match=re.escape("index was built with schema=syndet.match.candidates/1")):
        Filter(_settings(tmp_path))


def test_a_damaged_row_is_one_error_naming_the_check(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from syndet.cli import main

    settings = _settings(tmp_path)
    with Filter(settings, create=True) as flt:
        flt.add(_articles("a", 3))
    db = sqlite3.connect(settings.index.path)
    db.execute("UPDATE articles SET hashes = x'0102' WHERE id = 'a1'")
    db.commit()
    db.close()
    line = json.dumps({"id": "probe", "text": _articles("a", 3)[1].text}) + "\n"
    result = CliRunner().invoke(main, ["filter", "--index", settings.index.path, "-"], input=line)
    assert result.exit_code == 4
    assert result.stderr.count("\n") == 1 and "stored shingle hashes of an indexed article are damaged" in result.stderr
    assert "Traceback" not in result.stderr
    with Filter(settings) as flt:
        assert any(p.startswith("a1: shingle hashes incomplete") for p in flt.store.verify())


def _reference_shard_hits(blob: np.ndarray, sizes: np.ndarray, queries: np.ndarray,
                          cap: int) -> tuple[np.ndarray, np.ndarray]:
    """Array operations doing what the compiled shard search does."""
    records = blob.reshape(-1, 13)
    query = np.repeat(np.arange(len(queries), dtype=np.int64), sizes // 13)
    hit = (records[:, :5] == queries[query, 3:]).all(axis=1)
    query, records = query[hit], records[hit]
    counts = np.bincount(query, minlength=len(queries))
    first = np.cumsum(counts) - counts
    keep = np.arange(len(query)) - first[query] >= counts[query] - cap
    return query[keep], np.ascontiguousarray(records[keep, 5:]).view(">u8").ravel().astype(np.uint64)


@pytest.mark.parametrize("seed", range(20))
def test_redis_shard_search_keeps_the_latest_records_of_each_key(seed: int) -> None:
    from syndet.store.ranges import shard_hits

    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 30))
    queries = rng.integers(0, 4, size=(n, 8), dtype=np.uint8)  # few byte values: many keys equal, some half equal
    shards = []
    for q in range(n):
        records = rng.integers(0, 4, size=(int(rng.integers(0, 40)), 13), dtype=np.uint8)
        own = rng.random(len(records)) < 0.5
        records[own, :5] = queries[q, 3:]
        records[:, 5:] = rng.integers(0, 256, size=(len(records), 8), dtype=np.uint8)
        shards.append(records.tobytes())
    sizes = np.array([len(s) for s in shards], dtype=np.int64)
    blob = np.frombuffer(b"".join(shards), dtype=np.uint8)
    cap = int(rng.integers(1, 6))
    got, want = shard_hits(blob, sizes, queries, cap), _reference_shard_hits(blob, sizes, queries, cap)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


def test_a_store_opened_in_a_worker_reads_through_the_segments_its_parent_opened(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    first, later = _articles("a", 6), _articles("b", 6)
    with Filter(settings, create=True) as flt:
        flt.add(first)
        parent: Any = flt.store
        with Filter(settings) as reader:
            reader.check(Article("probe", first[0].text))  # opens the segments
            child: Any = Filter(settings).store
            child.share(reader.store)
            shared = child.postings.segments(child._segments())
            assert shared and all(s is reader.store.postings._open[s.info.name] for s in shared)
            for item in first:
                signatures = reader.prepare([Article("probe", item.text)])[0].signatures
                a, b = reader.store.lookup(signatures), child.lookup(signatures)
                assert np.array_equal(a.rows, b.rows) and np.array_equal(a.uids, b.uids) and len(a.uids)
            # The index changes after the worker took the segments over: it reads the new ones.
            flt.add(later)
            parent.compact(full=True)
            indexed = set(parent.find([i.id for i in first + later]).values())
            for item in later:
                signatures = reader.prepare([Article("probe", item.text)])[0].signatures
                found = child.lookup(signatures)
                assert len(found.uids) and set(found.uids.tolist()) <= indexed
            assert {s.info.name for s in child.postings.segments(child._segments())} == \
                {i.name for i in parent._segments()}
            child.close()


@examples(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([0, 1, 2, 7, 300, 1 << 24, (1 << 30) + 5]),
                          st.sampled_from([0, 1, 5, (3 << 20) | 4, (1 << 39) + 1, (1 << 52) | 9, (1 << 63) + 3])),
                max_size=40))
def test_what_a_lookup_found_is_each_row_and_ref_once_in_order(pairs: list[tuple[int, int]]) -> None:
    rows = np.array([r for r, _ in pairs], dtype=np.int64)
    refs = np.array([f for _, f in pairs], dtype=np.uint64)
    found = Found.of(rows, refs)
    want = sorted(set(pairs))
    assert found.rows.tolist() == [r for r, _ in want]
    assert found.uids.tolist() == [f >> 20 for _, f in want]
    assert found.idx.tolist() == [f & ((1 << 20) - 1) for _, f in want]


@examples(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(1, 30)), min_size=1, max_size=60),
       st.integers(1, 6), st.integers(1, 3))
def test_the_articles_read_for_a_check_do_not_depend_on_how_large_their_numbers_are(
        pairs: list[tuple[int, int]], limit: int, per_row: int) -> None:
    from syndet.filter import _most_rows

    rows = np.array([r for r, _ in pairs], dtype=np.int64)
    uids = np.array([u for _, u in pairs], dtype=np.int64)
    far = 1 << 61  # numbers this large take the two-key sort instead of one packed number
    small = _most_rows(rows, uids, limit, per_row)
    large = _most_rows(rows, uids + far, limit, per_row)
    assert large.tolist() == [u + far for u in small.tolist()]
    assert 1 <= len(small) <= limit and set(small.tolist()) <= set(uids.tolist())
