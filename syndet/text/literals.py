"""Which of a fixed set of literals a text holds, found in one pass over it.

The evidence checks ask of every article whether it holds each of a hundred or more short strings
(agency tags and names, words a rule cannot match without). Asked one ``in`` at a time, each
question reads the whole text again; :class:`Literals` answers them all from one compiled pass
(:func:`syndet.text.kernels.literals_in`), with exactly the answers ``in`` gives.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

_EMPTY = np.zeros(0, dtype=np.bool_)


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
        self._number = {lit: k for k, lit in enumerate(self.items)}
        long = [k for k, lit in enumerate(self.items) if len(lit) > 1]
        self._single = [(k, lit) for k, lit in enumerate(self.items) if len(lit) == 1]  # looked up with ``in``
        self._long = np.array(long, dtype=np.int64)
        codes = [code_points(self.items[k]).astype(np.uint32) for k in long]
        self._codes = np.concatenate(codes) if codes else np.zeros(0, dtype=np.uint32)
        self._starts = np.cumsum([0, *map(len, codes)]).astype(np.int64)
        size = 64
        while size < 4 * len(codes):
            size *= 2
        keys = np.array([(int(c[0]) * 31 + int(c[1])) & (size - 1) for c in codes], dtype=np.int64)
        self._bucket_literals = np.argsort(keys, kind="stable").astype(np.int64)
        self._bucket_starts = np.searchsorted(keys[self._bucket_literals], np.arange(size + 1)).astype(np.int64)

    def __len__(self) -> int:
        return len(self.items)

    def number(self, literal: str) -> int | None:
        """The literal's number, None when it is not one of the set."""
        return self._number.get(literal)

    def found(self, text: str) -> np.ndarray:
        """Whether ``text`` holds each literal (``literal in text``), by number."""
        if not self.items:
            return _EMPTY
        from syndet.text.kernels import literals_in  # numba loads on first use

        out = np.zeros(len(self.items), dtype=np.bool_)
        if len(self._long):
            out[self._long] = literals_in(code_points(text), self._codes, self._starts, self._bucket_starts,
                                          self._bucket_literals)
        for k, lit in self._single:
            out[k] = lit in text
        return out
