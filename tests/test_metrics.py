"""Scoring against labels: hand-made cases whose numbers are worked out by hand."""

from __future__ import annotations

from syndet.models import Attribution, Passage, Span
from syndet.tuning.labels import LabelledPassage
from syndet.tuning.metrics import evaluate

TEXTS = {"A": "x" * 100, "B": "y" * 100, "C": "z" * 100}


def label(ident: str, *spans: tuple[str, int, int], kind: str = "agency", origin: str | None = "AP") -> LabelledPassage:
    return LabelledPassage(ident, kind, origin, None, tuple(Span(*s) for s in spans))


def found(ident: str, *spans: tuple[str, int, int], attribution: Attribution | None = None) -> Passage:
    return Passage(ident, tuple(Span(*s) for s in spans), words=20, attribution=attribution)


LABELS = [label("L1", ("A", 0, 40), ("B", 10, 50)),
          label("L2", ("A", 60, 80), ("C", 0, 20), kind="quote", origin=None)]


def test_characters_pairs_and_found_passages() -> None:
    # D1 covers 30 of L1's 40 characters in A and in B; D2 pairs A with B where L2 pairs A with C.
    ev = evaluate(LABELS, [found("D1", ("A", 0, 30), ("B", 10, 40)),
                           found("D2", ("A", 60, 90), ("B", 60, 90))], TEXTS)
    # detected: A 30+30, B 30+30 = 120; labelled: A 40+20, B 40, C 20 = 120; correct: 30 (A) + 30 (B)
    assert (ev.passages.correct, ev.passages.detected, ev.passages.labelled) == (60, 120, 120)
    assert (ev.passages.precision, ev.passages.recall, ev.passages.f1) == (0.5, 0.5, 0.5)
    # pairs: labelled {A~B, A~C}, detected {A~B}
    assert (ev.pairs.precision, ev.pairs.recall) == (1.0, 0.5)
    assert abs(ev.pairs.f1 - 2 / 3) < 1e-12
    assert (ev.found, ev.labelled, ev.copy_pairs_found, ev.copy_pairs) == (1, 2, 1, 2)
    assert ev.missed == ("L2",) and ev.false_pairs == ()
    assert ev.origin is None and ev.kind is None


def test_a_copy_is_found_from_half_its_length() -> None:
    half = evaluate(LABELS[:1], [found("D", ("A", 0, 20), ("B", 10, 30))], TEXTS)
    assert half.found == 1
    under = evaluate(LABELS[:1], [found("D", ("A", 0, 19), ("B", 10, 30))], TEXTS)
    assert under.found == 0 and under.missed == ("L1",)


def test_false_pairs_and_nothing_detected() -> None:
    ev = evaluate(LABELS[:1], [found("D", ("B", 0, 30), ("C", 0, 30))], TEXTS)
    assert ev.false_pairs == (("B", "C"),)
    assert (ev.passages.precision, ev.passages.recall, ev.pairs.precision) == (0.0, 0.0, 0.0)
    empty = evaluate(LABELS, [], TEXTS)
    assert (empty.passages.precision, empty.passages.recall, empty.passages.f1) == (1.0, 0.0, 0.0)


def test_origin_and_kind_of_the_best_covering_passage() -> None:
    ap = Attribution("agency", "ap", "A", 0.9)
    reuters = Attribution("agency", "Reuters", None, 0.5)
    # D2 covers more of L1 than D1, so D2's attribution is the one checked
    ev = evaluate(LABELS, [found("D1", ("A", 0, 25), ("B", 10, 35), attribution=reuters),
                           found("D2", ("A", 0, 40), ("B", 10, 50), attribution=ap),
                           found("D3", ("A", 60, 80), ("C", 0, 20), attribution=reuters)], TEXTS)
    assert ev.origin is not None and ev.kind is not None
    # L1: origin AP matches "ap" (case does not matter); L2 has no origin; kinds: agency ok, quote wrong
    assert (ev.origin.correct, ev.origin.total, ev.kind.correct, ev.kind.total) == (1, 1, 1, 2)
    wrong = evaluate(LABELS[:1], [found("D", ("A", 0, 40), ("B", 10, 50), attribution=reuters)], TEXTS)
    assert wrong.origin is not None and wrong.origin.value == 0.0
    assert wrong.wrong_origin == (("L1", "AP", "Reuters"),)


def test_whitespace_between_joined_paragraphs_is_not_an_error() -> None:
    texts = {"A": "ab cd\n\nef gh", "B": "ab cd\n\nef gh"}
    labels = [label("L1", ("A", 0, 5), ("B", 0, 5)), label("L2", ("A", 7, 12), ("B", 7, 12))]
    ev = evaluate(labels, [found("D", ("A", 0, 12), ("B", 0, 12))], texts)
    assert (ev.passages.correct, ev.passages.detected, ev.passages.labelled) == (16, 16, 16)
    assert ev.found == 2
