"""What the machine did besides the benchmark while it was timed: processor time the host took
back (a virtual machine's *steal*), time spent waiting on the disk, and reads from the disks; and
what shaped the run on this machine: how much of an index's files the system held in memory
when deciding started, and the page faults taken meanwhile.

A virtual machine shares its host: for a few hundred milliseconds the host may run something else
on the processors the machine was given, or hold its disk requests back. Either makes some
decisions take several times as long as usual, which sets a run's p99, and they do not show in
the benchmark's own figures. Read from Linux's ``/proc``; elsewhere nothing is measured.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import resource
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_SKIPPED_DISKS = ("loop", "ram", "zram", "dm-", "md", "sr")
"""Block devices left out: virtual ones whose reads are those of a disk already counted, or none."""


@dataclass(frozen=True)
class Counters:
    """Running totals since boot: processor ticks (all, stolen, waiting on a disk) and disk reads."""

    ticks: int
    steal: int
    iowait: int
    reads: int
    read_bytes: int


def parse_stat(text: str) -> tuple[int, int, int]:
    """All, stolen and disk-waiting ticks of the ``cpu`` line of ``/proc/stat``."""
    for line in text.splitlines():
        fields = line.split()
        if fields and fields[0] == "cpu":
            # user nice system idle iowait irq softirq steal (guest time is counted in user); an
            # older kernel's line stops before steal
            values = ([int(v) for v in fields[1:9]] + [0] * 8)[:8]
            return sum(values), values[7], values[4]
    raise ValueError("no cpu line")


def parse_diskstats(text: str, disks: set[str]) -> tuple[int, int]:
    """Reads completed and bytes read in ``/proc/diskstats`` by the devices named in ``disks``
    (the whole disks, so that a partition's reads are not counted twice)."""
    reads = sectors = 0
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 6 and fields[2] in disks:
            reads += int(fields[3])
            sectors += int(fields[5])
    return reads, 512 * sectors


def counters(proc: Path = Path("/proc"), block: Path = Path("/sys/block")) -> Counters | None:
    """The totals now, or None where the system does not give them."""
    try:
        ticks, steal, iowait = parse_stat((proc / "stat").read_text(encoding="ascii"))
        disks = {d for d in os.listdir(block) if not d.startswith(_SKIPPED_DISKS)}
        reads, read_bytes = parse_diskstats((proc / "diskstats").read_text(encoding="ascii"), disks)
    except (OSError, ValueError, IndexError):
        return None
    return Counters(ticks, steal, iowait, reads, read_bytes)


def describe(before: Counters | None, after: Counters | None) -> str:
    """One line on what happened between two readings (empty when either is missing)."""
    if before is None or after is None:
        return ""
    ticks = max(after.ticks - before.ticks, 1)
    steal = (after.steal - before.steal) / ticks
    iowait = (after.iowait - before.iowait) / ticks
    reads, read_bytes = after.reads - before.reads, after.read_bytes - before.read_bytes
    return (f"host took {steal:.1%} of the processor time (steal), {iowait:.1%} spent waiting on disk, "
            f"{reads:,} disk reads ({read_bytes / 2**20:.1f} MiB)")


def resident(paths: Iterable[Path]) -> tuple[int, int] | None:
    """Bytes of the files the system holds in memory (its page cache) and their total size, or
    None where that cannot be told (not Linux, a file that cannot be mapped).

    An index that is partly out of memory makes some lookups wait for the disk: the same code
    decides at very different rates depending on what the run before it (a bulk load) left.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        mincore = libc.mincore
    except (OSError, AttributeError):
        return None
    mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_ubyte)]
    mincore.restype = ctypes.c_int
    held = total = 0
    for path in paths:
        try:
            size = path.stat().st_size
            if size == 0:
                continue
            with path.open("rb") as fh, mmap.mmap(fh.fileno(), size, access=mmap.ACCESS_READ) as mapped:
                pages = (size + mmap.PAGESIZE - 1) // mmap.PAGESIZE
                flags = np.zeros(pages, dtype=np.uint8)
                view = np.frombuffer(mapped, dtype=np.uint8)  # for the map's address (nothing is read)
                try:
                    failed = mincore(view.ctypes.data, size, flags.ctypes.data_as(ctypes.POINTER(ctypes.c_ubyte)))
                finally:
                    del view
                if failed:
                    return None
        except (OSError, ValueError):
            return None
        held += min(size, int(np.count_nonzero(flags & 1)) * mmap.PAGESIZE)
        total += size
    return held, total


def faults() -> tuple[int, int]:
    """Page faults so far of this process and of its children that have ended: (minor, major). A
    minor one maps a page already in memory (each forked worker takes one for every page of a
    memory-mapped file it touches first); a major one waits for the disk."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_minflt + children.ru_minflt, own.ru_majflt + children.ru_majflt
