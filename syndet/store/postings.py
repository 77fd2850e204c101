"""LSH band postings on disk: sorted runs of ``(band key, paragraph)`` in memory-mapped files.

An index's postings grow by hundreds per article (every content paragraph has one per band), so
they are never inserted one by one into a B-tree. Each add writes its postings as one run sorted by
key (a *segment*: two raw little-endian ``uint64`` files, ``<name>.keys`` and ``<name>.refs``);
runs of one level are merged into one of the next level once :data:`FANOUT` of them exist, so a
lookup binary-searches a few dozen memory-mapped arrays whatever the size of the index. Merging
drops postings of articles no longer indexed. Which segments make up the index is recorded by the
backend in the same transaction as the articles they belong to; a file no transaction names is
left over from an interrupted add and is deleted by the next writer.

A posting's ``ref`` packs the article number and paragraph index: ``uid << 20 | idx``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from syndet.errors import IndexError_

FANOUT = 8
"""Segments of one level merged into one of the next level."""
BULK_FANOUT = 64
"""The same during a bulk load (:meth:`syndet.store.sqlite.SQLiteStore.bulk`), which ends by
merging everything into one run when it wrote most of the index: a lookup searches one run
instead of one per segment."""
IDX_BITS = 20
"""Bits of a posting's ref that hold the paragraph index (at most about a million per article)."""
MERGE_CHUNK = 8_000_000
"""Postings sorted at once while merging (memory: about 40 bytes each)."""
FENCE = 64
"""Every this many keys of a segment, one is copied into its fence: a small sorted array held in
memory that narrows each search to one block of the memory-mapped keys."""
_SUFFIXES = (".keys", ".refs", ".fence")


def _paths(folder: Path, name: str) -> list[Path]:
    """The files of one segment: its keys, refs and fence."""
    return [folder / f"{name}{suffix}" for suffix in _SUFFIXES]


@dataclass(frozen=True)
class SegmentInfo:
    """One registered run: its file name stem, level and number of postings."""

    name: str
    level: int
    count: int


class Segment:
    """A run opened for reading: its keys and refs memory-mapped."""

    def __init__(self, folder: Path, info: SegmentInfo) -> None:
        self.info = info
        if info.count == 0:
            self.keys = np.empty(0, dtype="<u8")
            self.refs = np.empty(0, dtype="<u8")
            self.fence = np.empty(0, dtype="<u8")
            return
        try:
            # Plain views of the maps: numpy's memmap subclass costs time on every search.
            self.keys = np.memmap(folder / f"{info.name}.keys", dtype="<u8", mode="r",
                                  shape=(info.count,)).view(np.ndarray)
            self.refs = np.memmap(folder / f"{info.name}.refs", dtype="<u8", mode="r",
                                  shape=(info.count,)).view(np.ndarray)
            fence = folder / f"{info.name}.fence"
            self.fence = (np.fromfile(fence, dtype="<u8") if fence.exists()
                          else np.ascontiguousarray(self.keys[::FENCE]))
        except (OSError, ValueError) as exc:
            raise IndexError_(f"{folder}: postings segment {info.name} cannot be read: {exc}") from None


