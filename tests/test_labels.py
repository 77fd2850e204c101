"""Labelled corpora: the reader's errors, and the geneva-2022 labels against the sample and the detector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.geneva_labels import OUT, records
from syndet.detector import Detector
from syndet.errors import InputError
from syndet.tuning.labels import read_labelled
from syndet.tuning.metrics import evaluate


def write(tmp_path: Path, *lines: dict[str, object] | str) -> Path:
    path = tmp_path / "labels.jsonl"
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8")
    return path


ART_A = {"type": "article", "id": "a", "text": "one two three four five six", "source": "AP"}
ART_B = {"type": "article", "id": "b", "text": "zero one two three four five six seven"}
GOOD = {"type": "passage", "id": "p1", "kind": "agency", "origin": "AP", "source_article": "a",
        "spans": [{"article": "a", "start": 0, "end": 27}, {"article": "b", "start": 5, "end": 32}], "edits": {}}


def test_reads_articles_and_passages(tmp_path: Path) -> None:
    corpus = read_labelled(write(tmp_path, ART_A, GOOD, ART_B))
    assert [a.id for a in corpus.articles] == ["a", "b"]
    assert corpus.articles[0].source == "AP"
    (p,) = corpus.passages
    assert (p.id, p.kind, p.origin, p.source_article, p.article_ids) == ("p1", "agency", "AP", "a", ("a", "b"))
    assert [(s.article_id, s.start, s.end) for s in p.spans] == [("a", 0, 27), ("b", 5, 32)]


@pytest.mark.parametrize(("change", "message"), [
    ({"kind": "wire"}, "'kind' must be one of agency, press_release, quote, republished, not 'wire'"),
    ({"spans": [{"article": "a", "start": 0, "end": 27}, {"article": "c", "start": 0, "end": 3}]},
     "spans[1] names unknown article 'c'"),
    ({"spans": [{"article": "a", "start": 0, "end": 28}, {"article": "b", "start": 0, "end": 3}]},
     "spans[0] [0:28] is not a range within article 'a' (0..27)"),
    ({"spans": [{"article": "a", "start": 0, "end": 5}, {"article": "a", "start": 6, "end": 9}]},
     "a passage needs spans in at least two articles"),
    ({"source_article": "zz"}, "'source_article' names unknown article 'zz'"),
    ({"type": "pasage"}, "unknown record type 'pasage' (expected 'article' or 'passage')"),
])
def test_bad_passage_is_one_line_with_file_and_line(tmp_path: Path, change: dict[str, object], message: str) -> None:
    path = write(tmp_path, ART_A, ART_B, {**GOOD, **change})
    with pytest.raises(InputError) as err:
        read_labelled(path)
    assert str(err.value) == f"{path}:3: {message}"


def test_a_bad_article_line_is_an_error_not_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, ART_A, '{"type": "article", "id": "b"', GOOD)
    with pytest.raises(InputError) as err:
        read_labelled(path)
    assert str(err.value).startswith(f"{path}:2: invalid JSON")


def test_geneva_labels_hold_the_sample_texts_and_match_their_source(geneva: Path) -> None:
    corpus = read_labelled(OUT)
    assert {a.id: a.text for a in corpus.articles} == {
        p.name: p.read_text(encoding="utf-8") for p in geneva.glob("*.txt")}
    assert OUT.read_text(encoding="utf-8") == "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records())


def test_geneva_every_labelled_passage_found_and_no_false_pair() -> None:
    corpus = read_labelled(OUT)
    result = Detector().scan(list(corpus.articles))
    ev = evaluate(corpus.passages, result.passages, {a.id: a.text for a in corpus.articles})
    assert ev.labelled == 14 and ev.missed == ()
    assert ev.false_pairs == ()
    assert ev.passages.f1 >= 0.95
    # the AP paragraphs are attributed to AP (the quotations carry no origin label)
    assert ev.origin is not None and (ev.origin.correct, ev.origin.total) == (12, 12)


def test_scanning_the_sample_directory_ignores_the_labels(geneva: Path) -> None:
    assert not any(geneva.rglob("*.jsonl"))
    assert len(Detector().scan_paths([geneva]).articles) == 5
