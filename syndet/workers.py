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
import itertools
import multiprocessing
import pickle
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection, wait
from typing import Any, TypeVar

from syndet.errors import SyndetError

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


class WorkerLost(SyndetError):
    """A worker process of :func:`fork_stream` ended without answering (killed, out of memory):
    one line from the command, like every error syndet raises on purpose."""


def fork_stream(items: Iterable[Any], work: Callable[[Any], T], jobs: int, depth: int = 2,
                start: Callable[[], None] | None = None) -> Iterator[T]:
    """``work(item)`` for each item of a stream, on ``jobs`` forked workers, yielded in input order,
    each as soon as it and every result before it are ready.

    For long streams of small tasks (a filter deciding one article at a time): an item goes
    through a pipe to the worker with fewest items waiting (at most ``depth`` each), and its result
    comes back through the same pipe, with no helper threads between. The stream is read on a
    thread of its own, so a stream that trickles in (articles arriving one by one on standard
    input) never holds back a result already made; items are read ahead only while a worker has
    room.

    Args:
        items: The stream; read once, on a thread of this process.
        work: Computes one result, in a worker; it and what it reads are inherited by the fork.
        jobs: Worker processes (at least 1; a platform without ``fork`` computes in this process).
        depth: Items a worker holds at once (the one it works on and the next ones).
        start: Run once in each worker before its first item (to open its own connections).

    Raises:
        Whatever ``work`` raised for an item, or what reading the stream raised, once the results
        before it are out; :class:`WorkerLost` if a worker died.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        if start is not None:
            start()
        yield from map(work, items)
        return
    ctx = multiprocessing.get_context("fork")
    with gc_frozen():  # the workers' collections do not walk what they inherit (nor copy its pages for it)
        yield from _forked(ctx, items, work, jobs, depth, start)


def _forked(ctx: Any, items: Iterable[Any], work: Callable[[Any], T], jobs: int, depth: int,
            start: Callable[[], None] | None) -> Iterator[T]:
    """:func:`fork_stream` once the fork context is known."""
    workers: list[_Worker] = []
    feed: _Feed | None = None
    stream = iter(items)
    sent = emitted = 0
    try:
        # The first worker starts on the first item while the others are forked (a fork of a
        # large process takes some 20 ms); this thread reads it, as no other thread may run yet.
        workers.append(_Worker(ctx, work, start))
        for item in itertools.islice(stream, 1):
            workers[0].conn.send_bytes(pickle.dumps(item, pickle.HIGHEST_PROTOCOL))
            workers[0].pending.append(sent)
            sent += 1
        for _ in range(max(1, jobs) - 1):
            workers.append(_Worker(ctx, work, start))
        feed = _Feed(stream)  # its thread starts after the forks: a child never inherits its locks
        by_conn = {w.conn: w for w in workers}
        done: dict[int, tuple[bool, Any]] = {}  # result (or the exception raised) of each item
        reading = True
        limit = 16 * len(workers)  # results held back by a slow one before it, at most
        while reading or emitted < sent:
            room = [w for w in workers if len(w.pending) < depth] if reading and sent - emitted < limit else []
            ready = wait([w.conn for w in workers if w.pending] + ([feed.conn] if room else []))
            for conn in ready:
                if conn is feed.conn:
                    item = feed.take()
                    if item is None:
                        reading = False
                        continue
                    worker = min(room, key=lambda w: len(w.pending))
                    worker.conn.send_bytes(item)
                    worker.pending.append(sent)
                    sent += 1
                else:
                    worker = by_conn[conn]
                    done[worker.pending.popleft()] = worker.answer()
            while emitted in done:
                ok, value = done.pop(emitted)
                if not ok:
                    raise value
                yield value
                emitted += 1
        feed.check()
    finally:
        if feed is not None:
            feed.close()
        for worker in workers:
            worker.stop()


class _Worker:
    """One forked process of :func:`fork_stream` and the pipe to it."""

    def __init__(self, ctx: Any, work: Callable[[Any], Any], start: Callable[[], None] | None) -> None:
        self.conn, theirs = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(theirs, work, start), daemon=True)
        self.process.start()
        theirs.close()
        self.pending: deque[int] = deque()

    def answer(self) -> tuple[bool, Any]:
        """(True, the result) or (False, the exception the work raised) for the oldest item sent."""
        try:
            answer: tuple[bool, Any] = self.conn.recv()
        except (EOFError, OSError):
            raise WorkerLost(f"a worker process ended without answering (exit status {self._status()})") from None
        return answer

    def _status(self) -> object:
        self.process.join(1)
        return self.process.exitcode

    def stop(self) -> None:
        if not self.pending:  # asked to end (workers forked later hold this pipe open too)
            with suppress(OSError):
                self.conn.send_bytes(b"")
            self.process.join(1)
        self.conn.close()
        if self.process.is_alive():  # abandoned in the middle of work: no need to wait for it
            self.process.terminate()
            self.process.join()


def _serve(conn: Connection, work: Callable[[Any], Any], start: Callable[[], None] | None) -> None:
    """A worker's loop: an item in, its result (or the exception it raised) out, until an empty
    message or the end of the pipe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle: it ends the workers
    if start is not None:
        start()
    while True:
        try:
            item = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not item:
            return
        try:
            answer: tuple[bool, Any] = (True, work(pickle.loads(item)))
        except Exception as exc:  # handed to the parent, which raises it
            answer = (False, exc)
        try:
            conn.send(answer)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:  # an exception that does not pickle
            conn.send((False, RuntimeError(f"{type(answer[1]).__name__}: {answer[1]} ({exc})")))
        except (BrokenPipeError, OSError):
            return


