"""Compiled loops over a text's code points: its words, and which of many literals it holds.

An article's content words are found once per article by :func:`syndet.text.normalize.words_in`
for its word stream and its edit checks; in array operations on a few thousand characters, the
time goes on call overhead, so the loop is compiled with numba. It computes exactly what
the array operations of the test that runs both on random texts describe. The literals an
article's evidence checks look for (:class:`syndet.text.literals.Literals`) are found in one pass
over it rather than one search each.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(nogil=True, cache=True)
def word_runs(codes: np.ndarray, table: np.ndarray, bounds: np.ndarray, apostrophe: int, whole: np.ndarray,
              space: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The words ``[^\\W_]+(?:'[^\\W_]+)*`` inside ranges of a text given as code points.

    Args:
        codes: The text's code points.
        table: Which code points are letters or digits (:func:`syndet.text.normalize.letter_table`).
        bounds: ``(start, end)`` of each range, in order, at least one character apart.
        apostrophe: The code point that joins two letters into one word.
        whole: ``(start, end)`` of stretches that are one word each as they stand (initialisms).
        space: What the characters outside words become in the first result.

    Returns:
        ``(kept, starts, ends, wide)``: the code points with every character outside a word
        replaced by ``space``; where each word starts and ends; whether it holds a code point
        beyond ASCII.
    """
    n = len(codes)
    letter = np.zeros(n, dtype=np.bool_)
    for r in range(bounds.shape[0]):
        for i in range(bounds[r, 0], bounds[r, 1]):
            letter[i] = table[codes[i]]
    for r in range(bounds.shape[0]):  # an apostrophe between two letters of its range joins them
        for i in range(max(bounds[r, 0], 1), min(bounds[r, 1], n - 1)):
            if codes[i] == apostrophe and letter[i - 1] and letter[i + 1]:
                letter[i] = True
    for w in range(whole.shape[0]):
        for i in range(whole[w, 0], whole[w, 1]):
            letter[i] = True
    count = 0
    before = False
    for i in range(n):
        if letter[i] and not before:
            count += 1
        before = letter[i]
    kept = codes.copy()
    starts = np.empty(count, dtype=np.int64)
    ends = np.empty(count, dtype=np.int64)
    wide = np.zeros(count, dtype=np.bool_)
    k = -1
    before = False
    for i in range(n):
        if letter[i]:
            if not before:
                k += 1
                starts[k] = i
            if codes[i] > 127:
                wide[k] = True
        else:
            kept[i] = space
            if before:
                ends[k] = i
        before = letter[i]
    if before:
        ends[k] = n
    return kept, starts, ends, wide


@numba.njit(nogil=True, cache=True)
def literals_in(codes: np.ndarray, literal_codes: np.ndarray, literal_starts: np.ndarray, anchors: np.ndarray,
                pair_bits: np.ndarray, bucket_starts: np.ndarray, bucket_literals: np.ndarray) -> np.ndarray:
    """Which literals of two characters or more occur in a text, in one pass over it.

    Each literal is looked up by one pair of neighbouring code points, its anchor. At each place
    of the text, the pair there is first looked up in a bit table of the anchor pairs' keys (``(a
    << 8) ^ b`` in 16 bits: the pair itself for two code points below 256); only on a hit are the
    literals in the pair's bucket compared.

    Args:
        codes: The text's code points.
        literal_codes: The code points of every literal, one after the other.
        literal_starts: Literal ``k`` is ``literal_codes[literal_starts[k]:literal_starts[k + 1]]``.
        anchors: Where in literal ``k`` its anchor pair ``(a, b)`` starts.
        pair_bits: 1,024 ``int64`` words; bit ``key & 63`` of word ``key >> 6`` is set for the key of
            every anchor pair.
        bucket_starts: The literals whose anchor pair's key ``key`` gives ``h = key & (len(bucket_starts)
            - 2)`` are ``bucket_literals[bucket_starts[h]:bucket_starts[h + 1]]`` (``len(bucket_starts) - 1``
            is a power of two).
        bucket_literals: Literal numbers, bucket after bucket.

    Returns:
        Whether each literal occurs in the text.
    """
    found = np.zeros(len(literal_starts) - 1, dtype=np.bool_)
    mask = len(bucket_starts) - 2
    n = len(codes)
    for i in range(n - 1):
        key = ((np.int64(codes[i]) << 8) ^ np.int64(codes[i + 1])) & 0xFFFF
        if not (pair_bits[key >> 6] >> (key & 63)) & 1:
            continue
        h = key & mask
        for b in range(bucket_starts[h], bucket_starts[h + 1]):
            k = bucket_literals[b]
            if found[k]:
                continue
            at = i - anchors[k]
            lo = literal_starts[k]
            size = literal_starts[k + 1] - lo
            if at < 0 or at + size > n:
                continue
            same = True
            for j in range(size):
                if codes[at + j] != literal_codes[lo + j]:
                    same = False
                    break
            if same:
                found[k] = True
    return found
