"""Run the whole pipeline over a set of articles: the one place the stages meet."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from syndet.attribution.attribute import attribute, stock_pairs
from syndet.attribution.evidence import Catalogue, load_catalogue
from syndet.display import warning_log
from syndet.errors import ConfigError
from syndet.hashing.parallel import hash_paragraphs, resolve_jobs
from syndet.hashing.signature import permutations, signatures_flat
from syndet.match.align import Piece, WordStream, alignments_of, matched_pieces, word_stream
from syndet.match.candidates import MemoryIndex, shared_shingle_pairs, verified_pairs
from syndet.match.cluster import build_passages
from syndet.match.mirrors import cut_duplicates
from syndet.match.pairs import duplicate_groups, pair_figures, twin_of
from syndet.models import Alignment, Article, DuplicateGroup, Pair, Paragraph, Passage
from syndet.read.files import read_articles
from syndet.result import ScanResult
from syndet.settings import Settings, VerifySettings
from syndet.text.patterns import PatternError
from syndet.text.segment import compile_chrome, learn_chrome, mark_learned, split_paragraphs
from syndet.workers import fork_map

Progress = Callable[[str, int, int], None]
UNBROKEN = 0.9
"""Share of a run's words two copies must share, in order, for the run to count as unbroken."""
LONG_RUNS = 3
"""A stretch of this many unbroken runs' worth of matched words counts too, edited as it may be..."""
EDITED = 0.7
"""... when two copies share, in order, this share of its words (a light rewrite)."""
Warn = Callable[[str], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def pair_alignments(a: WordStream, b: WordStream, settings: VerifySettings, by_shingles: bool,
                    run_extra: int, pieces: Sequence[Piece] | None = None) -> list[Alignment]:
    """The shared runs of a candidate pair of articles. A pair found only through shared shingles
    (no paragraphs alike as a whole) keeps only unbroken runs ``run_extra`` words longer than the
    shortest passage: scattered shared phrases and quotation fragments joined across a gap are
    chance. A long stretch counts also when lightly edited (:data:`LONG_RUNS`, :data:`EDITED`): a
    copy rewritten a word every dozen has no unbroken run, and chance shares no long stretch.
    ``pieces``: the pair's :func:`~syndet.match.align.matched_pieces`, when the caller has them."""
    runs = alignments_of(a, b, matched_pieces(a, b) if pieces is None else pieces, settings)
    if by_shingles:
        run_words = settings.min_passage_words + run_extra
        runs = [al for al in runs if (al.words >= run_words and al.words >= UNBROKEN * al.stretch)
                or (al.words >= LONG_RUNS * run_words and al.words >= EDITED * al.stretch)]
    return runs


def reported_pairs(passages: Sequence[Passage], figures: Sequence[Pair], order: Mapping[str, int],
                   duplicate_at: float) -> tuple[list[Pair], list[DuplicateGroup]]:
    """The pair figures a scan reports (those only a stock phrase joins left out) and the duplicate
    groups they form; the local and the Spark engine both call it on attributed passages."""
    stock = stock_pairs(passages)
    kept = [f for f in figures if frozenset(f.articles) not in stock]
    return kept, duplicate_groups(kept, duplicate_at, order)


class Detector:
    """Finds the passages that articles share.

    Args:
        settings: Effective settings (see :mod:`syndet.config` to read them from YAML).
        catalogue: Evidence catalogue; read from ``settings.attribute`` on first use when None.
    """

    def __init__(self, settings: Settings | None = None, catalogue: Catalogue | None = None) -> None:
        self.settings = settings or Settings()
        try:
            self._chrome = compile_chrome(self.settings.segment.chrome_patterns)
        except PatternError as exc:
            raise ConfigError(str(exc)) from None
        self._catalogue = catalogue

    @property
    def catalogue(self) -> Catalogue:
        """The evidence catalogue passages are attributed with (raises ConfigError if unreadable)."""
        if self._catalogue is None:
            at = self.settings.attribute
            self._catalogue = load_catalogue(Path(at.catalogue) if at.catalogue else None,
                                             [Path(p) for p in at.extra_catalogues])
        return self._catalogue

    def scan_paths(self, paths: Iterable[Path], progress: Progress | None = None,
                   warn: Warn | None = None) -> ScanResult:
        """Read every article under ``paths`` and scan them (see :meth:`scan`)."""
        warnings, _warn = warning_log(warn)
        report = progress or _no_progress
        articles = []
        skipped: Counter[str] = Counter()
        for article in read_articles(paths, self.settings.input, _warn, skipped):
            articles.append(article)
            if len(articles) % 1000 == 0:
                report("read", len(articles), 0)
        result = self.scan(articles, progress)
        stats = dict(result.stats)
        if skipped:
            stats["skipped_inputs"] = sum(skipped.values())
        for problem in result.warnings:
            _warn(problem)
        return ScanResult(result.articles, result.paragraphs, result.passages, result.alignments,
                          tuple(warnings), stats, dict(skipped), result.pairs, result.duplicates)

    def segment(self, articles: Sequence[Article], jobs: int = 1) -> dict[str, tuple[Paragraph, ...]]:
        """Paragraphs of each article, with configured and learnt chrome flagged; ``jobs`` workers
        split the articles (see :meth:`jobs_for`)."""
        seg = self.settings.segment
        learn = seg.learn_chrome and len(articles) >= seg.learn_min_articles  # fewer cannot repeat a line enough
        paras, keys = self.split(articles, jobs, learn)
        if learn:
            learned = learn_chrome(articles, paras, seg.learn_min_articles, seg.learn_max_words, keys)
            paras = [mark_learned(a, p, learned, k) for a, p, k in zip(articles, paras, keys, strict=True)]
        return {a.id: tuple(p) for a, p in zip(articles, paras, strict=False)}

    def split(self, articles: Sequence[Article], jobs: int = 1, with_keys: bool = False
              ) -> tuple[list[list[Paragraph]], list[list[str]]]:
        """Paragraphs of each article with configured chrome flagged, and (``with_keys``) each
        paragraph's chrome key (empty lists without); ``jobs`` workers split the articles."""
        chrome = self._chrome
        keys: list[list[str]]
        paras: list[list[Paragraph]]
        if jobs > 1:
            def split(n: int) -> tuple[list[tuple[int, int, bool]], list[str]]:
                found: list[str] = []
                done = split_paragraphs(articles[n], chrome, found if with_keys else None)
                return [(p.start, p.end, p.chrome) for p in done], found  # plain tuples travel fastest

            parts = fork_map(split, len(articles), jobs)
            paras = [[Paragraph(a.id, k, lo, hi, flag) for k, (lo, hi, flag) in enumerate(spans)]
                     for a, (spans, _) in zip(articles, parts, strict=True)]
            keys = [found for _, found in parts]
        else:
            keys = [[] for _ in articles]
            paras = [split_paragraphs(a, chrome, keys[n] if with_keys else None) for n, a in enumerate(articles)]
        return paras, keys

    @property
    def trusted(self) -> bool:
        """Whether every chrome and evidence pattern is the bundled one or vetted as safe: a user's
        own runs with a time budget, which a forked worker could not report back."""
        return all(p.trusted for p in self._chrome) and self.catalogue.trusted

    def jobs_for(self, articles: Sequence[Article] | int) -> int:
        """Worker processes for the per-article and per-pair stages over ``articles`` (or that many
        characters of text): 1 while a user's pattern runs with a time budget, see
        :mod:`syndet.workers`."""
        if not self.trusted:
            return 1
        chars = articles if isinstance(articles, int) else sum(len(a.text) for a in articles)
        return resolve_jobs(self.settings.jobs, chars)

    def _streams(self, articles: Sequence[Article], paragraphs: Mapping[str, Sequence[Paragraph]],
                 needed: Sequence[int], jobs: int) -> dict[int, WordStream]:
        """The word streams of the articles ``needed`` (indexes), built by ``jobs`` workers."""
        size, seed = self.settings.shingle.size, self.settings.shingle.seed

        def arrays(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            art = articles[needed[n]]
            built = word_stream(art, paragraphs[art.id], size, seed)
            return built.starts, built.ends, built.hashes

        found = fork_map(arrays, len(needed), jobs)
        return {k: WordStream(articles[k].id, articles[k].text, starts, ends, hashes, size)
                for k, (starts, ends, hashes) in zip(needed, found, strict=True)}

    def scan(self, articles: Sequence[Article], progress: Progress | None = None) -> ScanResult:
        """Find the passages shared by two or more of ``articles``."""
        report = progress or _no_progress
        st = self.settings
        timings: dict[str, float] = {}
        jobs = self.jobs_for(articles)
        t0 = time.perf_counter()
        paragraphs = self.segment(articles, jobs)
        timings["segment_s"] = time.perf_counter() - t0

        owner: list[int] = []
        texts: list[str] = []
        for k, article in enumerate(articles):
            for para in paragraphs[article.id]:
                if not para.chrome:
                    owner.append(k)
                    texts.append(article.text[para.start:para.end])
        t0 = time.perf_counter()
        content = len(texts)
        hash_jobs = resolve_jobs(st.jobs, sum(map(len, texts)))
        flat, offsets = hash_paragraphs(texts, st.shingle.size, st.shingle.seed, hash_jobs,
                                        lambda done: report("hash", done, content))
        del texts
        timings["hash_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        # Only paragraphs with words get a signature (an empty one would share every bucket); their
        # shingles are contiguous in ``flat``, so their offsets are the starts plus the final end.
        nonempty = np.flatnonzero(np.diff(offsets))
        sigs = signatures_flat(flat, np.append(offsets[nonempty], offsets[-1]),
                               permutations(st.minhash.num_perm, st.minhash.seed), threads=hash_jobs)
        timings["minhash_s"] = time.perf_counter() - t0

        t0 = time.perf_counter()
        index = MemoryIndex(st.lsh.threshold, st.minhash.num_perm, st.minhash.seed)
        index.add(nonempty, sigs)
        del sigs
        pairs = index.candidate_pairs(st.lsh.max_bucket, threads=hash_jobs)
        del index
        owners = np.asarray(owner, dtype=np.int64)
        pairs = pairs[owners[pairs[:, 0]] != owners[pairs[:, 1]]]
        candidates = len(pairs)
        keep = verified_pairs(flat, offsets, pairs, st.verify)
        linked = np.sort(owners[pairs[keep]], axis=1)
        codes, counts = np.unique(linked[:, 0] * len(articles) + linked[:, 1], return_counts=True)
        article_pairs = {(int(c) // len(articles), int(c) % len(articles)): int(n)
                         for c, n in zip(codes.tolist(), counts.tolist(), strict=True)}
        # Pairs found only through shared shingles (no paragraphs alike as a whole) must hold one
        # unbroken run a little longer than the shortest passage: scattered shared phrases and
        # quotation fragments joined across a gap are chance, not reuse.
        run_words = st.verify.min_passage_words + st.lsh.shingle_run_extra
        by_shingles: set[tuple[int, int]] = set()
        if st.lsh.shingle_pairs:
            found = shared_shingle_pairs(flat, offsets, owners, len(articles),
                                         max(1, run_words - st.shingle.size + 1), st.lsh.max_shingle_df)
            by_shingles = set(found) - set(article_pairs)
            for key in by_shingles:
                article_pairs[key] = found[key]
        timings["lsh_s"] = time.perf_counter() - t0
        del pairs, flat

        t0 = time.perf_counter()
        streams = self._streams(articles, paragraphs, sorted({k for pair in article_pairs for k in pair}), jobs)
        ordered = sorted(article_pairs)

        def align_pair(n: int) -> tuple[list[Alignment], list[Piece] | None]:
            ka, kb = ordered[n]
            sa, sb = streams[ka], streams[kb]
            pieces = matched_pieces(sa, sb)
            runs = pair_alignments(sa, sb, st.verify, (ka, kb) in by_shingles, st.lsh.shingle_run_extra, pieces)
            shared = sum(al.words for al in runs)
            twin = shared and shared >= st.verify.duplicate_at * max(sa.words, sb.words)
            return runs, pieces if twin else None

        alignments: list[Alignment] = []
        twins: dict[frozenset[str], list[Piece]] = {}  # matched pieces of likely duplicates, for the cut
        for (ka, kb), (runs, pieces) in zip(ordered, fork_map(align_pair, len(ordered), jobs, chunk=512,
                                                              done=lambda n: report("align", n, len(ordered))),
                                            strict=True):
            alignments.extend(runs)
            if pieces is not None:
                twins[frozenset((articles[ka].id, articles[kb].id))] = pieces
        order = {a.id: k for k, a in enumerate(articles)}
        words_of = {articles[k].id: s.words for k, s in streams.items()}
        all_figures = pair_figures(alignments, words_of, order)
        cut = cut_duplicates(alignments, all_figures, lambda ident: streams[order[ident]], st.verify, twins)
        del twins
        streams.clear()  # the workers of the stages below need not inherit them
        passages = build_passages([al for _, al in cut], st.verify.min_merge_overlap, order)
        timings["align_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        mirrors = twin_of(duplicate_groups(all_figures, st.verify.duplicate_at, order))
        passages = list(attribute(passages, articles, paragraphs, self.catalogue, st.attribute, jobs=jobs,
                                  twins=mirrors))
        figures, duplicates = reported_pairs(passages, all_figures, order, st.verify.duplicate_at)
        timings["attribute_s"] = time.perf_counter() - t0
        stats: dict[str, float] = {
            "articles": len(articles),
            "paragraphs": sum(len(p) for p in paragraphs.values()),
            "content_paragraphs": content,
            "candidate_pairs": candidates,
            "article_pairs": len(article_pairs),
            "passages": len(passages),
            **timings,
        }
        problems = tuple(self.pattern_problems())
        stats["duplicate_groups"] = len(duplicates)
        return ScanResult(tuple(articles), paragraphs, tuple(passages), tuple(alignments), problems, stats,
                          pairs=tuple(figures), duplicates=tuple(duplicates))

    def pattern_problems(self) -> list[str]:
        """The user patterns switched off so far for their cost, one message each."""
        found = [p.problem for p in self._chrome if p.problem]
        if self._catalogue is not None:
            found.extend(self._catalogue.pattern_problems())
        return found
