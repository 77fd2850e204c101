"""Join pairwise alignments into passages: one passage per stretch of text, however many copies.

Every alignment links a span in one article to a span in another. Spans of one article that
overlap substantially are the same text, so they join; the connected groups are the passages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from syndet.models import Alignment, Passage, Span


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, x: int, y: int) -> None:
        rx, ry = self.find(x), self.find(y)
        if rx != ry:
            self.parent[max(rx, ry)] = min(rx, ry)


def build_passages(
    alignments: Sequence[Alignment],
    min_overlap: float,
    article_order: Mapping[str, int] | None = None,
) -> list[Passage]:
    """Cluster alignments into passages, largest first.

    Args:
        alignments: Pairwise shared runs.
        min_overlap: Two spans of one article join when they overlap by this share of the shorter.
        article_order: Position of each article in the input, to order the spans of a passage.

    Returns:
        Passages with ids ``P1``, ``P2``, ... sorted by number of articles, then words.
    """
    nodes: list[Span] = []
    for al in alignments:
        nodes.extend((al.left, al.right))
    uf = _UnionFind(len(nodes))
    for k in range(len(alignments)):
        uf.union(2 * k, 2 * k + 1)
    by_article: dict[str, list[int]] = defaultdict(list)
    for n, span in enumerate(nodes):
        by_article[span.article_id].append(n)
    for members in by_article.values():
        members.sort(key=lambda n: (nodes[n].start, nodes[n].end))
        active: list[int] = []
        for n in members:
            span = nodes[n]
            active = [m for m in active if nodes[m].end > span.start]
            for m in active:
                other = nodes[m]
                overlap = min(other.end, span.end) - max(other.start, span.start)
                if overlap >= min_overlap * min(other.length, span.length):
                    uf.union(m, n)
            active.append(n)
    groups: dict[int, list[int]] = defaultdict(list)
    for n in range(len(nodes)):
        groups[uf.find(n)].append(n)
    words: dict[int, int] = defaultdict(int)
    for k, al in enumerate(alignments):
        root = uf.find(2 * k)
        words[root] = max(words[root], al.words)
    order = article_order or {}
    passages = []
    for root, members in groups.items():
        spans = _merge_spans([nodes[n] for n in members])
        spans.sort(key=lambda s: (order.get(s.article_id, len(order)), s.article_id, s.start))
        passages.append(Passage(id="", spans=tuple(spans), words=words[root]))
    passages.sort(key=lambda p: (-len(p.article_ids), -p.words, p.spans[0].article_id, p.spans[0].start))
    return [Passage(f"P{i}", p.spans, p.words) for i, p in enumerate(passages, 1)]


def _merge_spans(spans: list[Span]) -> list[Span]:
    by_article: dict[str, list[Span]] = defaultdict(list)
    for span in spans:
        by_article[span.article_id].append(span)
    out = []
    for article_id, items in by_article.items():
        items.sort(key=lambda s: s.start)
        start, end = items[0].start, items[0].end
        for s in items[1:]:
            if s.start <= end:
                end = max(end, s.end)
            else:
                out.append(Span(article_id, start, end))
                start, end = s.start, s.end
        out.append(Span(article_id, start, end))
    return out
