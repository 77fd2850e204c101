"""Time and peak memory of every bad input unit and bad config of the test corpus.

Each case of ``tests/bad_inputs.py`` is written beside the two good articles and scanned by a
child process (``python -m syndet scan DIR --format json -o FILE --quiet``); each bad config of
``tests/test_bad_configs.py`` is checked by a child running ``syndet config validate FILE``. The
child's wall time and peak RSS (``wait4``) are printed per case, then the largest of each against
the bounds the project holds to (30 s and 1 GB a case). A baseline row (the good articles alone)
shows what a run costs with nothing wrong in it.

Run: ``python -m benchmarks.bench_bad_inputs``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"
LIMIT_S = 30.0
LIMIT_MB = 1024.0


def child(cmd: Sequence[str]) -> tuple[float, float, int]:
    """Run ``cmd``: wall seconds, peak RSS in MB, exit status."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - t0, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run every case and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="Run only the cases whose name contains this text.")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(TESTS))
    from bad_inputs import CASES, GOOD, build
    from test_bad_configs import CASES as CONFIGS

    rows: list[tuple[str, float, float, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        base = root / "baseline"
        base.mkdir()
        for name, text in GOOD.items():
            (base / name).write_text(text, encoding="utf-8")
        scan = [sys.executable, "-m", "syndet", "scan"]
        rows.append(("(baseline: good articles only)", *child([*scan, str(base), "--format", "json", "-o",
                                                                str(root / "r.json"), "--quiet"])))
        for n, case in enumerate(CASES):
            if args.only and args.only not in case.name:
                continue
            folder = root / f"case{n}"
            build(case, folder)
            extra: list[str] = []
            if case.config:
                conf = root / f"case{n}.yaml"
                conf.write_text(case.config, encoding="utf-8")
                extra = ["--config", str(conf)]
            rows.append((case.name, *child([*scan, str(folder), "--format", "json", "-o", str(root / "r.json"),
                                            "--quiet", *extra])))
        for name, data, _ in CONFIGS:
            if args.only and args.only not in name:
                continue
            conf = root / f"config-{name}.yaml"
            conf.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
            rows.append((f"config: {name}", *child([sys.executable, "-m", "syndet", "config", "validate", str(conf)])))
    print(f"{'case':<36}{'seconds':>9}{'peak MB':>9}{'exit':>6}")
    for name, seconds, peak, code in rows:
        print(f"{name:<36}{seconds:>9.2f}{peak:>9.0f}{code:>6}")
    slowest = max(rows[1:], key=lambda r: r[1])
    largest = max(rows[1:], key=lambda r: r[2])
    over = [r[0] for r in rows[1:] if r[1] > LIMIT_S or r[2] > LIMIT_MB]
    print(f"\n{len(rows) - 1} cases; slowest {slowest[0]} {slowest[1]:.2f} s, largest {largest[0]} {largest[2]:.0f} MB "
          f"(bounds {LIMIT_S:g} s, {LIMIT_MB:g} MB): " + ("all within" if not over else "over: " + ", ".join(over)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
