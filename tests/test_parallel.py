"""Hashing on several processes gives exactly what one process gives, and the choice is automatic."""

from __future__ import annotations

import dataclasses
import gc
import multiprocessing
import os
import pickle
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from benchmarks.synth import SynthConfig, generate
from syndet.detector import Detector
from syndet.errors import SyndetError
from syndet.hashing import parallel
from syndet.hashing.parallel import MIN_CHARS_PER_JOB, available_cpus, hash_paragraphs, resolve_jobs
from syndet.hashing.shingle import hash_batch
from syndet.match.align import similarity
from syndet.match.candidates import overlaps
from syndet.models import Article
from syndet.settings import Settings
from syndet.workers import WorkerLost, fork_map, fork_stream, gc_frozen
from tests.conftest import article


def paragraphs(n: int) -> list[str]:
    rng = np.random.default_rng(4)
    vocab = ["the", "U.S.", "talks", "Moscow’s", "“demands”", "—", "said", "on", "Sunday", "NATO", "Geneva", "é"]
    return [" ".join(rng.choice(vocab, int(rng.integers(0, 30)))) for _ in range(n)]


def test_two_workers_hash_like_one() -> None:
    texts = paragraphs(9000)  # more than two chunks
    one = hash_paragraphs(texts, 5, 3, jobs=1)
    seen: list[int] = []
    two = hash_paragraphs(texts, 5, 3, jobs=2, done=seen.append)
    direct = hash_batch(texts, 5, 3)
    for got in (two, direct):
        assert np.array_equal(one[0], got[0]) and np.array_equal(one[1], got[1])
    assert seen == sorted(seen) and seen[-1] == len(texts)


def test_jobs_chosen_from_size_and_cpus() -> None:
    assert resolve_jobs(3, 10) == 3
    assert resolve_jobs(0, 10) == 1
    assert resolve_jobs(0, 100 * MIN_CHARS_PER_JOB) == available_cpus()


