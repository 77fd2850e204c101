"""The local scan in bounded memory: the same report as :class:`syndet.detector.Detector`, with what
grows with the corpus kept on disk.

The stages and the functions they call are the in-memory scan's; what changes is how the work is
cut and where it waits:

1. read and split: articles are read a chunk at a time and written to an :class:`ArticleStore`
   with their paragraphs; the chrome keys that learning counts are kept as 64-bit hashes;
2. learn chrome over the whole input from those hashes, and flag the paragraphs it finds;
3. hash: a chunk at a time, shingle hashes go to a flat file, signature bands to one file per
   band and bucket range, each article's distinct shingles to one file per hash range;
4. candidates: each band file sorted alone (:mod:`~syndet.engines.bounded.candidates`), pairs
   verified a block at a time from the flat file, shingle postings a hash range at a time;
5. align, cluster and attribute: the linked articles' connected groups, a batch of whole groups at
   a time (:mod:`~syndet.engines.bounded.batches`, :func:`syndet.engines.component.settle`), batches
   side by side on forked workers, each batch's records written as sorted runs;
6. report: the runs merged in report order (:mod:`~syndet.engines.bounded.output`).

Memory is set by the budget through the :class:`~syndet.engines.bounded.budget.Plan`; a single
connected group larger than a batch is still settled whole.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np
import xxhash

from syndet.detector import Detector
from syndet.display import warning_log
from syndet.engines.bounded.batches import Batches, settle_batches
from syndet.engines.bounded.budget import Plan, input_bytes
from syndet.engines.bounded.candidates import BandSpill, PostingSpill, verify
from syndet.engines.bounded.output import Numbers, write_json, write_jsonl
from syndet.engines.bounded.runs import Runs
from syndet.engines.bounded.spill import ArrayFile, ArticleStore
from syndet.engines.component import lone_record
from syndet.errors import EngineError
from syndet.hashing.arrays import distinct, distinct_counts
from syndet.hashing.parallel import hash_paragraphs, resolve_jobs
from syndet.hashing.signature import permutations, signatures_flat
from syndet.match.candidates import MemoryIndex
from syndet.models import Article
from syndet.read.files import read_articles
from syndet.settings import Settings
from syndet.workers import release_memory

Progress = Callable[[str, int, int], None]
Warn = Callable[[str], None]
FORMATS = ("json", "jsonl")
"""Report formats a bounded-memory scan writes (the others need the whole result in memory)."""
_BYTES_PER_PARAGRAPH = 250
"""Input bytes per paragraph, to choose how many parts the band files are cut into."""
_BYTES_PER_SHINGLE = 6
"""Input bytes per shingle, to choose how many parts the shingle postings are cut into."""


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class _Read:
    """What reading leaves in memory: each article's characters, and the paragraphs counted."""

    chars: np.ndarray
    paragraphs: int


@dataclass
class _Hashed:
    """What the hashing pass leaves: the flat shingle file, content paragraph offsets into it and
    the article each content paragraph belongs to."""

    flat: ArrayFile
    offsets: np.ndarray
    owners: np.ndarray


@dataclass
class _Linked:
    """The article pairs to align (sorted codes ``left * articles + right``), which of them only
    shared shingles link, and how many candidate paragraph pairs of different articles there were."""

    codes: np.ndarray
    by_shingles: np.ndarray
    candidates: int