class _Feed:
    """Reads a stream on a thread of its own into a pipe, each item pickled, None at the end."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.conn, self._send = multiprocessing.Pipe(duplex=False)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._pump, args=(items,), name="syndet-feed", daemon=True)
        self._thread.start()

    def _pump(self, items: Iterable[Any]) -> None:
        stream = iter(items)
        while True:
            try:
                item = pickle.dumps(next(stream), pickle.HIGHEST_PROTOCOL)
            except StopIteration:
                break
            except BaseException as exc:  # raised again where the results are read
                self._error = exc
                break
            try:
                self._send.send_bytes(item)
            except OSError:  # the reader is gone: the stream was abandoned
                self._send.close()
                return
        with suppress(BrokenPipeError, OSError):
            self._send.send_bytes(b"")
        self._send.close()

    def take(self) -> bytes | None:
        """The next item, pickled; None at the end of the stream."""
        item = self.conn.recv_bytes()
        if item:
            return item
        self._thread.join()
        return None

    def check(self) -> None:
        """Raise what reading the stream raised, if anything."""
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        self.conn.close()


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
def gc_frozen() -> Iterator[None]:
    """Leave the objects made so far out of the cycle collector's passes while a long stream of
    small tasks runs (a filter deciding article after article): a full collection would walk every
    module, compiled pattern and cache made before (some 50 ms for a filter's), and a forked worker
    that walks them also copies every page they are on. Entering again (a worker pool started inside
    the stream) adds the objects made since; the outermost exit gives them all back to the
    collector, so nothing made before is kept for good (objects the caller froze itself stay
    frozen, and so do those added while they are). Counting what is frozen walks all of it (some
    25 ms once a filter has run), so it is counted only on the outermost entry."""
    global _frozen_depth
    outermost = _frozen_depth == 0 and gc.get_freeze_count() == 0
    _frozen_depth += 1
    gc.freeze()
    try:
        yield
    finally:
        _frozen_depth -= 1
        if outermost:
            gc.unfreeze()


_frozen_depth = 0  # gc_frozen entries open in this process (a forked worker starts with its parent's)


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
