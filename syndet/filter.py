"""Pre-ingest filter: has the index already seen this article, in whole or in part?

A new article is cut and hashed exactly as ``syndet scan`` does; its paragraph signatures are
looked up in the persistent index, each candidate paragraph pair is verified on its real shingles,
and the indexed articles with most verified paragraphs are aligned word by word against it. The
share of its content words covered by those shared passages decides: ``reject`` from
``policy.reject_at``, ``flag`` from ``policy.flag_at``, ``accept`` below.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import multiprocessing
import time
from collections import OrderedDict, defaultdict, deque
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import datetime
from multiprocessing.pool import AsyncResult
from typing import Any, TypeVar

import numpy as np

from syndet.attribution.attribute import attribute
from syndet.attribution.edits import Layouts
from syndet.attribution.evidence import Sign
from syndet.detector import Detector
from syndet.duration import parse_time
from syndet.errors import ConfigError
from syndet.hashing.arrays import distinct_pairs
from syndet.hashing.parallel import available_cpus, hash_paragraphs, resolve_jobs
from syndet.hashing.shingle import hash_token_lists, split
from syndet.hashing.signature import permutations, signatures_flat
from syndet.match.align import WordStream, align, word_stream
from syndet.match.candidates import verified_pairs
from syndet.match.cluster import build_passages
from syndet.models import Alignment, Article, Decision, Paragraph, Passage, Span
from syndet.report.common import attribution_record
from syndet.settings import Settings, VerifySettings
from syndet.store import open_store
from syndet.store.base import AddResult, Entry, PackedEntries, Store, StoredArticle, pack_entries, unpack_entries
from syndet.text.normalize import content_words, words_in
from syndet.text.segment import content_ranges
from syndet.workers import fork_stream, gc_frozen

ACTIONS = ("accept", "flag", "reject")
_SELF = "\x00"  # id of the article being checked while it is aligned: no indexed id can equal it
_STREAM_CACHE = 512
_HASH_CACHE = 8192


class Filter:
    """Answers "have we already got this?" for new articles, from a persistent index.

    Args:
        settings: Effective settings; ``index`` says where the index is, ``policy`` how to decide.
        store: An open index to use instead of the one ``settings.index`` describes.
        create: Create the index if it does not exist yet.

    Raises:
        ConfigError: ``policy.flag_at`` is above ``policy.reject_at``.
        IndexError_: The index cannot be opened.
    """

    def __init__(self, settings: Settings | None = None, *, store: Store | None = None, create: bool = False) -> None:
        self.settings = settings or Settings()
        policy = self.settings.policy
        if policy.flag_at > policy.reject_at:
            raise ConfigError(f"policy.flag_at ({policy.flag_at:g}) is above policy.reject_at ({policy.reject_at:g})")
        self._detector = Detector(self.settings)
        self._detector.catalogue  # noqa: B018  a bad catalogue is reported before the index is touched
        self._streams: OrderedDict[int, tuple[StoredArticle, WordStream]] = OrderedDict()
        self._signs: OrderedDict[int, tuple[Sign, ...]] = OrderedDict()  # evidence signs of indexed articles
        self._hashes: OrderedDict[int, dict[int, np.ndarray]] = OrderedDict()  # their shingle hashes
        self._layouts = Layouts(_STREAM_CACHE)  # word layouts of the articles last attributed
        self._own_store = store is None
        self.store = store if store is not None else open_store(self.settings, create=create)

    def __enter__(self) -> Filter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the index."""
        self.store.close()

    def prepare(self, articles: Sequence[Article]) -> list[Entry]:
        """Paragraphs, signatures and shingle hashes of articles, as the index stores them."""
        from syndet.hashing.kernels import sorted_unique_rows  # numba loads on first use

        st = self.settings
        paragraphs = self._detector.segment(articles)
        where = [(k, para) for k, article in enumerate(articles)  # (article, paragraph) of each content paragraph
                 for para in paragraphs[article.id] if not para.chrome]
        jobs = resolve_jobs(st.jobs, sum(para.end - para.start for _, para in where))
        if jobs <= 1 or len(articles) == 1:
            # Each article's words found in one compiled pass over it and hashed as they are (the
            # same hashes as a scan's, by the same rules); a check's are kept for its word stream
            # and edit checks.
            flat, offsets = self._hash_words(articles, paragraphs, keep=len(articles) == 1)
        else:  # a large batch on one process: hashed as a scan hashes, on several processes
            texts = [articles[k].text[para.start:para.end] for k, para in where]
            flat, offsets = hash_paragraphs(texts, st.shingle.size, st.shingle.seed, jobs)
        sigs = signatures_flat(flat, offsets, permutations(st.minhash.num_perm, st.minhash.seed), threads=jobs)
        # What the index keeps and verification compares: each paragraph's distinct hashes, sorted.
        hashes = split(*sorted_unique_rows(flat, offsets))
        rows: list[list[int]] = [[] for _ in articles]
        for row, ((k, _), h) in enumerate(zip(where, hashes, strict=True)):
            if len(h):
                rows[k].append(row)
        entries = []
        for k, article in enumerate(articles):
            picked = rows[k]
            entries.append(Entry(article, paragraphs[article.id], tuple(where[r][1].index for r in picked),
                                 sigs[picked], tuple(hashes[r] for r in picked)))
        return entries

    def _hash_words(self, articles: Sequence[Article], paragraphs: dict[str, tuple[Paragraph, ...]],
                    keep: bool) -> tuple[np.ndarray, np.ndarray]:
        """Shingle hashes of each content paragraph of the articles, in order, from each article's
        content words (kept for the texts seen last when ``keep``: see :func:`content_words`)."""
        tokens: list[Sequence[str]] = []
        for article in articles:
            content = [p for p in paragraphs[article.id] if not p.chrome]
            ranges = content_ranges(content)
            found, starts, _ = content_words(article.text, ranges) if keep else words_in(article.text, ranges)
            edges = np.searchsorted(starts, [edge for para in content for edge in (para.start, para.end)]).tolist()
            tokens.extend(found[lo:hi] for lo, hi in zip(edges[::2], edges[1::2], strict=True))
        return hash_token_lists(tokens, self.settings.shingle.size, self.settings.shingle.seed)

    def add(self, articles: Sequence[Article], now: float | None = None) -> AddResult:
        """Index articles, all of them or none; ids already indexed (or repeated) are skipped.

        Args:
            articles: The articles to index.
            now: Time to record as their addition (seconds since the epoch; default: now).
        """
        unique, repeated = _unique(articles)
        result = self.store.add(self.prepare(unique), now)
        return AddResult(result.added, result.skipped + repeated)

    def add_batches(self, articles: Iterable[Article], size: int, now: float | None = None) -> Iterator[AddResult]:
        """Index a stream of articles in batches of ``size`` (0: one batch), each committed whole.

        The bulk path: while one batch is stored, the next ones are cut and hashed on worker
        processes (``jobs`` of them; 0 takes one per CPU), so storing and hashing overlap. A batch
        gives the same entries whichever process prepared it. The index's upkeep waits for the
        last batch (:meth:`Store.bulk`): an archive loaded into an empty index leaves one run of
        postings for lookups to search.

        Yields:
            What each batch added and skipped, in input order.
        """
        with self.store.bulk():
            yield from self._add_batches(articles, size, now)

    def _add_batches(self, articles: Iterable[Article], size: int, now: float | None) -> Iterator[AddResult]:
        batches = _batched(articles, size)
        workers = self.settings.jobs or available_cpus()
        if workers <= 1 or size == 0 or "fork" not in multiprocessing.get_all_start_methods():
            for batch in batches:
                yield self.add(batch, now)
            return
        # Forked workers inherit the settings; each hashes its batch on one process.
        pool = multiprocessing.get_context("fork").Pool(
            workers, initializer=_init_worker, initargs=(dataclasses.replace(self.settings, jobs=1),))
        try:
            flight: deque[tuple[list[Article], tuple[str, ...], AsyncResult[PackedEntries]]] = deque()
            for batch in batches:
                unique, repeated = _unique(batch)
                flight.append((unique, repeated, pool.apply_async(_prepare_in_worker, (unique,))))
                if len(flight) > workers:
                    yield self._store(*flight.popleft(), now)
            while flight:
                yield self._store(*flight.popleft(), now)
        finally:
            pool.terminate()
            pool.join()

    def _store(self, articles: list[Article], repeated: tuple[str, ...], entries: AsyncResult[PackedEntries],
               now: float | None) -> AddResult:
        result = self.store.add(unpack_entries(articles, entries.get()), now)
        return AddResult(result.added, result.skipped + repeated)

    def check(self, article: Article) -> Decision:
        """Decide whether ``article`` is new (``accept``), shares passages (``flag``) or is a copy (``reject``)."""
        st = self.settings
        entry = self.prepare([dataclasses.replace(article, id=_SELF)])[0]
        with self.store.snapshot():
            same_id = self.store.find([article.id]).get(article.id)
            already = None
            if same_id is not None:
                stored_self = self.store.articles([same_id]).get(same_id)
                if stored_self is not None:
                    already = "same" if stored_self.article.text == article.text else "changed"
            alignments, order, stored, own = self._align(entry, exclude=same_id)
        seen, matches = _coverage(own, alignments, order) if own is not None else (0.0, [])
        passages = build_passages(alignments, st.verify.min_merge_overlap, {_SELF: -1, **order})
        if passages:
            involved = {s.article_id for p in passages for s in p.spans}
            articles = [entry.article] + [s.article for s in stored if s.article.id in involved]
            paragraphs: dict[str, Sequence[Paragraph]] = {entry.article.id: entry.paragraphs}
            paragraphs.update((s.article.id, s.paragraphs) for s in stored if s.article.id in involved)
            uid_of = {s.article.id: s.uid for s in stored if s.article.id in involved}
            signs = {ident: self._signs[uid] for ident, uid in uid_of.items() if uid in self._signs}
            passages = list(attribute(passages, articles, paragraphs, self._detector.catalogue, st.attribute, signs,
                                      layouts=self._layouts))
            self._signs.update((uid, signs[ident]) for ident, uid in uid_of.items() if ident in signs)
            _recall(self._signs, list(uid_of.values()), _STREAM_CACHE)
        return Decision(
            article_id=article.id,
            action="reject" if already == "same" else self.decide(seen),
            seen_fraction=seen,
            passages=tuple(_rename(p, article.id) for p in passages),
            matches=tuple(matches),
            already_indexed=already,
        )

    def check_all(self, articles: Iterable[Article], add: Collection[str] = (),
                  timings: list[float] | None = None) -> Iterator[Decision]:
        """Check articles in input order, indexing at once those whose action is in ``add``.

        Adding as it goes means that a story arriving twice in one stream is rejected the second
        time, so such a stream is checked on this process. Without adding, a long stream is checked
        on ``jobs`` forked workers (0: one per CPU), each with its own connection to the index
        (:func:`syndet.workers.fork_stream`); decisions still come out in input order, each as soon
        as it and the ones before it are made, also when the articles trickle in.

        Args:
            articles: The articles to check.
            add: Actions whose articles are indexed at once.
            timings: Filled with the seconds each decision took, in input order.
        """
        workers = self.settings.jobs or available_cpus()
        stream = iter(articles)
        serial = add or workers <= 1 or not self._own_store or "fork" not in multiprocessing.get_all_start_methods()
        head = stream if serial else itertools.islice(stream, _SERIAL_HEAD)
        with gc_frozen():  # what opening the index made is not walked by each full collection
            checked = 0
            for article in head:
                started = time.perf_counter()
                decision = self.check(article)
                if timings is not None:
                    timings.append(time.perf_counter() - started)
                if decision.action in add:
                    self.add([article])
                checked += 1
                yield decision
            if serial or checked < _SERIAL_HEAD:
                return
            start = functools.partial(_init_checker, self)
            for decision, seconds in fork_stream(stream, _check_in_worker, workers, start=start):
                if timings is not None:
                    timings.append(seconds)
                yield decision

    def prune(self, older_than: float | None = None, now: float | None = None, dry_run: bool = False, *,
              published_before: datetime | None = None, max_articles: int | None = None) -> list[str]:
        """Remove articles added more than ``older_than`` seconds before ``now``, articles
        published before ``published_before`` (articles with no readable publication time are kept),
        and then, while more than ``max_articles`` remain, the ones added first; returns their ids.

        Also collects what interrupted adds left behind.
        """
        clock = time.time() if now is None else now
        ids = self.store.older_than(clock - older_than) if older_than is not None else []
        chosen = set(ids)
        if published_before is not None:
            for ident, published in self.store.published():
                moment = parse_time(published)
                if moment is not None and moment < published_before and ident not in chosen:
                    ids.append(ident)
                    chosen.add(ident)
        if max_articles is not None:
            everything = self.store.older_than(float("inf"))  # oldest first
            excess = len(everything) - len(chosen.intersection(everything)) - max_articles
            for ident in everything:
                if excess <= 0:
                    break
                if ident not in chosen:
                    ids.append(ident)
                    chosen.add(ident)
                    excess -= 1
        if dry_run:
            return ids
        removed = self.store.remove(ids)
        self.store.collect_interrupted(clock)
        return removed

    def decide(self, seen_fraction: float) -> str:
        """The policy's action for an article of which ``seen_fraction`` is already indexed."""
        policy = self.settings.policy
        if seen_fraction >= policy.reject_at:
            return "reject"
        if seen_fraction >= policy.flag_at:
            return "flag"
        return "accept"

    def _align(self, entry: Entry, exclude: int | None = None
               ) -> tuple[list[Alignment], dict[str, int], list[StoredArticle], WordStream | None]:
        """Verified candidates from the index, aligned against the new article: the alignments, the
        rank of each candidate's id, the candidates, and the new article's word stream (None when
        there was no candidate to align with: it is built only then). ``exclude`` (the indexed
        article with the same id) is never a candidate."""
        st = self.settings
        if not entry.signed:
            return [], {}, [], None
        found = self.store.lookup(entry.signatures)
        rows, uids, idx = found.rows, found.uids, found.idx
        if exclude is not None:
            keep = uids != exclude
            rows, uids, idx = rows[keep], uids[keep], idx[keep]
        # A paragraph many indexed articles share (a quotation, a press release everybody ran)
        # makes every one of them a candidate, and their number grows with the index. Only the
        # articles found for most of the new article's paragraphs are read and verified (those
        # found for nearly as many as the best, oldest first): a bounded number, :data:`_PRESELECT`
        # times the candidates that will be aligned, and for each paragraph :data:`_SPARE` times
        # those aligned for it (some fail verification).
        chosen = _most_rows(rows, uids, _PRESELECT * st.policy.max_candidates, _SPARE * st.policy.max_per_paragraph)
        keep = np.isin(uids, chosen)
        stored_hashes = self._paragraph_hashes(chosen.tolist())
        verified = _verified_rows(entry, rows[keep], uids[keep], idx[keep], stored_hashes, st.verify)
        ranked = _choose(verified, st.policy.max_candidates, st.policy.max_per_paragraph)
        streams = self._candidate_streams(ranked)
        alignments: list[Alignment] = []
        order: dict[str, int] = {}
        stored: list[StoredArticle] = []
        own: WordStream | None = None
        for uid in ranked:
            if uid not in streams:
                continue
            candidate, theirs = streams[uid]
            if own is None:
                own = word_stream(entry.article, entry.paragraphs, st.shingle.size, st.shingle.seed)
            stored.append(candidate)
            order.setdefault(theirs.article_id, len(order))
            alignments.extend(align(own, theirs, st.verify))
        return alignments, order, stored, own

    def _paragraph_hashes(self, uids: Sequence[int]) -> dict[int, dict[int, np.ndarray]]:
        """Stored shingle hashes of indexed articles, the most recently used cached (and each
        checked to be still indexed)."""
        cached = [u for u in uids if u in self._hashes]
        gone = set(cached) - self.store.present(cached) if cached else set()
        for uid in gone:
            del self._hashes[uid]
            self._streams.pop(uid, None)
            self._signs.pop(uid, None)
        missing = [u for u in uids if u not in self._hashes]
        self._hashes.update(self.store.paragraph_hashes(missing))
        return _recall(self._hashes, uids, _HASH_CACHE)

    def _candidate_streams(self, uids: Sequence[int]) -> dict[int, tuple[StoredArticle, WordStream]]:
        """Indexed articles with their word streams, cached (an article's number is never reused)."""
        st = self.settings
        missing = [u for u in uids if u not in self._streams]
        for uid, stored in self.store.articles(missing).items():
            self._streams[uid] = (stored, word_stream(stored.article, stored.paragraphs, st.shingle.size,
                                                      st.shingle.seed))
        return _recall(self._streams, uids, _STREAM_CACHE)


