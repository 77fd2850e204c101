"""The embedded index backend: one SQLite file, through the standard library.

Crash safety: every add, remove and prune is one SQLite transaction in WAL mode, so a process
killed at any moment leaves the file as before or after it; concurrent writers queue on the file
lock (``busy_timeout``) instead of failing.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import quote

import numpy as np

from syndet.errors import IndexError_
from syndet.models import Article, Paragraph
from syndet.settings import Settings
from syndet.store.base import (
    AddResult,
    Banding,
    Entry,
    ParagraphKey,
    StoredArticle,
    check_fingerprint,
    fingerprint,
)

_SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    uid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    title TEXT, source TEXT, published TEXT, url TEXT,
    body_start INTEGER NOT NULL,
    text TEXT NOT NULL,
    added REAL NOT NULL,
    paragraphs INTEGER NOT NULL,
    signed INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_added ON articles (added);
CREATE TABLE IF NOT EXISTS paragraphs (
    uid INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    stop INTEGER NOT NULL,
    chrome INTEGER NOT NULL,
    signature BLOB,
    hashes BLOB,
    PRIMARY KEY (uid, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS buckets (
    band INTEGER NOT NULL,
    key BLOB NOT NULL,
    uid INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    PRIMARY KEY (band, key, uid, idx)
) WITHOUT ROWID;
"""


