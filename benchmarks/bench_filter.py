"""Pre-ingest filter at scale: index N synthetic articles, then decide 1,000 new ones, per backend.

Data: ``benchmarks.synth`` (seeded). Of the generated articles, ``--new`` are held out: half are
republished copies (wire copies, press-release pick-ups, outlet-to-outlet reposts) of stories
whose other copies are indexed, half are originals that share nothing with any other article.
The rest are indexed. The expected decision of each held-out article comes from the generator's
passage labels, never from syndet: the share of its words inside labelled passages that an
indexed article also carries, judged with the same policy thresholds.

The corpus is generated once per size into a JSON Lines file (``--cache DIR`` keeps it between
runs) and streamed from there, so a million articles never sit in memory.

Printed per size and backend (sqlite, redis):

- add: articles/s of the bulk path (``Filter.add_batches``, what ``syndet index add --batch``
  runs: batches hashed on worker processes while the previous one is stored), wall clock from
  the first article read to the last batch committed;
- reference: on the first 10,000 articles, one process hashing them (syndet's ``prepare``) and
  datasketch's in-memory ``MinHashLSH`` inserting the same paragraph signatures, articles/s;
- the seconds ``os.sync`` then takes to flush what the load wrote (outside both clocks: a filter
  runs against an index built earlier, not one the system is still writing back to disk);
- filter: articles/s deciding the held-out articles as ``syndet filter`` does (``check_all``:
  one worker process per CPU) in a new process that opens the index, as a filter started after
  the load would, wall clock from the first article handed over to the last decision; the time
  each decision took (p50 / p99 / max); when the first decision came (it imports and loads the
  compiled kernels); and the rate from the first decision made on a worker on (the first few are
  made on the calling process, which then forks the workers): what a long-running filter
  sustains. Then the same figures for the process that has just loaded the index deciding the
  same articles first (its workers are forked from a process holding what a load of millions of
  articles left), and whether both made the same decisions;
- what the machine did meanwhile (Linux): the share of processor time the host took back
  (*steal*: on a virtual machine, the host running something else on its processors), the
  share spent waiting on the disk, and the disk reads (:mod:`benchmarks.system`). A run's slowest
  decisions, and so its p99, often fall in a moment the host took;
- just after the decisions, one process hashing the held-out articles as the reference hashes:
  the machine's speed changes within minutes, and a run's filter rate moves with it;
- the index's size (bytes on disk for sqlite, Redis ``used_memory`` growth for redis);
- agreement with the expected decisions (overall, on copies, on originals, confusion table);
- of the held-out copies whose labelled original is indexed, the share whose decision names that
  original as a passage's source article.

Run: ``python -m benchmarks.bench_filter --sizes 10000 100000 1000000`` (``--help`` for the rest;
the Redis backend needs ``bash scripts/services/redis.sh``).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from datasketch import MinHashLSH

from benchmarks import system
from benchmarks.synth import SynthConfig, generate
from syndet.filter import _SERIAL_HEAD, ACTIONS, Filter
from syndet.hashing.signature import SignatureView
from syndet.models import Article
from syndet.settings import IndexSettings, Settings
from syndet.store.base import Entry
from syndet.store.redis import drop_index
from syndet.store.sqlite import SQLiteStore

COPY_KINDS = ("agency", "press_release", "republished")
REFERENCE_ARTICLES = 10_000


@dataclasses.dataclass(frozen=True)
class Corpus:
    """Where the indexed articles are, the held-out ones, and what each held-out one should get."""

    path: Path
    indexed: int
    new: list[Article]
    expected: dict[str, str]
    copies: set[str]
    sources: dict[str, set[str]]  # held-out copy -> its labelled source articles that are indexed

    def stream(self) -> Iterator[Article]:
        """The indexed articles, in generation order."""
        held = {a.id for a in self.new}
        with self.path.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                if rec["id"] not in held:
                    yield _article(rec)


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


def build_corpus(total: int, new: int, seed: int, reject_at: float, flag_at: float, folder: Path) -> Corpus:
    """Generate ``total`` articles into ``folder`` (or reuse them), hold out ``new`` of them and
    label their expected decisions."""
    path = folder / f"synth-{total}-seed{seed}.jsonl"
    labels = folder / f"synth-{total}-seed{seed}.passages.jsonl"
    if not (path.exists() and labels.exists()):
        with path.with_suffix(".tmp").open("w", encoding="utf-8") as fa, \
                labels.with_suffix(".tmp").open("w", encoding="utf-8") as fp:
            for rec in generate(SynthConfig(articles=total, seed=seed)):
                kind = rec.pop("type")
                (fa if kind == "article" else fp).write(json.dumps(rec, ensure_ascii=False) + "\n")
        path.with_suffix(".tmp").rename(path)
        labels.with_suffix(".tmp").rename(labels)
    passages = [json.loads(line) for line in labels.open(encoding="utf-8")]
    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in passages:
        for span in p["spans"]:
            members[span["article"]].append(p)
    sources = {p.get("source_article") for p in passages}
    ids = [json.loads(line)["id"] for line in path.open(encoding="utf-8")]
    rng = random.Random(seed)
    originals = [i for i in ids if i not in members]
    copies = sorted({s["article"] for p in passages if p["kind"] in COPY_KINDS for s in p["spans"]
                     if s["article"] != p.get("source_article")} - sources)
    if len(originals) < new - new // 2 or len(copies) < new // 2:
        raise SystemExit(f"corpus too small: {len(originals)} originals, {len(copies)} copies")
    held = set(rng.sample(copies, new // 2)) | set(rng.sample(originals, new - new // 2))
    new_articles = [_article(json.loads(line)) for line in path.open(encoding="utf-8")
                    if json.loads(line)["id"] in held]
    expected: dict[str, str] = {}
    for article in new_articles:
        spans = [(s["start"], s["end"]) for p in members.get(article.id, [])
                 if any(o["article"] not in held for o in p["spans"])
                 for s in p["spans"] if s["article"] == article.id]
        seen = _covered_words(article.text, spans)
        expected[article.id] = "reject" if seen >= reject_at else "flag" if seen >= flag_at else "accept"
    labelled: dict[str, set[str]] = defaultdict(set)
    for p in passages:
        source = p.get("source_article")
        if source and source not in held:
            for span in p["spans"]:
                if span["article"] in held and span["article"] != source:
                    labelled[span["article"]].add(source)
    copied = held & set(copies)
    return Corpus(path, len(ids) - len(held), new_articles, expected, copied,
                  {k: v for k, v in labelled.items() if k in copied})


def reference(corpus: Corpus, settings: Settings, batch: int) -> dict[str, float]:
    """On the first articles: one process preparing them, and datasketch's in-memory LSH inserting
    their signatures (what indexing costs without persistence), both in articles/s."""
    articles = []
    for article in corpus.stream():
        articles.append(article)
        if len(articles) >= REFERENCE_ARTICLES:
            break
    entries, hash_s = _prepared(articles, settings, batch)
    lsh = MinHashLSH(threshold=settings.lsh.threshold, num_perm=settings.minhash.num_perm)
    started = time.perf_counter()
    for n, entry in enumerate(entries):
        for idx, row in zip(entry.signed, entry.signatures, strict=True):
            lsh.insert(f"{n}:{idx}", SignatureView(row, settings.minhash.seed), check_duplication=False)
    insert_s = time.perf_counter() - started
    return {"articles": len(articles), "hash": len(articles) / hash_s, "datasketch": len(articles) / insert_s}


def _prepared(articles: Sequence[Article], settings: Settings, batch: int) -> tuple[list[Entry], float]:
    """The articles prepared for the index by one process, in batches, and the seconds it took."""
    flt = Filter(dataclasses.replace(settings, jobs=1), store=_NoStore())  # type: ignore[arg-type]  # hashing only
    started = time.perf_counter()
    entries: list[Entry] = []
    for lo in range(0, len(articles), batch):
        entries.extend(flt.prepare(articles[lo:lo + batch]))
    return entries, time.perf_counter() - started


class _NoStore:
    location = "none"

    def close(self) -> None:
        return None


def _redis_memory(url: str) -> int:
    import redis

    client = redis.Redis.from_url(url)
    try:
        return int(client.info("memory")["used_memory"])
    finally:
        client.close()


def run_backend(name: str, settings: Settings, corpus: Corpus, batch: int) -> dict[str, Any]:
    """Index the corpus through the bulk path, then decide the held-out articles twice: in the
    process that loaded the index, and in a new process opening it (as ``syndet filter`` run after
    ``syndet index add`` does). The decisions must be the same."""
    memory_before = _redis_memory(settings.index.url) if name == "redis" else 0
    with Filter(settings, create=True) as flt:
        started = time.perf_counter()
        added = 0
        for result in flt.add_batches(corpus.stream(), batch):
            added += len(result.added)
        add_s = time.perf_counter() - started
        # What the bulk load wrote is flushed before deciding (a filter runs against an index built
        # earlier): deciding while the system writes back gigabytes of fresh files measures the disk.
        started = time.perf_counter()
        os.sync()
        sync_s = time.perf_counter() - started
        loading = decide(flt, corpus.new)
        stats = flt.store.stats()
    fresh = _decide_in_new_process(settings, corpus.new)
    # The machine's speed changes within minutes: the reference's hashing, measured again on the
    # held-out articles just after the decisions, says how fast it was while they were made.
    hash_after = len(corpus.new) / _prepared(corpus.new, settings, batch)[1]
    size = stats.get("bytes", 0) if name == "sqlite" else stats["redis_used_memory"] - memory_before
    return {"backend": name, "added": added, "add_s": add_s, "sync_s": sync_s, "stats": stats, "size": size,
            "hash_after": hash_after, **fresh, "loading": loading}


def decide(flt: Filter, articles: Sequence[Article]) -> dict[str, Any]:
    """Decide ``articles`` as ``syndet filter`` does (``check_all``), and measure it."""
    latencies: list[float] = []
    arrivals: list[float] = []
    in_memory = system.resident(flt.store.files()) if isinstance(flt.store, SQLiteStore) else None
    faults = system.faults()
    machine = system.counters()
    started = time.perf_counter()
    decisions: dict[str, str] = {}
    named: dict[str, set[str]] = {}
    for d in flt.check_all(articles, timings=latencies):
        arrivals.append(time.perf_counter())
        decisions[d.article_id] = d.action
        named[d.article_id] = {p.attribution.source_article for p in d.passages
                               if p.attribution and p.attribution.source_article}
    filter_s = time.perf_counter() - started
    meanwhile = system.describe(machine, system.counters())
    minor, major = (after - before for after, before in zip(system.faults(), faults, strict=True))
    latencies.sort()
    # The stream's first decisions are made on this process (while the workers start) and pay for
    # loading the compiled kernels: the rate from the first decision made on a worker on is what
    # a long-running filter sustains.
    head = min(_SERIAL_HEAD, len(arrivals) - 1)
    steady = (len(arrivals) - 1 - head) / (arrivals[-1] - arrivals[head]) if len(arrivals) > head + 1 else 0.0
    return {"filter_s": filter_s, "steady": steady, "first_s": arrivals[0] - started if arrivals else 0.0,
            "p50": statistics.median(latencies), "p99": latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
            "max": latencies[-1], "meanwhile": meanwhile, "decisions": decisions, "named": named,
            "in_memory": in_memory, "faults": (minor, major)}


def _decide_in_new_process(settings: Settings, articles: Sequence[Article]) -> dict[str, Any]:
    """:func:`decide` in a new interpreter that opens the index (and imports and loads what deciding
    needs) as a ``syndet filter`` started after the load would."""
    context = multiprocessing.get_context("spawn")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_decide_and_send, args=(settings, list(articles), send))
    child.start()
    send.close()
    try:
        result: dict[str, Any] = receive.recv()
    except EOFError:
        child.join()
        raise RuntimeError(f"the deciding process ended with exit code {child.exitcode} before it answered") from None
    child.join()
    return result


def _decide_and_send(settings: Settings, articles: list[Article], send: Any) -> None:
    with Filter(settings) as flt:
        send.send(decide(flt, articles))
    send.close()


def report(result: dict[str, Any], corpus: Corpus, ref: dict[str, float]) -> None:
    """Print one backend's figures."""
    n_new = len(corpus.new)
    got, want = result["decisions"], corpus.expected
    agree = sum(got[i] == want[i] for i in want) / len(want)
    copies = [i for i in want if i in corpus.copies]
    originals = [i for i in want if i not in corpus.copies]
    add_rate = result["added"] / result["add_s"]
    print(f"\n== {result['backend']}, {result['stats']['articles']:,} indexed ==")
    print(f"index: {result['stats']['signed_paragraphs']:,} paragraphs, {result['size'] / 2**20:,.0f} MiB"
          + (" on disk" if result["backend"] == "sqlite" else " of Redis memory"))
    print(f"add:    {add_rate:8.1f} articles/s  ({result['added']:,} in {result['add_s']:.1f} s; reference on "
          f"{ref['articles']:,.0f}: one process hashing {ref['hash']:.0f}/s, datasketch in-memory LSH insert "
          f"{ref['datasketch']:.0f}/s; bulk add / in-memory insert = {add_rate / ref['datasketch']:.2f}x; then "
          f"{result['sync_s']:.1f} s flushing the written files to disk)")
    print(f"filter: {n_new / result['filter_s']:8.1f} articles/s  latency p50 {result['p50'] * 1000:.1f} ms, "
          f"p99 {result['p99'] * 1000:.1f} ms, max {result['max'] * 1000:.1f} ms; first decision after "
          f"{result['first_s']:.2f} s, {result['steady']:.1f} articles/s from decision {_SERIAL_HEAD + 1} on "
          "(a new process opening the index, as syndet filter)")
    loading = result["loading"]
    same = "the same decisions" if loading["decisions"] == result["decisions"] else "DIFFERENT decisions"
    print(f"        {n_new / loading['filter_s']:8.1f} articles/s  latency p50 {loading['p50'] * 1000:.1f} ms, "
          f"p99 {loading['p99'] * 1000:.1f} ms, max {loading['max'] * 1000:.1f} ms; {loading['steady']:.1f} "
          f"articles/s from decision {_SERIAL_HEAD + 1} on (in the process that loaded the index, just after; "
          f"{same})")
    if result["meanwhile"]:
        print(f"while deciding: {result['meanwhile']}")
    print(f"just after deciding: one process hashing {result['hash_after']:.0f} articles/s (the {n_new:,} "
          "held-out articles, as the reference hashes)")
    minor, major = result["faults"]
    held = result["in_memory"]
    print((f"index in memory when deciding started: {held[0] / max(held[1], 1):.1%} of {held[1] / 2**20:,.0f} MiB; "
           if held else "") + f"page faults while deciding: {minor:,} minor, {major:,} major (this process and "
          "its workers)")
    print(f"agreement with labels: {agree:.1%} overall, copies {_agree(got, want, copies):.1%} "
          f"({len(copies)}), originals {_agree(got, want, originals):.1%} ({len(originals)})")
    sourced = corpus.sources
    right = sum(bool(result["named"][i] & sourced[i]) for i in sourced)
    print(f"source named: {right / max(len(sourced), 1):.1%} of the {len(sourced)} copies whose labelled original "
          "is indexed")
    table = Counter((want[i], got[i]) for i in want)
    print("expected \\ decided   " + "  ".join(f"{a:>7}" for a in ACTIONS))
    for exp in ACTIONS:
        print(f"{exp:>19}   " + "  ".join(f"{table[(exp, a)]:7d}" for a in ACTIONS))