def _coverage(own: WordStream, alignments: Sequence[Alignment], order: dict[str, int]
              ) -> tuple[float, list[tuple[str, float]]]:
    """The share of the checked article's words inside shared passages, and the share each indexed
    article shares with it (most first, then in candidate order)."""
    covered = np.zeros(own.words, dtype=bool)
    shared: dict[str, np.ndarray] = {}
    for al in alignments:
        lo, hi = np.searchsorted(own.starts, [al.left.start, al.left.end])
        mask = shared.setdefault(al.right.article_id, np.zeros(own.words, dtype=bool))
        mask[lo:hi] = True
        covered[lo:hi] = True
    total = max(own.words, 1)
    matches = sorted(((ident, float(m.sum()) / total) for ident, m in shared.items()),
                     key=lambda m: (-m[1], order[m[0]]))
    return float(covered.sum()) / total, matches


V = TypeVar("V")


def _recall(cache: OrderedDict[int, V], uids: Sequence[int], size: int) -> dict[int, V]:
    """The cached entries of ``uids``, marked as just used; the least recently used beyond
    ``size`` are dropped."""
    out = {}
    for uid in uids:
        if uid in cache:
            cache.move_to_end(uid)
            out[uid] = cache[uid]
    while len(cache) > size:
        cache.popitem(last=False)
    return out


