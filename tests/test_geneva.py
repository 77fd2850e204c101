"""The bundled sample corpus scans as EXPECTED.md says.

The reference runs are computed here by the method EXPECTED.md describes (word 8-grams after
folding "U.S." to "us", curly quotes to straight, lower case), independently of syndet's code.
"""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest

from syndet.detector import Detector
from syndet.result import ScanResult

AP_A, AP_B = "003_a116120311b8510c.txt", "004_fd3b9aa19fe5f73c.txt"
QUOTE_PAIRS = {("000_35191ae9f111ca43.txt", AP_B), ("001_451f7cf8bec56172.txt", AP_A),
               ("001_451f7cf8bec56172.txt", AP_B)}


def ref_tokens(text: str) -> list[tuple[str, int, int]]:
    folded = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').lower()
    out = []
    for m in re.finditer(r"u\.s\.|[a-z0-9]+(?:'[a-z0-9]+)*", folded):
        out.append((m.group().replace(".", "").replace("'", ""), m.start(), m.end()))
    return out


def ref_runs(a: str, b: str, n: int = 8) -> list[tuple[tuple[int, int], tuple[int, int], int]]:
    """Maximal runs of shared 8-grams: (char range in a, char range in b, words)."""
    ta, tb = ref_tokens(a), ref_tokens(b)
    grams: dict[tuple[str, ...], int] = {}
    for j in range(len(tb) - n + 1):
        grams.setdefault(tuple(w for w, _, _ in tb[j:j + n]), j)
    runs = []
    i = 0
    while i <= len(ta) - n:
        j = grams.get(tuple(w for w, _, _ in ta[i:i + n]))
        if j is None:
            i += 1
            continue
        k = n
        while i + k < len(ta) and j + k < len(tb) and ta[i + k][0] == tb[j + k][0]:
            k += 1
        runs.append(((ta[i][1], ta[i + k - 1][2]), (tb[j][1], tb[j + k - 1][2]), k))
        i += k
    return runs


@pytest.fixture(scope="module")
def result(geneva: Path) -> ScanResult:
    return Detector().scan_paths([geneva])


def covered(result: ScanResult, article_id: str, lo: int, hi: int) -> float:
    best = 0
    for p in result.passages:
        for s in p.spans:
            if s.article_id == article_id:
                best = max(best, min(hi, s.end) - max(lo, s.start))
    return best / (hi - lo)


def test_ap_runs_are_found_in_both_copies(result: ScanResult, geneva: Path) -> None:
    a = (geneva / AP_A).read_text(encoding="utf-8")
    b = (geneva / AP_B).read_text(encoding="utf-8")
    runs = ref_runs(a, b)
    assert len(runs) >= 10 and sum(r[2] for r in runs) >= 400
    found = [r for r in runs if covered(result, AP_A, *r[0]) >= 0.9 and covered(result, AP_B, *r[1]) >= 0.9]
    assert len(found) >= 9, [a[r[0][0]:r[0][0] + 50] for r in runs if r not in found]
    for phrase in ["The U.S. has played down hopes", "But U.S. officials have expressed openness",
                   "Blinken said bluntly Sunday", "NATO Secretary-General Jens Stoltenberg also sought",
                   "it wants the issue resolved", "The United States, which has emphasized",
                   "Moscow has sought to wrest", "part of a flurry of diplomatic activity"]:
        at = a.index(phrase)
        assert covered(result, AP_A, at, at + len(phrase)) == 1.0, phrase


def test_passage_offsets_slice_the_shared_text(result: ScanResult) -> None:
    for p in result.passages:
        texts = [result.article(s.article_id).text[s.start:s.end] for s in p.spans]
        assert all(t.strip() == t and t for t in texts)


def test_no_syndication_between_other_pairs(result: ScanResult) -> None:
    for p in result.passages:
        pairs = set(combinations(sorted(p.article_ids), 2))
        if pairs == {(AP_A, AP_B)}:
            continue
        # only the independently reproduced quotations may appear, short and in their own passage
        assert pairs <= QUOTE_PAIRS, p
        assert p.words <= 60, p
    ap = [p for p in result.passages if set(p.article_ids) == {AP_A, AP_B}]
    assert sum(p.words for p in ap) >= 380
    assert result.warnings == ()
