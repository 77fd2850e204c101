"""Hashing core: shingles to MinHash signatures, syndet against datasketch and rensa, one CPU.

The synthetic corpus is generated once (``benchmarks.synth``), cut into paragraphs and normalised
as a scan does, and its 5-word shingles are built once. Every implementation then turns the same
shingles of every content paragraph into a ``num_perm`` MinHash signature:

- ``datasketch update``: ``MinHash(num_perm, seed)`` and one ``update`` per shingle (SHA-1, its default);
- ``datasketch update_batch``: ``MinHash(num_perm, seed, hashfunc=xxh32)`` and ``update_batch``;
- ``rensa RMinHash``: one ``RMinHash`` per paragraph, ``update`` with its shingles, ``digest``;
- ``rensa bulk``: ``RMinHash.digest_matrix_from_token_byte_sets`` over all paragraphs at once (the
  digest matrix is left in rensa's object, not converted);
- ``syndet core``: from each paragraph's normalised text (its words joined by spaces, as
  ``normalize.normal`` gives it to a scan; the core finds the words and builds the shingles
  itself), xxh32 and MinHash with ``hash_normal`` and ``signatures_flat``.

The process is pinned to one CPU, so every row is single-threaded. syndet's signatures are checked
bit-for-bit against datasketch's ``update_batch`` ones before anything is printed.

Run: ``python -m benchmarks.bench_hash --articles 2000 --seed 7``
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Shingled:
    """The benchmark input: per content paragraph, its normalised text, its shingles as bytes and as text."""

    normal: list[str]
    shingles: list[list[bytes]]
    shingle_strs: list[list[str]]
    text_bytes: int

    @property
    def shingle_count(self) -> int:
        """Shingles over all paragraphs."""
        return sum(map(len, self.shingles))


def build_input(articles: int, seed: int, size: int) -> Shingled:
    """Generate the corpus and shingle its content paragraphs, as ``syndet scan`` would."""
    from benchmarks.synth import SynthConfig, generate
    from syndet.detector import Detector
    from syndet.hashing.shingle import shingle_texts
    from syndet.models import Article
    from syndet.text.normalize import words

    arts = [Article(r["id"], r["text"], title=r.get("title"), source=r.get("source"))
            for r in generate(SynthConfig(articles=articles, seed=seed)) if r.get("type") == "article"]
    paragraphs = Detector().segment(arts)
    texts = [a.text[p.start:p.end] for a in arts for p in paragraphs[a.id] if not p.chrome]
    tokens = [words(t) for t in texts]
    tokens = [t for t in tokens if t]
    shingles = [shingle_texts(t, size) for t in tokens]
    return Shingled([" ".join(t) for t in tokens], shingles, [[s.decode("utf-8") for s in row] for row in shingles],
                    sum(len(t.encode("utf-8")) for t in texts))


def _datasketch_update(data: Shingled, num_perm: int, seed: int) -> np.ndarray:
    from datasketch import MinHash

    out = np.empty((len(data.shingles), num_perm), dtype=np.uint32)
    for i, row in enumerate(data.shingles):
        m = MinHash(num_perm=num_perm, seed=seed)
        for s in row:
            m.update(s)
        out[i] = m.hashvalues
    return out


def _datasketch_batch(data: Shingled, num_perm: int, seed: int) -> np.ndarray:
    from datasketch import MinHash

    from syndet.hashing.shingle import hashfunc

    func = hashfunc(0)
    out = np.empty((len(data.shingles), num_perm), dtype=np.uint32)
    for i, row in enumerate(data.shingles):
        m = MinHash(num_perm=num_perm, seed=seed, hashfunc=func)
        m.update_batch(row)
        out[i] = m.hashvalues
    return out


def _rensa_each(data: Shingled, num_perm: int, seed: int) -> np.ndarray:
    from rensa import RMinHash

    out = np.empty((len(data.shingle_strs), num_perm), dtype=np.uint32)
    for i, row in enumerate(data.shingle_strs):
        m = RMinHash(num_perm=num_perm, seed=seed)
        m.update(row)
        out[i] = m.digest()
    return out


def _rensa_bulk(data: Shingled, num_perm: int, seed: int) -> object:
    from rensa import RMinHash

    # The matrix stays in rensa's own object: converting it to rows would time Python lists, not rensa.
    return RMinHash.digest_matrix_from_token_byte_sets(data.shingles, num_perm, seed)


def _syndet(data: Shingled, num_perm: int, seed: int, size: int) -> np.ndarray:
    from syndet.hashing.shingle import hash_normal
    from syndet.hashing.signature import permutations, signatures_flat

    hashes, offsets = hash_normal(data.normal, size, 0)
    return signatures_flat(hashes, offsets, permutations(num_perm, seed), threads=1)


def _best(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print one table with ratios."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_hash", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles to generate")
    parser.add_argument("--seed", type=int, default=7, help="corpus seed")
    parser.add_argument("--num-perm", type=int, default=128)
    parser.add_argument("--size", type=int, default=5, help="words per shingle")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each fast implementation (best is kept)")
    args = parser.parse_args(argv)

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    os.environ["RAYON_NUM_THREADS"] = "1"  # before rensa is imported
    try:
        import rensa  # noqa: F401
        have_rensa = True
    except ImportError:
        have_rensa = False

    data = build_input(args.articles, args.seed, args.size)
    n, k, seed = len(data.shingles), args.num_perm, 1
    print(f"corpus: {args.articles} synthetic articles (seed {args.seed}), {n} content paragraphs, "
          f"{data.shingle_count} shingles of {args.size} words, {data.text_bytes / 1e6:.1f} MB of paragraph text; "
          f"num_perm {k}; one CPU")

    rows: list[tuple[str, float]] = []
    elapsed, mine = _best(lambda: _syndet(data, k, seed, args.size), args.repeat + 1)  # first run compiles
    elapsed, mine = _best(lambda: _syndet(data, k, seed, args.size), args.repeat)
    rows.append(("syndet core", elapsed))
    elapsed, ref = _best(lambda: _datasketch_batch(data, k, seed), 1)
    if not np.array_equal(mine, ref):
        print("syndet signatures differ from datasketch's", file=sys.stderr)
        return 1
    rows.append(("datasketch update_batch (xxh32)", elapsed))
    rows.append(("datasketch update (sha1)", _best(lambda: _datasketch_update(data, k, seed), 1)[0]))
    if have_rensa:
        rows.append(("rensa RMinHash per paragraph", _best(lambda: _rensa_each(data, k, seed), args.repeat)[0]))
        rows.append(("rensa bulk digest matrix", _best(lambda: _rensa_bulk(data, k, seed), args.repeat)[0]))
    else:
        print("rensa is not installed (pip install -e .[bench]): its rows are missing")

    print(f"{'implementation':34} {'seconds':>8} {'paragraphs/s':>13} {'shingles/s':>12} {'MB/s':>7}  syndet is")
    for name, seconds in rows:
        ratio = seconds / rows[0][1]
        print(f"{name:34} {seconds:8.3f} {n / seconds:13,.0f} {data.shingle_count / seconds:12,.0f} "
              f"{data.text_bytes / 1e6 / seconds:7.1f}  {ratio:6.1f}x faster")
    print("syndet signatures are bit-identical to datasketch MinHash(update_batch, hashfunc=xxh32)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
