"""Normalise and hash many paragraphs on several processes when the work is large enough to pay.

Tokenising is Python code (regular expressions) and holds the GIL, so it is spread over forked
worker processes, each taking contiguous chunks of paragraphs; the results are put back in input
order, so the output does not depend on the number of workers. The compiled loops that follow
release the GIL and use threads instead (see :func:`syndet.hashing.signature.signatures_flat`).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence

import numpy as np

from syndet.hashing.shingle import hash_batch

# Below this many characters a second process costs more (fork, pickling results) than it saves.
MIN_CHARS_PER_JOB = 4_000_000
_CHUNK_TEXTS = 4096

_work: tuple[Sequence[str], int, int] = ((), 5, 0)


def available_cpus() -> int:
    """CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def resolve_jobs(jobs: int, chars: int) -> int:
    """Workers to use: ``jobs`` if given, else one per CPU while each gets enough text."""
    if jobs > 0:
        return jobs
    return max(1, min(available_cpus(), chars // MIN_CHARS_PER_JOB))


def _init(texts: Sequence[str], size: int, seed: int) -> None:
    global _work
    _work = (texts, size, seed)


def _hash_chunk(bounds: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    texts, size, seed = _work
    hashes, offsets = hash_batch(texts[bounds[0]:bounds[1]], size, seed)
    return hashes, np.diff(offsets)


def hash_paragraphs(texts: Sequence[str], size: int, seed: int, jobs: int,
                    done: Callable[[int], None] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Shingle hashes of every text, flat with offsets, as :func:`syndet.hashing.shingle.hash_batch`.

    Args:
        texts: Paragraph texts.
        size: Words per shingle.
        seed: xxh32 seed.
        jobs: Worker processes (already resolved, see :func:`resolve_jobs`); 1 hashes in this process.
        done: Called with the number of texts hashed so far, after each chunk.
    """
    chunks = [(lo, min(lo + _CHUNK_TEXTS, len(texts))) for lo in range(0, len(texts), _CHUNK_TEXTS)]
    hashes: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    results: Iterator[tuple[np.ndarray, np.ndarray]]
    if jobs <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        _init(texts, size, seed)
        results = map(_hash_chunk, chunks)
        pool = None
    else:
        # Forked workers inherit the texts instead of receiving them through a pipe.
        pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_init, initargs=(texts, size, seed))
        results = pool.imap(_hash_chunk, chunks)
    try:
        for (_, hi), (h, c) in zip(chunks, results, strict=True):
            hashes.append(h)
            counts.append(c)
            if done:
                done(hi)
    finally:
        _init((), size, seed)
        if pool is not None:
            pool.terminate()
    offsets = np.zeros(len(texts) + 1, dtype=np.int64)
    if counts:
        np.cumsum(np.concatenate(counts), out=offsets[1:])
    flat = np.concatenate(hashes) if hashes else np.empty(0, dtype=np.uint32)
    return flat, offsets
