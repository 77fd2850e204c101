"""The index in Redis, shared by filter workers on several machines.

Keys, all under the index's prefix:

- ``<prefix>:meta`` (hash) the settings the index was built with;
- ``<prefix>:next`` (counter) the last article number handed out;
- ``<prefix>:ids`` (hash) article id -> article number, for committed articles only;
- ``<prefix>:art:<number>`` (hash) a committed article's record: metadata, text (zlib-compressed,
  ``text_z``), paragraphs, shingle hashes; ``<prefix>:pend:<number>`` the same record while its add is in flight;
- ``<prefix>:p:<shard>`` (string) LSH postings: a band key's top :data:`SHARD_BITS` bits choose
  the shard (named by those bits as 3 bytes, big-endian), which is a run of 13-byte records: the
  key's low 40 bits then the posting's ref (article number and paragraph,
  :mod:`syndet.store.postings`), appended as adds come; a shard holds a few dozen records at a
  million articles, and keeps at most ``index.max_postings`` of one key (the latest: see
  :data:`_POSTINGS`); a lookup fetches the shards of all its band keys with one ``MGET`` and picks
  its keys' records out of them;
- ``<prefix>:added`` (sorted set) article number by time of addition, for expiry;
- ``<prefix>:pending`` (sorted set) article numbers whose add is in flight, by start time;
- ``<prefix>:counts`` (hash) paragraph totals, for ``index stats``.

Records and postings are written by server-side scripts fed packed buffers, and a lookup is one
``MGET`` of its shards, so a batch of articles or a check is a handful of round trips whatever its size.

All-or-nothing adds: an add takes fresh article numbers, marks them pending, writes their records
as pending records and their postings, then commits every record in one script (atomic in Redis)
that renames it into place. Readers only trust postings whose article record exists, so a writer
killed before the commit leaves nothing a reader can see, and one killed after it has added
everything. The same script skips ids another writer committed first, so two writers never lose
each other's entries and an id is stored once. Removal is the reverse: the records are withdrawn
in one script, then the postings (recomputed from the shingle hashes) deleted. What a killed
writer left behind is collected by ``prune`` once its pending mark is older than
:data:`STALE_PENDING_S`. Plain Redis only (not Redis Cluster): the scripts touch keys they compute.
"""

from __future__ import annotations

import re
import struct
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, cast

import numpy as np
import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from syndet.display import redact
from syndet.errors import IndexError_
from syndet.hashing.signature import permutations, signatures
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

_parse_url: Callable[[str], dict[str, Any]] = redis.connection.parse_url
STALE_PENDING_S = 3600.0
"""An add still pending after this long was interrupted; ``prune`` collects what it left."""
SHARD_BITS = 22
"""Bits of a band key choosing its shard: 4 million shards, a few dozen postings each at a million articles."""
_RECORD = 16  # shard (3 bytes) + member (13 bytes)
POSTINGS_LAYOUT = "strings/2"
"""How the postings are kept, recorded in the index's meta: shards as strings of appended records."""
_MGET = 10_000  # shards fetched per MGET
_CHUNK = 20_000  # postings per script call, so that no call holds the server for long
_RECORDS_PER_CALL = 250  # records written per script call
_TRIM_RECORDS = 2
"""A shard is trimmed (:data:`_POSTINGS`) each time it grows by this many times ``max_postings`` records."""