def _most_rows(rows: np.ndarray, uids: np.ndarray, limit: int, per_row: int) -> np.ndarray:
    """The (at most ``limit``) article numbers found for most distinct rows, taken as
    :func:`_spread` takes them, in number order. Among many copies of one story, a copy that also
    prints a line the new article carries is found for one row more than the original, and must not
    push it out; and the twentieth copy of a story takes no place from another story the article
    also carries."""
    if not len(uids):
        return np.empty(0, dtype=np.int64)
    u, r = distinct_pairs(uids, rows)
    starts = np.flatnonzero(np.r_[True, u[1:] != u[:-1]])  # u is sorted: where each number's rows start
    numbers = u[starts]
    return np.sort(_spread(numbers, np.r_[starts, len(u)], r, limit, per_row))


def _spread(numbers: np.ndarray, starts: np.ndarray, rows: np.ndarray, limit: int, per_row: int) -> np.ndarray:
    """Article numbers in the order they are taken, at most ``limit``: first those holding nearly as
    many rows as the best (:data:`_NEAR`), oldest first, then the others, most rows first, ties to
    the oldest; each only if one of its rows is held by fewer than ``per_row`` taken before it.

    Args:
        numbers: The article numbers, ascending.
        starts: Article ``k``'s distinct rows are ``rows[starts[k]:starts[k + 1]]``.
        rows: The rows of every article, one after the other.
    """
    from syndet.match.kernels import spread_choice  # numba loads on first use

    counts = np.diff(starts)
    near = counts >= _NEAR * counts.max()
    ranked = np.lexsort((numbers, np.where(near, 0, -counts), ~near))
    rows = rows.astype(np.int64, copy=False)
    taken: np.ndarray = spread_choice(ranked, starts, rows, int(rows.max()) + 1, per_row, limit)
    return np.take(numbers, taken)


