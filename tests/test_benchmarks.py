"""The benchmark scripts run end to end on tiny corpora and print what their README promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bench_hash_checks_signatures_and_prints_ratios() -> None:
    out = run("benchmarks.bench_hash", "--articles", "40", "--repeat", "1")
    lines = out.splitlines()
    assert lines[-1] == "syndet signatures are bit-identical to datasketch MinHash(update_batch, hashfunc=xxh32)"
    names = ("syndet core", "datasketch", "rensa")
    rows = {line[:34].strip(): line.split() for line in lines if line.startswith(names)}
    assert {"syndet core", "datasketch update_batch (xxh32)", "datasketch update (sha1)"} <= set(rows)
    assert rows["syndet core"][-2:] == ["1.0x", "faster"]


def test_bench_scan_prints_growth(tmp_path: Path) -> None:
    out = run("benchmarks.bench_scan", "--sizes", "30", "300", "--data", str(tmp_path), "--jobs", "1")
    lines = out.splitlines()
    assert lines[0].startswith("syndet scan FILE --format json -o REPORT --quiet --jobs 1")
    first, second = lines[2].split(), lines[3].split()
    assert first[0] == "30" and second[0] == "300"
    assert first[3] == second[3] == "memory"
    assert float(second[7]) > 0  # growth per 10x, printed from the second size on
    assert (tmp_path / "news-300-seed7" / "articles.jsonl").exists()


def test_bench_scan_in_bounded_memory(tmp_path: Path) -> None:
    out = run("benchmarks.bench_scan", "--sizes", "60", "--data", str(tmp_path), "--jobs", "1",
              "--memory-budget", "256MB")
    lines = out.splitlines()
    assert lines[0].startswith("syndet scan FILE --format json -o REPORT --quiet --jobs 1 --memory-budget 256MB")
    assert lines[2].split()[:4] == ["60", "0", lines[2].split()[2], "bounded"]


def test_bench_read_prints_each_reader_beside_the_extractor() -> None:
    out = run("benchmarks.bench_read", "--pages", "20", "--repeat", "1")
    lines = out.splitlines()
    assert lines[0].startswith("20 pages, ")
    names = ("trafilatura", "syndet", "warcio")
    rows = {line[:28].strip(): line[28:].split() for line in lines if line.startswith(names)}
    assert set(rows) >= {"trafilatura alone", "syndet read, HTML folder", "syndet read, WARC", "warcio records alone"}
    for name in ("syndet read, HTML folder", "syndet read, WARC"):
        assert rows[name][0] == "20"  # every page became an article
    assert rows["trafilatura alone"][-1] == "1.00x"


def test_bench_bad_inputs_prints_each_case_and_the_bounds() -> None:
    out = run("benchmarks.bench_bad_inputs", "--only", "bomb")
    lines = out.splitlines()
    assert lines[0].split() == ["case", "seconds", "peak", "MB", "exit"]
    names = [line[:36].strip() for line in lines[1:] if line.strip() and not line[0].isdigit()]
    assert names[:3] == ["(baseline: good articles only)", "fm-alias-bomb", "config: alias-bomb"]
    assert lines[-1].startswith("2 cases; slowest ") and lines[-1].endswith("all within")


def test_planted_runs_are_counted() -> None:
    out = run("benchmarks.planted", "--trials", "6")
    assert out.strip() == "planted 15-word runs found: 6/6 inside a paragraph, 6/6 in texts with no breaks"


def test_bench_filter_runs_small_and_says_what_the_machine_did_meanwhile(tmp_path: Path) -> None:
    out = run("benchmarks.bench_filter", "--sizes", "300", "--new", "40", "--backends", "sqlite",
              "--cache", str(tmp_path))
    lines = out.splitlines()
    assert "== sqlite, 300 indexed ==" in lines
    assert any(line.startswith("filter: ") and "p99" in line and "a new process" in line for line in lines)
    assert any("in the process that loaded the index" in line and "the same decisions" in line for line in lines)
    agreement = next(line for line in lines if line.startswith("agreement with labels: "))
    assert float(agreement.split()[3].rstrip("%")) >= 90.0
    after = next(line for line in lines if line.startswith("just after deciding: one process hashing "))
    assert float(after.split()[6]) > 0
    if Path("/proc/stat").exists():
        meanwhile = next(line for line in lines if line.startswith("while deciding: host took "))
        assert "(steal)" in meanwhile and "disk reads" in meanwhile
        memory = next(line for line in lines if line.startswith("index in memory when deciding started: "))
        assert 0.0 <= float(memory.split()[6].rstrip("%")) <= 100.0 and "minor" in memory and "major" in memory


def test_host_steal_and_disk_reads_are_read_from_proc(tmp_path: Path) -> None:
    from benchmarks import system

    stat = "cpu  100 5 20 800 30 0 5 40 0 0\ncpu0 50 2 10 400 15 0 2 20 0 0\n"
    assert system.parse_stat(stat) == (1000, 40, 30)
    disks = (" 254       0 vda 1200 0 96000 0 10 0 80 0 0 0 0\n"
             " 254       1 vda1 1100 0 90000 0 10 0 80 0 0 0 0\n"
             "   7       0 loop0 50 0 400 0 0 0 0 0 0 0 0\n")
    assert system.parse_diskstats(disks, {"vda"}) == (1200, 512 * 96000)
    (tmp_path / "stat").write_text(stat)
    (tmp_path / "diskstats").write_text(disks)
    (tmp_path / "block").mkdir()
    (tmp_path / "block" / "vda").mkdir()
    (tmp_path / "block" / "loop0").mkdir()
    before = system.counters(tmp_path, tmp_path / "block")
    assert before == system.Counters(ticks=1000, steal=40, iowait=30, reads=1200, read_bytes=512 * 96000)
    (tmp_path / "stat").write_text("cpu  150 5 30 830 40 0 5 90 0 0\n")
    after = system.counters(tmp_path, tmp_path / "block")
    # 150 ticks went by: 50 stolen, 10 waiting on disk; no more reads
    assert system.describe(before, after) == ("host took 33.3% of the processor time (steal), 6.7% spent "
                                              "waiting on disk, 0 disk reads (0.0 MiB)")
    assert system.describe(None, after) == ""
    assert system.counters(tmp_path / "absent", tmp_path / "block") is None
    assert system.counters(tmp_path, tmp_path / "no-block") is None
    assert system.parse_stat("cpu  10 0 5 85\n") == (100, 0, 0)  # a kernel that counts no steal


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="page residency is read on Linux only")
def test_how_much_of_a_file_is_in_memory(tmp_path: Path) -> None:
    """What the page cache holds of files, as mincore says; a file read just now is held whole."""
    import mmap
    import os

    from benchmarks import system

    data = tmp_path / "data.bin"
    data.write_bytes(os.urandom(16 * mmap.PAGESIZE + 100))
    data.read_bytes()
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    assert system.resident([data, empty]) == (data.stat().st_size, data.stat().st_size)
    assert system.resident([tmp_path / "missing"]) is None
    minor, major = system.faults()
    assert minor > 0 and major >= 0
