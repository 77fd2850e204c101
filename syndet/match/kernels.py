"""Compiled loops of pair alignment: the words two articles share, as one-to-one pieces; and the
walk that picks a filter's candidates with a bound per paragraph.

Each candidate pair of articles is aligned once, and at 100,000 articles there are some 200,000
pairs of a few hundred words each: array operations on arrays that small spend their time in
call overhead, so the two loops are compiled with numba. They compute exactly what the reference
in :mod:`syndet.match.align` describes (a test runs both on random and real pairs).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(nogil=True, cache=True)
def diagonal_runs(ha: np.ndarray, hb: np.ndarray, order_a: np.ndarray, order_b: np.ndarray,
                  max_repeats: int) -> np.ndarray:
    """Maximal runs ``(i, j, length)`` of consecutive equal hashes along diagonals, sorted by
    diagonal (``j - i``) then ``i``; a hash ``b`` holds more than ``max_repeats`` times is
    ignored (a run of chrome or a repeated phrase). ``order_a``, ``order_b``: an ``argsort`` of
    each (equal hashes in any order: the keys below are sorted), so the equal hashes are found in
    one pass over the two sorted lists."""
    n, m = len(ha), len(hb)
    keys = np.empty(n * max_repeats, dtype=np.int64)  # each i pairs with at most max_repeats j
    total = 0
    p, q = 0, 0
    while p < n and q < m:
        x, y = ha[order_a[p]], hb[order_b[q]]
        if x < y:
            p += 1
        elif y < x:
            q += 1
        else:
            p1, q1 = p, q
            while p1 < n and ha[order_a[p1]] == x:
                p1 += 1
            while q1 < m and hb[order_b[q1]] == x:
                q1 += 1
            if q1 - q <= max_repeats:
                for s in range(p, p1):
                    i = np.int64(order_a[s])
                    for t in range(q, q1):
                        keys[total] = (np.int64(order_b[t]) - i + n) * (n + 1) + i  # by diagonal, then i
                        total += 1
            p, q = p1, q1
    keys = keys[:total]
    keys.sort()
    runs = np.empty((total, 3), dtype=np.int64)
    r = -1
    prev_diag = -1
    prev_i = -2
    for k in range(total):
        diag = keys[k] // (n + 1)
        i = keys[k] - diag * (n + 1)
        if diag != prev_diag or i != prev_i + 1:
            r += 1
            runs[r, 0] = i
            runs[r, 1] = diag - n + i
            runs[r, 2] = 1
        else:
            runs[r, 2] += 1
        prev_diag, prev_i = diag, i
    return runs[:r + 1]


@numba.njit(nogil=True, cache=True)
def one_to_one(runs: np.ndarray, words_a: int, words_b: int, size: int) -> np.ndarray:
    """Pieces ``(i, j, n)`` from shingle runs, longest first (among equals the earliest in ``a``,
    then in ``b``), each word of either article in at most one piece: a run whose words are partly
    taken keeps its longest free stretch if that is at least ``min(size, n)`` words. Sorted by ``i``."""
    count = len(runs)
    word_len = np.empty(count, dtype=np.int64)
    for k in range(count):
        word_len[k] = min(runs[k, 2] + size - 1, min(words_a - runs[k, 0], words_b - runs[k, 1]))
    longest = 0
    for k in range(count):
        longest = max(longest, word_len[k])
    keys = np.empty(count, dtype=np.int64)
    for k in range(count):
        keys[k] = ((longest - word_len[k]) * (words_a + 1) + runs[k, 0]) * (words_b + 1) + runs[k, 1]
    picked = np.argsort(keys, kind="mergesort")
    occ_a = np.zeros(words_a, dtype=np.bool_)
    occ_b = np.zeros(words_b, dtype=np.bool_)
    pieces = np.empty((count, 3), dtype=np.int64)
    found = 0
    for k in picked:
        i, j, n = runs[k, 0], runs[k, 1], word_len[k]
        best_at, best_len, at, length = 0, 0, 0, 0
        for t in range(n):  # the longest stretch of words free in both (the first of equals)
            if occ_a[i + t] or occ_b[j + t]:
                length = 0
            else:
                if length == 0:
                    at = t
                length += 1
                if length > best_len:
                    best_at, best_len = at, length
        if best_len < min(size, n):
            continue
        i, j = i + best_at, j + best_at
        for t in range(best_len):
            occ_a[i + t] = True
            occ_b[j + t] = True
        pieces[found, 0] = i
        pieces[found, 1] = j
        pieces[found, 2] = best_len
        found += 1
    out = pieces[:found]
    return out[np.argsort(out[:, 0], kind="mergesort")]


@numba.njit(nogil=True, cache=True)
def spread_choice(ranked: np.ndarray, starts: np.ndarray, rows: np.ndarray, n_rows: int, per_row: int,
                  limit: int) -> np.ndarray:
    """Candidates taken in ``ranked`` order, at most ``limit``, each only if one of its rows is
    held by fewer than ``per_row`` of those taken before it (then it holds each of its rows too).

    Args:
        ranked: Candidate numbers, best first.
        starts: Candidate ``c``'s rows are ``rows[starts[c]:starts[c + 1]]`` (distinct, each below
            ``n_rows``).
        rows: The rows of every candidate, candidate after candidate.
        n_rows: Rows there are.
        per_row: Candidates taken for one row, at most.
        limit: Candidates taken, at most.

    Returns:
        The numbers of the candidates taken, in ``ranked`` order.
    """
    held = np.zeros(n_rows, dtype=np.int64)
    out = np.empty(min(limit, len(ranked)), dtype=np.int64)
    taken = 0
    for c in ranked:
        if taken == limit:
            break
        lo, hi = starts[c], starts[c + 1]
        wanted = False
        for j in range(lo, hi):
            if held[rows[j]] < per_row:
                wanted = True
                break
        if wanted:
            for j in range(lo, hi):
                held[rows[j]] += 1
            out[taken] = c
            taken += 1
    return out[:taken]