def _verified_rows(entry: Entry, rows: np.ndarray, uids: np.ndarray, idx: np.ndarray,
                   stored: dict[int, dict[int, np.ndarray]], settings: VerifySettings) -> dict[int, set[int]]:
    """The new article's rows verified against each indexed article: every candidate pair (row
    ``rows[i]`` of the new article, paragraph ``idx[i]`` of article ``uids[i]``) checked as a scan
    checks its pairs."""
    pairs = [(row, uid, i) for row, uid, i in zip(rows.tolist(), uids.tolist(), idx.tolist(), strict=True)
             if i in stored.get(uid, ())]
    if not pairs:
        return {}
    sets = [*entry.hashes, *(stored[uid][i] for _, uid, i in pairs)]
    offsets = np.concatenate([[0], np.cumsum([len(h) for h in sets])]).astype(np.int64)
    which = np.stack([np.array([row for row, _, _ in pairs], dtype=np.int64),
                      np.arange(len(entry.hashes), len(sets), dtype=np.int64)], axis=1)
    ok = verified_pairs(np.concatenate(sets), offsets, which, settings)
    verified: dict[int, set[int]] = defaultdict(set)
    for (row, uid, _), good in zip(pairs, ok.tolist(), strict=True):
        if good:
            verified[uid].add(row)
    return verified


