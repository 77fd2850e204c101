"""Pre-ingest filter at scale: index 10k synthetic articles, then decide 1k new ones, per backend.

Data: ``benchmarks.synth`` (seeded). Of the generated articles, 1,000 are held out: half are
republished copies (wire copies, press-release pick-ups, outlet-to-outlet reposts) of stories
whose other copies are indexed, half are originals that share nothing with any other article.
The other 10,000 are indexed. The expected decision of each held-out article comes from the
generator's passage labels, never from syndet: the share of its words inside labelled passages
that an indexed article also carries, judged with the same policy thresholds.

Printed per backend (sqlite, redis): agreement with the expected decisions (overall, on copies,
on originals, and the confusion table), articles/s for adding (hashing and storing separately)
and for filtering, and filter latency per article (p50, p99). The reference measured in the same
run is datasketch's in-memory ``MinHashLSH`` inserting the same signatures (what indexing costs
without persistence).

Run: ``python -m benchmarks.bench_filter`` (``--help`` for sizes, seed, backends and the Redis URL;
the Redis backend needs ``bash scripts/services/redis.sh``).
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from datasketch import MinHashLSH

from benchmarks.synth import SynthConfig, generate
from syndet.filter import ACTIONS, Filter
from syndet.hashing.signature import SignatureView
from syndet.models import Article
from syndet.settings import IndexSettings, Settings
from syndet.store.base import Entry
from syndet.store.redis import drop_index

COPY_KINDS = ("agency", "press_release", "republished")


@dataclasses.dataclass(frozen=True)
class Corpus:
    """The indexed articles, the held-out ones, and what each held-out one should get."""

    indexed: list[Article]
    new: list[Article]
    expected: dict[str, str]
    copies: set[str]


def _article(rec: dict[str, Any]) -> Article:
    return Article(rec["id"], rec["text"], rec.get("title"), rec.get("source"), rec.get("published"), rec.get("url"))


def _covered_words(text: str, spans: Sequence[tuple[int, int]]) -> float:
    """Share of the article's words that start inside one of the spans."""
    inside = total = 0
    pos = 0
    ordered = sorted(spans)
    for word in text.split():
        at = text.index(word, pos)
        pos = at + len(word)
        total += 1
        inside += any(a <= at < b for a, b in ordered)
    return inside / total if total else 0.0