_POSTINGS = """
local prefix, runs, members = ARGV[1], ARGV[2], ARGV[3]
local keep, trim_at = tonumber(ARGV[4] or 0), tonumber(ARGV[5] or 0)
local pos = 1
for i = 1, #runs, 6 do
  local d, e, f = string.byte(runs, i + 3, i + 5)
  local size = 13 * (d * 65536 + e * 256 + f)
  local key = prefix .. string.sub(runs, i, i + 2)
  local n = redis.call('APPEND', key, string.sub(members, pos, pos + size - 1))
  pos = pos + size
  if trim_at > 0 and n >= trim_at and math.floor(n / trim_at) > math.floor((n - size) / trim_at) then
    local shard = redis.call('GET', key)
    local over = {}
    for j = 1, #shard, 13 do
      local k = string.sub(shard, j, j + 4)
      over[k] = (over[k] or -keep) + 1
    end
    local kept, dropped = {}, 0
    for j = 1, #shard, 13 do
      local k = string.sub(shard, j, j + 4)
      if over[k] > 0 then
        over[k] = over[k] - 1
        dropped = dropped + 1
      else
        kept[#kept + 1] = string.sub(shard, j, j + 12)
      end
    end
    if dropped > 0 then
      redis.call('SET', key, table.concat(kept))
    end
  end
end
return (pos - 1) / 13
"""
"""Appends records to their shards. A shard crossing a multiple of ``trim_at`` bytes keeps only
the last ``keep`` records of each key (the ones a lookup reads): the key of a paragraph thousands
of articles print (a boilerplate line, a much-run story) would otherwise grow its shard, and every
lookup of its neighbours, without end."""
_POSTINGS_REMOVE = """
local prefix, runs, members = ARGV[1], ARGV[2], ARGV[3]
local pos, removed = 1, 0
for i = 1, #runs, 6 do
  local d, e, f = string.byte(runs, i + 3, i + 5)
  local size = 13 * (d * 65536 + e * 256 + f)
  local key = prefix .. string.sub(runs, i, i + 2)
  local gone = {}
  for j = pos, pos + size - 1, 13 do
    gone[string.sub(members, j, j + 12)] = true
  end
  pos = pos + size
  local shard = redis.call('GET', key)
  if shard then
    local kept = {}
    for j = 1, #shard, 13 do
      local rec = string.sub(shard, j, j + 12)
      if gone[rec] then removed = removed + 1 else kept[#kept + 1] = rec end
    end
    if #kept == 0 then
      redis.call('DEL', key)
    elseif #kept * 13 < #shard then
      redis.call('SET', key, table.concat(kept))
    end
  end
end
return removed
"""


_FIELDS = ("id", "title", "source", "published", "url", "body_start", "text_z", "added", "paragraphs",
           "n_paragraphs", "n_signed", "signed", "hash_lens", "hashes")
"""The fields of an article's record, in the order :data:`_PENDING` reads them."""
_PENDING = """
local pending, pend, at, blob = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local fields = {""" + ", ".join(f"'{f}'" for f in _FIELDS) + """}
local pos, n = 1, 0
while pos <= #blob do
  local values = {}
  for k = 0, #fields do
    local size = struct.unpack('>I4', blob, pos)
    values[k] = string.sub(blob, pos + 4, pos + 3 + size)
    pos = pos + 4 + size
  end
  redis.call('ZADD', pending, at, values[0])
  local args = {}
  for k = 1, #fields do
    args[2 * k - 1] = fields[k]
    args[2 * k] = values[k]
  end
  redis.call('HSET', pend .. values[0], unpack(args))
  n = n + 1
end
return n
"""

