"""The embedded index backend: one SQLite file, through the standard library, and a folder of
sorted postings segments beside it.

Crash safety: every add, remove and prune is one SQLite transaction in WAL mode, so a process
killed at any moment leaves the file as before or after it; a segment counts only once the
transaction that registers it commits. Concurrent writers queue on the file lock
(``busy_timeout``) instead of failing.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

import numpy as np

from syndet.errors import IndexError_
from syndet.models import Article
from syndet.settings import Settings
from syndet.store.base import (
    AddResult,
    Banding,
    Entry,
    Found,
    Store,
    StoredArticle,
    check_fingerprint,
    fingerprint,
    stored_form,
    unpack_hashes,
    unpack_paragraphs,
)
from syndet.store.postings import BULK_FANOUT, FANOUT, Postings, SegmentInfo, due_merge

T = TypeVar("T")

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    uid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    title TEXT, source TEXT, published TEXT, url TEXT,
    body_start INTEGER NOT NULL,
    text TEXT NOT NULL,
    added REAL NOT NULL,
    paragraphs BLOB NOT NULL,
    signed BLOB NOT NULL,
    hash_lens BLOB NOT NULL,
    hashes BLOB NOT NULL,
    n_paragraphs INTEGER NOT NULL,
    n_signed INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_added ON articles (added);
CREATE TABLE IF NOT EXISTS segments (name TEXT PRIMARY KEY, level INTEGER NOT NULL, count INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS retired (name TEXT PRIMARY KEY, at REAL NOT NULL);
"""
RETIRE_S = 60.0
"""Merged-away segment files are deleted this long after the merge (a reader may be opening them)."""


