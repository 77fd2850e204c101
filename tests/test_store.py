"""The persistent index on both backends: round trips, expiry, kill -9 at any moment, concurrent writers."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from conftest import drop_redis, story
from datasketch import MinHashLSH

from syndet.errors import IndexError_
from syndet.filter import Filter
from syndet.hashing.signature import SignatureView, permutations, signatures
from syndet.models import Article, Decision
from syndet.settings import IndexSettings, MinHashSettings, Settings
from syndet.store.base import Banding
from syndet.store.sqlite import SQLiteStore

SYNDET = str(Path(sys.executable).parent / "syndet")
DAY = 86_400.0


@pytest.fixture(params=["sqlite", "redis"])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    """Settings pointing at a fresh index on each backend (a unique key prefix on Redis, removed after)."""
    if request.param == "sqlite":
        yield dataclasses.replace(Settings(), index=IndexSettings(path=str(tmp_path / "index.sqlite")))
        return
    with fresh_redis_index(request.getfixturevalue("redis_url")) as found:
        yield found


@contextmanager
def fresh_redis_index(url: str) -> Iterator[Settings]:
    """Settings pointing at an index under a unique key prefix, whose keys are removed after."""
    prefix = f"syndet-test-{uuid.uuid4().hex[:12]}"
    try:
        yield dataclasses.replace(Settings(), index=IndexSettings(backend="redis", url=url, prefix=prefix))
    finally:
        drop_redis(url, prefix)


@pytest.fixture
def redis_settings(redis_url: str) -> Iterator[Settings]:
    """Settings pointing at a fresh Redis index only."""
    with fresh_redis_index(redis_url) as found:
        yield found


def config_file(settings: Settings, path: Path) -> Path:
    ix = settings.index
    path.write_text(f"index:\n  backend: {ix.backend}\n  path: '{ix.path}'\n  url: '{ix.url}'\n"
                    f"  prefix: '{ix.prefix}'\n", encoding="utf-8")
    return path


def articles(prefix: str, seeds: range, paragraphs: int = 6) -> list[Article]:
    return [Article(f"{prefix}{s}", story(s, paragraphs)) for s in seeds]


def write_jsonl(path: Path, items: list[Article]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for a in items:
            out.write(json.dumps({"id": a.id, "text": a.text}) + "\n")
    return path


def indexed_ids(settings: Settings) -> set[str]:
    with Filter(settings) as flt:
        return set(flt.store.older_than(time.time() + DAY))


def test_add_check_remove_round_trip(settings: Settings) -> None:
    base = articles("a", range(4))
    with Filter(settings, create=True) as flt:
        result = flt.add(base)
        assert result.added == ("a0", "a1", "a2", "a3") and result.skipped == ()
        again = flt.add([base[0], Article("new", story(99))])
        assert again.added == ("new",) and again.skipped == ("a0",)
        stats = flt.store.stats()
        assert (stats["articles"], stats["paragraphs"], stats["signed_paragraphs"]) == (5, 30, 30)
        assert flt.store.verify() == []
        found = flt.check(Article("copy", base[2].text))
        assert (found.action, found.seen_fraction, found.matches) == ("reject", 1.0, (("a2", 1.0),))
        assert flt.store.remove(["a2", "absent"]) == ["a2"]
        assert flt.check(Article("copy", base[2].text)).action == "accept"
        assert flt.store.verify() == []
        assert flt.store.stats()["articles"] == 4
    stored = indexed_ids(settings)
    assert stored == {"a0", "a1", "a3", "new"}


def test_a_crowded_band_key_gives_the_latest_postings(settings: Settings) -> None:
    """More paragraphs under one band key than ``index.max_postings``: a lookup gives the latest added."""
    capped = dataclasses.replace(settings, index=dataclasses.replace(settings.index, max_postings=3))
    text = story(7, 1)
    with Filter(capped, create=True) as flt:
        for n in range(6):
            flt.add([Article(f"same{n}", text)])
        found = flt.store.lookup(flt.prepare([Article("probe", text)])[0].signatures)
        uids = sorted(set(found.uids.tolist()))
        assert len(uids) == 3
        assert sorted(flt.store.articles(uids)[u].article.id for u in uids) == ["same3", "same4", "same5"]


def test_redis_shards_keep_no_more_than_the_postings_a_lookup_reads(redis_settings: Settings) -> None:
    """A shard that keeps growing drops the older postings of its crowded keys; lookups and the
    index check see no difference."""
    import redis

    capped = dataclasses.replace(redis_settings, index=dataclasses.replace(redis_settings.index, max_postings=3))
    text = story(7, 1)
    with Filter(capped, create=True) as flt:
        for n in range(20):
            flt.add([Article(f"same{n}", text)])
        flt.add(articles("other", range(5)))
        found = flt.store.lookup(flt.prepare([Article("probe", text)])[0].signatures)
        uids = sorted(set(found.uids.tolist()))
        assert sorted(flt.store.articles(uids)[u].article.id for u in uids) == ["same17", "same18", "same19"]
        assert flt.store.verify() == []
    client = redis.Redis.from_url(capped.index.url)
    try:
        per_key: list[int] = []
        for name in client.scan_iter(match=f"{capped.index.prefix}:p:*", count=10_000):
            shard = client.get(name)
            keys = [shard[i:i + 5] for i in range(0, len(shard), 13)]
            per_key.extend(keys.count(k) for k in set(keys))
    finally:
        client.close()
    # Trimmed each time its shard grows by 2 x 3 records: never more than 3 + 6 records of a key.
    assert per_key and max(per_key) <= 9


def test_stored_article_comes_back_whole(settings: Settings) -> None:
    original = Article("x", "---\ntitle: T\n---\n" + story(5), title="T", source="AP", published="2024-01-02",
                       url="https://example.org/x", body_start=15)
    with Filter(settings, create=True) as flt:
        flt.add([original], now=1000.0)
        uid = int(flt.store.lookup(flt.prepare([original])[0].signatures).uids[0])
        back = flt.store.articles([uid])[uid]
    assert back.article == original and back.added == 1000.0
    assert [p.start for p in back.paragraphs] == [p.start for p in flt.prepare([original])[0].paragraphs]


def test_prune_caps_the_index_oldest_first(settings: Settings) -> None:
    now = time.time()
    with Filter(settings, create=True) as flt:
        for n in range(5):
            flt.add(articles(f"day{n}-", range(10 * n, 10 * n + 2)), now=now - (5 - n) * DAY)
        assert flt.prune(max_articles=6, now=now, dry_run=True) == ["day0-0", "day0-1", "day1-10", "day1-11"]
        assert flt.prune(45 * DAY, max_articles=3, now=now) == [
            "day0-0", "day0-1", "day1-10", "day1-11", "day2-20", "day2-21", "day3-30"]
        assert flt.store.verify() == []
        assert flt.check(Article("q", story(0))).action == "accept"
        assert flt.check(Article("q", story(41))).action == "reject"
        assert flt.prune(max_articles=10, now=now) == []
    assert indexed_ids(settings) == {"day3-31", "day4-40", "day4-41"}


def test_prune_removes_only_old_articles(settings: Settings) -> None:
    now = time.time()
    with Filter(settings, create=True) as flt:
        flt.add(articles("old", range(3)), now=now - 40 * DAY)
        flt.add(articles("new", range(10, 13)), now=now - 2 * DAY)
        assert flt.prune(30 * DAY, now=now, dry_run=True) == ["old0", "old1", "old2"]
        assert sorted(flt.prune(30 * DAY, now=now)) == ["old0", "old1", "old2"]
        assert flt.store.verify() == []
        assert flt.check(Article("q", story(0))).action == "accept"
        assert flt.check(Article("q", story(10))).action == "reject"
    assert indexed_ids(settings) == {"new10", "new11", "new12"}


def test_bands_are_datasketchs(tmp_path: Path) -> None:
    settings = dataclasses.replace(Settings(), index=IndexSettings(path=str(tmp_path / "i.sqlite")))
    banding = Banding.for_settings(settings)
    lsh = MinHashLSH(threshold=settings.lsh.threshold, num_perm=settings.minhash.num_perm)
    assert (banding.b, banding.r) == (lsh.b, lsh.r)
    rng = np.random.default_rng(3)
    sigs = signatures([rng.integers(0, 2**32, 30, dtype=np.uint32) for _ in range(5)],
                      permutations(settings.minhash.num_perm, settings.minhash.seed))
    for row, keys in zip(sigs, banding.keys(sigs), strict=True):
        assert keys == [lsh._H(row[a:b]) for a, b in lsh.hashranges]
        lsh.insert(keys[0], SignatureView(row, settings.minhash.seed))
    assert sorted(lsh.query(SignatureView(sigs[2], settings.minhash.seed))) == [banding.keys(sigs)[2][0]]


def test_other_settings_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    settings = dataclasses.replace(Settings(), index=IndexSettings(path=str(path)))
    with Filter(settings, create=True) as flt:
        flt.add(articles("a", range(1)))
    other = dataclasses.replace(settings, minhash=MinHashSettings(num_perm=64))
    with pytest.raises(IndexError_) as err:
        Filter(other)
    assert str(err.value) == f"{path}: index was built with minhash.num_perm=128, the settings say 64"


def _to_sorted_sets(url: str, prefix: str) -> None:
    """Put an index's postings back in the layout an earlier syndet wrote: sorted sets named by
    the shard's number, each record a member of score 0, and no layout in the meta."""
    import redis

    client = redis.Redis.from_url(url)
    shards = {key: client.get(key) for key in client.scan_iter(match=f"{prefix}:p:*", count=10_000)}
    client.delete(*shards)
    for key, blob in shards.items():
        number = int.from_bytes(key[len(prefix) + 3:], "big")
        client.zadd(f"{prefix}:p:{number}", {blob[i:i + 13]: 0 for i in range(0, len(blob), 13)})
    client.hdel(f"{prefix}:meta", "redis.postings")
    client.close()


