"""Independent work on many items, spread over forked processes, results in input order.

The per-article and per-pair stages (paragraphs, word streams, alignment, signs, attribution)
are Python code that holds the GIL, so threads do not help them. :func:`fork_map` forks workers
that inherit the work function and everything it reads (the articles, the streams), so nothing
but each chunk's bounds goes to a worker and only the results come back, through a pipe between
the processes of this one run. The results are the ones a single process computes, in the same
order, whatever the number of workers.

A user's regular expression runs with a time budget that switches it off when spent
(:mod:`syndet.text.patterns`); a worker's budget and that decision would stay in the worker, so
callers run work that uses such patterns in one process (see ``parallel_ok``).
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")
CHUNK = 256
"""Items a worker takes at a time (large enough that sending results back is cheap per item)."""

_work: Callable[[int], Any] | None = None


def _run(bounds: tuple[int, int]) -> list[Any]:
    work = _work
    if work is None:  # pragma: no cover - only reachable if a worker outlives its map
        raise RuntimeError("no work in this worker")
    return [work(i) for i in range(bounds[0], bounds[1])]


def fork_map(work: Callable[[int], T], count: int, jobs: int, chunk: int = CHUNK,
             done: Callable[[int], None] | None = None) -> list[T]:
    """``[work(0), ..., work(count - 1)]``, computed by ``jobs`` forked workers.

    Args:
        work: Computes the result of one item from its index; it reads what it needs from the
            objects it closes over (inherited by the workers, not sent).
        count: Number of items.
        jobs: Worker processes; 1 (or a platform without ``fork``) computes in this process.
        chunk: Items per task.
        done: Called with the number of items finished so far, after each chunk.
    """
    global _work
    chunks = [(lo, min(lo + chunk, count)) for lo in range(0, count, chunk)]
    out: list[T] = []
    if jobs <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for lo, hi in chunks:
            out.extend(work(i) for i in range(lo, hi))
            if done:
                done(hi)
        return out
    _work = work
    pool = multiprocessing.get_context("fork").Pool(min(jobs, len(chunks)))
    try:
        for (_, hi), results in zip(chunks, pool.imap(_run, chunks), strict=True):
            out.extend(results)
            if done:
                done(hi)
    finally:
        _work = None
        pool.terminate()
        pool.join()
    return out


def release_memory() -> None:
    """Hand the heap pages freed so far back to the system (glibc's ``malloc_trim``; nothing
    elsewhere), so that the resident size drops after a large stage and workers forked next do not
    start with those pages."""
    import ctypes
    import ctypes.util

    gc.collect()
    name = ctypes.util.find_library("c")
    if not name:
        return
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):
        return
    trim(0)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while a large tree of new, acyclic records is built (a
    report of many articles): each full collection would walk every object made so far, and
    reference counting frees these records anyway. The collector is back as it was afterwards."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
