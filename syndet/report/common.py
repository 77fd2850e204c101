"""Record shapes every report format shares: passages, attributions, evidence, article pairs.

Schema ``syndet.scan/1`` (see README).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from syndet.models import Attribution, Evidence, Passage
from syndet.result import ScanResult

SCHEMA = "syndet.scan/1"


def passage_record(result: ScanResult, passage: Passage) -> dict[str, Any]:
    """JSON form of one passage: its copies with offsets, text and share of each article."""
    copies = []
    for span in passage.spans:
        content = result.content_chars(span.article_id)
        copies.append({
            "article": span.article_id,
            "start": span.start,
            "end": span.end,
            "text": result.article(span.article_id).text[span.start:span.end],
            "coverage": round(result.covered(span.article_id, [span]) / content, 4) if content else 0.0,
            "role": copy_role(passage.attribution, span.article_id),
        })
    return {
        "id": passage.id,
        "words": passage.words,
        "edit_ratio": passage.edit_ratio,
        "articles": list(passage.article_ids),
        "copies": copies,
        "attribution": attribution_record(passage.attribution),
    }


def copy_role(attribution: Attribution | None, article_id: str) -> str | None:
    """``source`` for the copy judged original, ``copy`` for the others, None when not told apart."""
    if attribution is None or attribution.source_article is None:
        return None
    return "source" if attribution.source_article == article_id else "copy"


def evidence_record(evidence: Evidence) -> dict[str, Any]:
    """JSON form of one piece of evidence."""
    return {
        "kind": evidence.kind,
        "article": evidence.article_id,
        "detail": evidence.detail,
        "start": evidence.span.start if evidence.span else None,
        "end": evidence.span.end if evidence.span else None,
        "agency": evidence.agency,
    }


def attribution_record(attribution: Attribution | None) -> dict[str, Any] | None:
    """JSON form of an attribution."""
    if attribution is None:
        return None
    return {
        "kind": attribution.kind,
        "origin": attribution.origin,
        "source_article": attribution.source_article,
        "confidence": attribution.confidence,
        "evidence": [evidence_record(e) for e in attribution.evidence],
    }


def origins_record(result: ScanResult, article_id: str) -> list[dict[str, Any]]:
    """Per article: the share of its content syndicated from each origin."""
    return [{"origin": origin, "fraction": round(share, 4)} for origin, share in result.origin_shares(article_id)]


def origins_text(result: ScanResult, article_id: str) -> str:
    """``62% AP, 10% Reuters``; empty when nothing in the article is syndicated."""
    return ", ".join(f"{share:.0%} {origin}" for origin, share in result.origin_shares(article_id))


def pair_summary(result: ScanResult) -> list[dict[str, Any]]:
    """Per pair of articles that share text: the passages holding both, the words the two share with
    each other (their own aligned words, not the whole passages' words), the containment of each in
    the other (in the order of ``articles``), the pair's score (the larger containment: how much
    one is derived from the other) and its edit ratio (words changed inside the shared stretches),
    most shared words first."""
    held: dict[frozenset[str], list[str]] = defaultdict(list)
    for passage in result.passages:
        for a, b in combinations(passage.article_ids, 2):
            held[frozenset((a, b))].append(passage.id)
    if result.pairs:
        return [{"articles": list(p.articles), "passages": held.get(frozenset(p.articles), []), "words": p.words,
                 "containment": [round(c, 4) for c in p.containment], "score": round(p.score, 4),
                 "edit_ratio": p.edit_ratio}
                for p in result.pairs if held.get(frozenset(p.articles))]
    words: dict[frozenset[str], int] = defaultdict(int)  # a result built without pair figures
    for al in result.alignments:
        words[frozenset((al.left.article_id, al.right.article_id))] += al.words
    order = {a.id: k for k, a in enumerate(result.articles)}
    out: list[dict[str, Any]] = []
    for key, ids in held.items():
        a, b = sorted(key, key=lambda i: order.get(i, 0))
        passages = [p for p in result.passages if p.id in ids]
        out.append({"articles": [a, b], "passages": ids, "words": words.get(key) or max(p.words for p in passages)})
    out.sort(key=lambda r: (-int(r["words"]), r["articles"]))
    return out


def duplicate_records(result: ScanResult) -> list[dict[str, Any]]:
    """The duplicate groups: articles that are the same text, with their lowest containment."""
    return [{"articles": list(g.articles), "similarity": g.similarity} for g in result.duplicates]


def kind_counts(result: ScanResult) -> list[tuple[str, int]]:
    """How many passages there are of each kind (``agency``, ``quote`` ...), most first."""
    counts: dict[str, int] = defaultdict(int)
    for passage in result.passages:
        counts[passage.attribution.kind if passage.attribution else "unattributed"] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def origin_counts(result: ScanResult) -> list[tuple[str, int]]:
    """How many passages name each origin, most first."""
    counts: dict[str, int] = defaultdict(int)
    for passage in result.passages:
        if passage.attribution is not None and passage.attribution.origin:
            counts[passage.attribution.origin] += 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


@dataclass(frozen=True)
class ReportOptions:
    """How much a report shows.

    Attributes:
        color: Colour the text report (a terminal).
        full: Whole passages in the text report, not excerpts.
        top: Show only the ``top`` largest passages, pairs and articles in the text report (0: all).
        summary: Text report: the summary only, no passages.
        with_text: JSON reports: carry each article's text, which every offset points into (for
            pages, the extracted text).
    """

    color: bool = False
    full: bool = False
    top: int = 0
    summary: bool = False
    with_text: bool = False
