"""The Spark engine's per-task work, run on plain Arrow batches (no Spark): band rows grouped as
Spark groups them give the local index's candidate pairs, and bucket and posting pairs are cut as
the local engine cuts them."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

import numpy as np
import pyarrow as pa
import pytest

from syndet.engines.spark import tasks
from syndet.match.candidates import MemoryIndex
from syndet.settings import Settings


def _pairs(batches: list[pa.RecordBatch]) -> list[tuple[int, int]]:
    return [p for b in batches for p in zip(b.column(0).to_pylist(), b.column(1).to_pylist(), strict=True)]


@pytest.mark.parametrize("max_bucket", [3, 64])
def test_bucket_pairs_cut_as_the_local_index(max_bucket: int) -> None:
    rng = random.Random(1)
    lists = [sorted(rng.sample(range(1000), rng.randint(1, 12))) for _ in range(300)]
    batch = pa.RecordBatch.from_arrays([pa.array(lists, pa.list_(pa.int64()))], names=["members"])
    expected = []
    for m in lists:
        expected += [(m[0], x) for x in m[1:]] if len(m) > max_bucket else list(itertools.combinations(m, 2))
    assert sorted(_pairs(list(tasks.bucket_pairs(iter([batch]), max_bucket)))) == sorted(expected)
    assert sorted(_pairs(list(tasks.posting_pairs(iter([batch]))))) == sorted(
        p for m in lists for p in itertools.combinations(m, 2))


@pytest.mark.parametrize("threshold", [0.3, 0.8])  # bands of three values, and wider ones
def test_band_rows_grouped_give_the_local_candidate_pairs(threshold: float) -> None:
    settings = Settings()
    rng = np.random.default_rng(4)
    base = rng.integers(0, 2**32, size=(6, 60), dtype=np.uint64).astype(np.uint32)
    rows = []
    for k in range(40):  # articles of a few paragraphs, many near copies of six originals
        paras = []
        for _ in range(rng.integers(1, 4)):
            h = base[rng.integers(0, 6)].copy()
            h[rng.random(60) < rng.choice([0.0, 0.05, 0.5])] = rng.integers(0, 2**32, dtype=np.uint64)
            paras.append(h)
        if k % 7 == 0:
            paras.append(np.empty(0, dtype=np.uint32))  # a paragraph without words has no signature
        flat = np.concatenate(paras).astype(np.uint32)
        offsets = np.concatenate(([0], np.cumsum([len(p) for p in paras]))).astype(np.int64)
        rows.append({"k": k, "flat": flat.tobytes(), "offsets": offsets.tobytes()})
    index = MemoryIndex(threshold, settings.minhash.num_perm, settings.minhash.seed)
    batch = pa.RecordBatch.from_pylist(rows, schema=pa.schema([("k", pa.int64()), ("flat", pa.binary()),
                                                               ("offsets", pa.binary())]))
    buckets: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for out in tasks.bands(iter([batch]), settings, index.hashranges):
        cols = [out.column(i).to_pylist() for i in range(out.num_columns)]
        for *key, pk in zip(*cols, strict=True):
            buckets[tuple(key)].append(pk)
    members = [sorted(m) for m in buckets.values() if len(m) >= 2]
    grouped = pa.RecordBatch.from_arrays([pa.array(members, pa.list_(pa.int64()))], names=["members"])
    got = set(_pairs(list(tasks.bucket_pairs(iter([grouped]), settings.lsh.max_bucket))))

    from syndet.hashing.signature import permutations, signatures_flat

    keys, sigs = [], []
    for row in rows:
        flat = np.frombuffer(row["flat"], dtype=np.uint32)
        offsets = np.frombuffer(row["offsets"], dtype=np.int64)
        nonempty = np.flatnonzero(np.diff(offsets))
        sigs.append(signatures_flat(flat, np.append(offsets[nonempty], offsets[-1]),
                                    permutations(settings.minhash.num_perm, settings.minhash.seed)))
        keys.append((row["k"] << tasks.PARAGRAPH_BITS) | nonempty)
    index.add(np.concatenate(keys), np.concatenate(sigs))
    expected = {(int(a), int(b)) for a, b in index.candidate_pairs(settings.lsh.max_bucket)}
    assert got == expected
    assert len(expected) > 20


def test_missing_pyspark_or_java_is_one_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from syndet.engines.spark.session import spark_session
    from syndet.errors import EngineError

    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # import fails as if not installed
    with pytest.raises(EngineError, match=r"needs pyspark: pip install 'syndet\[spark\]'"):
        spark_session("local[1]")
    monkeypatch.undo()
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(EngineError, match=r"needs Java 17 or newer \(run scripts/services/java.sh"):
        spark_session("local[1]")


def test_spark_job_failure_is_one_line() -> None:
    from syndet.engines.spark.session import job_error

    exc = RuntimeError("An error occurred while calling o243.collectToPython.\n: org.apache.spark.SparkException: "
                       "Job aborted\nCaused by: java.lang.OutOfMemoryError: Java heap space\n\tat java.base/...")
    assert str(job_error(exc)) == "a Spark job failed: java.lang.OutOfMemoryError: Java heap space"