def build_corpus(indexed: int, new: int, seed: int, reject_at: float, flag_at: float) -> Corpus:
    """Generate ``indexed + new`` articles, hold out ``new`` of them and label their expected decisions."""
    records = list(generate(SynthConfig(articles=indexed + new, seed=seed)))
    articles = [r for r in records if r["type"] == "article"]
    passages = [r for r in records if r["type"] == "passage"]
    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in passages:
        for span in p["spans"]:
            members[span["article"]].append(p)
    rng = random.Random(seed)
    originals = [a["id"] for a in articles if a["id"] not in members]
    copies = sorted({s["article"] for p in passages if p["kind"] in COPY_KINDS for s in p["spans"]
                     if s["article"] != p.get("source_article")})
    copies = [c for c in copies if c not in {p.get("source_article") for p in passages}]
    if len(originals) < new - new // 2 or len(copies) < new // 2:
        raise SystemExit(f"corpus too small: {len(originals)} originals, {len(copies)} copies")
    held = set(rng.sample(copies, new // 2)) | set(rng.sample(originals, new - new // 2))
    by_id = {a["id"]: a for a in articles}
    expected: dict[str, str] = {}
    for ident in held:
        spans = [(s["start"], s["end"]) for p in members.get(ident, [])
                 if any(o["article"] not in held for o in p["spans"]) for s in p["spans"] if s["article"] == ident]
        seen = _covered_words(by_id[ident]["text"], spans)
        expected[ident] = "reject" if seen >= reject_at else "flag" if seen >= flag_at else "accept"
    return Corpus([_article(a) for a in articles if a["id"] not in held],
                  [_article(a) for a in articles if a["id"] in held], expected, held & set(copies))


def _reference_insert(entries: Sequence[Entry], settings: Settings) -> float:
    """Seconds datasketch's in-memory MinHashLSH takes to insert the same paragraph signatures."""
    lsh = MinHashLSH(threshold=settings.lsh.threshold, num_perm=settings.minhash.num_perm)
    started = time.perf_counter()
    for n, entry in enumerate(entries):
        for idx, row in zip(entry.signed, entry.signatures, strict=True):
            lsh.insert(f"{n}:{idx}", SignatureView(row, settings.minhash.seed), check_duplication=False)
    return time.perf_counter() - started


def run_backend(name: str, settings: Settings, corpus: Corpus, batch: int) -> dict[str, Any]:
    """Index the corpus, filter the held-out articles, and measure both."""
    hash_s = store_s = reference_s = 0.0
    with Filter(settings, create=True) as flt:
        for lo in range(0, len(corpus.indexed), batch):
            chunk = corpus.indexed[lo:lo + batch]
            started = time.perf_counter()
            entries = flt.prepare(chunk)
            hash_s += time.perf_counter() - started
            started = time.perf_counter()
            flt.store.add(entries)
            store_s += time.perf_counter() - started
            reference_s += _reference_insert(entries, settings)
        latencies: list[float] = []
        decisions: dict[str, str] = {}
        started = time.perf_counter()
        for article in corpus.new:
            t0 = time.perf_counter()
            decisions[article.id] = flt.check(article).action
            latencies.append(time.perf_counter() - t0)
        filter_s = time.perf_counter() - started
        stats = flt.store.stats()
    latencies.sort()
    return {"backend": name, "hash_s": hash_s, "store_s": store_s, "reference_s": reference_s,
            "filter_s": filter_s, "p50": statistics.median(latencies),
            "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
            "decisions": decisions, "stats": stats}


def report(result: dict[str, Any], corpus: Corpus) -> None:
    """Print one backend's figures."""
    n_add, n_new = len(corpus.indexed), len(corpus.new)
    got, want = result["decisions"], corpus.expected
    agree = sum(got[i] == want[i] for i in want) / len(want)
    copies = [i for i in want if i in corpus.copies]
    originals = [i for i in want if i not in corpus.copies]
    add_s = result["hash_s"] + result["store_s"]
    ratio = result["store_s"] / result["reference_s"]
    print(f"\n== {result['backend']} ==")
    print(f"index: {result['stats']['articles']:,} articles, {result['stats']['signed_paragraphs']:,} paragraphs")
    print(f"add:    {n_add / add_s:8.1f} articles/s  (hashing {n_add / result['hash_s']:.1f}/s, "
          f"storing {n_add / result['store_s']:.1f}/s; datasketch in-memory LSH insert "
          f"{n_add / result['reference_s']:.1f}/s, storing/in-memory = {ratio:.2f}x)")
    print(f"filter: {n_new / result['filter_s']:8.1f} articles/s  latency p50 {result['p50'] * 1000:.1f} ms, "
          f"p99 {result['p99'] * 1000:.1f} ms")
    print(f"agreement with labels: {agree:.1%} overall, copies {_agree(got, want, copies):.1%} "
          f"({len(copies)}), originals {_agree(got, want, originals):.1%} ({len(originals)})")
    table = Counter((want[i], got[i]) for i in want)
    print("expected \\ decided   " + "  ".join(f"{a:>7}" for a in ACTIONS))
    for exp in ACTIONS:
        print(f"{exp:>19}   " + "  ".join(f"{table[(exp, a)]:7d}" for a in ACTIONS))


def _agree(got: dict[str, str], want: dict[str, str], ids: Sequence[str]) -> float:
    return sum(got[i] == want[i] for i in ids) / len(ids) if ids else 1.0


def main(argv: Sequence[str] | None = None) -> int:
    """Build the corpus once, then run each backend on it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles indexed")
    parser.add_argument("--new", type=int, default=1_000, help="articles filtered (half copies)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--batch", type=int, default=1_000, help="articles per add")
    parser.add_argument("--backends", default="sqlite,redis")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6399/0")
    args = parser.parse_args(argv)
    settings = Settings()
    started = time.perf_counter()
    corpus = build_corpus(args.articles, args.new, args.seed, settings.policy.reject_at, settings.policy.flag_at)
    print(f"corpus: {len(corpus.indexed):,} indexed, {len(corpus.new):,} new ({len(corpus.copies)} copies), "
          f"expected {dict(Counter(corpus.expected.values()))}, built in {time.perf_counter() - started:.1f} s")
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends.split(","):
            if backend == "sqlite":
                index = IndexSettings(path=str(Path(tmp) / "bench.sqlite"))
            else:
                prefix = f"syndet-bench-{uuid.uuid4().hex[:8]}"
                index = IndexSettings(backend="redis", url=args.redis_url, prefix=prefix)
            run_settings = dataclasses.replace(settings, index=index)
            try:
                report(run_backend(backend, run_settings, corpus, args.batch), corpus)
            finally:
                if backend == "redis":
                    drop_index(args.redis_url, index.prefix)
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