class SQLiteStore:
    """An index in one SQLite file (WAL mode) and its postings folder beside it
    (``<file>.postings``), safe to share between processes of one machine.

    Articles, their paragraphs and shingle hashes are rows of the file; the LSH postings are
    sorted segment files (:mod:`syndet.store.postings`) that the file lists. An add writes its
    segment, then registers it and inserts its articles in one transaction, so a killed add leaves
    an unregistered file that the next writer deletes, and nothing a reader can see.

    Args:
        path: The index file.
        settings: Effective settings (shingles, MinHash and LSH parameters must match the index's).
        create: Create the file if missing.

    Raises:
        IndexError_: The file is missing (and ``create`` is false), is not a syndet index, or was
            built with other settings.
    """

    def __init__(self, path: Path, settings: Settings, *, create: bool) -> None:
        self.location = str(path)
        self.banding = Banding.for_settings(settings)
        self.num_perm = settings.minhash.num_perm
        self.cap = settings.index.max_postings
        if not create and not path.exists():
            raise IndexError_(f"{path}: no such index (create one with 'syndet index add')")
        # An index the user may not write (a published snapshot, a read-only mount) opens for reading:
        # stats, check and filter work; adding or removing says why it cannot.
        self.readonly = path.exists() and (not os.access(path, os.W_OK) or not path.stat().st_mode & 0o222)
        try:
            self._db = self._connect(path, settings.index.busy_timeout_s)
        except sqlite3.Error as exc:
            raise IndexError_(f"{path}: cannot open index: {exc}") from None
        try:
            with self._errors("open"):
                self._db.execute(f"PRAGMA busy_timeout = {int(settings.index.busy_timeout_s * 1000)}")
                wanted = fingerprint(settings, self.banding)
                if self._has_meta():
                    check_fingerprint(self._meta(), wanted, self.location)
                elif self.readonly:
                    raise IndexError_(f"{path}: not a syndet index")
                if not self.readonly:
                    self._db.execute("PRAGMA journal_mode = WAL")
                    self._db.execute("PRAGMA synchronous = NORMAL")
                    with self._write():
                        for statement in _SCHEMA_SQL.split(";"):
                            if statement.strip():
                                self._db.execute(statement)
                        check_fingerprint(self._meta(), wanted, self.location)
                        self._db.executemany("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                                             wanted.items())
                self._db.execute("PRAGMA cache_size = -65536")
                self._db.execute("PRAGMA mmap_size = 1073741824")
        except IndexError_:
            self._db.close()
            raise
        self.postings = Postings(Path(f"{path}.postings"), readonly=self.readonly)
        self._fanout = FANOUT  # segments of a level merged into one (more during a bulk load)
        self._bulk_written = 0  # postings written by the bulk load under way

    def _has_meta(self) -> bool:
        return self._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone() \
            is not None

    def _meta(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT key, value FROM meta").fetchall())

    def _connect(self, path: Path, timeout: float) -> sqlite3.Connection:
        if not self.readonly:
            return sqlite3.connect(path, timeout=timeout, isolation_level=None)
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        db = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
        try:
            db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
            return db
        except sqlite3.OperationalError:
            # A WAL index whose folder cannot be written either: read it as an unchanging file.
            db.close()
            return sqlite3.connect(uri + "&immutable=1", uri=True, timeout=timeout, isolation_level=None)

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise IndexError_(f"{self.location}: cannot {doing} index: {exc}") from None

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction, taken at once so that concurrent writers queue instead of deadlocking.

        When the write fails (a full disk), SQLite may already have rolled the transaction back; the
        error that caused it is the one reported, not the failed rollback."""
        if self.readonly:
            raise IndexError_(f"{self.location}: the index is read-only (no permission to write it)")
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._db.in_transaction:
                with suppress(sqlite3.Error):
                    self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read from one consistent state of the index however many calls are made."""
        with self._errors("read"):
            self._db.execute("BEGIN")
        try:
            yield
        finally:
            self._db.execute("COMMIT")

    def _segments(self) -> list[SegmentInfo]:
        return [SegmentInfo(str(n), int(lv), int(c)) for n, lv, c in
                self._db.execute("SELECT name, level, count FROM segments ORDER BY level DESC, name")]

    def add(self, entries: Sequence[Entry], now: float | None = None) -> AddResult:
        """Store the articles not yet indexed, in one transaction, and their postings as one segment."""
        added_at = time.time() if now is None else now
        added: list[str] = []
        skipped: list[str] = []
        written: SegmentInfo | None = None
        try:
            with self._errors("write"), self._write():
                self._collect_orphans()
                present = set(self.find([e.article.id for e in entries]))
                (seq,) = self._db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'articles'").fetchone() or (0,)
                rows = []
                signed_of: list[tuple[int, Sequence[int], np.ndarray]] = []
                uid = int(seq)
                for entry in entries:
                    art = entry.article
                    if art.id in present:
                        skipped.append(art.id)
                        continue
                    present.add(art.id)
                    uid += 1
                    packed = stored_form(entry)
                    rows.append((uid, art.id, art.title, art.source, art.published, art.url, art.body_start, art.text,
                                 added_at, packed.paragraphs, packed.signed, packed.hash_lengths, packed.hashes,
                                 len(entry.paragraphs), len(entry.signed)))
                    signed_of.append((uid, entry.signed, entry.signatures))
                    added.append(art.id)
                self._db.executemany(
                    "INSERT INTO articles (uid, id, title, source, published, url, body_start, text, added, paragraphs,"
                    " signed, hash_lens, hashes, n_paragraphs, n_signed) VALUES"
                    " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
                keys, refs = self.banding.postings(signed_of)
                if len(keys):
                    try:
                        written = self.postings.write(keys, refs)
                    except OSError as exc:
                        raise IndexError_(f"{self.location}: cannot write index postings: {exc}") from None
                    self._db.execute("INSERT INTO segments VALUES (?, ?, ?)",
                                     (written.name, written.level, written.count))
        except BaseException:
            if written is not None:
                self.postings.delete([written.name])
            raise
        if written is not None:
            self._bulk_written += written.count
            self.compact()
        return AddResult(tuple(added), tuple(skipped))

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Many adds in a row (``index add`` of an archive). Meanwhile a level's segments are merged
        :data:`BULK_FANOUT` at a time instead of :data:`FANOUT`. When the adds end, if they wrote at
        least as many postings as the index held before them, every segment is merged into one
        (lookups then search one run); otherwise the usual tiering resumes. An add that fails ends
        the load without the final merge: the next add's tiering catches up."""
        with self._errors("read"):
            before = sum(i.count for i in self._segments())
        self._fanout, self._bulk_written = BULK_FANOUT, 0
        try:
            yield
        finally:
            self._fanout = FANOUT
        written, self._bulk_written = self._bulk_written, 0
        with self._errors("read"):
            several = len(self._segments()) > 1
        if written and several:
            self.compact(full=written >= before)

    def compact(self, full: bool = False) -> int:
        """Merge segments as the tiering asks (all of them into one when ``full``), dropping
        postings of removed articles; returns the number of merges done."""
        merges = 0
        while True:
            with self._errors("write"), self._write():
                infos = self._segments()
                due = ((infos, max(i.level for i in infos) + 1) if full and infos
                       else due_merge(infos, self._fanout))
                if due is None or (full and merges):
                    self._delete_retired()
                    return merges
                members, level = due
                merged = self.postings.merge(members, self._alive(), level)
                try:
                    self._db.executemany("DELETE FROM segments WHERE name = ?", [(m.name,) for m in members])
                    if merged.count:
                        self._db.execute("INSERT INTO segments VALUES (?, ?, ?)",
                                         (merged.name, merged.level, merged.count))
                    self._db.executemany("INSERT OR REPLACE INTO retired VALUES (?, ?)",
                                         [(m.name, time.time()) for m in members])
                except BaseException:
                    self.postings.delete([merged.name])
                    raise
            self.postings.forget(m.name for m in members)
            merges += 1

    def _alive(self) -> np.ndarray:
        (top,) = self._db.execute("SELECT COALESCE(MAX(uid), 0) FROM articles").fetchone()
        alive = np.zeros(int(top) + 1, dtype=bool)
        uids = np.fromiter((u for (u,) in self._db.execute("SELECT uid FROM articles")), dtype=np.int64)
        alive[uids] = True
        return alive

    def _delete_retired(self) -> None:
        cutoff = time.time() - RETIRE_S
        old = [str(n) for (n,) in self._db.execute("SELECT name FROM retired WHERE at < ?", (cutoff,))]
        if old:
            self._db.executemany("DELETE FROM retired WHERE name = ?", [(n,) for n in old])
            self.postings.delete(old)

    def _collect_orphans(self) -> int:
        """Delete segment files no transaction registered: left by a writer killed mid-add or
        mid-merge. Called holding the write lock, when no other writer can be between writing its
        file and registering it. Returns how many were deleted."""
        known = {i.name for i in self._segments()}
        known.update(str(n) for (n,) in self._db.execute("SELECT name FROM retired"))
        orphans = self.postings.files() - known
        if orphans:
            self.postings.delete(orphans)
        return len(orphans)

    def share(self, other: Store) -> None:
        """The segments ``other`` has open (memory maps and fences), when it reads the same index."""
        if isinstance(other, SQLiteStore):
            self.postings.share(other.postings)

    def lookup(self, signatures: np.ndarray) -> Found:
        """The indexed paragraphs sharing an LSH band with each signature row (at most
        ``index.max_postings`` per band, the newest)."""
        keys = self.banding.hashed(signatures)
        with self._errors("read"):
            infos = self._segments()
        positions, refs = self.postings.lookup(infos, keys.ravel(), self.cap)
        return Found.of(positions // self.banding.b, refs)

    def paragraph_hashes(self, uids: Sequence[int]) -> dict[int, dict[int, np.ndarray]]:
        """Shingle hashes of the signed paragraphs of the given articles."""
        out: dict[int, dict[int, np.ndarray]] = {}
        with self._errors("read"):
            for chunk in _chunks(sorted(set(uids)), 500):
                marks = ", ".join("?" * len(chunk))
                for uid, signed, lengths, blob in self._db.execute(
                        f"SELECT uid, signed, hash_lens, hashes FROM articles WHERE uid IN ({marks})", chunk):
                    out[int(uid)] = unpack_hashes(signed, lengths, blob)
        return out

    def present(self, uids: Sequence[int]) -> set[int]:
        """Those of the article numbers that are indexed."""
        out: set[int] = set()
        with self._errors("read"):
            for chunk in _chunks(sorted(set(uids)), 500):
                marks = ", ".join("?" * len(chunk))
                out.update(int(u) for (u,) in self._db.execute(f"SELECT uid FROM articles WHERE uid IN ({marks})",
                                                               chunk))
        return out

    def articles(self, uids: Sequence[int]) -> dict[int, StoredArticle]:
        """The stored articles with these numbers."""
        out: dict[int, StoredArticle] = {}
        with self._errors("read"):
            for chunk in _chunks(sorted(set(uids)), 500):
                marks = ", ".join("?" * len(chunk))
                for row in self._db.execute(
                        "SELECT uid, id, title, source, published, url, body_start, text, added, paragraphs"
                        f" FROM articles WHERE uid IN ({marks})", chunk):
                    uid, ident, title, source, published, url, body_start, text, added, paras = row
                    article = Article(ident, text, title, source, published, url, None, body_start)
                    out[int(uid)] = StoredArticle(int(uid), article, unpack_paragraphs(ident, paras), float(added))
        return out

    def remove(self, ids: Sequence[str]) -> list[str]:
        """Remove articles in one transaction. Their postings stay in the segments, unseen (a
        lookup only returns what still has an article), until merging drops them; when they
        outweigh the live ones, every segment is merged at once."""
        removed: list[str] = []
        with self._errors("write"), self._write():
            for chunk in _chunks(list(dict.fromkeys(ids)), 500):
                found = self.find(chunk)
                self._db.executemany("DELETE FROM articles WHERE uid = ?", [(u,) for u in found.values()])
                removed.extend(i for i in chunk if i in found)
        if removed and not self.readonly:
            with self._errors("read"):
                (live,) = self._db.execute("SELECT COALESCE(SUM(n_signed), 0) FROM articles").fetchone()
                stored = sum(i.count for i in self._segments())
            if stored > 2 * int(live) * self.banding.b + 1_000_000:
                self.compact(full=True)
        return removed

    def collect_interrupted(self, now: float | None = None) -> int:
        """Delete segment files that interrupted adds or merges left unregistered; returns how many."""
        if self.readonly:
            return 0
        with self._errors("write"), self._write():
            deleted = self._collect_orphans()
            self._delete_retired()
        return deleted

    def find(self, ids: Sequence[str]) -> dict[str, int]:
        """The article numbers of those of ``ids`` that are indexed."""
        out: dict[str, int] = {}
        unique = list(dict.fromkeys(ids))
        with self._errors("read"):
            for start in range(0, len(unique), 500):
                chunk = unique[start:start + 500]
                marks = ", ".join("?" * len(chunk))
                for uid, ident in self._db.execute(f"SELECT uid, id FROM articles WHERE id IN ({marks})", chunk):
                    out[str(ident)] = int(uid)
        return out

    def published(self) -> Iterator[tuple[str, str | None]]:
        """Every indexed article's id and stored publication time, in the order they were added."""
        with self._errors("read"):
            rows = self._db.execute("SELECT id, published FROM articles ORDER BY uid").fetchall()
        for ident, published in rows:
            yield str(ident), (str(published) if published else None)

    def older_than(self, cutoff: float) -> list[str]:
        """Ids of articles added before ``cutoff``, oldest first."""
        with self._errors("read"):
            rows = self._db.execute("SELECT id FROM articles WHERE added < ? ORDER BY added, uid", (cutoff,))
            return [str(r[0]) for r in rows]

    def stats(self) -> dict[str, Any]:
        """Counts, time range, size on disk and the settings the index was built with."""
        with self._errors("read"), self.snapshot():
            articles, oldest, newest, paragraphs, signed = self._db.execute(
                "SELECT COUNT(*), MIN(added), MAX(added), COALESCE(SUM(n_paragraphs), 0),"
                " COALESCE(SUM(n_signed), 0) FROM articles").fetchone()
            meta = self._meta()
            infos = self._segments()
        path = Path(self.location)
        size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
        registered = {i.name for i in infos}
        postings = self.postings.bytes(registered)
        # Segments a merge replaced wait RETIRE_S for readers that listed them, then the next write deletes them.
        retired = self.postings.bytes(self.postings.files() - registered)
        return {"backend": "sqlite", "location": self.location, "articles": int(articles),
                "paragraphs": int(paragraphs), "signed_paragraphs": int(signed),
                "oldest_added": oldest, "newest_added": newest, "bytes": size + postings,
                "postings": sum(i.count for i in infos), "segments": len(infos), "postings_bytes": postings,
                "retired_bytes": retired, "settings": meta}

    def files(self) -> list[Path]:
        """The files lookups read: the database, its write-ahead log and each registered postings
        segment (not those a merge retired); only those that exist."""
        with self._errors("read"), self.snapshot():
            names = sorted(i.name for i in self._segments())
        path = Path(self.location)
        return [p for p in (path, Path(f"{path}-wal"), *self.postings.paths(names)) if p.exists()]

    def verify(self) -> list[str]:
        """SQLite's own integrity check, then: every article's paragraphs and hashes are whole,
        every segment file is there, and every article has all its postings."""
        problems: list[str] = []
        with self._errors("read"), self.snapshot():
            result = [r[0] for r in self._db.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                problems.extend(f"integrity_check: {r}" for r in result)
            infos = self._segments()
            problems.extend(self.postings.missing(infos))
            (top,) = self._db.execute("SELECT COALESCE(MAX(uid), 0) FROM articles").fetchone()
            counts = self.postings.uid_counts(infos, int(top) + 1) if not problems else None
            for uid, ident, paras, signed, lengths, blob, n_paragraphs, n_signed in self._db.execute(
                    "SELECT uid, id, paragraphs, signed, hash_lens, hashes, n_paragraphs, n_signed FROM articles"):
                if len(paras) != 24 * n_paragraphs or len(signed) != 4 * n_signed or len(lengths) != 4 * n_signed:
                    problems.append(f"{ident}: paragraphs stored do not match the {n_paragraphs} expected")
                elif int(np.frombuffer(lengths, dtype="<i4").sum()) * 4 != len(blob):
                    problems.append(f"{ident}: shingle hashes incomplete")
                if counts is not None and counts[int(uid)] != n_signed * self.banding.b:
                    problems.append(f"{ident}: {counts[int(uid)]} LSH postings, expected {n_signed * self.banding.b}")
        return problems

    def upgrade(self, done: Callable[[int, int], None] | None = None,
                warn: Callable[[str], None] | None = None) -> int:
        """Nothing to do: this layout is the only one a SQLite index has had since its schema
        (which the fingerprint checks)."""
        return 0

    def close(self) -> None:
        """Close the file."""
        self._db.close()


def _chunks(items: Sequence[T], size: int) -> Iterator[list[T]]:
    for lo in range(0, len(items), size):
        yield list(items[lo:lo + size])

