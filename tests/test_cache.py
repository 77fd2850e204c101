"""Answers kept in the cache folder: the same as working them out, and never a reason to fail."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from datasketch import MinHashLSH
from pytest import MonkeyPatch

from syndet.hashing.bands import lsh_bands
from syndet.text.cache import MEMO_MAX_BYTES, Memo, cached_array, folder


@pytest.fixture(autouse=True)
def _read_afresh() -> None:
    """Each test starts with no banding remembered by the process (it is read once per process)."""
    lsh_bands.cache_clear()


def test_the_cache_folder_follows_the_environment(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.delenv("SYNDET_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert folder() == tmp_path / "xdg" / "syndet"
    monkeypatch.setenv("SYNDET_CACHE_DIR", str(tmp_path / "own"))
    assert folder() == tmp_path / "own"


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.3, 128), (0.5, 64), (0.8, 256), (0.15, 128)])
def test_the_bands_are_datasketchs_and_are_read_back_without_it(tmp_path: Path, monkeypatch: MonkeyPatch,
                                                                threshold: float, num_perm: int) -> None:
    monkeypatch.setenv("SYNDET_CACHE_DIR", str(tmp_path))
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    assert lsh_bands(threshold, num_perm) == (lsh.b, lsh.r)
    assert len(list(tmp_path.glob("lsh-bands-*.npy"))) == 1
    assert lsh_bands(threshold, num_perm) == (lsh.b, lsh.r)  # remembered by the process
    lsh_bands.cache_clear()
    monkeypatch.setitem(sys.modules, "datasketch", None)  # importing it now raises ImportError
    assert lsh_bands(threshold, num_perm) == (lsh.b, lsh.r)
    with pytest.raises(ImportError):
        lsh_bands(threshold + 0.01, num_perm)  # not kept: worked out, which needs datasketch


def test_parameters_datasketch_refuses_are_refused_and_not_kept(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDET_CACHE_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="threshold must be in"):
        lsh_bands(1.5, 128)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("damage", ["garbage", "empty", "shape", "too many rows", "objects", "archive"])
def test_a_damaged_file_is_passed_over_and_written_again(tmp_path: Path, monkeypatch: MonkeyPatch,
                                                         damage: str) -> None:
    monkeypatch.setenv("SYNDET_CACHE_DIR", str(tmp_path))
    want = lsh_bands(0.3, 128)
    (path,) = tmp_path.glob("lsh-bands-*.npy")
    if damage == "garbage":
        path.write_bytes(b"\x93NUMPY not really")
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "shape":
        np.save(path, np.array([[37, 3]], dtype=np.int64))
    elif damage == "too many rows":  # b * r above the signature length
        np.save(path, np.array([64, 3], dtype=np.int64))
    elif damage == "objects":  # pickled objects are never loaded
        np.save(path, np.array([37, 3], dtype=object), allow_pickle=True)
    else:  # an archive of arrays under the array's name
        with path.open("wb") as out:
            np.savez(out, bands=np.array([37, 3], dtype=np.int64))
    lsh_bands.cache_clear()
    assert lsh_bands(0.3, 128) == want
    assert np.load(path, allow_pickle=False).tolist() == list(want)


def test_an_unwritable_folder_only_costs_the_time(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("SYNDET_CACHE_DIR", str(blocked / "cache"))
    calls = []

    def make() -> np.ndarray:
        calls.append(1)
        return np.arange(3, dtype=np.int64)

    for _ in range(2):
        got = cached_array("probe", "x", make, lambda a: a.shape == (3,))
        assert got.tolist() == [0, 1, 2]
    assert len(calls) == 2 and blocked.read_text() == "not a folder"


def test_no_home_folder_only_costs_the_time(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    def homeless() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.delenv("SYNDET_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setattr(Path, "home", homeless)
    got = cached_array("probe", "x", lambda: np.arange(2, dtype=np.int64), lambda a: a.shape == (2,))
    assert got.tolist() == [0, 1]


def test_answers_that_depend_on_other_things_are_kept_apart(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDET_CACHE_DIR", str(tmp_path))
    one = cached_array("probe", "version 1", lambda: np.array([1], dtype=np.int64), lambda a: a.shape == (1,))
    two = cached_array("probe", "version 2", lambda: np.array([2], dtype=np.int64), lambda a: a.shape == (1,))
    assert (one.tolist(), two.tolist()) == ([1], [2])
    assert len(list(tmp_path.glob("probe-*.npy"))) == 2


def test_a_memo_keeps_answers_for_the_next_process(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDET_CACHE_DIR", str(tmp_path))
    first = Memo("probe", "v1")
    assert first.get("a") is None
    first.put("a", [["one", "two"]])
    first.put("b", ["none"])
    again = Memo("probe", "v1")  # what another process reads
    assert (again.get("a"), again.get("b"), again.get("c")) == ([["one", "two"]], ["none"], None)
    assert Memo("probe", "v2").get("a") is None  # another version: a file of its own
    assert len(list(tmp_path.glob("probe-*.jsonl"))) == 1


def test_a_damaged_memo_line_is_passed_over(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDET_CACHE_DIR", str(tmp_path))
    Memo("probe", "v1").put("a", 1)
    path = next(tmp_path.glob("probe-*.jsonl"))
    with path.open("ab") as out:  # a line that is not a pair, bytes that are not text, a line cut short
        out.write(b'{"a": 2}\n\xff\xfe\n' + b"[" * 100_000 + b"\n" + b'["b", 3]\n["c", [1, 2')
    memo = Memo("probe", "v1")
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (1, 3, None)
    memo.put("c", 4)  # written after the damage: still read
    assert Memo("probe", "v1").get("c") == 4


def test_an_oversized_memo_is_started_again(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    monkeypatch.setenv("SYNDET_CACHE_DIR", str(tmp_path))
    Memo("probe", "v1").put("a", 1)
    path = next(tmp_path.glob("probe-*.jsonl"))
    with path.open("ab") as out:
        out.write(b" " * (MEMO_MAX_BYTES + 1) + b"\n")
    memo = Memo("probe", "v1")
    assert memo.get("a") is None
    memo.put("b", 2)
    assert path.stat().st_size < 100 and Memo("probe", "v1").get("b") == 2


def test_an_unwritable_memo_folder_keeps_answers_in_the_process(tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("SYNDET_CACHE_DIR", str(blocked / "cache"))
    memo = Memo("probe", "v1")
    memo.put("a", 1)
    assert memo.get("a") == 1 and blocked.read_text() == "not a folder"