def _choose(verified: dict[int, set[int]], limit: int, per_row: int) -> list[int]:
    """The indexed articles to align, at most ``limit``, taken as :func:`_spread` takes them over
    the new article's rows each is verified on.

    Further copies of a story already chosen ``per_row`` times add nothing to the share seen, and
    only lengthen the attribution, which compares copies two by two; an article built from many
    sources still gets a candidate for each. Among the copies that hold about the whole of what
    the new article shares, the oldest go first: an original is indexed before its copies, and a
    copy that adds a line many others print ("Click here to read more stories") must not push it
    out for that line.
    """
    if not verified:
        return []
    numbers = np.array(sorted(verified), dtype=np.int64)
    rows = [sorted(verified[uid]) for uid in numbers.tolist()]
    starts = np.cumsum([0, *map(len, rows)])
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=int(starts[-1]))
    chosen: list[int] = _spread(numbers, starts, flat, limit, per_row).tolist()
    return chosen


def _unique(articles: Iterable[Article]) -> tuple[list[Article], tuple[str, ...]]:
    """The articles with each id once (the first), and the ids that came again."""
    unique: dict[str, Article] = {}
    repeated: list[str] = []
    for article in articles:
        if article.id in unique:
            repeated.append(article.id)
        else:
            unique[article.id] = article
    return list(unique.values()), tuple(repeated)