def test_a_redis_index_in_the_sorted_set_layout_is_upgraded_in_place(redis_settings: Settings, tmp_path: Path) -> None:
    """An index an earlier syndet built is refused with a message naming the command that upgrades
    it; after 'syndet index upgrade' it holds the same articles and finds the same copies."""
    from click.testing import CliRunner

    from syndet.cli import main

    settings, redis_url, prefix = redis_settings, redis_settings.index.url, redis_settings.index.prefix
    base = articles("a", range(6))
    with Filter(settings, create=True) as flt:
        flt.add(base)
        before = flt.check(Article("copy", base[2].text))
    _to_sorted_sets(redis_url, prefix)
    with pytest.raises(IndexError_, match="earlier layout; rebuild them with 'syndet index upgrade'"):
        Filter(settings)
    config = config_file(settings, tmp_path / "c.yaml")
    result = CliRunner().invoke(main, ["index", "upgrade", "--config", str(config), "-q"])
    assert result.exit_code == 0, result.output
    assert "postings of 6 articles rebuilt" in result.output
    with Filter(settings) as flt:
        assert flt.store.verify() == []
        assert indexed_ids(settings) == {a.id for a in base}
        after = flt.check(Article("copy", base[2].text))
        assert (after.action, after.matches) == (before.action, before.matches) == ("reject", (("a2", 1.0),))
    again = CliRunner().invoke(main, ["index", "upgrade", "--config", str(config), "-q"])
    assert again.exit_code == 0 and "already in the current layout" in again.output
    import redis

    client = redis.Redis.from_url(redis_url)
    kinds = {client.type(k) for k in client.scan_iter(match=f"{prefix}:p:*", count=10_000)}
    client.close()
    assert kinds == {b"string"}  # no sorted set left behind