class SQLiteStore:
    """An index in one SQLite file (WAL mode), safe to share between processes of one machine.

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
                if self.readonly:
                    stored = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
                    check_fingerprint(stored, wanted, self.location)
                    return
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                with self._write():
                    for statement in _SCHEMA_SQL.split(";"):
                        if statement.strip():
                            self._db.execute(statement)
                    stored = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
                    check_fingerprint(stored, wanted, self.location)
                    self._db.executemany("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", wanted.items())
        except IndexError_:
            self._db.close()
            raise

    def _connect(self, path: Path, timeout: float) -> sqlite3.Connection:
        if not self.readonly:
            return sqlite3.connect(path, timeout=timeout, isolation_level=None)
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        db = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
        try:
            db.execute("SELECT 1 FROM meta LIMIT 1").fetchall()
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

    def add(self, entries: Sequence[Entry], now: float | None = None) -> AddResult:
        """Store the articles not yet indexed, in one transaction."""
        added_at = time.time() if now is None else now
        added: list[str] = []
        skipped: list[str] = []
        with self._errors("write"), self._write():
            for entry in entries:
                art = entry.article
                if self._db.execute("SELECT 1 FROM articles WHERE id = ?", (art.id,)).fetchone():
                    skipped.append(art.id)
                    continue
                cur = self._db.execute(
                    "INSERT INTO articles (id, title, source, published, url, body_start, text, added, paragraphs,"
                    " signed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (art.id, art.title, art.source, art.published, art.url, art.body_start, art.text, added_at,
                     len(entry.paragraphs), len(entry.signed)))
                uid = int(cur.lastrowid or 0)
                sig_of = dict(zip(entry.signed, range(len(entry.signed)), strict=True))
                rows = []
                for para in entry.paragraphs:
                    k = sig_of.get(para.index)
                    sig = entry.signatures[k].astype("<u4").tobytes() if k is not None else None
                    hashes = np.asarray(entry.hashes[k], dtype="<u4").tobytes() if k is not None else None
                    rows.append((uid, para.index, para.start, para.end, int(para.chrome), sig, hashes))
                self._db.executemany("INSERT INTO paragraphs VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
                keys = self.banding.keys(entry.signatures)
                self._db.executemany(
                    "INSERT OR IGNORE INTO buckets VALUES (?, ?, ?, ?)",
                    [(band, key, uid, idx) for idx, row in zip(entry.signed, keys, strict=True)
                     for band, key in enumerate(row)])
                added.append(art.id)
        return AddResult(tuple(added), tuple(skipped))

    def lookup(self, signatures: np.ndarray) -> list[set[ParagraphKey]]:
        """For each signature row, the indexed paragraphs sharing an LSH band with it."""
        keys = self.banding.keys(signatures)
        out: list[set[ParagraphKey]] = [set() for _ in keys]
        per_query = max(1, 8000 // self.banding.b)  # SQLite allows 32766 parameters per statement
        with self._errors("read"):
            for lo in range(0, len(keys), per_query):
                params: list[Any] = []
                for row in range(lo, min(lo + per_query, len(keys))):
                    for band, key in enumerate(keys[row]):
                        params.extend((row, band, key))
                sql = ("SELECT q.column1, b.uid, b.idx FROM (VALUES " + ", ".join(["(?, ?, ?)"] * (len(params) // 3))
                       + ") AS q CROSS JOIN buckets AS b ON b.band = q.column2 AND b.key = q.column3")
                for row, uid, idx in self._db.execute(sql, params):
                    out[int(row)].add((int(uid), int(idx)))
        return out

    def paragraph_hashes(self, uids: Sequence[int]) -> dict[int, dict[int, np.ndarray]]:
        """Shingle hashes of the signed paragraphs of the given articles."""
        out: dict[int, dict[int, np.ndarray]] = defaultdict(dict)
        with self._errors("read"):
            for chunk in _chunks(sorted(set(uids)), 500):
                marks = ", ".join("?" * len(chunk))
                for uid, idx, blob in self._db.execute(
                        f"SELECT uid, idx, hashes FROM paragraphs WHERE uid IN ({marks}) AND hashes IS NOT NULL",
                        chunk):
                    out[int(uid)][int(idx)] = np.frombuffer(blob, dtype="<u4").astype(np.uint32)
        return dict(out)

    def articles(self, uids: Sequence[int]) -> dict[int, StoredArticle]:
        """The stored articles with these numbers."""
        out: dict[int, StoredArticle] = {}
        with self._errors("read"):
            for chunk in _chunks(sorted(set(uids)), 500):
                marks = ", ".join("?" * len(chunk))
                paras: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
                for uid, idx, start, stop, chrome in self._db.execute(
                        f"SELECT uid, idx, start, stop, chrome FROM paragraphs WHERE uid IN ({marks})"
                        " ORDER BY uid, idx", chunk):
                    paras[int(uid)].append((int(idx), int(start), int(stop), int(chrome)))
                for row in self._db.execute(
                        "SELECT uid, id, title, source, published, url, body_start, text, added FROM articles"
                        f" WHERE uid IN ({marks})", chunk):
                    uid, ident, title, source, published, url, body_start, text, added = row
                    article = Article(ident, text, title, source, published, url, None, body_start)
                    plist = tuple(Paragraph(ident, i, s, e, bool(c)) for i, s, e, c in paras[int(uid)])
                    out[int(uid)] = StoredArticle(int(uid), article, plist, float(added))
        return out

    def remove(self, ids: Sequence[str]) -> list[str]:
        """Remove articles, their paragraphs and their LSH entries, in one transaction."""
        removed: list[str] = []
        with self._errors("write"), self._write():
            for ident in dict.fromkeys(ids):
                row = self._db.execute("SELECT uid FROM articles WHERE id = ?", (ident,)).fetchone()
                if row is None:
                    continue
                uid = int(row[0])
                sigs = self._db.execute(
                    "SELECT idx, signature FROM paragraphs WHERE uid = ? AND signature IS NOT NULL", (uid,)).fetchall()
                if sigs:
                    matrix = np.stack([np.frombuffer(s, dtype="<u4") for _, s in sigs])
                    self._db.executemany(
                        "DELETE FROM buckets WHERE band = ? AND key = ? AND uid = ? AND idx = ?",
                        [(band, key, uid, int(idx)) for (idx, _), row_keys in
                         zip(sigs, self.banding.keys(matrix), strict=True) for band, key in enumerate(row_keys)])
                self._db.execute("DELETE FROM paragraphs WHERE uid = ?", (uid,))
                self._db.execute("DELETE FROM articles WHERE uid = ?", (uid,))
                removed.append(ident)
        return removed

    def collect_interrupted(self, now: float | None = None) -> int:
        """Nothing to collect: an interrupted SQLite transaction leaves nothing behind."""
        return 0

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
            articles, oldest, newest = self._db.execute(
                "SELECT COUNT(*), MIN(added), MAX(added) FROM articles").fetchone()
            paragraphs, signed = self._db.execute(
                "SELECT COALESCE(SUM(paragraphs), 0), COALESCE(SUM(signed), 0) FROM articles").fetchone()
            meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        path = Path(self.location)
        size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
        return {"backend": "sqlite", "location": self.location, "articles": int(articles),
                "paragraphs": int(paragraphs), "signed_paragraphs": int(signed),
                "oldest_added": oldest, "newest_added": newest, "bytes": size, "settings": meta}

    def verify(self) -> list[str]:
        """SQLite's own integrity check, then: every article has all its paragraphs and LSH entries."""
        problems: list[str] = []
        with self._errors("read"), self.snapshot():
            result = [r[0] for r in self._db.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                problems.extend(f"integrity_check: {r}" for r in result)
            counted = {int(u): (int(n), int(s)) for u, n, s in self._db.execute(
                "SELECT uid, COUNT(*), COUNT(signature) FROM paragraphs GROUP BY uid")}
            buckets = {int(u): int(n) for u, n in self._db.execute(
                "SELECT uid, COUNT(*) FROM buckets GROUP BY uid")}
            known = set()
            for uid, ident, paragraphs, signed in self._db.execute(
                    "SELECT uid, id, paragraphs, signed FROM articles"):
                known.add(int(uid))
                if counted.get(int(uid), (0, 0)) != (paragraphs, signed):
                    problems.append(f"{ident}: {counted.get(int(uid))} paragraphs stored, expected {paragraphs}")
                if buckets.get(int(uid), 0) != signed * self.banding.b:
                    problems.append(f"{ident}: {buckets.get(int(uid), 0)} LSH entries, expected "
                                    f"{signed * self.banding.b}")
            for uid in (set(counted) | set(buckets)) - known:
                problems.append(f"article number {uid}: paragraphs or LSH entries without an article")
        return problems

    def close(self) -> None:
        """Close the file."""
        self._db.close()


def _chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for lo in range(0, len(items), size):
        yield list(items[lo:lo + size])