def _batched(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if size and len(batch) >= size:
            yield batch
            batch = []
    if batch or not size:
        yield batch


_worker: Filter | None = None
_PRESELECT = 4  # candidate articles verified, per article aligned (policy.max_candidates)
_SPARE = 2  # candidates verified for a paragraph, per candidate aligned for it (policy.max_per_paragraph)
_NEAR = 0.8  # share of the best candidate's verified rows from which candidates are taken oldest first
_SERIAL_HEAD = 8  # articles checked on this process (loading what every check needs) before workers are forked


def _init_checker(parent: Filter) -> None:
    """A forked worker's filter: the parent's compiled state, its own connection to the index."""
    global _worker
    worker = Filter.__new__(Filter)
    worker.__dict__.update(parent.__dict__)
    worker._streams = OrderedDict()
    worker._signs = OrderedDict()
    worker._hashes = OrderedDict()
    worker._layouts = Layouts(_STREAM_CACHE)
    worker.store = open_store(parent.settings, create=False)
    worker.store.share(parent.store)
    _worker = worker


def _check_in_worker(article: Article) -> tuple[Decision, float]:
    if _worker is None:
        raise RuntimeError("worker not initialised")
    started = time.perf_counter()
    decision = _worker.check(article)
    return decision, time.perf_counter() - started


def _init_worker(settings: Settings) -> None:
    global _worker
    _worker = Filter.__new__(Filter)
    _worker.settings = settings
    _worker._detector = Detector(settings)


def _prepare_in_worker(articles: list[Article]) -> PackedEntries:
    if _worker is None:
        raise RuntimeError("worker not initialised")
    return pack_entries(_worker.prepare(articles), _worker.settings.minhash.num_perm)


def _rename(passage: Passage, article_id: str) -> Passage:
    """The passage with the checked article's stand-in id replaced by its own, attribution included."""

    def own(span: Span) -> Span:
        return Span(article_id, span.start, span.end) if span.article_id == _SELF else span

    att = passage.attribution
    if att is not None:
        evidence = tuple(dataclasses.replace(e, article_id=article_id if e.article_id == _SELF else e.article_id,
                                             detail=e.detail.replace(_SELF, article_id),
                                             span=own(e.span) if e.span else None) for e in att.evidence)
        att = dataclasses.replace(att, evidence=evidence,
                                  source_article=article_id if att.source_article == _SELF else att.source_article)
    return dataclasses.replace(passage, spans=tuple(own(s) for s in passage.spans), attribution=att)


def decision_to_json(decision: Decision) -> dict[str, Any]:
    """The JSON form of a decision (one line of ``syndet filter``'s output)."""
    return {
        "id": decision.article_id,
        "decision": decision.action,
        "seen_fraction": round(decision.seen_fraction, 4),
        "matches": [{"id": ident, "shared_fraction": round(frac, 4)} for ident, frac in decision.matches],
        "already_indexed": decision.already_indexed,
        "passages": [_passage_json(p, decision.article_id) for p in decision.passages],
    }


def _passage_json(passage: Passage, article_id: str) -> dict[str, Any]:
    own = [s for s in passage.spans if s.article_id == article_id]
    return {
        "id": passage.id,
        "words": passage.words,
        "spans": [{"start": s.start, "end": s.end} for s in own],
        "copies": [{"id": s.article_id, "start": s.start, "end": s.end}
                   for s in passage.spans if s.article_id != article_id],
        "attribution": attribution_record(passage.attribution),
    }
