"""Read a labelled corpus: articles plus the passages they are known to share.

A labelled corpus is one JSON Lines file. Article lines are read exactly as ``syndet scan`` reads
them, so the detector sees the same articles; passage lines say which spans are copies of one
source text, of what kind and from where. Labels must be exact to score against, so any problem
(a line that ``scan`` would skip with a warning, a span outside its article) is an error naming the
file and line rather than a warning.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from syndet.errors import InputError
from syndet.models import Article, Span
from syndet.read.files import format_of, read_articles
from syndet.settings import InputSettings

PASSAGE_KINDS = ("agency", "press_release", "quote", "republished")


@dataclass(frozen=True)
class LabelledPassage:
    """One source text known to appear in two or more articles.

    Attributes:
        id: Identifier of the label.
        kind: ``agency``, ``press_release``, ``quote`` or ``republished``.
        origin: Agency, wire or outlet the text came from, if known.
        source_article: Article holding the original copy, if it is in the corpus.
        spans: Every copy, ``[start, end)`` in its article's text.
    """

    id: str
    kind: str
    origin: str | None
    source_article: str | None
    spans: tuple[Span, ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        """The distinct articles holding a copy, in span order."""
        return tuple(dict.fromkeys(s.article_id for s in self.spans))


@dataclass(frozen=True)
class LabelledCorpus:
    """Articles and the passages labelled as shared among them."""

    articles: tuple[Article, ...]
    passages: tuple[LabelledPassage, ...]
    name: str = ""


def read_labelled(path: Path, settings: InputSettings | None = None) -> LabelledCorpus:
    """Read a labelled corpus from a JSON Lines file.

    Args:
        path: The file (article and passage records, in any order).
        settings: Input settings for the article reader (defaults if None).

    Returns:
        The articles in file order and the passage labels.

    Raises:
        InputError: The file cannot be read, or a line is not a valid article or passage record.
    """
    problems: list[str] = []
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if format_of(path) != "jsonl":
        raise InputError(f"{path}: a labelled corpus is a JSON Lines file (.jsonl) of article and passage records")
    articles = list(read_articles([path], settings or InputSettings(), problems.append))
    if problems:
        raise InputError(problems[0])
    texts = {a.id: len(a.text) for a in articles}
    passages: list[LabelledPassage] = []
    seen: set[str] = set()
    with path.open("rb") as handle:
        for lineno, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            record = json.loads(raw.decode("utf-8"))  # every line was parsed once by the article reader
            if record.get("type", "article") == "article":
                continue
            where = f"{path}:{lineno}"
            if record.get("type") != "passage":
                raise InputError(f"{where}: unknown record type {record.get('type')!r} "
                                 "(expected 'article' or 'passage')")
            passage = _passage(record, where, texts)
            if passage.id in seen:
                raise InputError(f"{where}: duplicate passage id '{passage.id}'")
            seen.add(passage.id)
            passages.append(passage)
    if not articles:
        raise InputError(f"{path}: no article records")
    return LabelledCorpus(tuple(articles), tuple(passages), str(path))


def _passage(record: dict[str, Any], where: str, lengths: dict[str, int]) -> LabelledPassage:
    ident = record.get("id")
    if not isinstance(ident, (str, int)) or isinstance(ident, bool) or str(ident) == "":
        raise InputError(f"{where}: passage needs a non-empty 'id'")
    kind = record.get("kind")
    if kind not in PASSAGE_KINDS:
        raise InputError(f"{where}: 'kind' must be one of {', '.join(PASSAGE_KINDS)}, not {kind!r}")
    origin, source = record.get("origin"), record.get("source_article")
    for name, value in (("origin", origin), ("source_article", source)):
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}: '{name}' must be a string or null, not {value!r}")
    if source is not None and source not in lengths:
        raise InputError(f"{where}: 'source_article' names unknown article '{source}'")
    raw_spans = record.get("spans")
    if not isinstance(raw_spans, list):
        raise InputError(f"{where}: 'spans' must be a list of {{article, start, end}}")
    spans = [_span(item, where, n, lengths) for n, item in enumerate(raw_spans)]
    if len({s.article_id for s in spans}) < 2:
        raise InputError(f"{where}: a passage needs spans in at least two articles")
    return LabelledPassage(str(ident), kind, origin, source, tuple(spans))


def _span(item: Any, where: str, n: int, lengths: dict[str, int]) -> Span:
    if not isinstance(item, dict):
        raise InputError(f"{where}: spans[{n}] must be an object {{article, start, end}}")
    article, start, end = item.get("article"), item.get("start"), item.get("end")
    if not isinstance(article, (str, int)) or isinstance(article, bool) or str(article) not in lengths:
        raise InputError(f"{where}: spans[{n}] names unknown article {article!r}")
    size = lengths[str(article)]
    if not (isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
            and not isinstance(end, bool) and 0 <= start < end <= size):
        raise InputError(f"{where}: spans[{n}] [{start}:{end}] is not a range within article "
                         f"'{article}' (0..{size})")
    return Span(str(article), start, end)

