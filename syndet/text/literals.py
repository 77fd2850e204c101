"""Which of a fixed set of literals a text holds, found in one pass over it.

The evidence checks ask of every article whether it holds each of a hundred or more short strings
(agency tags and names, words a rule cannot match without). Asked one ``in`` at a time, each
question reads the whole text again; :class:`Literals` answers them all from one compiled pass
(:func:`syndet.text.kernels.literals_in`), with exactly the answers ``in`` gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise

import numpy as np

_EMPTY = np.zeros(0, dtype=np.bool_)
# How often each character turns up in English news text, per thousand (letters after the usual
# tables; a space every five or six characters). A literal is looked up by its rarest pair of
# neighbours: "reuters" by "ut", not by "re", which the pass would meet in nearly every line.
_PER_MILLE = {" ": 170.0, **dict(zip("etaoinshrdlcumwfgypbvkjxqz",
                                    (102, 75, 67, 62, 58, 56, 52, 50, 49, 35, 33, 23, 23, 20, 20, 18, 16, 16,
                                     15, 12, 8, 6, 1.2, 1.2, 0.8, 0.6), strict=True))}


def _commonness(ch: str) -> float:
    """A rough share of news text that is ``ch`` (upper-case letters and digits a tenth of the
    lower case, punctuation a few per thousand, other scripts' letters rare in this scale)."""
    if ch in _PER_MILLE:
        return _PER_MILLE[ch]
    if ch.isascii():
        if ch.isupper():
            return _PER_MILLE.get(ch.lower(), 1.0) / 10
        return 4.0 if ch.isdigit() or ch in ".,'\"-" else 1.0
    return 0.5


def anchor(literal: str) -> int:
    """Where the pair of neighbouring characters of ``literal`` (two or more characters) that text
    holds least often starts (the first such pair on a tie)."""
    pairs = [_commonness(a) * _commonness(b) for a, b in pairwise(literal)]
    return pairs.index(min(pairs))


def code_points(text: str) -> np.ndarray:
    """A text's code points, one byte each when it is ASCII (lone surrogates kept as they are)."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


class Literals:
    """A fixed set of literals, each numbered in the order given (repeats and the empty string
    dropped), and the tables the compiled pass looks them up in."""

    def __init__(self, literals: Iterable[str]) -> None:
        self.items: tuple[str, ...] = tuple(dict.fromkeys(lit for lit in literals if lit))
        self._members = frozenset(self.items)
        long = [k for k, lit in enumerate(self.items) if len(lit) > 1]
        self._single = [(k, lit) for k, lit in enumerate(self.items) if len(lit) == 1]  # looked up with ``in``
        self._long = np.array(long, dtype=np.int64)
        codes = [code_points(self.items[k]).astype(np.uint32) for k in long]
        self._codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.uint32)
        self._starts = np.cumsum([0, *map(len, codes)]).astype(np.int64)
        self._anchors = np.array([anchor(self.items[k]) for k in long], dtype=np.int64)
        size = 64
        while size < 4 * len(codes):
            size *= 2
        keys = np.array([((int(c[a]) << 8) ^ int(c[a + 1])) & 0xFFFF for c, a in zip(codes, self._anchors.tolist(),
                                                                                      strict=True)], dtype=np.int64)
        bits = np.zeros(1024, dtype=np.uint64)
        np.bitwise_or.at(bits, keys >> 6, np.left_shift(np.uint64(1), (keys & 63).astype(np.uint64)))
        self._pair_bits = bits.view(np.int64)
        keys &= size - 1
        self._bucket_literals = np.argsort(keys, kind="stable").astype(np.int64)
        self._bucket_starts = np.searchsorted(keys[self._bucket_literals], np.arange(size + 1)).astype(np.int64)

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, literal: object) -> bool:
        """Whether ``literal`` is one of the set (numbered in :attr:`items`)."""
        return literal in self._members

    def found(self, text: str) -> np.ndarray:
        """Whether ``text`` holds each literal (``literal in text``), by number."""
        if not self.items:
            return _EMPTY
        from syndet.text.kernels import literals_in  # numba loads on first use

        out = np.zeros(len(self.items), dtype=np.bool_)
        if len(self._long):
            out[self._long] = literals_in(code_points(text), self._codes, self._starts, self._anchors,
                                          self._pair_bits, self._bucket_starts, self._bucket_literals)
        for k, lit in self._single:
            out[k] = lit in text
        return out