def refs_of(uids: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Pack article numbers and paragraph indexes into posting refs."""
    return (np.asarray(uids, dtype=np.uint64) << np.uint64(IDX_BITS)) | np.asarray(idx, dtype=np.uint64)


def unpack(refs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Article numbers and paragraph indexes of posting refs."""
    refs = np.asarray(refs, dtype=np.uint64)
    return (refs >> np.uint64(IDX_BITS)).astype(np.int64), (refs & np.uint64((1 << IDX_BITS) - 1)).astype(np.int64)


class Postings:
    """The segment files of one index, in one folder.

    Args:
        folder: Where the segment files live (created when missing unless ``readonly``).
        readonly: Open for reading only.
    """

    def __init__(self, folder: Path, *, readonly: bool = False) -> None:
        self.folder = folder
        self._open: dict[str, Segment] = {}
        if not readonly:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise IndexError_(f"{folder}: cannot create the postings folder: {exc}") from None

    # -- reading --------------------------------------------------------------------------------

    def segments(self, infos: Iterable[SegmentInfo]) -> list[Segment]:
        """The given segments opened (kept open between calls; ones no longer listed are closed)."""
        wanted = {i.name: i for i in infos}
        for name in list(self._open):
            if name not in wanted:
                del self._open[name]
        for name, info in wanted.items():
            if name not in self._open:
                self._open[name] = Segment(self.folder, info)
        return [self._open[n] for n in wanted]

    def share(self, other: Postings) -> None:
        """Use the segments ``other`` (of the same folder) has open, for those this one has not: a
        forked worker takes over its parent's maps and fences instead of reading the fences again
        (the fence of a million articles' run is 40 MB)."""
        if other.folder == self.folder:
            for name, segment in other._open.items():
                self._open.setdefault(name, segment)

    def lookup(self, infos: Iterable[SegmentInfo], queries: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray]:
        """Postings whose key is one of ``queries``.

        Args:
            infos: The registered segments.
            queries: Band keys, ``uint64``.
            cap: At most this many postings per key (those of the newest articles), so that a key
                shared by thousands of boilerplate paragraphs costs no more than any other.

        Returns:
            ``(positions, refs)``: for each posting found, the position in ``queries`` of its key,
            and its ref.
        """
        from syndet.store.ranges import segment_hits  # compiled code, loaded on the first lookup

        queries = np.asarray(queries, dtype=np.uint64)
        order = np.argsort(queries, kind="stable")
        ordered = queries[order]
        found_q: list[np.ndarray] = []
        found_r: list[np.ndarray] = []
        for seg in self.segments(infos):
            if len(seg.keys):
                positions, refs = segment_hits(seg.keys, seg.fence, FENCE, seg.refs, ordered, order, cap)
                if len(refs):
                    found_q.append(positions)
                    found_r.append(refs)
        if not found_r:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.uint64)
        positions, refs = np.concatenate(found_q), np.concatenate(found_r)
        if len(found_r) > 1 and np.bincount(positions).max() > cap:  # the newest ``cap`` of each key overall
            order = np.lexsort((~refs, positions))
            positions, refs = positions[order], refs[order]
            first = np.r_[0, np.nonzero(np.diff(positions))[0] + 1]
            rank = np.arange(len(positions)) - np.repeat(first, np.diff(np.r_[first, len(positions)]))
            positions, refs = positions[rank < cap], refs[rank < cap]
        return positions, refs

    def uid_counts(self, infos: Iterable[SegmentInfo], size: int) -> np.ndarray:
        """Number of postings of each article number below ``size`` (a full read, for checks)."""
        counts = np.zeros(size, dtype=np.int64)
        for seg in self.segments(infos):
            for lo in range(0, len(seg.refs), MERGE_CHUNK):
                uids = (np.asarray(seg.refs[lo:lo + MERGE_CHUNK]) >> np.uint64(IDX_BITS)).astype(np.int64)
                uids = uids[uids < size]
                counts += np.bincount(uids, minlength=size)[:size]
        return counts

    def missing(self, infos: Iterable[SegmentInfo]) -> list[str]:
        """Problems with registered segment files: missing, or not the registered size."""
        problems = []
        for info in infos:
            if info.count == 0:
                continue
            for suffix in _SUFFIXES[:2]:
                path = self.folder / f"{info.name}{suffix}"
                try:
                    size = path.stat().st_size
                except OSError:
                    problems.append(f"postings segment {path.name} is missing")
                    continue
                if size != 8 * info.count:
                    problems.append(f"postings segment {path.name} holds {size} bytes, expected {8 * info.count}")
        return problems

    # -- writing --------------------------------------------------------------------------------

    def write(self, keys: np.ndarray, refs: np.ndarray, level: int = 0) -> SegmentInfo:
        """Sort postings by key (then ref) and write them as a new segment, flushed to disk."""
        keys = np.asarray(keys, dtype=np.uint64)
        refs = np.asarray(refs, dtype=np.uint64)
        order = key_ref_order(keys, refs)
        info = SegmentInfo(_name(level), level, len(keys))
        if len(keys):
            with self._files(info) as (fk, fr, ff):
                keys = keys[order].astype("<u8")
                fk.write(keys.tobytes())
                fr.write(refs[order].astype("<u8").tobytes())
                ff.write(keys[::FENCE].tobytes())
        return info

    def merge(self, infos: Sequence[SegmentInfo], alive: np.ndarray | None, level: int) -> SegmentInfo:
        """Merge segments into one of ``level``, dropping postings whose article is not ``alive``.

        Args:
            infos: The segments to merge.
            alive: Boolean array indexed by article number (numbers beyond it count as alive), or
                None to keep every posting.
            level: Level of the merged segment.

        Memory stays near :data:`MERGE_CHUNK` postings: the key space is cut at sampled keys and
        each slice is sorted on its own.
        """
        # Oldest first (higher levels hold older articles; within a level, names sort by creation):
        # runs of successive adds hold successive article numbers, so keeping that order among
        # equal keys keeps them ordered by ref, and the sort only has to merge runs.
        segs = sorted((s for s in self.segments(list(infos)) if len(s.keys)),
                      key=lambda s: (-s.info.level, s.info.name))
        info = SegmentInfo(_name(level), level, 0)
        total = sum(len(s.keys) for s in segs)
        if not total:
            return info
        cuts = _cuts(segs, total)
        written = 0
        with self._files(info) as (fk, fr, ff):
            for lo_key, hi_key in itertools.pairwise(cuts):
                parts_k, parts_r = [], []
                for seg in segs:
                    a = 0 if lo_key is None else int(np.searchsorted(seg.keys, lo_key, "left"))
                    b = len(seg.keys) if hi_key is None else int(np.searchsorted(seg.keys, hi_key, "left"))
                    if b > a:
                        parts_k.append(np.asarray(seg.keys[a:b]))
                        parts_r.append(np.asarray(seg.refs[a:b]))
                if not parts_k:
                    continue
                keys, refs = np.concatenate(parts_k), np.concatenate(parts_r)
                if alive is not None:
                    uids = (refs >> np.uint64(IDX_BITS)).astype(np.int64)
                    keep = np.ones(len(uids), dtype=bool)
                    inside = uids < len(alive)
                    keep[inside] = alive[uids[inside]]
                    keys, refs = keys[keep], refs[keep]
                order = _key_order(keys, refs)
                keys = keys[order].astype("<u8")
                fk.write(keys.tobytes())
                fr.write(refs[order].astype("<u8").tobytes())
                ff.write(keys[(-written) % FENCE::FENCE].tobytes())
                written += len(keys)
        info = SegmentInfo(info.name, level, written)
        if not written:
            self.delete([info.name])
        return info

    def delete(self, names: Iterable[str]) -> None:
        """Delete segment files (already unregistered); files already gone are fine."""
        for name in names:
            self._open.pop(name, None)
            for path in _paths(self.folder, name):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()

    def forget(self, names: Iterable[str]) -> None:
        """Drop the page cache of segments a merge replaced: a reader that still searches them
        reads them from disk again, and the memory goes to the live ones (after a bulk load the
        replaced files are as large as the index's one run, and were read last)."""
        if not hasattr(os, "posix_fadvise"):  # pragma: no cover  (not on every platform)
            return
        for name in names:
            self._open.pop(name, None)
            for path in _paths(self.folder, name):
                with contextlib.suppress(OSError):  # a hint: a file already gone needs none
                    fd = os.open(path, os.O_RDONLY)
                    try:
                        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                    finally:
                        os.close(fd)

    def files(self) -> set[str]:
        """Names of the segments whose files are in the folder."""
        try:
            return {p.name.rsplit(".", 1)[0] for p in self.folder.iterdir() if p.suffix in _SUFFIXES}
        except OSError:
            return set()

    def bytes(self, names: Iterable[str] | None = None) -> int:
        """Size of the segment files of ``names`` (default: every segment file in the folder)."""
        total = 0
        for path in self.paths(self.files() if names is None else names):
            with contextlib.suppress(OSError):
                total += path.stat().st_size
        return total

    def paths(self, names: Iterable[str]) -> list[Path]:
        """The files of the segments ``names`` (some may be missing)."""
        return [path for name in names for path in _paths(self.folder, name)]

    class _Files:
        def __init__(self, folder: Path, info: SegmentInfo) -> None:
            self.paths = _paths(folder, info.name)
            self.folder = folder

        def __enter__(self) -> tuple[BinaryIO, BinaryIO, BinaryIO]:
            self.handles = [open(p, "xb") for p in self.paths]  # noqa: SIM115 - closed in __exit__
            return self.handles[0], self.handles[1], self.handles[2]

        def __exit__(self, kind: type[BaseException] | None, exc: object, tb: object) -> None:
            try:
                for fh in self.handles:
                    if kind is None:
                        fh.flush()
                        os.fsync(fh.fileno())
                    fh.close()
                if kind is None:
                    _sync_folder(self.folder)
            finally:
                if kind is not None:
                    for path in self.paths:
                        path.unlink(missing_ok=True)

    def _files(self, info: SegmentInfo) -> Postings._Files:
        return Postings._Files(self.folder, info)