class BoundedEngine:
    """Scans articles within a memory budget, spilling to a temporary folder.

    Args:
        settings: Effective settings, as for :class:`~syndet.detector.Detector`.
        budget: Bytes of memory the scan plans for.
        spill_dir: Where the temporary folder goes (the system's temporary folder when None).
        plan: How the work is cut (:meth:`Plan.for_budget` of ``budget`` when None).
    """

    def __init__(self, settings: Settings, budget: int, spill_dir: Path | None = None, plan: Plan | None = None
                 ) -> None:
        self.settings = settings
        self.plan = plan or Plan.for_budget(budget)
        self.spill_dir = spill_dir
        self._detector = Detector(settings)

    def scan_paths(self, paths: Sequence[Path], out: TextIO, fmt: str = "json", with_text: bool = False,
                   progress: Progress | None = None, warn: Warn | None = None) -> dict[str, float]:
        """Scan every article under ``paths`` and write the report (``json`` or ``jsonl``) to ``out``:
        the same report the in-memory scan writes. Returns the report's stats."""
        if fmt not in FORMATS:
            raise ValueError(f"a bounded-memory scan writes {' or '.join(FORMATS)}, not {fmt}")
        report = progress or _no_progress
        self._detector.catalogue  # noqa: B018 (a bad catalogue is one error before any work)
        warnings, _warn = warning_log(warn)
        skipped: Counter[str] = Counter()
        try:
            holder = tempfile.TemporaryDirectory(prefix="syndet-scan-", dir=self.spill_dir)
        except OSError as exc:
            raise EngineError(f"{self.spill_dir}: cannot hold the scan's temporary files "
                              f"({exc.strerror or exc})") from None
        with holder as tmp:
            folder = Path(tmp)
            try:
                runs, numbers, stats = self._scan(paths, folder, with_text, report, _warn, skipped)
            except OSError as exc:
                raise EngineError(f"{folder}: cannot spill the scan ({exc.strerror or exc}); free space there "
                                  "or choose another --spill-dir") from None
            if fmt == "json":
                write_json(out, runs, numbers, warnings, dict(skipped), stats)
            else:
                write_jsonl(out, runs, numbers, warnings, stats)
        return stats

    def _scan(self, paths: Sequence[Path], folder: Path, with_text: bool, report: Progress, warn: Warn,
              skipped: Counter[str]) -> tuple[Runs, Numbers, dict[str, float]]:
        """Every stage but the report's writing, in ``folder``."""
        st = self.settings
        timings: dict[str, float] = {}
        store = ArticleStore(folder)
        t0 = time.perf_counter()
        read = self._read(read_articles(paths, st.input, warn, skipped), store, folder, report)
        timings["segment_s"] = time.perf_counter() - t0
        n_articles = len(store)
        estimate = input_bytes(paths, st.input)
        index = MemoryIndex(st.lsh.threshold, st.minhash.num_perm, st.minhash.seed)
        bands = BandSpill(folder, index.hashranges, Plan.parts(estimate // _BYTES_PER_PARAGRAPH, self.plan.band_rows))
        postings = PostingSpill(folder, Plan.parts(estimate // _BYTES_PER_SHINGLE, self.plan.posting_rows))
        hashed = self._hash(store, read, bands, postings, folder, report, timings)
        t0 = time.perf_counter()
        linked = self._link(hashed, bands, postings, n_articles, report)
        timings["lsh_s"] = time.perf_counter() - t0
        content = len(hashed.owners)
        hashed.flat.delete()
        del hashed
        runs = Runs(folder)
        release_memory()  # what the stages above freed, before the batches' workers are forked
        t0 = time.perf_counter()
        jobs = self._detector.jobs_for(int(read.chars.sum()))
        batches = Batches.cut(linked.codes, linked.by_shingles, read.chars,
                              self.plan.batch_chars // jobs)  # batches are settled side by side
        settled = settle_batches(batches, store, self._detector, runs, with_text, jobs, report)
        # Worker seconds apportioned to the stage's wall time (batches run side by side).
        wall, spent = time.perf_counter() - t0, sum(s.align_s + s.settle_s for s in settled) or 1.0
        timings["align_s"] = wall * sum(s.align_s for s in settled) / spent
        timings["attribute_s"] = wall * sum(s.settle_s for s in settled) / spent
        passages = sum(s.passages for s in settled)
        duplicates = sum(s.duplicates for s in settled)
        by_batch = {s.batch: s.passages for s in settled}
        self._lone(store, read.chars, batches.settled, runs, with_text)
        for problem in self._detector.pattern_problems():
            warn(problem)
        stats: dict[str, float] = {
            "articles": n_articles, "paragraphs": read.paragraphs, "content_paragraphs": content,
            "candidate_pairs": linked.candidates, "article_pairs": len(linked.codes), "passages": passages,
            **timings, "duplicate_groups": duplicates,
        }
        if skipped:
            stats["skipped_inputs"] = sum(skipped.values())
        report("write", 0, 0)
        return runs, Numbers(runs, by_batch), stats

    def _read(self, articles: Iterable[Article], store: ArticleStore, folder: Path, report: Progress) -> _Read:
        """Read, store and split every article; learn chrome over all of them and flag it."""
        seg = self.settings.segment
        chunk: list[Article] = []
        size = 0
        chars: list[int] = []
        keys = ArrayFile(folder / "chrome-keys.u64", np.uint64)  # each paragraph's learning key, 0: none
        seen = ArrayFile(folder / "chrome-seen.u64", np.uint64)  # each article's distinct learning keys
        paragraphs = 0

        def flush() -> None:
            nonlocal paragraphs
            store.add(chunk)
            paras, found = self._detector.split(chunk, self._detector.jobs_for(chunk), seg.learn_chrome)
            store.add_paragraphs(paras)
            paragraphs += sum(len(p) for p in paras)
            if seg.learn_chrome:
                hashes = [_learning_keys(a, k, seg.learn_max_words) for a, k in zip(chunk, found, strict=True)]
                keys.append(np.concatenate(hashes) if hashes else np.empty(0, dtype=np.uint64))
                seen.append(np.concatenate([distinct(h[h != 0]) for h in hashes]) if hashes
                            else np.empty(0, dtype=np.uint64))
            report("read", len(store), 0)

        for article in articles:
            chunk.append(article)
            chars.append(len(article.text))
            size += len(article.text)
            if size >= self.plan.chunk_chars:
                flush()
                chunk, size = [], 0
        if chunk:
            flush()
        if seg.learn_chrome and len(store) >= seg.learn_min_articles:
            held, articles_holding = distinct_counts(seen.read())
            learned = held[articles_holding >= seg.learn_min_articles]
            if len(learned):
                for lo, hi in _ranges(np.asarray(chars, dtype=np.int64), self.plan.chunk_chars):
                    rows, first = store.paragraph_rows(lo, hi)
                    flags = np.isin(keys.read(first, first + len(rows)), learned)
                    if flags.any():
                        rows[:, 2] |= flags
                        store.rewrite_paragraphs(first, rows)
        keys.delete()
        seen.delete()
        return _Read(np.asarray(chars, dtype=np.int64), paragraphs)

    def _hash(self, store: ArticleStore, read: _Read, bands: BandSpill, postings: PostingSpill, folder: Path,
              report: Progress, timings: dict[str, float]) -> _Hashed:
        """Shingle hashes, signature bands and shingle postings of every content paragraph, a chunk
        of articles at a time."""
        st = self.settings
        perms = permutations(st.minhash.num_perm, st.minhash.seed)
        flat = ArrayFile(folder / "flat.u32", np.uint32)
        offsets: list[np.ndarray] = [np.zeros(1, dtype=np.int64)]
        owners: list[np.ndarray] = []
        timings["hash_s"] = timings["minhash_s"] = 0.0
        base = 0
        for lo, hi in _ranges(read.chars, self.plan.chunk_chars):
            t0 = time.perf_counter()
            rows, first = store.paragraph_rows(lo, hi)
            firsts = store.first_rows(lo, hi) - first
            texts: list[str] = []
            for k, article in enumerate(store.span(lo, hi)):
                texts.extend(article.text[s:e] for s, e, chrome in rows[firsts[k]:firsts[k + 1]].tolist()
                             if not chrome)
            owner = np.repeat(np.arange(lo, hi), np.diff(firsts))[rows[:, 2] == 0]
            jobs = resolve_jobs(st.jobs, sum(map(len, texts)))
            hashes, local = hash_paragraphs(texts, st.shingle.size, st.shingle.seed, jobs)
            del texts
            flat.append(hashes)
            offsets.append(local[1:] + flat.rows - len(hashes))
            owners.append(owner)
            postings.add(hashes, np.repeat(owner, np.diff(local)))
            timings["hash_s"] += time.perf_counter() - t0
            t0 = time.perf_counter()
            nonempty = np.flatnonzero(np.diff(local))
            sigs = signatures_flat(hashes, np.append(local[nonempty], local[-1]), perms, threads=jobs)
            bands.add(nonempty + base, sigs)
            del sigs, hashes
            timings["minhash_s"] += time.perf_counter() - t0
            base += len(owner)
            report("hash", hi, len(store))
        return _Hashed(flat, np.concatenate(offsets), np.concatenate(owners) if owners else np.empty(0, np.int64))

    def _link(self, hashed: _Hashed, bands: BandSpill, postings: PostingSpill, n_articles: int,
              report: Progress) -> _Linked:
        """The article pairs to align: verified band candidates, then pairs sharing enough shingles."""
        st = self.settings
        span = max(1, len(hashed.owners))
        codes = bands.pairs(span, st.lsh.max_bucket, lambda done, total: report("candidates", done, total))
        verified, candidates = verify(codes, span, hashed.flat, hashed.offsets, hashed.owners, st.verify,
                                      self.plan.pair_rows)
        del codes
        linked = np.sort(hashed.owners[verified], axis=1) if len(verified) else np.empty((0, 2), dtype=np.int64)
        pair_codes = distinct(linked[:, 0] * n_articles + linked[:, 1])
        by_shingles = np.zeros(len(pair_codes), dtype=bool)
        if st.lsh.shingle_pairs:
            run_words = st.verify.min_passage_words + st.lsh.shingle_run_extra
            strong = postings.pairs(n_articles, max(1, run_words - st.shingle.size + 1), st.lsh.max_shingle_df,
                                    self.plan.posting_rows, lambda done, total: report("shingles", done, total))
            extra = strong[~np.isin(strong, pair_codes)]
            pair_codes = np.concatenate([pair_codes, extra])
            by_shingles = np.concatenate([by_shingles, np.ones(len(extra), dtype=bool)])
            order = np.argsort(pair_codes, kind="stable")
            pair_codes, by_shingles = pair_codes[order], by_shingles[order]
        return _Linked(pair_codes, by_shingles, candidates)

    def _lone(self, store: ArticleStore, chars: np.ndarray, settled: np.ndarray, runs: Runs, with_text: bool) -> None:
        """The records of the articles that share nothing, a chunk at a time."""
        for lo, hi in _ranges(chars, self.plan.chunk_chars):
            numbers = (np.flatnonzero(~settled[lo:hi]) + lo).tolist()
            if not numbers:
                continue
            articles = store.articles(numbers)
            paragraphs = store.paragraphs(numbers, articles)
            runs.add("articles", -1, ((k, lone_record(a, paragraphs[a.id], with_text))
                                      for k, a in zip(numbers, articles, strict=True)), part=lo)


def _ranges(chars: np.ndarray, limit: int) -> list[tuple[int, int]]:
    """Consecutive ranges of articles holding about ``limit`` characters each (at least one article)."""
    out: list[tuple[int, int]] = []
    lo = size = 0
    for k, n in enumerate(chars.tolist()):
        size += n
        if size >= limit:
            out.append((lo, k + 1))
            lo, size = k + 1, 0
    if lo < len(chars):
        out.append((lo, len(chars)))
    return out


def _learning_keys(article: Article, keys: Sequence[str], max_words: int) -> np.ndarray:
    """Each paragraph's chrome-learning key as a 64-bit hash of ``outlet NUL key`` (as
    :func:`syndet.text.segment.learn_chrome` forms it), 0 for a paragraph that cannot be learnt."""
    out = np.zeros(len(keys), dtype=np.uint64)
    if article.source:
        outlet = article.source.casefold()
        for n, key in enumerate(keys):
            if key and key.count(" ") < max_words:
                out[n] = xxhash.xxh64_intdigest(f"{outlet}\x00{key}".encode("utf-8", "surrogatepass")) or 1
    return out