_COMMIT = """
local ids, added, pending, counts = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local art, pend, n, pos = ARGV[1], ARGV[2], tonumber(ARGV[3]), 4
local skipped = {}
for _ = 1, n do
  local id, uid, at, paras, signed = ARGV[pos], ARGV[pos + 1], ARGV[pos + 2], ARGV[pos + 3], ARGV[pos + 4]
  pos = pos + 5
  if redis.call('HEXISTS', ids, id) == 1 or redis.call('EXISTS', pend .. uid) == 0 then
    table.insert(skipped, uid)
  else
    redis.call('RENAME', pend .. uid, art .. uid)
    redis.call('HSET', ids, id, uid)
    redis.call('ZADD', added, at, uid)
    redis.call('HINCRBY', counts, 'paragraphs', paras)
    redis.call('HINCRBY', counts, 'signed', signed)
    redis.call('ZREM', pending, uid)
  end
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
        _delete_under(client, f"{prefix}:".encode())
    finally:
        client.close()


def _delete_under(client: Any, start: bytes) -> None:
    """Delete every key that starts with ``start`` (taken literally, not as a pattern), a
    thousand at a time."""
    pattern = re.sub(rb"([*?\[\]\\])", rb"\\\1", start) + b"*"
    batch: list[bytes] = []
    for key in client.scan_iter(match=pattern, count=10_000):
        batch.append(key)
        if len(batch) >= 1_000:
            client.unlink(*batch)
            batch = []
    if batch:
        client.unlink(*batch)


class RedisStore:
    """An index in Redis (see the module documentation for the layout and the commit protocol).

    Args:
        settings: Effective settings; ``index.url`` and ``index.prefix`` locate the index.
        create: Create the index if the prefix holds none yet.
        upgrade: Open an index whose postings are in an earlier layout, for :meth:`upgrade` (any
            other use of it finds nothing).

    Raises:
        IndexError_: Redis cannot be reached, the index does not exist (and ``create`` is false),
            was built with other settings, or keeps its postings in an earlier layout (and
            ``upgrade`` is false).
    """

    def __init__(self, settings: Settings, *, create: bool, upgrade: bool = False) -> None:
        self.url = settings.index.url
        self.location = f"{redact(self.url)} prefix {settings.index.prefix}"
        self.banding = Banding.for_settings(settings)
        self.perms = permutations(settings.minhash.num_perm, settings.minhash.seed)
        self.cap = settings.index.max_postings
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
        self._k = {name: f"{self.prefix}:{name}" for name in ("meta", "next", "ids", "added", "pending", "counts")}
        self._art = f"{self.prefix}:art:"
        self._pend = f"{self.prefix}:pend:"
        self._shard = f"{self.prefix}:p:"
        self._shard_name = self._shard.encode()
        wanted = {**fingerprint(settings, self.banding), "redis.postings": POSTINGS_LAYOUT}
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
            self.outdated = stored.get("redis.postings") != POSTINGS_LAYOUT
            if self.outdated and not upgrade:
                raise IndexError_(f"{self.location}: the index keeps its postings in an earlier layout; "
                                  "rebuild them with 'syndet index upgrade' (the articles are kept)")
            self._pending = self._redis.register_script(_PENDING)
            self._commit = self._redis.register_script(_COMMIT)
            self._withdraw = self._redis.register_script(_WITHDRAW)
            self._write_postings = self._redis.register_script(_POSTINGS)
            self._remove_postings = self._redis.register_script(_POSTINGS_REMOVE)

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

    def bulk(self) -> AbstractContextManager[None]:
        """Nothing to defer: each add writes its postings in place."""
        return nullcontext()

    def add(self, entries: Sequence[Entry], now: float | None = None) -> AddResult:
        """Store the articles not yet indexed: pending records and postings first, then every
        record in one atomic commit."""
        added_at = time.time() if now is None else now
        with self._errors("write"):
            present = self._redis.hmget(self._k["ids"], [e.article.id for e in entries]) if entries else []
            todo = [e for e, uid in zip(entries, present, strict=True) if uid is None]
            skipped = [e.article.id for e, uid in zip(entries, present, strict=True) if uid is not None]
            if not todo:
                return AddResult((), tuple(skipped))
            last = int(self._redis.incrby(self._k["next"], len(todo)))
            uids = list(range(last - len(todo) + 1, last + 1))
            # Each record is marked pending and written by one script: packed here into one
            # buffer of length-prefixed values, a few hundred records a call.
            for lo in range(0, len(todo), _RECORDS_PER_CALL):
                blob = b"".join(_packed_record(uid, entry, added_at) for uid, entry in
                                zip(uids[lo:lo + _RECORDS_PER_CALL], todo[lo:lo + _RECORDS_PER_CALL], strict=True))
                self._pending(keys=[self._k["pending"]], args=[self._pend, repr(time.time()), blob])
            self._append_postings(self._packed([(u, e.signed, e.signatures)
                                                for u, e in zip(uids, todo, strict=True)]))
            args: list[Any] = [self._art, self._pend, len(todo)]
            for uid, entry in zip(uids, todo, strict=True):
                args.extend((entry.article.id, uid, repr(added_at), len(entry.paragraphs), len(entry.signed)))
            keys = [self._k["ids"], self._k["added"], self._k["pending"], self._k["counts"]]
            lost = {int(u) for u in self._commit(keys=keys, args=args)}
            if lost:
                gone = [(u, e.signed, e.signatures) for u, e in zip(uids, todo, strict=True) if u in lost]
                self._postings(self._remove_postings, self._packed(gone))
                self._redis.delete(*[f"{self._pend}{u}" for u in lost])
                self._redis.zrem(self._k["pending"], *[str(u) for u in lost])
        added = [e.article.id for u, e in zip(uids, todo, strict=True) if u not in lost]
        skipped.extend(e.article.id for u, e in zip(uids, todo, strict=True) if u in lost)
        return AddResult(tuple(added), tuple(skipped))

    def upgrade(self, done: Callable[[int, int], None] | None = None,
                warn: Callable[[str], None] | None = None) -> int:
        """Rebuild the postings of every committed article in the current layout, from the shingle
        hashes its record keeps (the articles themselves are not touched).

        Every key under ``<prefix>:p:`` is deleted first and the layout is recorded last, so an
        upgrade that is interrupted is simply run again. No other writer may use the index
        meanwhile, and lookups find nothing until it ends.

        Args:
            done: Called with (articles seen, articles in all) after each thousand.
            warn: Told of each article whose stored hashes are damaged (its postings are not
                rebuilt; the rest are).

        Returns:
            The number of articles whose postings were rebuilt (0 when the layout was current).
        """
        if not self.outdated:
            return 0
        rebuilt = 0
        with self._errors("upgrade"):
            _delete_under(self._redis, self._shard_name)
            uids = [int(u) for u in self._redis.zrange(self._k["added"], 0, -1)]
            for start in range(0, len(uids), 1_000):
                chunk = uids[start:start + 1_000]
                items = []
                for uid, values in self._records(chunk, "signed", "hash_lens", "hashes").items():
                    try:
                        if None in values:
                            raise IndexError_("its stored shingle hashes are missing")
                        items.append((uid, *self._signatures(unpack_hashes(*values))))
                    except IndexError_ as exc:
                        if warn is not None:
                            warn(f"{self.location}: article number {uid}: {exc}; its postings were not rebuilt")
                self._append_postings(self._packed(items))
                rebuilt += len(items)
                if done is not None:
                    done(start + len(chunk), len(uids))
            self._redis.hset(self._k["meta"], "redis.postings", POSTINGS_LAYOUT)
        self.outdated = False
        return rebuilt

    def _packed(self, items: Sequence[tuple[int, Sequence[int], np.ndarray]]) -> np.ndarray:
        """Postings of paragraphs as script records: shard (3 bytes), low key (5), ref (8)."""
        flat_keys, flat_refs = self.banding.postings(items)
        if not len(flat_keys):
            return np.empty((0, _RECORD), dtype=np.uint8)
        # Sorted by key, so that the postings of one shard are neighbours and are written by one command.
        order = np.argsort(flat_keys, kind="stable")
        return np.concatenate([_key_bytes(flat_keys[order]),
                               flat_refs[order].astype(">u8").view(np.uint8).reshape(-1, 8)], axis=1)

    def _postings(self, script: Any, records: np.ndarray, *extra: int) -> None:
        """Run a postings script over records sorted by shard, a chunk at a time: each call gets
        the runs of one shard (shard, 3 bytes; records, 3 bytes) and the members, back to back,
        then ``extra``."""
        for lo in range(0, len(records), _CHUNK):
            chunk = records[lo:lo + _CHUNK]
            shard = chunk[:, 0].astype(np.uint32) << 16 | chunk[:, 1].astype(np.uint32) << 8 | chunk[:, 2]
            starts = np.flatnonzero(np.r_[True, shard[1:] != shard[:-1]])
            sizes = np.diff(np.r_[starts, len(chunk)])
            runs = np.concatenate([chunk[starts, :3], sizes.astype(">u4").view(np.uint8).reshape(-1, 4)[:, 1:]],
                                  axis=1)
            script(args=[self._shard, runs.tobytes(), chunk[:, 3:].tobytes(), *extra])

    def _append_postings(self, records: np.ndarray) -> None:
        """Append records to their shards, each shard trimmed as it grows (:data:`_POSTINGS`)."""
        self._postings(self._write_postings, records, self.cap, _TRIM_RECORDS * self.cap * 13)

    def _signatures(self, hashes: dict[int, np.ndarray]) -> tuple[list[int], np.ndarray]:
        """An article's signed paragraphs and their signatures, recomputed from the stored hashes
        exactly as they were computed when it was added."""
        signed = list(hashes)
        return signed, signatures([hashes[i] for i in signed], self.perms) if signed else np.empty((0, 0))

    def lookup(self, signatures: np.ndarray) -> Found:
        """The paragraphs sharing one of each signature row's bands (one round trip; at most
        ``index.max_postings`` per band, the latest written).

        The shards of all the band keys are fetched with one ``MGET`` and searched here, by
        compiled code: the server only looks them up.
        """
        keys = self.banding.hashed(signatures)
        if not len(keys):
            return Found.of(np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint64))
        queries = _key_bytes(keys.ravel())
        shard_bytes = queries[:, :3].tobytes()
        names = [self._shard_name + shard_bytes[i:i + 3] for i in range(0, len(shard_bytes), 3)]
        with self._errors("read"):
            replies = []
            for lo in range(0, len(names), _MGET):
                replies.extend(self._redis.mget(names[lo:lo + _MGET]))
        sizes = np.array([len(r) if r else 0 for r in replies], dtype=np.int64)
        if (sizes % 13).any():
            raise IndexError_(f"{self.location}: a postings shard is damaged (its length is not a whole "
                              "number of records)")
        from syndet.store.ranges import shard_hits  # compiled code, loaded on the first lookup

        blob = np.frombuffer(b"".join(r for r in replies if r), dtype=np.uint8)
        query, refs = shard_hits(blob, sizes, queries, self.cap)  # at most ``cap`` per key, the latest
        return Found.of(query // self.banding.b, refs)

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
        return {uid: unpack_hashes(*values) for uid, values in
                self._records(uids, "signed", "hash_lens", "hashes").items()}

    def present(self, uids: Sequence[int]) -> set[int]:
        """Those of the article numbers whose record is committed."""
        unique = sorted(set(uids))
        with self._errors("read"):
            pipe = self._redis.pipeline(transaction=False)
            for uid in unique:
                pipe.hexists(f"{self._art}{uid}", "id")
            return {uid for uid, there in zip(unique, pipe.execute(), strict=True) if there}

    def articles(self, uids: Sequence[int]) -> dict[int, StoredArticle]:
        """The committed articles with these numbers."""
        names = ("id", "title", "source", "published", "url", "body_start", "added")
        out = {}
        for uid, values in self._records(uids, *names, "paragraphs", "text_z").items():
            rec = dict(zip(names, (v.decode() for v in values[:-2]), strict=True))
            ident = str(rec["id"])
            try:
                text = zlib.decompress(values[-1]).decode("utf-8")
            except (zlib.error, UnicodeDecodeError) as exc:
                raise IndexError_(f"{self.location}: the stored text of {ident} is damaged ({exc})") from None
            article = Article(ident, text, rec["title"] or None, rec["source"] or None,
                              rec["published"] or None, rec["url"] or None, None, int(rec["body_start"]))
            out[uid] = StoredArticle(uid, article, unpack_paragraphs(ident, values[-2]), float(rec["added"]))
        return out

    def remove(self, ids: Sequence[str]) -> list[str]:
        """Withdraw the records in one script, then delete their postings."""
        unique = list(dict.fromkeys(ids))
        removed: list[str] = []
        for start in range(0, len(unique), 1000):
            removed.extend(self._remove(unique[start:start + 1000]))
        return removed

    def _remove(self, unique: Sequence[str]) -> list[str]:
        with self._errors("write"):
            uids = self._redis.hmget(self._k["ids"], unique)
            pairs = [(ident, int(uid)) for ident, uid in zip(unique, uids, strict=True) if uid is not None]
            hashes = self.paragraph_hashes([u for _, u in pairs])
            args: list[Any] = [self._art]
            for ident, uid in pairs:
                args.extend((ident, uid))
            removed = [r.decode() for r in self._withdraw(keys=[self._k["ids"], self._k["added"], self._k["counts"]],
                                                          args=args)]
            gone = set(removed)
            items = [(uid, *self._signatures(hashes[uid])) for ident, uid in pairs if ident in gone and uid in hashes]
            self._postings(self._remove_postings, self._packed(items))
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
        out: list[str] = []
        for start in range(0, len(uids), 1000):
            chunk = uids[start:start + 1000]
            records = self._records(chunk, "id")
            out.extend(records[uid][0].decode() for uid in chunk if uid in records)
        return out

    def collect_interrupted(self, now: float | None = None) -> int:
        """Delete what interrupted adds left: pending records older than :data:`STALE_PENDING_S`
        and their postings.

        Returns:
            Number of paragraph postings deleted.
        """
        clock = time.time() if now is None else now
        deleted = 0
        with self._errors("write"):
            stale = [int(u) for u in
                     self._redis.zrangebyscore(self._k["pending"], "-inf", f"({clock - STALE_PENDING_S!r}")]
            for start in range(0, len(stale), 1000):
                chunk = stale[start:start + 1000]
                pipe = self._redis.pipeline(transaction=False)
                for uid in chunk:
                    pipe.hmget(f"{self._pend}{uid}", ["signed", "hash_lens", "hashes"])
                items = []
                for uid, values in zip(chunk, pipe.execute(), strict=True):
                    if values[0] is not None:
                        items.append((uid, *self._signatures(unpack_hashes(*values))))
                records = self._packed(items)
                self._postings(self._remove_postings, records)
                deleted += len(records) // self.banding.b
                self._redis.delete(*[f"{self._pend}{u}" for u in chunk])
                self._redis.zrem(self._k["pending"], *[str(u) for u in chunk])
        return deleted

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
        """Every committed article has its id, whole paragraphs and hashes, and all its postings."""
        problems: list[str] = []
        with self._errors("read"):
            uids = [int(u) for u in self._redis.zrange(self._k["added"], 0, -1)]
            ids = {k.decode(): int(v) for k, v in self._redis.hgetall(self._k["ids"]).items()}
            if sorted(ids.values()) != sorted(uids):
                problems.append(f"{len(ids)} ids but {len(uids)} articles by time of addition")
            names = ("id", "paragraphs", "signed", "hash_lens", "hashes", "n_paragraphs", "n_signed")
            for start in range(0, len(uids), 500):
                for uid, values in self._records(uids[start:start + 500], *names).items():
                    problems.extend(self._verify_one(uid, dict(zip(names, values, strict=True)), ids))
        return problems

    def _verify_one(self, uid: int, rec: dict[str, Any], ids: dict[str, int]) -> list[str]:
        ident = rec["id"].decode()
        out = []
        if ids.get(ident) != uid:
            out.append(f"{ident}: id does not point to article number {uid}")
        if len(rec["paragraphs"]) != 24 * int(rec["n_paragraphs"]) or len(rec["signed"]) != 4 * int(rec["n_signed"]):
            out.append(f"{ident}: paragraphs incomplete")
            return out
        if int(np.frombuffer(rec["hash_lens"], dtype="<i4").sum()) * 4 != len(rec["hashes"]):
            out.append(f"{ident}: shingle hashes incomplete")
            return out
        records = self._packed([(uid, *self._signatures(unpack_hashes(rec["signed"], rec["hash_lens"],
                                                                      rec["hashes"])))])
        shards = [r[:3].tobytes() for r in records]
        pipe = self._redis.pipeline(transaction=False)
        for shard in dict.fromkeys(shards):
            pipe.get(self._shard_name + shard)
        held = {shard: _members(blob) for shard, blob in zip(dict.fromkeys(shards), pipe.execute(), strict=True)}
        per_key = {shard: Counter(m[:5] for m in members) for shard, members in held.items()}
        # A posting is missing unless its key holds max_postings later ones (a trimmed shard dropped it).
        missing = sum(r[3:].tobytes() not in held[shard] and per_key[shard][r[3:8].tobytes()] < self.cap
                      for shard, r in zip(shards, records, strict=True))
        if missing:
            out.append(f"{ident}: {missing} of its {len(records)} LSH postings are missing")
        return out

    def share(self, other: Store) -> None:
        """Nothing to take over: every read goes to the server."""

    def close(self) -> None:
        """Close the connections."""
        self._redis.close()


def _members(shard: bytes | None) -> set[bytes]:
    """The records a postings shard holds."""
    if not shard:
        return set()
    return {shard[i:i + 13] for i in range(0, len(shard) - len(shard) % 13, 13)}


def _key_bytes(keys: np.ndarray) -> np.ndarray:
    """Band keys as ``(n, 8)`` bytes: the shard (top :data:`SHARD_BITS` bits, 3 bytes big-endian)
    then the low 40 bits (5 bytes big-endian)."""
    keys = np.asarray(keys, dtype=np.uint64)
    shard = (keys >> np.uint64(64 - SHARD_BITS)).astype(">u4").view(np.uint8).reshape(-1, 4)[:, 1:]
    low = (keys & np.uint64((1 << 40) - 1)).astype(">u8").view(np.uint8).reshape(-1, 8)[:, 3:]
    return np.concatenate([shard, low], axis=1)


def _packed_record(uid: int, entry: Entry, added_at: float) -> bytes:
    """An article's number and record fields (:data:`_FIELDS`), each prefixed by its length."""
    art = entry.article
    packed = stored_form(entry)
    fields: dict[str, str | bytes] = {
        "id": art.id, "title": art.title or "", "source": art.source or "", "published": art.published or "",
        "url": art.url or "", "body_start": str(art.body_start),
        "text_z": zlib.compress(art.text.encode("utf-8"), 1), "added": repr(added_at),
        "paragraphs": packed.paragraphs, "n_paragraphs": str(len(entry.paragraphs)),
        "n_signed": str(len(entry.signed)), "signed": packed.signed, "hash_lens": packed.hash_lengths,
        "hashes": packed.hashes,
    }
    values = [str(uid).encode()] + [v.encode() if isinstance(v, str) else v for v in map(fields.__getitem__, _FIELDS)]
    return b"".join(struct.pack(">I", len(v)) + v for v in values)
