"""What every index backend shares: the records it stores, its band keys, its settings fingerprint
and the :class:`Store` interface.

An index holds, for every accepted article, its record and text, its paragraphs (with chrome
flags), the shingle hashes of each content paragraph (its signature is recomputed from them when
needed), and one LSH posting per band of each content paragraph. Both backends band signatures
as datasketch's ``MinHashLSH`` with the same threshold and signature length does (the same bands
of the same rows), each band's values mixed into one 64-bit key, so an index answers the same
whichever backend holds it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Protocol, overload

import numpy as np

from syndet.errors import IndexError_
from syndet.hashing.arrays import distinct_pairs
from syndet.hashing.bands import lsh_bands
from syndet.models import Article, Paragraph
from syndet.settings import Settings

SCHEMA = "syndet.store/2"
ParagraphKey = tuple[int, int]
"""An indexed paragraph: ``(article number in the index, paragraph index in the article)``."""


@dataclass(frozen=True)
class Entry:
    """One article ready to be stored.

    Attributes:
        article: The article, text included (candidates are aligned on it later).
        paragraphs: All its paragraphs, chrome flagged.
        signed: Indexes of the paragraphs that carry a signature (content with at least one word).
        signatures: ``(len(signed), num_perm)`` ``uint32`` MinHash signatures, in ``signed`` order.
        hashes: Distinct shingle hashes of each signed paragraph, sorted, for verifying candidates
            exactly (all a paragraph's signature is made from).
        stored: Its paragraphs and hashes as the index stores them, when they came packed from a
            worker (:func:`stored_form` packs them otherwise).
    """

    article: Article
    paragraphs: Sequence[Paragraph]
    signed: tuple[int, ...]
    signatures: np.ndarray
    hashes: tuple[np.ndarray, ...]
    stored: StoredForm | None = None


@dataclass(frozen=True)
class StoredForm:
    """An entry's paragraphs and shingle hashes as both backends store them: the bytes of
    :func:`pack_paragraphs` and :func:`pack_hashes`."""

    paragraphs: bytes
    signed: bytes
    hash_lengths: bytes
    hashes: bytes


def stored_form(entry: Entry) -> StoredForm:
    """What the index stores of an entry's paragraphs and hashes."""
    if entry.stored is not None:
        return entry.stored
    return StoredForm(pack_paragraphs(entry.paragraphs), *pack_hashes(entry))


class PackedParagraphs(Sequence[Paragraph]):
    """An article's paragraphs as :func:`pack_paragraphs` packs them, made into
    :class:`~syndet.models.Paragraph` records only when one is asked for (a bulk load stores the
    bytes as they came from the worker that cut them)."""

    def __init__(self, article_id: str, blob: bytes) -> None:
        self._article_id = article_id
        self._blob = blob
        self._made: tuple[Paragraph, ...] | None = None

    def __len__(self) -> int:
        return len(self._blob) // 24

    @overload
    def __getitem__(self, k: int) -> Paragraph: ...

    @overload
    def __getitem__(self, k: slice) -> Sequence[Paragraph]: ...

    def __getitem__(self, k: int | slice) -> Paragraph | Sequence[Paragraph]:
        if self._made is None:
            self._made = unpack_paragraphs(self._article_id, self._blob)
        return self._made[k]


@dataclass(frozen=True)
class PackedEntries:
    """The entries of a batch as a few flat arrays, their articles left out: what a worker process
    that prepared them sends back (quick to pickle, where the entries' own objects are not).

    Attributes:
        paragraphs: ``(start, end, chrome)`` of every paragraph, article after article (``int64``).
        paragraph_counts: Paragraphs of each article.
        signed: The signed paragraph indexes, article after article.
        signed_counts: Signed paragraphs of each article.
        signatures: The signatures, row after row.
        hash_lengths: Shingle hashes of each signed paragraph.
        hashes: The hashes, end to end.
    """

    paragraphs: np.ndarray
    paragraph_counts: np.ndarray
    signed: np.ndarray
    signed_counts: np.ndarray
    signatures: np.ndarray
    hash_lengths: np.ndarray
    hashes: np.ndarray


def pack_entries(entries: Sequence[Entry], num_perm: int) -> PackedEntries:
    """The entries as :class:`PackedEntries`."""
    hashes = [h for e in entries for h in e.hashes]
    return PackedEntries(
        np.array([(p.start, p.end, p.chrome) for e in entries for p in e.paragraphs], dtype=np.int64).reshape(-1, 3),
        np.array([len(e.paragraphs) for e in entries], dtype=np.int64),
        np.array([i for e in entries for i in e.signed], dtype=np.int64),
        np.array([len(e.signed) for e in entries], dtype=np.int64),
        np.concatenate([e.signatures for e in entries]) if entries else np.empty((0, num_perm), dtype=np.uint32),
        np.array([len(h) for h in hashes], dtype=np.int64),
        np.concatenate(hashes) if hashes else np.empty(0, dtype=np.uint32))


def unpack_entries(articles: Sequence[Article], packed: PackedEntries) -> list[Entry]:
    """The entries of ``articles`` (in the order they were packed) back from :func:`pack_entries`,
    each with its :class:`StoredForm` cut from the batch's arrays (its paragraphs made only if
    something asks for them)."""
    signed = packed.signed.tolist()
    hash_bounds = np.concatenate([[0], np.cumsum(packed.hash_lengths)]).tolist()
    paragraph_bytes = packed.paragraphs.astype("<i8").tobytes()
    signed_bytes = packed.signed.astype("<i4").tobytes()
    length_bytes = packed.hash_lengths.astype("<i4").tobytes()
    hash_bytes = packed.hashes.astype("<u4").tobytes()
    out = []
    p = s = 0
    for article, n_paragraphs, n_signed in zip(articles, packed.paragraph_counts.tolist(),
                                                packed.signed_counts.tolist(), strict=True):
        blob = paragraph_bytes[24 * p:24 * (p + n_paragraphs)]
        stored = StoredForm(blob, signed_bytes[4 * s:4 * (s + n_signed)], length_bytes[4 * s:4 * (s + n_signed)],
                            hash_bytes[4 * hash_bounds[s]:4 * hash_bounds[s + n_signed]])
        hashes = tuple(packed.hashes[hash_bounds[k]:hash_bounds[k + 1]] for k in range(s, s + n_signed))
        out.append(Entry(article, PackedParagraphs(article.id, blob), tuple(signed[s:s + n_signed]),
                         packed.signatures[s:s + n_signed], hashes, stored))
        p += n_paragraphs
        s += n_signed
    return out


@dataclass(frozen=True)
class StoredArticle:
    """An article as the index returns it.

    Attributes:
        uid: Its number in the index.
        article: The article with its text.
        paragraphs: Its paragraphs as they were when it was added.
        added: When it was added (seconds since the epoch).
    """

    uid: int
    article: Article
    paragraphs: tuple[Paragraph, ...]
    added: float


@dataclass(frozen=True)
class Found:
    """What a lookup found: each indexed paragraph sharing a band with a signature row, once per row.

    Attributes:
        rows: The signature row, ``int64``.
        uids: The indexed article's number, ``int64``.
        idx: The paragraph's index in that article, ``int64``.
    """

    rows: np.ndarray
    uids: np.ndarray
    idx: np.ndarray

    @classmethod
    def of(cls, rows: np.ndarray, refs: np.ndarray) -> Found:
        """From the row of each posting found and its ref; repeats (other bands) dropped."""
        from syndet.store.postings import IDX_BITS

        if not len(refs):
            empty = np.empty(0, dtype=np.int64)
            return cls(empty, empty, empty)
        rows = np.asarray(rows, dtype=np.int64)
        refs = np.asarray(refs, dtype=np.uint64)
        rows, refs = distinct_pairs(rows, refs)
        return cls(rows, (refs >> np.uint64(IDX_BITS)).astype(np.int64),
                   (refs & np.uint64((1 << IDX_BITS) - 1)).astype(np.int64))

    def by_row(self, n: int) -> list[set[ParagraphKey]]:
        """For each of ``n`` rows, the set of paragraphs found."""
        out: list[set[ParagraphKey]] = [set() for _ in range(n)]
        for row, uid, idx in zip(self.rows.tolist(), self.uids.tolist(), self.idx.tolist(), strict=True):
            out[row].add((uid, idx))
        return out


@dataclass(frozen=True)
class AddResult:
    """What an add did: the ids stored, and those skipped because the index already held them."""

    added: tuple[str, ...]
    skipped: tuple[str, ...]


@dataclass(frozen=True)
class Banding:
    """How signatures are cut into LSH bands: datasketch's ``MinHashLSH`` parameters.

    Attributes:
        threshold: Jaccard threshold the bands were chosen for.
        num_perm: Signature length.
        b: Number of bands.
        r: Rows per band.
    """

    threshold: float
    num_perm: int
    b: int
    r: int

    @classmethod
    def for_settings(cls, settings: Settings) -> Banding:
        """The banding datasketch chooses for ``lsh.threshold`` and ``minhash.num_perm``."""
        b, r = lsh_bands(settings.lsh.threshold, settings.minhash.num_perm)
        return cls(settings.lsh.threshold, settings.minhash.num_perm, b, r)

    def keys(self, signatures: np.ndarray) -> list[list[bytes]]:
        """Band keys of each signature row, byte for byte datasketch's ``MinHashLSH._H`` of each band."""
        swapped = np.ascontiguousarray(signatures, dtype=np.uint32).byteswap()
        return [[row[i * self.r:(i + 1) * self.r].tobytes() for i in range(self.b)] for row in swapped]

    def postings(self, items: Iterable[tuple[int, Sequence[int], np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
        """The LSH postings of articles' signed paragraphs, given as ``(article number, signed
        paragraph indexes, their signatures)``: ``(keys, refs)``, one per paragraph and band, in
        input order (refs as :func:`syndet.store.postings.refs_of` packs them)."""
        from syndet.store.postings import refs_of

        uids: list[np.ndarray] = []
        idx: list[np.ndarray] = []
        sigs: list[np.ndarray] = []
        for uid, signed, rows in items:
            if len(signed):
                uids.append(np.full(len(signed), uid, dtype=np.int64))
                idx.append(np.asarray(signed, dtype=np.int64))
                sigs.append(np.asarray(rows, dtype=np.uint32))
        if not sigs:
            return np.empty(0, dtype=np.uint64), np.empty(0, dtype=np.uint64)
        # All rows hashed at once: per-article calls cost more in numpy's overhead than in hashing.
        keys = self.hashed(np.concatenate(sigs)).ravel()
        return keys, np.repeat(refs_of(np.concatenate(uids), np.concatenate(idx)), self.b)

    def hashed(self, signatures: np.ndarray) -> np.ndarray:
        """``(rows, b)`` ``uint64`` keys: each band's values (the bytes :meth:`keys` gives) and the
        band's number mixed into 64 bits. Two paragraphs share a key exactly when they share that
        band, but for a collision chance of 2**-64 per pair, which only adds a candidate that
        verification then drops."""
        sig = np.ascontiguousarray(signatures, dtype=np.uint32)
        rows = sig.shape[0] if sig.ndim == 2 else 0
        if not rows:
            return np.empty((0, self.b), dtype=np.uint64)
        bands = sig[:, :self.b * self.r].reshape(rows, self.b, self.r).astype(np.uint64)
        h = np.tile(np.arange(1, self.b + 1, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15), (rows, 1))
        for j in range(self.r):
            h ^= bands[:, :, j]
            h = _mix64(h)
        return h


def _mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser over an array (wrapping arithmetic)."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    out: np.ndarray = x ^ (x >> np.uint64(31))
    return out


def pack_paragraphs(paragraphs: Sequence[Paragraph]) -> bytes:
    """Paragraph offsets and chrome flags as little-endian ``int64`` triples."""
    return np.array([(p.start, p.end, int(p.chrome)) for p in paragraphs], dtype="<i8").tobytes()


def unpack_paragraphs(article_id: str, blob: bytes) -> tuple[Paragraph, ...]:
    """The paragraphs :func:`pack_paragraphs` packed, numbered in order.

    Raises:
        IndexError_: The stored bytes are not whole paragraphs (a damaged index).
    """
    if len(blob) % 24:
        raise IndexError_(f"{article_id}: the stored paragraphs are damaged ({len(blob)} bytes); "
                          "'syndet index stats --check' lists what else is")
    rows = np.frombuffer(blob, dtype="<i8").reshape(-1, 3).tolist()
    return tuple(Paragraph(article_id, i, s, e, bool(c)) for i, (s, e, c) in enumerate(rows))


def pack_hashes(entry: Entry) -> tuple[bytes, bytes, bytes]:
    """``(signed, lengths, hashes)``: the signed paragraph indexes and the length of each one's
    shingle hashes (``int32``), and the hashes themselves end to end (``uint32``)."""
    signed = np.asarray(entry.signed, dtype="<i4").tobytes()
    lengths = np.array([len(h) for h in entry.hashes], dtype="<i4").tobytes()
    blob = np.concatenate([np.asarray(h, dtype="<u4") for h in entry.hashes]).tobytes() if entry.hashes else b""
    return signed, lengths, blob


def unpack_hashes(signed: bytes, lengths: bytes, blob: bytes) -> dict[int, np.ndarray]:
    """Shingle hashes of each signed paragraph, by paragraph index.

    Raises:
        IndexError_: The three parts do not fit together (a damaged index).
    """
    if len(signed) % 4 or len(signed) != len(lengths) or len(blob) % 4 \
            or int(np.frombuffer(lengths, dtype="<i4").sum()) * 4 != len(blob):
        raise IndexError_("the stored shingle hashes of an indexed article are damaged; "
                          "'syndet index stats --check' names it")
    flat = np.frombuffer(blob, dtype="<u4")  # read-only, over the bytes read (no copy)
    out = {}
    lo = 0
    for i, hi in zip(np.frombuffer(signed, dtype="<i4").tolist(), itertools.accumulate(
            np.frombuffer(lengths, dtype="<i4").tolist()), strict=True):
        out[i] = flat[lo:hi]
        lo = hi
    return out


def fingerprint(settings: Settings, banding: Banding) -> dict[str, str]:
    """The settings an index depends on; opening it with different ones would find nothing."""
    return {
        "schema": SCHEMA,
        "shingle.size": str(settings.shingle.size),
        "shingle.seed": str(settings.shingle.seed),
        "minhash.num_perm": str(settings.minhash.num_perm),
        "minhash.seed": str(settings.minhash.seed),
        "lsh.threshold": repr(settings.lsh.threshold),
        "lsh.bands": f"{banding.b}x{banding.r}",
    }


def check_fingerprint(stored: dict[str, str], wanted: dict[str, str], where: str) -> None:
    """Raise if an existing index was built with other settings than the current ones.

    Raises:
        IndexError_: A stored setting differs; the message names it.
    """
    for key, value in wanted.items():
        have = stored.get(key)
        if have is not None and have != value:
            raise IndexError_(f"{where}: index was built with {key}={have}, the settings say {value}")


class Store(Protocol):
    """What the filter needs from an index; both backends implement it."""

    location: str

    def add(self, entries: Sequence[Entry], now: float | None = None) -> AddResult:
        """Store articles whose id is not yet indexed, all or none of them."""
        ...

    def lookup(self, signatures: np.ndarray) -> Found:
        """The indexed paragraphs sharing an LSH band with each signature row."""
        ...

    def paragraph_hashes(self, uids: Sequence[int]) -> dict[int, dict[int, np.ndarray]]:
        """Shingle hashes of the signed paragraphs of the given articles (absent ones left out)."""
        ...

    def articles(self, uids: Sequence[int]) -> dict[int, StoredArticle]:
        """The stored articles with these numbers (absent ones left out)."""
        ...

    def present(self, uids: Sequence[int]) -> set[int]:
        """Those of the article numbers that are indexed now (a removed article's postings may
        outlive it for a while; it is never a candidate)."""
        ...

    def remove(self, ids: Sequence[str]) -> list[str]:
        """Remove articles by id; returns the ids that were indexed."""
        ...

    def older_than(self, cutoff: float) -> list[str]:
        """Ids of articles added before ``cutoff`` (seconds since the epoch)."""
        ...

    def find(self, ids: Sequence[str]) -> dict[str, int]:
        """The article numbers of those of ``ids`` that are indexed."""
        ...

    def published(self) -> Iterator[tuple[str, str | None]]:
        """Every indexed article's id with its publication time as stored (None when unknown)."""
        ...

    def collect_interrupted(self, now: float | None = None) -> int:
        """Delete what interrupted adds left behind; returns how many entries were deleted."""
        ...

    def stats(self) -> dict[str, Any]:
        """Counts and settings of the index."""
        ...

    def verify(self) -> list[str]:
        """Problems found by a full consistency check (empty when the index is sound)."""
        ...

    def upgrade(self, done: Callable[[int, int], None] | None = None,
                warn: Callable[[str], None] | None = None) -> int:
        """Bring an index an earlier syndet built to the current layout; the number of articles
        whose entries were rebuilt (0 when it was current). ``done`` gets (seen, in all);
        ``warn`` is told of each article that could not be rebuilt."""
        ...

    def snapshot(self) -> AbstractContextManager[None]:
        """Read from one consistent state of the index, as far as the backend can."""
        ...

    def bulk(self) -> AbstractContextManager[None]:
        """Around many adds in a row: lets the backend defer upkeep to their end."""
        ...

    def share(self, other: Store) -> None:
        """Take over what ``other`` (the same index, opened by the process this one was forked
        from) has already read and may be used by another connection; by default nothing."""

    def close(self) -> None:
        """Release connections."""
        ...