def test_scan_with_one_and_two_jobs_is_identical(geneva: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_CHUNK_TEXTS", 8)  # several chunks even for five articles: workers run
    results = []
    for jobs in (1, 2):
        detector = Detector(dataclasses.replace(Settings(), jobs=jobs))
        results.append(detector.scan_paths([geneva]))
    one, two = results
    assert one.passages and one.passages == two.passages
    assert one.alignments == two.alignments
    assert {k: v for k, v in one.stats.items() if not k.endswith("_s")} == \
        {k: v for k, v in two.stats.items() if not k.endswith("_s")}


def test_exact_overlaps_equal_pairwise_similarity() -> None:
    rng = np.random.default_rng(8)
    rows = [rng.integers(0, 40, int(rng.integers(0, 30))).astype(np.uint32) for _ in range(60)]
    offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum([len(r) for r in rows], out=offsets[1:])
    pairs = rng.integers(0, len(rows), (500, 2))
    containment, jaccard = overlaps(np.concatenate(rows), offsets, pairs)
    for (x, y), c, j in zip(pairs.tolist(), containment, jaccard, strict=True):
        assert (c, j) == similarity(rows[x], rows[y])


def test_shared_chars_merges_overlapping_passages() -> None:
    text = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen. " * 3
    arts = [article("a", text), article("b", text), article("c", "Nothing in common here at all.")]
    result = Detector().scan(arts)
    assert result.shared_chars("c") == 0
    spans = sorted((s.start, s.end) for p in result.passages for s in p.spans if s.article_id == "a")
    covered = set()
    for lo, hi in spans:
        covered.update(range(lo, hi))
    assert result.shared_chars("a") == len(covered) > 0


def _square_or_fail(n: int) -> int:
    if n == 77:
        raise ValueError("item 77")
    return n * n


def test_fork_map_keeps_order_and_reports_progress() -> None:
    seen: list[int] = []
    got = fork_map(lambda n: n * n, 1000, jobs=2, chunk=64, done=seen.append)
    assert got == [n * n for n in range(1000)]
    assert seen == sorted(seen) and seen[-1] == 1000 and len(seen) == 16
    assert fork_map(lambda n: n, 0, jobs=2) == []


def test_fork_map_raises_what_a_worker_raised() -> None:
    with pytest.raises(ValueError, match="item 77"):
        fork_map(_square_or_fail, 200, jobs=2, chunk=16)


def _slow_square(n: int) -> int:
    time.sleep(random.Random(n).choice([0, 0, 0, 0.002, 0.01]))  # uneven work: results finish out of order
    return _square_or_fail(n)


def _slow_pid(n: int) -> tuple[int, int]:
    time.sleep(random.Random(n).choice([0, 0, 0, 0.002, 0.01]))
    return n, os.getpid()


@pytest.mark.parametrize("jobs, depth", [(1, 1), (2, 1), (2, 2), (3, 4)])
def test_fork_stream_gives_every_result_in_input_order(jobs: int, depth: int) -> None:
    got = list(fork_stream(iter(range(300)), _slow_pid, jobs, depth=depth))
    assert [n for n, _ in got] == list(range(300))
    assert len({pid for _, pid in got}) == jobs and os.getpid() not in {pid for _, pid in got}
    assert list(fork_stream([], _slow_square, jobs)) == []
    assert not multiprocessing.active_children()


def test_fork_stream_raises_what_a_worker_raised_after_the_results_before_it() -> None:
    got: list[int] = []
    with pytest.raises(ValueError, match="item 77"):
        for value in fork_stream(range(200), _slow_square, 2):
            got.append(value)
    assert got == [n * n for n in range(77)]
    assert not multiprocessing.active_children()


def test_fork_stream_raises_what_reading_the_stream_raised_after_its_results() -> None:
    def stream() -> Iterator[int]:
        yield from range(10)
        raise OSError("line 11: unreadable")

    got: list[int] = []
    with pytest.raises(OSError, match="line 11"):
        for value in fork_stream(stream(), _slow_square, 2):
            got.append(value)
    assert got == [n * n for n in range(10)]


@pytest.mark.parametrize("good", [0, 1, 2])
def test_a_stream_failing_at_its_start_raises_after_its_results_and_leaves_no_worker(good: int) -> None:
    """The first item is read and sent while the other workers are forked: a stream that fails
    on it, or just after it, still raises once the results before are out."""
    def stream() -> Iterator[object]:
        yield from range(good)
        yield lambda: None  # an item that cannot be sent to a worker
        yield 5

    got: list[int] = []
    with pytest.raises((pickle.PicklingError, AttributeError)):
        for value in fork_stream(stream(), _slow_square, 2):
            got.append(value)
    assert got == [n * n for n in range(good)]
    assert not multiprocessing.active_children()


def test_fork_stream_yields_a_result_before_the_next_item_arrives() -> None:
    """Articles trickling in on standard input: each decision comes out before the next arrives."""
    answered = [threading.Event() for _ in range(5)]
    late: list[int] = []

    def trickle() -> Iterator[int]:
        for n in range(5):
            yield n
            if not answered[n].wait(20):  # only set once the result of item n was yielded
                late.append(n)

    for n, value in enumerate(fork_stream(trickle(), _slow_square, 2)):
        assert value == n * n
        answered[n].set()
    assert late == []


def _die(n: int) -> int:
    if n == 5:
        os._exit(3)
    return n


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def _frozen_in_worker(n: int) -> tuple[int, bool]:
    return gc.get_freeze_count(), any(isinstance(o, _Cycle) for o in gc.get_objects())


def test_the_collector_passes_over_what_a_stream_inherits_and_gets_it_back_after() -> None:
    """Objects made before a stream are frozen while it runs (a full collection neither walks nor
    frees them, in this process or in a forked worker), and the collector has them again after."""
    assert gc.get_freeze_count() == 0
    gc.collect()
    before = _Cycle()
    with gc_frozen():
        assert gc.get_freeze_count() > 0
        assert not any(o is before for o in gc.get_objects())  # the collector no longer tracks it
        got = list(fork_stream(range(4), _frozen_in_worker, 2))
        assert all(count > 0 and not seen for count, seen in got)  # nor do the workers' collectors
        inner = _Cycle()
        with gc_frozen():  # a pool started inside the stream adds to what is frozen
            assert not any(o is inner for o in gc.get_objects())
        assert gc.get_freeze_count() > 0  # the outermost exit is what gives them back
        del inner
    assert gc.get_freeze_count() == 0
    assert any(o is before for o in gc.get_objects())
    freed = gc.collect()
    del before
    assert gc.collect() >= 1 and freed >= 1  # the cycle made inside the stream, then the one made before


def test_what_the_caller_froze_itself_stays_frozen() -> None:
    gc.collect()
    mine = _Cycle()
    gc.freeze()
    try:
        with gc_frozen(), gc_frozen():
            assert list(fork_stream(range(3), _slow_square, 2)) == [0, 1, 4]
        assert gc.get_freeze_count() > 0 and not any(o is mine for o in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(o is mine for o in gc.get_objects())
    with gc_frozen():  # and the next stream, with nothing frozen before it, gives everything back
        pass
    assert gc.get_freeze_count() == 0


def test_a_worker_that_dies_is_one_error_naming_its_exit_status() -> None:
    with pytest.raises(WorkerLost, match="exit status 3") as lost:
        list(fork_stream(range(20), _die, 2))
    assert isinstance(lost.value, SyndetError)  # the command prints it as one line
    assert not multiprocessing.active_children()


def test_an_abandoned_stream_leaves_no_worker_behind() -> None:
    results = fork_stream(range(10_000), _slow_square, 2)
    assert [next(results) for _ in range(5)] == [n * n for n in range(5)]
    results.close()
    assert not multiprocessing.active_children()


def test_synthetic_scan_with_one_and_two_workers_is_identical() -> None:
    """Enough articles that every stage run by workers (word streams, pair alignment, signs,
    attribution) has several chunks, so the two workers really share the work."""
    records = [r for r in generate(SynthConfig(articles=600, seed=3)) if r["type"] == "article"]
    articles = [Article(r["id"], r["text"], title=r["title"], source=r["source"], published=r["published"],
                        url=r["url"]) for r in records]
    one, two = (Detector(dataclasses.replace(Settings(), jobs=jobs)).scan(articles) for jobs in (1, 2))
    assert one.stats["article_pairs"] > 512 and len(one.passages) > 64  # several chunks of each
    assert one.passages == two.passages
    assert one.alignments == two.alignments
    assert one.pairs == two.pairs and one.duplicates == two.duplicates


def test_a_users_pattern_keeps_the_work_in_one_process() -> None:
    """A user's pattern has a time budget a worker could not report back: one process then."""
    texts = [article(f"a{n}", "word " * 2_000_000) for n in range(3)]
    assert Detector(dataclasses.replace(Settings(), jobs=2)).jobs_for(texts) == 2
    user = Settings().segment
    user = dataclasses.replace(user, chrome_patterns=[*user.chrome_patterns, r"^my own footer$"])
    assert Detector(dataclasses.replace(Settings(), jobs=2, segment=user)).jobs_for(texts) == 1
    chars = sum(len(a.text) for a in texts)  # the bounded scan gives a character count
    assert Detector(dataclasses.replace(Settings(), jobs=2)).jobs_for(chars) == 2
    assert Detector(dataclasses.replace(Settings(), jobs=2, segment=user)).jobs_for(chars) == 1