def _agree(got: dict[str, str], want: dict[str, str], ids: Sequence[str]) -> float:
    return sum(got[i] == want[i] for i in ids) / len(ids) if ids else 1.0


def main(argv: Sequence[str] | None = None) -> int:
    """Build each size's corpus once, then run each backend on it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000], help="articles indexed, one run each")
    parser.add_argument("--new", type=int, default=1_000, help="articles filtered (half copies)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--batch", type=int, default=2_000, help="articles per committed batch")
    parser.add_argument("--backends", default="sqlite,redis")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6399/0")
    parser.add_argument("--cache", type=Path, help="keep the generated corpora in this folder")
    parser.add_argument("--index-dir", type=Path, help="folder of the sqlite index (default: a temporary one)")
    args = parser.parse_args(argv)
    settings = Settings()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.cache or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            started = time.perf_counter()
            corpus = build_corpus(size + args.new, args.new, args.seed, settings.policy.reject_at,
                                  settings.policy.flag_at, folder)
            print(f"\ncorpus: {corpus.indexed:,} indexed, {len(corpus.new):,} new ({len(corpus.copies)} copies), "
                  f"expected {dict(Counter(corpus.expected.values()))}, ready in {time.perf_counter() - started:.1f} s")
            ref = reference(corpus, settings, args.batch)
            for backend in args.backends.split(","):
                if backend == "sqlite":
                    where = args.index_dir or Path(tmp)
                    where.mkdir(parents=True, exist_ok=True)
                    index = IndexSettings(path=str(where / f"bench-{size}-{uuid.uuid4().hex[:6]}.sqlite"))
                else:
                    index = IndexSettings(backend="redis", url=args.redis_url,
                                          prefix=f"syndet-bench-{uuid.uuid4().hex[:8]}")
                run_settings = dataclasses.replace(settings, index=index)
                try:
                    report(run_backend(backend, run_settings, corpus, args.batch), corpus, ref)
                finally:
                    if backend == "redis":
                        drop_index(args.redis_url, index.prefix)
                    else:
                        for path in Path(index.path).parent.glob(Path(index.path).name + "*"):
                            if path.is_dir():
                                for child in path.iterdir():
                                    child.unlink()
                                path.rmdir()
                            else:
                                path.unlink()
                sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
