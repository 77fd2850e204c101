"""End to end: ``syndet scan`` over synthetic corpora of growing size, with time and peak memory.

Each corpus is written once by ``benchmarks.synth`` (kept under ``--data`` and reused), then
scanned by a child process running exactly ``syndet scan DIR/articles.jsonl --format json -o FILE
--quiet``; wall time and the child's peak RSS (``wait4``) are measured, and the stage timings are
read back from the report (seconds per stage; a stage the report does not record shows 0.0). The
``x per 10x`` column is the cost growth per 10x more articles (10.0 is linear).

Run: ``python -m benchmarks.bench_scan --sizes 1000 10000 100000``
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


def scan(path: Path, jobs: int | None) -> tuple[float, int, dict[str, float]]:
    """Run ``syndet scan`` in a child: seconds, peak RSS in bytes, and the report's stats."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "syndet", "scan", str(path), "--format", "json", "-o", str(report), "--quiet"]
        if jobs is not None:
            cmd += ["--jobs", str(jobs)]
        t0 = time.perf_counter()
        child = subprocess.Popen(cmd)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - t0
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"syndet scan failed on {path} (exit {child.returncode})")
        stats: dict[str, float] = json.loads(report.read_text(encoding="utf-8"))["stats"]
    return seconds, usage.ru_maxrss * 1024, stats


def main(argv: Sequence[str] | None = None) -> int:
    """Scan each size and print the table and the growth curve."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_scan", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000], help="articles per corpus")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed")
    parser.add_argument("--jobs", type=int, default=None, help="pass --jobs to syndet scan (default: automatic)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "syndet-bench",
                        help="where corpora are written and reused")
    args = parser.parse_args(argv)

    print(f"syndet scan FILE --format json -o REPORT --quiet{'' if args.jobs is None else f' --jobs {args.jobs}'}; "
          f"{os.cpu_count()} CPUs; corpus seed {args.seed}")
    print(f"{'articles':>9} {'MB':>6} {'paragraphs':>10} {'seconds':>8} {'articles/s':>10} {'peak RSS':>9} "
          f"{'x per 10x':>9}  " + " ".join(f"{s[:-2]:>9}" for s in _STAGES))
    previous: tuple[int, float] | None = None
    for size in args.sizes:
        path = corpus(args.data, size, args.seed)
        seconds, rss, stats = scan(path, args.jobs)
        growth = ""
        if previous:
            # Cost growth scaled to a 10x step, so that any pair of sizes compares with linear (10.0).
            factor = size / previous[0]
            growth = f"{(seconds / previous[1]) ** (1 / math.log10(factor)):9.1f}" if factor > 1 else ""
        print(f"{size:9,} {path.stat().st_size / 1e6:6.0f} {int(stats['content_paragraphs']):10,} {seconds:8.1f} "
              f"{size / seconds:10,.0f} {rss / 2**30:7.2f}GB {growth:>9}  "
              + " ".join(f"{stats.get(s, 0.0):9.1f}" for s in _STAGES))
        previous = (size, seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