def test_an_upgrade_passes_over_a_damaged_record_with_one_warning(redis_settings: Settings, tmp_path: Path) -> None:
    import redis
    from click.testing import CliRunner

    from syndet.cli import main

    settings, redis_url, prefix = redis_settings, redis_settings.index.url, redis_settings.index.prefix
    base = articles("a", range(3))
    with Filter(settings, create=True) as flt:
        flt.add(base)
        damaged = flt.store.find(["a1"])["a1"]
    _to_sorted_sets(redis_url, prefix)
    client = redis.Redis.from_url(redis_url)
    client.hdel(f"{prefix}:art:{damaged}", "hashes")
    client.close()
    config = config_file(settings, tmp_path / "c.yaml")
    result = CliRunner().invoke(main, ["index", "upgrade", "--config", str(config)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and f"article number {damaged}:" in warnings[0]
    assert "postings of 2 articles rebuilt" in result.output
    with Filter(settings) as flt:
        assert flt.check(Article("copy", base[2].text)).matches == (("a2", 1.0),)


def test_dropping_an_index_takes_its_prefix_literally(redis_url: str) -> None:
    import redis

    from syndet.store.redis import drop_index

    client = redis.Redis.from_url(redis_url)
    tag = uuid.uuid4().hex[:8]
    client.set(f"t{tag}[1]:x", b"1")
    client.set(f"t{tag}1:x", b"1")  # what the pattern t<tag>[1]:* matches when taken as a pattern
    drop_index(redis_url, f"t{tag}[1]")
    assert client.exists(f"t{tag}[1]:x") == 0 and client.exists(f"t{tag}1:x") == 1
    client.delete(f"t{tag}1:x")
    client.close()


def test_a_sqlite_index_needs_no_upgrade(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from syndet.cli import main

    path = tmp_path / "i.sqlite"
    with Filter(dataclasses.replace(Settings(), index=IndexSettings(path=str(path))), create=True) as flt:
        flt.add(articles("a", range(1)))
    result = CliRunner().invoke(main, ["index", "upgrade", "--index", str(path)])
    assert result.exit_code == 0 and result.output == f"syndet index: {path} is already in the current layout\n"


def test_a_damaged_redis_postings_shard_is_one_index_error(redis_settings: Settings) -> None:
    import redis

    settings, redis_url, prefix = redis_settings, redis_settings.index.url, redis_settings.index.prefix
    with Filter(settings, create=True) as flt:
        flt.add(articles("a", range(1)))  # every shard holds postings of a0
        client = redis.Redis.from_url(redis_url)
        shard = next(iter(client.scan_iter(match=f"{prefix}:p:*", count=10_000)))
        client.append(shard, b"x")
        client.close()
        with pytest.raises(IndexError_, match="postings shard is damaged"):
            flt.check(Article("probe", story(0)))


def test_a_file_that_is_not_an_index(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes, not a database\n" * 100, encoding="utf-8")
    with pytest.raises(IndexError_) as err:
        SQLiteStore(path, Settings(), create=False)
    assert str(err.value) == f"{path}: cannot open index: file is not a database"
    assert path.read_text(encoding="utf-8").startswith("just some notes")


def _start_add(config: Path, batch: Path, size: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen([SYNDET, "index", "add", "--config", str(config), "--quiet", "--batch", str(size),
                             str(batch)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _add(config: Path, batch: Path, size: int = 0) -> None:
    done = subprocess.run([SYNDET, "index", "add", "--config", str(config), "--quiet", "--batch", str(size),
                           str(batch)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
@pytest.mark.parametrize("per_commit", [0, 100])
def test_add_killed_at_any_moment_leaves_before_or_after(settings: Settings, tmp_path: Path, per_commit: int) -> None:
    """SIGKILL an add at random moments, committing it whole (0) or in batches through the bulk
    path: the index stays sound and holds the articles before it plus whole batches, in order."""
    base = articles("base", range(20))
    size = 400 if settings.index.backend == "sqlite" else 160  # about 1 s of writing on either
    batch = articles("new", range(1000, 1000 + size), paragraphs=8)
    with Filter(settings, create=True) as flt:
        flt.add(base)
    before = {a.id for a in base}
    after = before | {a.id for a in batch}
    step = per_commit or size
    allowed = [before | {a.id for a in batch[:k]} for k in [*range(0, size, step), size]]
    batch_file = write_jsonl(tmp_path / "batch.jsonl", batch)
    config = config_file(settings, tmp_path / "index.yaml")

    scratch = dataclasses.replace(settings, index=dataclasses.replace(
        settings.index, path=str(tmp_path / "scratch.sqlite"), prefix=settings.index.prefix + "-scratch"))
    started = time.perf_counter()
    _add(config_file(scratch, tmp_path / "scratch.yaml"), batch_file, per_commit)
    full = time.perf_counter() - started
    if scratch.index.backend == "redis":
        drop_redis(scratch.index.url, scratch.index.prefix)

    rng = random.Random(os.getpid())
    kills = 0
    for moment in sorted(rng.uniform(0.3, 0.97) * full for _ in range(5)):
        proc = _start_add(config, batch_file, per_commit)
        time.sleep(moment)
        proc.send_signal(signal.SIGKILL)
        code = proc.wait()
        state = indexed_ids(settings)
        assert state in allowed, f"killed after {moment:.2f}s of {full:.2f}s: {len(state)} articles"
        with Filter(settings) as flt:
            assert flt.store.verify() == []
            if state == before:
                assert flt.check(Article("probe", batch[7].text)).action == "accept"
        if code == -signal.SIGKILL:
            kills += 1
        if state == after:
            break
    assert kills >= 1
    _add(config, batch_file, per_commit)
    with Filter(settings) as flt:
        assert set(flt.store.older_than(time.time() + DAY)) == after
        flt.store.collect_interrupted(time.time() + 2 * 3600)  # leftovers of the killed adds are collected
        assert flt.store.verify() == []
        assert flt.store.stats()["signed_paragraphs"] == 20 * 6 + size * 8
        assert flt.check(Article("probe", batch[7].text)).matches == (("new1007", 1.0),)
        bands = flt.store.banding.b  # type: ignore[attr-defined]
        if settings.index.backend == "sqlite":  # no segment file left but the registered and the retired ones
            assert flt.store.stats()["postings"] == (20 * 6 + size * 8) * bands
            store: Any = flt.store
            retired = {str(n) for (n,) in store._db.execute("SELECT name FROM retired")}
            assert store.postings.files() == {i.name for i in store._segments()} | retired
    if settings.index.backend == "redis":
        import redis

        client = redis.Redis.from_url(settings.index.url)
        shards = list(client.scan_iter(match=f"{settings.index.prefix}:p:*", count=10_000))
        assert sum(client.strlen(k) for k in shards) == 13 * (20 * 6 + size * 8) * bands  # 13-byte records
        assert client.zcard(f"{settings.index.prefix}:pending") == 0
        assert not list(client.scan_iter(match=f"{settings.index.prefix}:pend:*"))
        client.close()


@pytest.mark.slow
def test_two_processes_adding_at_once_lose_nothing(settings: Settings, tmp_path: Path) -> None:
    shared = articles("shared", range(500, 540))
    first = shared + articles("one", range(600, 750))
    second = shared[::-1] + articles("two", range(800, 950))
    config = config_file(settings, tmp_path / "index.yaml")
    with Filter(settings, create=True) as flt:
        flt.add(articles("base", range(3)))
    procs = [subprocess.Popen([SYNDET, "index", "add", "--config", str(config), "--batch", "20", "--quiet",
                               str(write_jsonl(tmp_path / f"{n}.jsonl", items))],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for n, items in (("one", first), ("two", second))]
    outputs = [p.communicate() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    added = [int(out.split()[2]) for out, _ in outputs]
    assert sum(added) == 40 + 150 + 150
    everything = {a.id for a in first + second} | {"base0", "base1", "base2"}
    with Filter(settings) as flt:
        assert set(flt.store.older_than(time.time() + DAY)) == everything
        assert flt.store.verify() == []
        assert flt.store.stats()["signed_paragraphs"] == len(everything) * 6
        for item in random.Random(1).sample(first + second, 30):
            assert flt.check(Article("probe", item.text)).matches == ((item.id, 1.0),)


def test_article_without_content_words(settings: Settings) -> None:
    furniture = Article("chrome", "Advertisement\n\nShare this\n\n!!!\n")
    with Filter(settings, create=True) as flt:
        assert flt.add([furniture]).added == ("chrome",)
        assert flt.check(dataclasses.replace(furniture, id="other")) == Decision("other", "accept", 0.0)
        assert flt.store.verify() == []
        assert flt.store.stats()["signed_paragraphs"] == 0


def test_checking_an_article_whose_id_is_indexed(settings: Settings) -> None:
    """The indexed article with the same id is not a match of itself: no doubled spans or
    evidence, its other copies still found, and the decision says whether the text changed."""
    original = Article("wire-1", story(5))
    repost = Article("outlet-1", story(5))
    with Filter(settings, create=True) as flt:
        flt.add([original, repost])
        same = flt.check(original)
        assert (same.action, same.already_indexed) == ("reject", "same")
        assert [m[0] for m in same.matches] == ["outlet-1"]
        for passage in same.passages:
            own = [s for s in passage.spans if s.article_id == "wire-1"]
            assert len(own) == len({(s.start, s.end) for s in own})
            assert {s.article_id for s in passage.spans} == {"wire-1", "outlet-1"}
            evidence = passage.attribution.evidence if passage.attribution else ()
            assert len(evidence) == len(set(evidence))
        changed = flt.check(Article("wire-1", story(5) + "\n\nUpdated with a new closing paragraph about the vote.\n"))
        assert changed.already_indexed == "changed"
        assert changed.action in ("flag", "reject") and changed.matches[0][0] == "outlet-1"
        fresh = flt.check(Article("new-1", story(77)))
        assert (fresh.already_indexed, fresh.action) == (None, "accept")


def test_prune_by_publication_time(settings: Settings) -> None:
    import datetime as dt

    articles = [Article("jan", story(1), published="2022-01-05T10:00:00Z"),
                Article("feb", story(2), published="2022-02-05"),
                Article("undated", story(3)),
                Article("garbled", story(4), published="last Tuesday")]
    with Filter(settings, create=True) as flt:
        flt.add(articles)
        cutoff = dt.datetime(2022, 2, 1, tzinfo=dt.UTC)
        assert flt.prune(published_before=cutoff, dry_run=True) == ["jan"]
        assert flt.prune(published_before=dt.datetime(2022, 3, 1, tzinfo=dt.UTC)) == ["jan", "feb"]
        assert sorted(flt.store.find(["jan", "feb", "undated", "garbled"])) == ["garbled", "undated"]


def test_a_removed_article_is_no_longer_matched_by_a_filter_that_saw_it(settings: Settings) -> None:
    """The filter caches what it read of indexed articles; a removal must still take effect at once."""
    with Filter(settings, create=True) as flt:
        flt.add(articles("a", range(4)))
        probe = Article("probe", articles("a", range(4))[2].text)
        assert flt.check(probe).matches == (("a2", 1.0),)
        with Filter(settings) as other:
            assert other.store.remove(["a2"]) == ["a2"]
        decision = flt.check(probe)
        assert decision.action == "accept" and decision.matches == ()


def test_entries_packed_by_a_worker_come_back_whole(tmp_path: Path) -> None:
    from syndet.store.base import pack_entries, stored_form, unpack_entries

    settings = dataclasses.replace(Settings(), index=IndexSettings(path=str(tmp_path / "i.sqlite")))
    batch = [Article(f"a{n}", story(n)) for n in range(5)] + [Article("empty", ""), Article("menu", "Advertisement\n")]
    with Filter(settings, create=True) as flt:
        entries = flt.prepare(batch)
        back = unpack_entries(batch, pack_entries(entries, settings.minhash.num_perm))
    assert unpack_entries([], pack_entries([], settings.minhash.num_perm)) == []
    for got, want in zip(back, entries, strict=True):
        assert (got.article, tuple(got.paragraphs), got.signed) == (want.article, want.paragraphs, want.signed)
        assert len(got.paragraphs) == len(want.paragraphs) and list(got.paragraphs[1:]) == list(want.paragraphs[1:])
        # What the index stores, cut from the batch's arrays: the bytes packing the entry gives.
        assert want.stored is None and got.stored == stored_form(want)
        assert np.array_equal(got.signatures, want.signatures) and got.signatures.dtype == want.signatures.dtype
        assert len(got.hashes) == len(want.hashes)
        assert all(np.array_equal(a, b) and a.dtype == b.dtype for a, b in zip(got.hashes, want.hashes, strict=True))


def test_a_batch_is_hashed_as_a_scan_hashes_its_paragraphs(tmp_path: Path, geneva: Path) -> None:
    """The hashes a batch stores (each article's words found in one pass over it) are the ones a
    scan gets from each paragraph's own text: on real articles and on words every path treats
    apart (initialisms, apostrophes, combining marks, text written without spaces)."""
    from syndet.hashing.shingle import hash_texts
    from syndet.read.files import read_articles
    from syndet.settings import InputSettings

    settings = dataclasses.replace(Settings(), index=IndexSettings(path=str(tmp_path / "i.sqlite")), jobs=1)
    batch = [
        *read_articles([geneva], InputSettings(), print),
        Article("odd", "The U.S. and the U.K. said it wasn\u2019t over.\n\nनमस्ते दुनिया, हिन्दी में।\n\n"
                       "新华社北京电 记者报道。\n\nCafe\u0301 owners\u2014and \u201cothers\u201d\u2014met at 9 a.m."),
        Article("empty", ""), Article("menu", "Advertisement\n")]
    assert len(batch) == 8
    with Filter(settings, create=True) as flt:
        entries = flt.prepare(batch)
        paragraphs = flt._detector.segment(batch)
    for entry in entries:
        text = entry.article.text
        want = hash_texts([text[p.start:p.end] for p in paragraphs[entry.article.id] if not p.chrome],
                          settings.shingle.size, settings.shingle.seed)
        want = [np.unique(h) for h in want if len(h)]
        assert len(entry.hashes) == len(want)
        assert len(want) > 0 or entry.article.id in ("empty", "menu")
        assert all(np.array_equal(got, w) for got, w in zip(entry.hashes, want, strict=True))


def test_the_bulk_path_on_workers_stores_what_one_process_stores(settings: Settings, tmp_path: Path) -> None:
    batch = articles("b", range(40), paragraphs=5)
    one = dataclasses.replace(settings, index=IndexSettings(path=str(tmp_path / "one.sqlite")), jobs=1)
    with Filter(dataclasses.replace(settings, jobs=2), create=True) as bulk, Filter(one, create=True) as single:
        assert sum(len(r.added) for r in bulk.add_batches(batch, 7)) == 40
        single.add(batch)
        ids = [a.id for a in batch]
        found_bulk = bulk.store.find(ids)
        found_one = single.store.find(ids)
        for ident in ids:
            a = bulk.store.articles([found_bulk[ident]])[found_bulk[ident]]
            b = single.store.articles([found_one[ident]])[found_one[ident]]
            assert (a.article, a.paragraphs) == (b.article, b.paragraphs)
            ha = bulk.store.paragraph_hashes([found_bulk[ident]])[found_bulk[ident]]
            hb = single.store.paragraph_hashes([found_one[ident]])[found_one[ident]]
            assert ha.keys() == hb.keys() and all(np.array_equal(ha[k], hb[k]) for k in ha)
        probe = single.prepare([batch[3]])[0]
        assert sorted(bulk.store.lookup(probe.signatures).idx.tolist()) == \
            sorted(single.store.lookup(probe.signatures).idx.tolist())


def test_a_sqlite_index_names_the_files_its_lookups_read(tmp_path: Path) -> None:
    """The database, its write-ahead log and the registered segments' files; not the segments a
    merge retired, which stay in the folder for a while."""
    from syndet.store.postings import FANOUT

    path = tmp_path / "i.sqlite"
    with Filter(dataclasses.replace(Settings(), index=IndexSettings(path=str(path))), create=True) as flt:
        for n in range(FANOUT + 1):  # one add per segment: the first FANOUT are merged into one
            flt.add(articles(f"b{n}-", range(2)))
        store: Any = flt.store
        registered = {i.name for i in store._segments()}
        retired = {str(n) for (n,) in store._db.execute("SELECT name FROM retired")}
        assert retired and not retired & registered
        files = store.files()
        assert files[0] == path and all(p.exists() for p in files)
        segments = files[2:] if files[1] == Path(f"{path}-wal") else files[1:]
        assert {p.name.rsplit(".", 1)[0] for p in segments} == registered
        assert len(segments) == 3 * len(registered)  # keys, refs and fence of each
