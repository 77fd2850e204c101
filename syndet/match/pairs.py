"""Figures of each pair of articles that share text, and the groups of articles that are duplicates.

A passage joins every article holding a copy; a pair's own figures come from the runs the two
were aligned on, so a pair inside a passage of five articles shows what those two share.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from syndet.models import Alignment, DuplicateGroup, Pair, edit_ratio


def pair_figures(alignments: Sequence[Alignment], content_words: Mapping[str, int],
                 order: Mapping[str, int]) -> list[Pair]:
    """One :class:`Pair` per pair of aligned articles, most shared words first.

    Args:
        alignments: The aligned runs of a scan.
        content_words: Content words of each article (page chrome left out).
        order: Position of each article in the scan (pairs list their articles in that order).
    """
    shared: dict[tuple[str, str], list[Alignment]] = defaultdict(list)
    for al in alignments:
        a, b = al.left.article_id, al.right.article_id
        shared[(a, b) if order.get(a, 0) <= order.get(b, 0) else (b, a)].append(al)
    out = []
    for (a, b), found in shared.items():
        words = sum(al.words for al in found)
        wa, wb = content_words.get(a, 0), content_words.get(b, 0)
        out.append(Pair((a, b), words, (min(1.0, words / wa) if wa else 0.0, min(1.0, words / wb) if wb else 0.0),
                        edit_ratio(found)))
    out.sort(key=lambda p: (-p.words, order.get(p.articles[0], 0), order.get(p.articles[1], 0)))
    return out


def duplicate_groups(pairs: Sequence[Pair], at: float, order: Mapping[str, int]) -> list[DuplicateGroup]:
    """Articles joined by pairs whose containment is at least ``at`` both ways (union-find), with
    the lowest such containment in each group."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    edges = [p for p in pairs if min(p.containment) >= at]
    for p in edges:
        ra, rb = find(p.articles[0]), find(p.articles[1])
        if ra != rb:
            parent[max(ra, rb, key=lambda r: order.get(r, 0))] = min(ra, rb, key=lambda r: order.get(r, 0))
    members: dict[str, list[str]] = defaultdict(list)
    for x in list(parent):
        members[find(x)].append(x)
    low: dict[str, float] = {}
    for p in edges:
        root = find(p.articles[0])
        low[root] = min(low.get(root, 1.0), min(p.containment))
    groups = [DuplicateGroup(tuple(sorted(ids, key=lambda i: order.get(i, 0))), round(low[root], 4))
              for root, ids in members.items() if len(ids) > 1]
    groups.sort(key=lambda g: order.get(g.articles[0], 0))
    return groups


def twin_of(groups: Sequence[DuplicateGroup]) -> dict[str, str]:
    """Each article of a duplicate group mapped to the group's first article."""
    return {member: group.articles[0] for group in groups for member in group.articles}
