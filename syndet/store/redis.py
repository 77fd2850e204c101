"""The index in Redis, shared by filter workers on several machines.

The LSH part is datasketch's own Redis storage (``MinHashLSH(storage_config={'type': 'redis'},
prepickle=False)``, basename ``<prefix>:lsh``), keyed by ``b"<article number>:<paragraph index>"``.
Beside it, under the same prefix:

- ``<prefix>:meta`` (hash) the settings the index was built with;
- ``<prefix>:next`` (counter) the last article number handed out;
- ``<prefix>:ids`` (hash) article id -> article number, for committed articles only;
- ``<prefix>:art:<number>`` (hash) the record: metadata, text, paragraphs, signatures, shingle hashes;
- ``<prefix>:added`` (sorted set) article number by time of addition, for expiry;
- ``<prefix>:pending`` (sorted set) article numbers whose add is in flight, by start time;
- ``<prefix>:counts`` (hash) paragraph totals, for ``index stats``.

All-or-nothing adds: an add takes fresh article numbers, marks them pending, writes their LSH
entries through datasketch, then commits every record in one server-side script (atomic in
Redis). Readers only trust LSH entries whose article record exists, so a writer killed before the
commit leaves nothing a reader can see, and one killed after it has added everything. The same
script skips ids another writer committed first, so two writers never lose each other's entries
and an id is stored once. Removal is the reverse: the records are withdrawn in one script, then
the LSH entries deleted. Entries left behind by a killed writer are collected by ``prune`` once
their pending mark is older than :data:`STALE_PENDING_S`. Plain Redis only (not Redis Cluster):
the scripts touch keys they compute.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, cast

import numpy as np
import redis
from datasketch import MinHashLSH
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from syndet.display import redact
from syndet.errors import IndexError_
from syndet.hashing.signature import SignatureView
from syndet.models import Article, Paragraph
from syndet.settings import Settings
from syndet.store.base import AddResult, Banding, Entry, ParagraphKey, StoredArticle, check_fingerprint, fingerprint

_parse_url: Callable[[str], dict[str, Any]] = redis.connection.parse_url
STALE_PENDING_S = 3600.0
"""An add still pending after this long was interrupted; ``prune`` collects its LSH entries."""

_COMMIT = """
local ids, added, pending, counts = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local prefix, n, pos = ARGV[1], tonumber(ARGV[2]), 3
local skipped = {}
for _ = 1, n do
  local id, uid, at, paras, signed, nf = ARGV[pos], ARGV[pos + 1], ARGV[pos + 2], ARGV[pos + 3], ARGV[pos + 4],
      tonumber(ARGV[pos + 5])
  local first = pos + 6
  pos = first + 2 * nf
  if redis.call('HEXISTS', ids, id) == 1 then
    table.insert(skipped, uid)
  else
    redis.call('HSET', prefix .. uid, unpack(ARGV, first, pos - 1))
    redis.call('HSET', ids, id, uid)
    redis.call('ZADD', added, at, uid)
    redis.call('HINCRBY', counts, 'paragraphs', paras)
    redis.call('HINCRBY', counts, 'signed', signed)
  end
  redis.call('ZREM', pending, uid)
end
return skipped
"""

_WITHDRAW = """
local ids, added, counts, prefix = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
local removed = {}
for i = 2, #ARGV, 2 do
  local id, uid = ARGV[i], ARGV[i + 1]
  if redis.call('HGET', ids, id) == uid then
    local sizes = redis.call('HMGET', prefix .. uid, 'n_paragraphs', 'n_signed')
    redis.call('HINCRBY', counts, 'paragraphs', -tonumber(sizes[1]))
    redis.call('HINCRBY', counts, 'signed', -tonumber(sizes[2]))
    redis.call('HDEL', ids, id)
    redis.call('DEL', prefix .. uid)
    redis.call('ZREM', added, uid)
    table.insert(removed, id)
  end
