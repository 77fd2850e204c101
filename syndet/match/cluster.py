"""Join pairwise alignments into passages: one passage per stretch of text, however many copies.

Every alignment links a span in one article to a span in another. Spans of one article that
overlap substantially are the same text, so they join; a shorter span lying inside a longer one
(a trimmed copy) joins it too, unless it would chain groups that have no article in common (a
phrase two unrelated stories share); the connected groups are the passages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

from syndet.models import Alignment, Passage, Span, edit_ratio


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
    found = cluster_passages(alignments, min_overlap, article_order)
    found.sort(key=lambda pf: passage_order(pf[0], pf[1]))
    return [replace(p, id=f"P{i}") for i, (p, _) in enumerate(found, 1)]


def passage_order(passage: Passage, first: int | tuple[int, ...]) -> tuple[object, ...]:
    """The sort key of passages: most articles, then most words, then where the first copy sits;
    ``first`` (the passage's first alignment) settles what is left, as the input order would."""
    return (-len(passage.article_ids), -passage.words, passage.spans[0].article_id, passage.spans[0].start, first)


def cluster_passages(
    alignments: Sequence[Alignment],
    min_overlap: float,
    article_order: Mapping[str, int] | None = None,
) -> list[tuple[Passage, int]]:
    """The passages of :func:`build_passages` (without ids, not sorted), each with the position in
    ``alignments`` of its first alignment. Alignments that share no article never join, so a run
    over one connected group of articles gives that group's passages exactly as a run over all."""
    nodes: list[Span] = []
    for al in alignments:
        nodes.extend((al.left, al.right))
    uf = _UnionFind(len(nodes))
    for k in range(len(alignments)):
        uf.union(2 * k, 2 * k + 1)
    by_article: dict[str, list[int]] = defaultdict(list)
    for n, span in enumerate(nodes):
        by_article[span.article_id].append(n)
    inside: list[tuple[int, int]] = []  # (shorter, longer) spans of one article, the shorter mostly inside
    for members in by_article.values():
        members.sort(key=lambda n: (nodes[n].start, nodes[n].end))
        active: list[int] = []
        for n in members:
            span = nodes[n]
            active = [m for m in active if nodes[m].end > span.start]
            for m in active:
                other = nodes[m]
                overlap = min(other.end, span.end) - max(other.start, span.start)
                if overlap >= min_overlap * max(other.length, span.length):
                    uf.union(m, n)  # mostly the same text
                elif overlap >= min_overlap * min(other.length, span.length):
                    inside.append((m, n) if other.length < span.length else (n, m))
            active.append(n)
    _absorb(uf, nodes, inside)
    groups: dict[int, list[int]] = defaultdict(list)
    for n in range(len(nodes)):
        groups[uf.find(n)].append(n)
    aligned: dict[int, list[Alignment]] = defaultdict(list)
    for k, al in enumerate(alignments):
        aligned[uf.find(2 * k)].append(al)
    order = article_order or {}
    passages = []
    for root, members in groups.items():
        spans = _merge_spans([nodes[n] for n in members])
        spans.sort(key=lambda s: (order.get(s.article_id, len(order)), s.article_id, s.start))
        found = aligned[root]
        passages.append((Passage(id="", spans=tuple(spans), words=max(al.words for al in found),
                                 edit_ratio=edit_ratio(found)), members[0] // 2))
    return passages


def _absorb(uf: _UnionFind, nodes: Sequence[Span], inside: Sequence[tuple[int, int]]) -> None:
    """Join each group of shorter copies to the larger groups its spans lie inside.

    A trimmed copy lies inside the full story's span, so it joins the story's passage; so does a
    part of a story that lies inside two groups holding copies in the same articles (one story cut
    differently by different outlets). A short phrase that two unrelated stories happen to share
    lies inside groups with no article in common: joining it would chain the two stories into one
    passage, so it stays a passage of its own. Larger groups are settled first.
    """
    targets: dict[int, set[int]] = defaultdict(set)
    for small, large in inside:
        g, h = uf.find(small), uf.find(large)
        if g != h:
            targets[g].add(h)
    size: dict[int, int] = defaultdict(int)
    articles: dict[int, set[str]] = defaultdict(set)
    for n, span in enumerate(nodes):
        root = uf.find(n)
        size[root] = max(size[root], span.length)
        articles[root].add(span.article_id)
    held: dict[str, set[int]] = defaultdict(set)  # article -> groups holding it (roots when made)
    for root, ids in articles.items():
        for aid in ids:
            held[aid].add(root)
    for g in sorted(targets, key=lambda r: (-size[r], r)):
        root = uf.find(g)
        into = sorted({uf.find(h) for h in targets[g]} - {root})
        if into and _linked([articles[h] for h in into]) and not _own_story(root, into, articles, held, uf):
            for h in into:
                merged = articles[uf.find(root)] | articles[h]
                uf.union(root, h)
                articles[uf.find(root)] = merged


def _own_story(root: int, into: Sequence[int], articles: Mapping[int, set[str]],
               held: Mapping[str, set[int]], uf: _UnionFind) -> bool:
    """Whether the articles of group ``root`` that the groups ``into`` do not hold share other
    text among themselves: then they tell a story of their own and the group is a phrase the two
    stories have in common (the articles of a trimmed copy hold nothing else)."""
    outside = articles[root] - set().union(*(articles[h] for h in into))
    if len(outside) < 2:
        return False
    for aid in outside:
        for other in {uf.find(r) for r in held[aid]} - {root, *into}:
            if len(articles[other]) >= 2 and articles[other] <= outside:
                return True
    return False


def _linked(groups: Sequence[set[str]]) -> bool:
    """Whether groups of articles form one whole through the articles they have in common."""
    reached, rest = set(groups[0]), list(groups[1:])
    grew = True
    while rest and grew:
        grew = False
        for group in list(rest):
            if reached & group:
                reached |= group
                rest.remove(group)
                grew = True
    return not rest


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
