"""End to end: ``syndet scan`` over synthetic corpora of growing size, with time and peak memory.

Each corpus is written once by ``benchmarks.synth`` (kept under ``--data`` and reused), then
scanned by a child process running exactly ``syndet scan DIR/articles.jsonl --format json -o FILE
--quiet``; wall time and the child's peak RSS (``wait4``) are measured, and the stage timings are
read back from the report (seconds per stage; a stage the report does not record shows 0.0). The
``x per 10x`` column is the cost growth per 10x more articles (10.0 is linear).

``--engine spark --masters local[1] local[2]`` runs the same scans with ``--engine spark`` on each
master; the Spark engine runs in several processes (the driver, the JVM, Python workers), so its
peak memory is the largest sum of their resident sets, sampled every 0.2 s, and the ``vs first``
column is each master's speed-up over the first one named.

Run: ``python -m benchmarks.bench_scan --sizes 1000 10000 100000``
     ``python -m benchmarks.bench_scan --engine spark --masters local[1] local[2] --sizes 10000 100000``
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

_STAGES = ("segment_s", "hash_s", "minhash_s", "lsh_s", "align_s", "attribute_s")
_SPARK_STAGES = ("read_s", "segment_s", "hash_s", "bands_s", "verify_s", "postings_s", "align_s", "attribute_s",
                 "collect_s")
_SAMPLE_S = 0.2


def corpus(data: Path, articles: int, seed: int) -> Path:
    """The corpus file of this size and seed, generated on first use."""
    from benchmarks.synth import SynthConfig, write_corpus

    path = data / f"news-{articles}-seed{seed}" / "articles.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        write_corpus(SynthConfig(articles=articles, seed=seed), partial)
        partial.rename(path)
    return path


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, ()))
    return total


def scan(path: Path, jobs: int | None, extra: Sequence[str] = ()) -> tuple[float, int, dict[str, float]]:
    """Run ``syndet scan`` in a child: seconds, peak RSS in bytes (the largest process's; for the
    Spark engine, the largest sum over the process tree), and the report's stats."""
    spark = "--engine" in extra and "spark" in extra
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "syndet", "scan", str(path), "--format", "json", "-o", str(report), "--quiet",
               *extra]
        if jobs is not None:
            cmd += ["--jobs", str(jobs)]
        t0 = time.perf_counter()
        child = subprocess.Popen(cmd)
        peak = 0
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if spark:  # the Spark engine's processes do not share memory as forked hashing workers do
                peak = max(peak, _tree_rss(child.pid))
            time.sleep(_SAMPLE_S)
        seconds = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"syndet scan failed on {path} (exit {child.returncode})")
        stats: dict[str, float] = json.loads(report.read_text(encoding="utf-8"))["stats"]
    return seconds, max(peak, usage.ru_maxrss * 1024), stats


def main(argv: Sequence[str] | None = None) -> int:
    """Scan each size and print the table and the growth curve."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_scan", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000], help="articles per corpus")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs to syndet scan (default: automatic)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "syndet-bench",
                        help="where corpora are written and reused")
    parser.add_argument("--engine", choices=("local", "spark"), default="local", help="the engine to run")
    parser.add_argument("--memory-budget", help="pass --memory-budget to syndet scan (every size in bounded memory)")
    parser.add_argument("--masters", nargs="+", default=["local[2]"], help="Spark masters to run on (--engine spark)")
    args = parser.parse_args(argv)
    if args.engine == "spark":
        return _spark(args)

    from syndet.engines.bounded.budget import fits_in_memory
    from syndet.settings import Settings

    extra = ["--memory-budget", args.memory_budget] if args.memory_budget else []
    print(f"syndet scan FILE --format json -o REPORT --quiet{'' if args.jobs is None else f' --jobs {args.jobs}'}"
          f"{' ' + ' '.join(extra) if extra else ''}; {os.cpu_count()} CPUs; corpus seed {args.seed}")
    print(f"{'articles':>9} {'MB':>6} {'paragraphs':>10} {'scan in':>8} {'seconds':>8} {'articles/s':>10} "
          f"{'peak RSS':>9} {'x per 10x':>9}  " + " ".join(f"{s[:-2]:>9}" for s in _STAGES))
    defaults = Settings()
    previous: tuple[int, float] | None = None
    for size in args.sizes:
        path = corpus(args.data, size, args.seed)
        seconds, rss, stats = scan(path, args.jobs, extra)
        held = not extra and fits_in_memory([path], defaults.input, defaults.memory_budget_mb << 20)
        growth = ""
        if previous:
            # Cost growth scaled to a 10x step, so that any pair of sizes compares with linear (10.0).
            factor = size / previous[0]
            growth = f"{(seconds / previous[1]) ** (1 / math.log10(factor)):9.1f}" if factor > 1 else ""
        print(f"{size:9,} {path.stat().st_size / 1e6:6.0f} {int(stats['content_paragraphs']):10,} "
              f"{'memory' if held else 'bounded':>8} {seconds:8.1f} {size / seconds:10,.0f} {rss / 2**30:7.2f}GB "
              f"{growth:>9}  " + " ".join(f"{stats.get(s, 0.0):9.1f}" for s in _STAGES), flush=True)
        previous = (size, seconds)
    return 0


def _spark(args: argparse.Namespace) -> int:
    """The Spark engine on each master and size: time, peak memory, speed-up over the first master."""
    print(f"syndet scan FILE --engine spark --master M --format json -o REPORT --quiet; {os.cpu_count()} CPUs; "
          f"corpus seed {args.seed}")
    print(f"{'master':>10} {'articles':>9} {'seconds':>8} {'articles/s':>10} {'peak RSS':>9} {'vs first':>8} "
          f"{'x per 10x':>9}  " + " ".join(f"{s[:-2]:>9}" for s in _SPARK_STAGES))
    first: dict[int, float] = {}
    for master in args.masters:
        previous: tuple[int, float] | None = None
        for size in args.sizes:
            path = corpus(args.data, size, args.seed)
            seconds, rss, stats = scan(path, None, ["--engine", "spark", "--master", master])
            first.setdefault(size, seconds)
            growth = ""
            if previous and size > previous[0]:
                growth = f"{(seconds / previous[1]) ** (1 / math.log10(size / previous[0])):9.1f}"
            print(f"{master:>10} {size:9,} {seconds:8.1f} {size / seconds:10,.0f} {rss / 2**30:7.2f}GB "
                  f"{first[size] / seconds:7.2f}x {growth:>9}  " + " ".join(f"{stats.get(s, 0.0):9.1f}"
                                                                           for s in _SPARK_STAGES), flush=True)
            previous = (size, seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