end
return removed
"""


def drop_index(url: str, prefix: str) -> None:
    """Delete every key of the index under ``prefix`` on the server at ``url`` (nothing else)."""
    client = redis.Redis.from_url(url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=10_000))
        for lo in range(0, len(keys), 1000):
            client.delete(*keys[lo:lo + 1000])
    finally:
        client.close()


class RedisStore:
    """An index in Redis (see the module documentation for the layout and the commit protocol).

    Args:
        settings: Effective settings; ``index.url`` and ``index.prefix`` locate the index.
        create: Create the index if the prefix holds none yet.

    Raises:
        IndexError_: Redis cannot be reached, the index does not exist (and ``create`` is false) or
            was built with other settings.
    """

    def __init__(self, settings: Settings, *, create: bool) -> None:
        self.url = settings.index.url
        self.location = f"{redact(self.url)} prefix {settings.index.prefix}"
        self.banding = Banding.for_settings(settings)
        self.seed = settings.minhash.seed
        self.prefix = settings.index.prefix
        try:
            params = {k: v for k, v in _parse_url(self.url).items() if k != "connection_class"}
        except (ValueError, TypeError, KeyError) as exc:
            raise IndexError_(f"{redact(self.url)}: not a Redis URL: {redact(str(exc))}") from None
        if self.url.startswith("rediss://"):
            params["ssl"] = True
        if "path" in params:  # unix:///run/redis.sock
            params["unix_socket_path"] = params.pop("path")
        params["socket_connect_timeout"] = 10
        # A few quick retries ride out a blip; a server that is down is reported within a second.
        params["retry"] = Retry(ExponentialBackoff(cap=0.5, base=0.05), 3)
        # Replies are bytes (no decode_responses); redis-py's annotations cannot say so, hence Any.
        self._redis: Any = cast(Any, redis.Redis(**params))
        self._lsh = MinHashLSH(
            threshold=self.banding.threshold, num_perm=self.banding.num_perm, params=(self.banding.b, self.banding.r),
            storage_config={"type": "redis", "basename": f"{self.prefix}:lsh".encode(), "redis": params},
            prepickle=False)
        self._k = {name: f"{self.prefix}:{name}" for name in ("meta", "next", "ids", "added", "pending", "counts")}
        self._art = f"{self.prefix}:art:"
        wanted = fingerprint(settings, self.banding)
        with self._errors("open"):
            stored = {k.decode(): v.decode() for k, v in self._redis.hgetall(self._k["meta"]).items()}
            if not stored:
                if not create:
                    raise IndexError_(f"{self.location}: no such index (create one with 'syndet index add')")
                pipe = self._redis.pipeline()
                for key, value in wanted.items():
                    pipe.hsetnx(self._k["meta"], key, value)
                pipe.hgetall(self._k["meta"])
                stored = {k.decode(): v.decode() for k, v in pipe.execute()[-1].items()}
            check_fingerprint(stored, wanted, self.location)
            self._commit = self._redis.register_script(_COMMIT)
            self._withdraw = self._redis.register_script(_WITHDRAW)

    @contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        try:
            yield
        except redis.RedisError as exc:
            message = " ".join(str(exc).split())
            raise IndexError_(f"{redact(self.url)}: cannot {doing} index: {message}") from None

    def snapshot(self) -> AbstractContextManager[None]:
        """Redis reads are not grouped; a record withdrawn meanwhile is simply not returned."""
        return nullcontext()

    def add(self, entries: Sequence[Entry], now: float | None = None) -> AddResult:
        """Store the articles not yet indexed: LSH entries first, then every record in one atomic commit."""
        added_at = time.time() if now is None else now
        with self._errors("write"):
            present = self._redis.hmget(self._k["ids"], [e.article.id for e in entries]) if entries else []
            todo = [e for e, uid in zip(entries, present, strict=True) if uid is None]
            skipped = [e.article.id for e, uid in zip(entries, present, strict=True) if uid is not None]
            if not todo:
                return AddResult((), tuple(skipped))
            last = int(self._redis.incrby(self._k["next"], len(todo)))
            uids = list(range(last - len(todo) + 1, last + 1))
            self._redis.zadd(self._k["pending"], {str(u): time.time() for u in uids})
            with self._lsh.insertion_session(buffer_size=20000) as session:
                for uid, entry in zip(uids, todo, strict=True):
                    for idx, row in zip(entry.signed, entry.signatures, strict=True):
                        session.insert(f"{uid}:{idx}".encode(), SignatureView(row, self.seed), check_duplication=False)
            args: list[Any] = [self._art, len(todo)]
            for uid, entry in zip(uids, todo, strict=True):
                fields = _record(entry, added_at)
                args.extend((entry.article.id, uid, repr(added_at), len(entry.paragraphs), len(entry.signed),
                             len(fields)))
                for name, value in fields.items():
                    args.extend((name, value))
            keys = [self._k["ids"], self._k["added"], self._k["pending"], self._k["counts"]]
            lost = {int(u) for u in self._commit(keys=keys, args=args)}
            if lost:
                self._delete_lsh([(u, e.signed) for u, e in zip(uids, todo, strict=True) if u in lost])
        added = [e.article.id for u, e in zip(uids, todo, strict=True) if u not in lost]
        skipped.extend(e.article.id for u, e in zip(uids, todo, strict=True) if u in lost)
        return AddResult(tuple(added), tuple(skipped))

    def _delete_lsh(self, items: Sequence[tuple[int, Sequence[int]]]) -> None:
        """Delete paragraphs' LSH entries through datasketch's storage, buffered.

        The band keys of each paragraph come from datasketch's own key table, so entries half
        written by an interrupted add are found too. ``MinHashLSH.remove`` is not used: it reads
        every bucket back before deleting it, dozens of round trips per paragraph. Bucket names
        whose set ends up empty are dropped from datasketch's table of names, which would otherwise
        grow for ever as articles expire; queries read the sets only, so this cannot hide an entry.
        """
        members = [f"{uid}:{idx}".encode() for uid, signed in items for idx in signed]
        if not members:
            return
        keys, tables = self._lsh.keys, self._lsh.hashtables
        pipe = self._redis.pipeline(transaction=False)
        for member in members:
            pipe.lrange(keys.redis_key(member), 0, -1)
        buckets: set[tuple[int, bytes]] = set()
        for member, band_keys in zip(members, pipe.execute(), strict=True):
            for band, key in enumerate(band_keys):
                tables[band].remove_val(key, member, buffer=True)
                buckets.add((band, key))
            keys.remove(member, buffer=True)
        for storage in (keys, *tables):
            storage.empty_buffer()
        ordered = sorted(buckets)
        pipe = self._redis.pipeline(transaction=False)
        for band, key in ordered:
            pipe.exists(tables[band].redis_key(key))
        drop = self._redis.pipeline(transaction=False)
        for (band, key), exists in zip(ordered, pipe.execute(), strict=True):
            if not exists:
                drop.hdel(tables[band]._name, key)
        drop.execute()

    def lookup(self, signatures: np.ndarray) -> list[set[ParagraphKey]]:
        """For each signature row, the paragraphs in datasketch's buckets it falls in (one round trip)."""
        keys = self.banding.keys(signatures)
        with self._errors("read"):
            pipe = self._redis.pipeline(transaction=False)
            for band_keys in keys:
                for table, key in zip(self._lsh.hashtables, band_keys, strict=True):
                    pipe.smembers(table.redis_key(key))
            replies = pipe.execute()
        out: list[set[ParagraphKey]] = []
        b = self.banding.b
        for row in range(len(keys)):
            found: set[ParagraphKey] = set()
            for members in replies[row * b:(row + 1) * b]:
                for member in members:
                    uid, _, idx = member.partition(b":")
                    found.add((int(uid), int(idx)))
            out.append(found)
        return out

    def _records(self, uids: Sequence[int], *fields: str) -> dict[int, list[Any]]:
        """Fields of committed records (an article number without a record is not committed)."""
        unique = sorted(set(uids))
        with self._errors("read"):
            pipe = self._redis.pipeline(transaction=False)
            for uid in unique:
                pipe.hmget(f"{self._art}{uid}", ["id", *fields])
            replies = pipe.execute()
        return {uid: values[1:] for uid, values in zip(unique, replies, strict=True) if values[0] is not None}

    def paragraph_hashes(self, uids: Sequence[int]) -> dict[int, dict[int, np.ndarray]]:
        """Shingle hashes of the signed paragraphs of the given committed articles."""
        out = {}
        for uid, (signed, lengths, blob) in self._records(uids, "signed", "hash_lens", "hashes").items():
            out[uid] = dict(zip(json.loads(signed), _unpack(blob, json.loads(lengths)), strict=True))
        return out

    def articles(self, uids: Sequence[int]) -> dict[int, StoredArticle]:
        """The committed articles with these numbers."""
        names = ("id", "title", "source", "published", "url", "body_start", "text", "added", "paragraphs")
        out = {}
        for uid, values in self._records(uids, *names).items():
            rec = dict(zip(names, (v.decode() if v is not None else None for v in values), strict=True))
            ident = str(rec["id"])
            article = Article(ident, str(rec["text"]), rec["title"] or None, rec["source"] or None,
                              rec["published"] or None, rec["url"] or None, None, int(str(rec["body_start"])))
            paragraphs = tuple(Paragraph(ident, i, int(s), int(e), bool(c))
                               for i, (s, e, c) in enumerate(json.loads(str(rec["paragraphs"]))))
            out[uid] = StoredArticle(uid, article, paragraphs, float(str(rec["added"])))
        return out

    def remove(self, ids: Sequence[str]) -> list[str]:
        """Withdraw the records in one script, then delete their LSH entries."""
        unique = list(dict.fromkeys(ids))
        if not unique:
            return []
        with self._errors("write"):
            uids = self._redis.hmget(self._k["ids"], unique)
            pairs = [(ident, int(uid)) for ident, uid in zip(unique, uids, strict=True) if uid is not None]
            signed = self._records([u for _, u in pairs], "signed")
            args: list[Any] = [self._art]
            for ident, uid in pairs:
                args.extend((ident, uid))
            removed = [r.decode() for r in self._withdraw(keys=[self._k["ids"], self._k["added"], self._k["counts"]],
                                                          args=args)]
            gone = set(removed)
            self._delete_lsh([(uid, json.loads(signed[uid][0])) for ident, uid in pairs
                              if ident in gone and uid in signed])
        return removed

    def find(self, ids: Sequence[str]) -> dict[str, int]:
        """The article numbers of those of ``ids`` that are committed."""
        unique = list(dict.fromkeys(ids))
        if not unique:
            return {}
        with self._errors("read"):
            uids = self._redis.hmget(self._k["ids"], unique)
        return {ident: int(uid) for ident, uid in zip(unique, uids, strict=True) if uid is not None}

    def published(self) -> Iterator[tuple[str, str | None]]:
        """Every committed article's id and stored publication time, in the order they were added."""
        with self._errors("read"):
            uids = [int(u) for u in self._redis.zrange(self._k["added"], 0, -1)]
        for start in range(0, len(uids), 1000):
            chunk = uids[start:start + 1000]
            records = self._records(chunk, "id", "published")
            for uid in chunk:
                if uid in records:
                    ident, published = records[uid][0], records[uid][1]
                    yield ident.decode(), (published.decode() or None) if published is not None else None

    def older_than(self, cutoff: float) -> list[str]:
        """Ids of articles added before ``cutoff``, oldest first."""
        with self._errors("read"):
            uids = [int(u) for u in self._redis.zrangebyscore(self._k["added"], "-inf", f"({cutoff!r}")]
        records = self._records(uids, "id")
        return [records[uid][0].decode() for uid in uids if uid in records]

    def collect_interrupted(self, now: float | None = None) -> int:
        """Delete LSH entries of adds that were interrupted (pending for too long, or never committed).

        Returns:
            Number of paragraph entries deleted.
        """
        clock = time.time() if now is None else now
        with self._errors("write"):
            committed = {int(u) for u in self._redis.zrange(self._k["added"], 0, -1)}
            stale = self._redis.zrangebyscore(self._k["pending"], "-inf", f"({clock - STALE_PENDING_S!r}")
            recent = {int(u) for u in self._redis.zrangebyscore(self._k["pending"], clock - STALE_PENDING_S, "+inf")}
            orphans: dict[int, list[int]] = {}
            for key in self._lsh.keys.keys():  # noqa: SIM118 - a datasketch storage, not a dict
                uid, _, idx = key.partition(b":")
                if int(uid) not in committed and int(uid) not in recent:
                    orphans.setdefault(int(uid), []).append(int(idx))
            self._delete_lsh(list(orphans.items()))
            if stale:
                self._redis.zrem(self._k["pending"], *stale)
        return sum(len(v) for v in orphans.values())

    def stats(self) -> dict[str, Any]:
        """Counts, time range, memory used by Redis and the settings the index was built with."""
        with self._errors("read"):
            pipe = self._redis.pipeline(transaction=False)
            pipe.hlen(self._k["ids"])
            pipe.zrange(self._k["added"], 0, 0, withscores=True)
            pipe.zrange(self._k["added"], -1, -1, withscores=True)
            pipe.hmget(self._k["counts"], ["paragraphs", "signed"])
            pipe.zcard(self._k["pending"])
            pipe.hgetall(self._k["meta"])
            pipe.info("memory")
            count, oldest, newest, sizes, pending, meta, memory = pipe.execute()
        return {"backend": "redis", "location": self.location, "articles": int(count),
                "paragraphs": int(sizes[0] or 0), "signed_paragraphs": int(sizes[1] or 0),
                "oldest_added": oldest[0][1] if oldest else None, "newest_added": newest[0][1] if newest else None,
                "pending_adds": int(pending), "redis_used_memory": int(memory.get("used_memory", 0)),
                "settings": {k.decode(): v.decode() for k, v in meta.items()}}

    def verify(self) -> list[str]:
        """Every committed article has its id, all its paragraphs, and all its LSH entries in datasketch's storage."""
        problems: list[str] = []
        with self._errors("read"):
            uids = [int(u) for u in self._redis.zrange(self._k["added"], 0, -1)]
            ids = {k.decode(): int(v) for k, v in self._redis.hgetall(self._k["ids"]).items()}
            if sorted(ids.values()) != sorted(uids):
                problems.append(f"{len(ids)} ids but {len(uids)} articles by time of addition")
            names = ("id", "paragraphs", "signed", "sigs", "hash_lens", "n_paragraphs")
            for uid, values in self._records(uids, *names).items():
                problems.extend(self._verify_one(uid, dict(zip(names, values, strict=True)), ids))
        return problems

    def _verify_one(self, uid: int, rec: dict[str, Any], ids: dict[str, int]) -> list[str]:
        ident = rec["id"].decode()
        out = []
        if ids.get(ident) != uid:
            out.append(f"{ident}: id does not point to article number {uid}")
        if len(json.loads(rec["paragraphs"])) != int(rec["n_paragraphs"]):
            out.append(f"{ident}: paragraphs incomplete")
        signed = json.loads(rec["signed"])
        sigs = np.frombuffer(rec["sigs"], dtype="<u4").reshape(len(signed), -1) if signed else np.empty((0, 0))
        if len(json.loads(rec["hash_lens"])) != len(signed):
            out.append(f"{ident}: shingle hashes incomplete")
        pipe = self._redis.pipeline(transaction=False)
        for idx, row in zip(signed, self.banding.keys(sigs) if signed else [], strict=True):
            member = f"{uid}:{idx}".encode()
            pipe.lrange(self._lsh.keys.redis_key(member), 0, -1)
            for table, key in zip(self._lsh.hashtables, row, strict=True):
                pipe.sismember(table.redis_key(key), member)
        replies = pipe.execute()
        step = self.banding.b + 1
        for n, idx in enumerate(signed):
            chunk = replies[n * step:(n + 1) * step]
            if not all(chunk[1:]) or len(chunk[0]) != self.banding.b:
                out.append(f"{ident}: LSH entries of paragraph {idx} incomplete")
        return out

    def close(self) -> None:
        """Close the connections."""
        self._redis.close()


def _record(entry: Entry, added_at: float) -> dict[str, Any]:
    """The fields of an article's record hash."""
    art = entry.article
    lengths = [len(h) for h in entry.hashes]
    blob = np.concatenate([np.asarray(h, dtype="<u4") for h in entry.hashes]).tobytes() if entry.hashes else b""
    return {
        "id": art.id, "title": art.title or "", "source": art.source or "", "published": art.published or "",
        "url": art.url or "", "body_start": art.body_start, "text": art.text, "added": repr(added_at),
        "paragraphs": json.dumps([[p.start, p.end, int(p.chrome)] for p in entry.paragraphs], separators=(",", ":")),
        "n_paragraphs": len(entry.paragraphs), "n_signed": len(entry.signed),
        "signed": json.dumps(list(entry.signed)), "sigs": np.asarray(entry.signatures, dtype="<u4").tobytes(),
        "hash_lens": json.dumps(lengths), "hashes": blob,
    }


def _unpack(blob: bytes, lengths: Sequence[int]) -> list[np.ndarray]:
    flat = np.frombuffer(blob, dtype="<u4").astype(np.uint32)
    bounds = np.cumsum([0, *lengths])
    return [flat[bounds[i]:bounds[i + 1]] for i in range(len(lengths))]