def _name(level: int) -> str:
    """A new segment's name: its level, then its creation time and a random part, so that the
    names of one level sort by creation."""
    return f"{level}-{time.time_ns():016x}-{uuid.uuid4().hex[:12]}"


def key_ref_order(keys: np.ndarray, refs: np.ndarray) -> np.ndarray:
    """The order sorting an add's postings by key, then ref. They come article after article, so
    their refs never go down: a stable sort by key alone keeps equal keys in ref order, and the
    compiled one (:func:`syndet.store.sorting.stable_order`) is some twice as fast as numpy's on
    these arrays; postings in any other order are sorted on both."""
    if len(refs) > 1 and not np.all(refs[1:] >= refs[:-1]):
        return np.lexsort((refs, keys))
    from syndet.store.sorting import stable_order  # numba loads on first use

    order: np.ndarray = stable_order(keys)
    return order


def _key_order(keys: np.ndarray, refs: np.ndarray) -> np.ndarray:
    """The order sorting postings by key, then ref, for postings made of sorted runs (a merge's).
    A stable sort by key alone (numpy's timsort, fast on input made of sorted runs) is enough when
    equal keys already come in ref order, as they do in runs taken oldest first; otherwise both
    are sorted."""
    order = np.argsort(keys, kind="stable")
    k, r = keys[order], refs[order]
    if np.any((k[1:] == k[:-1]) & (r[1:] < r[:-1])):
        return np.lexsort((refs, keys))
    return order


def _cuts(segs: Sequence[Segment], total: int) -> list[np.uint64 | None]:
    """Keys cutting the key space into slices of about :data:`MERGE_CHUNK` postings."""
    pieces = -(-total // MERGE_CHUNK)
    if pieces <= 1:
        return [None, None]
    biggest = max(segs, key=lambda s: len(s.keys))
    picks = np.linspace(0, len(biggest.keys) - 1, pieces + 1)[1:-1].astype(np.int64)
    keys = sorted({np.uint64(biggest.keys[int(p)]) for p in picks})
    return [None, *keys, None]


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def due_merge(infos: Sequence[SegmentInfo], fanout: int = FANOUT) -> tuple[list[SegmentInfo], int] | None:
    """The merge the tiering asks for now, if any: the lowest level holding ``fanout`` segments
    or more, merged into one segment of the next level."""
    by_level: dict[int, list[SegmentInfo]] = {}
    for info in infos:
        by_level.setdefault(info.level, []).append(info)
    for level in sorted(by_level):
        if len(by_level[level]) >= fanout:
            return by_level[level], level + 1
    return None
