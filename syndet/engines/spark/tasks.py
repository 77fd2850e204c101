"""The work each Spark task does on its share of the rows: syndet's own stages, batch by batch.

Every function here takes an iterator of Arrow record batches and yields record batches (the
shape ``DataFrame.mapInArrow`` runs on the executors), calls the same functions the local engine
calls, and needs nothing from Spark itself, so the tests run them on plain Arrow tables too.
Paragraph keys are ``article << 26 | paragraph``: they sort as the local engine numbers the
content paragraphs of the whole input, which is what makes the first member of a bucket, and so
the pairs, the same in both engines.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pyarrow as pa

from syndet.detector import pair_alignments
from syndet.hashing.arrays import distinct
from syndet.hashing.shingle import hash_batch
from syndet.hashing.signature import permutations, signatures_flat
from syndet.match.align import WordStream, word_stream
from syndet.match.candidates import verified_pairs
from syndet.models import Article, Paragraph
from syndet.settings import Settings
from syndet.text.segment import compile_chrome, mark_learned, split_paragraphs

PARAGRAPH_BITS = 26
"""Bits of a paragraph key that number the paragraph inside its article."""
ARTICLE_FIELDS = ("id", "text", "title", "source", "published", "url", "path", "author")
ARTICLE_SCHEMA = ("k long, id string, text string, title string, source string, published string, url string, "
                  "path string, author string, body_start int")
SEGMENTED_SCHEMA = ARTICLE_SCHEMA + ", paras binary"
HASHED_SCHEMA = "k long, flat binary, offsets binary"
BAND_SCHEMA = "hi long, lo long, pk long"
PAIR_SCHEMA = "a long, b long"
VERIFIED_SCHEMA = "ka long, kb long, n long"
POSTING_SCHEMA = "h long, k long"
ALIGNED_SCHEMA = ("ka long, kb long, n int, left_start long, left_end long, right_start long, right_end long, "
                  "words long, left_words long, right_words long, wa long, wb long")
_STREAM_CACHE = 512


def article_of(row: dict[str, Any]) -> Article:
    """The article a row of the articles table holds."""
    return Article(id=row["id"], text=row["text"], title=row["title"], source=row["source"],
                   published=row["published"], url=row["url"], path=row["path"], author=row["author"],
                   body_start=int(row["body_start"] or 0))


PACKED_PARAGRAPH_BYTES = 24
"""Bytes of one paragraph as :func:`pack_paragraphs` packs it."""
OFFSET_BYTES = 8
"""Bytes of one ``int64`` offset in the ``offsets`` column of :func:`hashed`."""


def pack_paragraphs(paragraphs: Sequence[Paragraph]) -> bytes:
    """Paragraphs as ``int64`` triples (start, end, chrome), :data:`PACKED_PARAGRAPH_BYTES` each."""
    data = np.array([(p.start, p.end, int(p.chrome)) for p in paragraphs], dtype=np.int64).reshape(-1, 3)
    return data.tobytes()


def unpack_paragraphs(article_id: str, data: bytes) -> tuple[Paragraph, ...]:
    """The paragraphs :func:`pack_paragraphs` packed."""
    rows = np.frombuffer(data, dtype=np.int64).reshape(-1, 3).tolist()
    return tuple(Paragraph(article_id, n, s, e, bool(c)) for n, (s, e, c) in enumerate(rows))


def report_problems(patterns: Sequence[Any], problems: Any) -> None:
    """Add the patterns switched off for their cost on this worker to the ``problems`` accumulator
    (a set of ``(place, message)``: the driver lists them in the patterns' order)."""
    if problems is not None:
        found = {(n, p.problem) for n, p in enumerate(patterns) if p.problem}
        if found:
            problems.add(found)


def _rows(batch: pa.RecordBatch) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = batch.to_pylist()
    return rows


def chrome_keys(batches: Iterator[pa.RecordBatch], settings: Settings, problems: Any = None
                ) -> Iterator[pa.RecordBatch]:
    """``(key, k)``: each short line of each article with a known outlet (see
    :func:`syndet.text.segment.learn_chrome`), once per article."""
    chrome = compile_chrome(settings.segment.chrome_patterns)
    max_words = settings.segment.learn_max_words
    for batch in batches:
        keys: list[str] = []
        owners: list[int] = []
        for row in _rows(batch):
            article = article_of(row)
            if not article.source:
                continue
            outlet = article.source.casefold()
            seen: set[str] = set()
            found: list[str] = []
            split_paragraphs(article, chrome, found)
            for key in found:
                if key and key.count(" ") < max_words and key not in seen:
                    seen.add(key)
                    keys.append(f"{outlet}\x00{key}")
                    owners.append(row["k"])
        report_problems(chrome, problems)
        yield pa.RecordBatch.from_arrays([pa.array(keys, pa.string()), pa.array(owners, pa.int64())],
                                         names=["key", "k"])


def segmented(batches: Iterator[pa.RecordBatch], settings: Settings, learned: frozenset[str], problems: Any = None
              ) -> Iterator[pa.RecordBatch]:
    """The articles with their paragraphs (configured and learnt chrome flagged) in ``paras``."""
    chrome = compile_chrome(settings.segment.chrome_patterns)
    for batch in batches:
        packed = []
        for row in _rows(batch):
            article = article_of(row)
            keys: list[str] = []
            paras = split_paragraphs(article, chrome, keys)
            if learned:
                paras = mark_learned(article, paras, learned, keys)
            packed.append(pack_paragraphs(paras))
        report_problems(chrome, problems)
        yield batch.append_column("paras", pa.array(packed, pa.binary()))


def hashed(batches: Iterator[pa.RecordBatch], settings: Settings) -> Iterator[pa.RecordBatch]:
    """``(k, flat, offsets)``: the shingle hashes (``uint32``) of each article's content paragraphs,
    flat with ``int64`` offsets, as the local engine hashes them."""
    size, seed = settings.shingle.size, settings.shingle.seed
    for batch in batches:
        ks, flats, offs = [], [], []
        for row in _rows(batch):
            article = article_of(row)
            paras = unpack_paragraphs(article.id, row["paras"])
            texts = [article.text[p.start:p.end] for p in paras if not p.chrome]
            flat, offsets = hash_batch(texts, size, seed)
            ks.append(row["k"])
            flats.append(np.ascontiguousarray(flat, dtype=np.uint32).tobytes())
            offs.append(np.ascontiguousarray(offsets, dtype=np.int64).tobytes())
        yield pa.RecordBatch.from_arrays([pa.array(ks, pa.int64()), pa.array(flats, pa.binary()),
                                          pa.array(offs, pa.binary())], names=["k", "flat", "offsets"])


def _flat(row: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    return np.frombuffer(row["flat"], dtype=np.uint32), np.frombuffer(row["offsets"], dtype=np.int64)


def bands(batches: Iterator[pa.RecordBatch], settings: Settings, hashranges: Sequence[tuple[int, int]]
          ) -> Iterator[pa.RecordBatch]:
    """``(hi, lo, pk)``: each band of the MinHash signature of every content paragraph with words,
    under the paragraph's key: ``hi`` holds the band's number and its first value, ``lo`` the next
    two, so that two rows of bands up to three values wide (datasketch's choice at the default
    threshold) are in one bucket exactly when their ``(hi, lo)`` are equal. Wider bands carry the
    rest of their values in a ``rest`` column (:func:`band_schema`)."""
    perms = permutations(settings.minhash.num_perm, settings.minhash.seed)
    names = [c.split()[0] for c in band_schema(hashranges).split(", ")]
    wide = "rest" in names
    for batch in batches:
        # The whole batch in one signature pass: the content paragraphs with words of each article
        # are contiguous in its flat hashes, and the articles follow one another.
        flats, starts, keys = [], [], []
        total = 0
        for row in _rows(batch):
            flat, offsets = _flat(row)
            nonempty = np.flatnonzero(np.diff(offsets))
            if len(nonempty):
                flats.append(flat)
                starts.append(offsets[nonempty] + total)
                keys.append((np.int64(row["k"]) << np.int64(PARAGRAPH_BITS)) | nonempty.astype(np.int64))
                total += len(flat)
        if not keys:
            continue
        bounds = np.append(np.concatenate(starts), total)
        sigs = signatures_flat(np.concatenate(flats), bounds, perms).astype(np.uint64)
        pks = np.concatenate(keys)
        his: list[np.ndarray] = []
        los: list[np.ndarray] = []
        rests: list[bytes] = []
        for n, (lo, hi) in enumerate(hashranges):
            his.append(((np.uint64(n) << np.uint64(32)) | sigs[:, lo]).view(np.int64))
            los.append(_fold(sigs[:, lo + 1:min(hi, lo + 3)]).view(np.int64))
            if wide:
                rest = np.ascontiguousarray(sigs[:, lo + 3:hi].astype(np.uint32))
                rests.extend(rest[i].tobytes() for i in range(len(rest)))
        arrays = [pa.array(np.concatenate(his)), pa.array(np.concatenate(los))]
        if wide:
            arrays.append(pa.array(rests, pa.binary()))
        arrays.append(pa.array(np.tile(pks, len(hashranges))))
        yield pa.RecordBatch.from_arrays(arrays, names=names)


def band_schema(hashranges: Sequence[tuple[int, int]]) -> str:
    """The columns :func:`bands` yields for this banding (``rest`` only for bands wider than three)."""
    if max(hi - lo for lo, hi in hashranges) > 3:
        return "hi long, lo long, rest binary, pk long"
    return BAND_SCHEMA


def _fold(values: np.ndarray) -> np.ndarray:
    """Up to two 32-bit values of each row as one ``uint64`` (exact)."""
    out = np.zeros(len(values), dtype=np.uint64)
    for col in range(values.shape[1]):
        out = (out << np.uint64(32)) | values[:, col]
    return out


def _groups(column: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The members of a list column, flat, and each list's size."""
    lists = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    offsets = np.asarray(lists.offsets, dtype=np.int64)
    flat = np.asarray(lists.flatten(), dtype=np.int64)
    return flat[offsets[0]:offsets[-1]], np.diff(offsets)


def _all_pairs(flat: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``(i < j)`` of members inside each group, lists of one size at a time."""
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    for size in distinct(sizes):
        if size < 2:
            continue
        rows = flat[starts[sizes == size][:, None] + np.arange(size)]
        i, j = np.triu_indices(int(size), 1)
        left.append(rows[:, i].ravel())
        right.append(rows[:, j].ravel())
    if not left:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(left), np.concatenate(right)


def bucket_pairs(batches: Iterator[pa.RecordBatch], max_bucket: int) -> Iterator[pa.RecordBatch]:
    """``(a, b)``: the pairs of each bucket (``members``, sorted), as
    :meth:`syndet.match.candidates.MemoryIndex.candidate_pairs` pairs them: a bucket larger than
    ``max_bucket`` pairs each member with its first only."""
    for batch in batches:
        flat, sizes = _groups(batch.column(0))
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1])).astype(np.int64)
        big = sizes > max_bucket
        owner = np.repeat(np.arange(len(sizes)), sizes)
        firsts = flat[starts][owner]
        in_big = big[owner] & (np.arange(len(flat)) != starts[owner])
        small_flat = flat[~big[owner]]
        left, right = _all_pairs(small_flat, sizes[~big])
        yield pa.RecordBatch.from_arrays([pa.array(np.concatenate([firsts[in_big], left])),
                                          pa.array(np.concatenate([flat[in_big], right]))], names=["a", "b"])


def verified(batches: Iterator[pa.RecordBatch], settings: Settings) -> Iterator[pa.RecordBatch]:
    """``(ka, kb, n)``: how many candidate paragraph pairs of each article pair really share text
    (:func:`syndet.match.candidates.verified_pairs`); pairs with none are left out."""
    for batch in batches:
        out_a, out_b, out_n = [], [], []
        for row in _rows(batch):
            fa, oa = np.frombuffer(row["fa"], dtype=np.uint32), np.frombuffer(row["oa"], dtype=np.int64)
            fb, ob = np.frombuffer(row["fb"], dtype=np.uint32), np.frombuffer(row["ob"], dtype=np.int64)
            flat = np.concatenate([fa, fb])
            offsets = np.concatenate([oa, oa[-1] + ob[1:]])
            js = row["js"]
            pairs = np.array([(j["ja"], len(oa) - 1 + j["jb"]) for j in js], dtype=np.int64).reshape(-1, 2)
            n = int(verified_pairs(flat, offsets, pairs, settings.verify).sum())
            if n:
                out_a.append(row["ka"])
                out_b.append(row["kb"])
                out_n.append(n)
        yield pa.RecordBatch.from_arrays([pa.array(out_a, pa.int64()), pa.array(out_b, pa.int64()),
                                          pa.array(out_n, pa.int64())], names=["ka", "kb", "n"])


def postings(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``(h, k)``: each distinct shingle hash of each article's content paragraphs."""
    for batch in batches:
        hs: list[np.ndarray] = []
        ks: list[np.ndarray] = []
        for row in _rows(batch):
            unique = distinct(np.frombuffer(row["flat"], dtype=np.uint32)).astype(np.int64)
            hs.append(unique)
            ks.append(np.full(len(unique), row["k"], dtype=np.int64))
        if hs:
            yield pa.RecordBatch.from_arrays([pa.array(np.concatenate(hs)), pa.array(np.concatenate(ks))],
                                             names=["h", "k"])


def posting_pairs(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """``(a, b)``: every pair of the articles (``members``, sorted) that hold one shingle."""
    for batch in batches:
        left, right = _all_pairs(*_groups(batch.column(0)))
        yield pa.RecordBatch.from_arrays([pa.array(left), pa.array(right)], names=["a", "b"])


def _side(row: dict[str, Any], prefix: str) -> tuple[Article, tuple[Paragraph, ...]]:
    fields = {name: row[f"{prefix}{name}"] for name in ARTICLE_FIELDS}
    article = Article(**fields, body_start=int(row[f"{prefix}body_start"] or 0))
    return article, unpack_paragraphs(article.id, row[f"{prefix}paras"])


def aligned(batches: Iterator[pa.RecordBatch], settings: Settings) -> Iterator[pa.RecordBatch]:
    """The alignments of each candidate article pair (``ka < kb``, both articles' columns prefixed
    ``a_`` and ``b_``), numbered ``n`` in the order the local engine lists them, with each article's
    content words (``wa``, ``wb``)."""
    cache: OrderedDict[int, WordStream] = OrderedDict()
    size, seed = settings.shingle.size, settings.shingle.seed

    def stream(row: dict[str, Any], k: int, prefix: str) -> WordStream:
        if k in cache:
            cache.move_to_end(k)
            return cache[k]
        article, paras = _side(row, prefix)
        cache[k] = found = word_stream(article, paras, size, seed)
        if len(cache) > _STREAM_CACHE:
            cache.popitem(last=False)
        return found

    names = [c.split()[0] for c in ALIGNED_SCHEMA.split(", ")]
    for batch in batches:
        cols: list[list[int]] = [[] for _ in names]
        for row in _rows(batch):
            ka, kb = row["ka"], row["kb"]
            sa, sb = stream(row, ka, "a_"), stream(row, kb, "b_")
            found = pair_alignments(sa, sb, settings.verify, bool(row["by_shingles"]), settings.lsh.shingle_run_extra)
            for n, al in enumerate(found):
                for col, value in zip(cols, (ka, kb, n, al.left.start, al.left.end, al.right.start, al.right.end,
                                             al.words, al.left_words, al.right_words, sa.words, sb.words),
                                      strict=True):
                    col.append(value)
        types = [pa.int32() if name == "n" else pa.int64() for name in names]
        yield pa.RecordBatch.from_arrays([pa.array(c, t) for c, t in zip(cols, types, strict=True)], names=names)
