"""What the bounded-memory scan keeps on disk: articles, paragraphs and growing numeric arrays.

Everything here is written by the running scan into its own spill folder and read back only by
it: articles as JSON lines, numbers as raw little-endian arrays of a fixed type (never pickle).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

from syndet.models import Article, Paragraph

_FIELDS = ("id", "text", "title", "source", "published", "url", "path", "body_start", "author")


class ArrayFile:
    """A raw array of one dtype that grows by appending, read back whole or as a memory map.

    Args:
        path: The file (created empty).
        dtype: Its element type.
        width: Elements per row (the array reads back as ``(rows, width)`` when more than 1).
    """

    def __init__(self, path: Path, dtype: np.dtype | type, width: int = 1) -> None:
        self.path = path
        self.dtype = np.dtype(dtype)
        self.width = width
        self.rows = 0
        path.write_bytes(b"")

    def append(self, values: np.ndarray) -> None:
        """Add rows at the end."""
        data = np.ascontiguousarray(values, dtype=self.dtype)
        with self.path.open("ab") as handle:
            handle.write(data.tobytes())
        self.rows += len(data) if self.width == 1 else len(data.reshape(-1, self.width))

    def read(self, lo: int = 0, hi: int | None = None) -> np.ndarray:
        """Rows ``lo:hi`` in memory."""
        hi = self.rows if hi is None else hi
        count = max(0, hi - lo) * self.width
        with self.path.open("rb") as handle:
            handle.seek(lo * self.width * self.dtype.itemsize)
            data = np.fromfile(handle, dtype=self.dtype, count=count)
        return data.reshape(-1, self.width) if self.width > 1 else data

    def mapped(self) -> np.ndarray:
        """The whole array as a read-only memory map (an empty array when there are no rows). Pages
        read stay resident only while the map is referenced: drop it when a step is done."""
        if self.rows == 0:
            return np.empty((0, self.width) if self.width > 1 else 0, dtype=self.dtype)
        shape = (self.rows, self.width) if self.width > 1 else (self.rows,)
        return np.memmap(self.path, dtype=self.dtype, mode="r", shape=shape)

    def write(self, lo: int, values: np.ndarray) -> None:
        """Overwrite rows from ``lo`` on."""
        with self.path.open("r+b") as handle:
            handle.seek(lo * self.width * self.dtype.itemsize)
            handle.write(np.ascontiguousarray(values, dtype=self.dtype).tobytes())

    def delete(self) -> None:
        """Remove the file."""
        self.path.unlink(missing_ok=True)


class ArticleStore:
    """Articles numbered in input order, kept on disk with their paragraphs.

    Articles are JSON lines (one array of fields each) found by their offsets; paragraphs are
    ``int32`` rows ``(start, end, chrome)`` found by each article's first row. Only the offsets are
    held in memory (16 bytes an article).
    """

    def __init__(self, folder: Path) -> None:
        self._text_path = folder / "articles.jsonl"
        self._text_path.write_bytes(b"")
        self._offsets: list[int] = [0]
        self._paragraphs = ArrayFile(folder / "paragraphs.i32", np.int32, 3)
        self._first: list[int] = [0]

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def add(self, articles: Sequence[Article]) -> None:
        """Append articles (their paragraphs come later, by :meth:`add_paragraphs`)."""
        with self._text_path.open("ab") as handle:
            at = self._offsets[-1]
            for a in articles:
                line = (json.dumps([getattr(a, f) for f in _FIELDS]) + "\n").encode("ascii")  # any text, escaped
                handle.write(line)
                at += len(line)
                self._offsets.append(at)

    def add_paragraphs(self, paragraphs: Sequence[Sequence[Paragraph]]) -> None:
        """Append the paragraphs of the next articles, in order."""
        rows: list[tuple[int, int, int]] = []
        for paras in paragraphs:
            rows.extend((p.start, p.end, int(p.chrome)) for p in paras)
            self._first.append(self._first[-1] + len(paras))
        self._paragraphs.append(np.array(rows, dtype=np.int32).reshape(-1, 3))

    def articles(self, numbers: Sequence[int]) -> list[Article]:
        """The articles of these numbers (any order), in that order."""
        out: list[Article] = []
        with self._text_path.open("rb") as handle:
            for k in numbers:
                handle.seek(self._offsets[k])
                fields = json.loads(handle.read(self._offsets[k + 1] - self._offsets[k]))
                out.append(Article(**dict(zip(_FIELDS, fields, strict=True))))
        return out

    def span(self, lo: int, hi: int) -> Iterator[Article]:
        """Articles ``lo:hi`` in order, read in one pass."""
        with self._text_path.open("rb") as handle:
            handle.seek(self._offsets[lo])
            for _ in range(lo, hi):
                fields = json.loads(handle.readline())
                yield Article(**dict(zip(_FIELDS, fields, strict=True)))

    def paragraph_rows(self, lo: int, hi: int) -> tuple[np.ndarray, int]:
        """The paragraph rows of articles ``lo:hi`` and the number of the first of them."""
        first = self._first[lo]
        return self._paragraphs.read(first, self._first[hi]), first

    def first_rows(self, lo: int, hi: int) -> np.ndarray:
        """The first paragraph row of articles ``lo`` to ``hi`` (``hi`` included: where ``hi - 1`` ends)."""
        return np.asarray(self._first[lo:hi + 1], dtype=np.int64)

    def rewrite_paragraphs(self, first: int, rows: np.ndarray) -> None:
        """Overwrite paragraph rows from row ``first`` on (chrome learnt after they were added)."""
        self._paragraphs.write(first, rows)

    def paragraphs(self, numbers: Sequence[int], articles: Sequence[Article]) -> dict[str, tuple[Paragraph, ...]]:
        """The paragraphs of these articles (numbers and the articles themselves), by id."""
        out: dict[str, tuple[Paragraph, ...]] = {}
        mapped = self._paragraphs.mapped()
        for k, article in zip(numbers, articles, strict=True):
            rows = np.asarray(mapped[self._first[k]:self._first[k + 1]]).tolist()
            out[article.id] = tuple(Paragraph(article.id, n, s, e, bool(c)) for n, (s, e, c) in enumerate(rows))
        del mapped
        return out
