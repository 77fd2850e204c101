"""Sweeping settings over a labelled corpus: grid, S-curve, overlay and the `syndet tune` command."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from datasketch import MinHashLSH

from benchmarks.synth import SynthConfig, write_corpus
from syndet.cli import main
from syndet.config import load_settings
from syndet.errors import ConfigError
from syndet.models import Passage, Span
from syndet.settings import Settings
from syndet.tuning.labels import read_labelled
from syndet.tuning.metrics import evaluate
from syndet.tuning.sweep import Trial, best_trial, grid, overlay, parse_sweep, run_sweep, s_curve


@pytest.fixture(scope="module")
def labels(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    write_corpus(SynthConfig(articles=150, seed=3), out / "articles.jsonl", out / "labels.jsonl")
    return out / "labels.jsonl"


def test_parse_sweep_types_values() -> None:
    assert parse_sweep(["lsh.threshold=0.2, 0.5", "verify.min_passage_words=8,12", "segment.learn_chrome=false"]) == {
        "lsh.threshold": [0.2, 0.5], "verify.min_passage_words": [8, 12], "segment.learn_chrome": [False]}
    with pytest.raises(ConfigError, match=r"^--sweep 'lsh.threshold': expected KEY=V1,V2,\.\.\."):
        parse_sweep(["lsh.threshold"])


def test_grid_validates_keys_and_ranges() -> None:
    settings = grid(Settings(), {"lsh.threshold": [0.2, 0.4], "shingle.size": [4]})
    assert [v for v, _ in settings] == [(("lsh.threshold", 0.2), ("shingle.size", 4)),
                                        (("lsh.threshold", 0.4), ("shingle.size", 4))]
    assert settings[1][1].lsh.threshold == 0.4 and settings[1][1].shingle.size == 4
    with pytest.raises(ConfigError) as err:
        grid(Settings(), {"lsh.treshold": [0.2]})
    assert str(err.value) == "command line: unknown key 'lsh.treshold' (did you mean 'lsh.threshold'?)"


def test_s_curve_uses_datasketch_bands() -> None:
    b, r, curve = s_curve(0.3, 128)
    lsh = MinHashLSH(threshold=0.3, num_perm=128)
    assert (b, r) == (lsh.b, lsh.r)
    probs = [p for _, p in curve]
    assert probs == sorted(probs) and probs[-1] == 1.0
    assert dict(curve)[0.5] == pytest.approx(1 - (1 - 0.5 ** r) ** b)


def test_overlay_keeps_only_changed_keys(tmp_path: Path) -> None:
    assert overlay(Settings()) == {}
    tuned = load_settings([], {"lsh.threshold": 0.5, "verify.min_passage_words": 20})
    assert overlay(tuned) == {"lsh": {"threshold": 0.5}, "verify": {"min_passage_words": 20}}


def test_sweep_scores_each_setting_and_best_is_highest_f1(labels: Path) -> None:
    corpus = read_labelled(labels)
    trials = run_sweep(corpus, grid(Settings(), {"verify.min_passage_words": [2, 12]}))
    assert [t.settings.verify.min_passage_words for t in trials] == [2, 12]
    # two-word "passages" are mostly chance matches: precision drops
    assert trials[0].evaluation.passages.precision < trials[1].evaluation.passages.precision
    assert best_trial(trials) is max(trials, key=lambda t: t.evaluation.passages.f1)


def test_ties_go_to_the_setting_closest_to_the_base() -> None:
    same = evaluate([], [], {})  # nothing labelled, nothing found: F1 1.0
    false_hit = evaluate([], [Passage("P1", (Span("a", 0, 5), Span("b", 0, 5)), 3)], {"a": "x" * 9, "b": "y" * 9})
    base = load_settings([], {"lsh.threshold": 0.4})
    far = Trial((("lsh.threshold", 0.2),), load_settings([], {"lsh.threshold": 0.2}), same, 1.0)
    near = Trial((("lsh.threshold", 0.4),), base, same, 1.0)
    assert best_trial([far, near], base) is near
    assert best_trial([far, near]) is far  # against the defaults both change one key: the earliest wins
    worse = Trial((("lsh.threshold", 0.4),), base, false_hit, 1.0)
    assert worse.evaluation.passages.f1 < same.passages.f1
    assert best_trial([worse, far], base) is far


def test_tune_command_writes_a_config_that_loads(labels: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if not installed
    out = tmp_path / "best.yaml"
    result = CliRunner().invoke(main, ["tune", str(labels), "--sweep", "lsh.threshold=0.3,0.5",
                                       "--sweep", "verify.min_passage_words=2,12", "--out", str(out),
                                       "--plot", str(tmp_path / "pr.png")])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"syndet tune: 150 articles, {len(read_labelled(labels).passages)} labelled passages, 4 settings"
    assert lines[2].split()[:3] == ["lsh.threshold", "verify.min_passage_words", "passage"]
    assert [line.split()[:2] for line in lines[3:7]] == [["0.3", "2"], ["0.3", "12"], ["0.5", "2"], ["0.5", "12"]]
    best = next(line for line in lines if line.startswith("best: "))
    assert "verify.min_passage_words=12" in best
    assert "similarity  P(candidate)" in lines
    tuned = load_settings([out])
    assert tuned.verify.min_passage_words == 12 and tuned.lsh.threshold in (0.3, 0.5)
    assert result.stderr == "matplotlib is not installed (pip install 'syndet[plot]'): no plot drawn\n"
    assert not (tmp_path / "pr.png").exists()


def test_tune_bad_sweep_and_bad_labels_are_one_line(labels: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["tune", str(labels), "--sweep", "lsh.threshold=0.3,7",
                                       "--out", str(tmp_path / "x.yaml")])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "syndet: error: command line: 'lsh.threshold' = 7.0 is out of range [0.01, 1.0]\n"
    result = CliRunner().invoke(main, ["tune", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 3
    assert result.stderr == f"syndet: error: {tmp_path / 'none.jsonl'}: no such file\n"


def test_tune_refuses_a_corpus_without_passage_labels(tmp_path: Path) -> None:
    bare = tmp_path / "bare.jsonl"
    bare.write_text('{"id": "a", "text": "One article."}\n{"id": "b", "text": "Another article."}\n',
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["tune", str(bare), "--out", str(tmp_path / "t.yaml")])
    assert (result.exit_code, result.stdout) == (3, "")
    assert result.stderr == (f"syndet: error: {bare}: no passage labels ('type': 'passage' records): there is "
                             "nothing to tune against (see README, 'Labelled corpora')\n")
    assert not (tmp_path / "t.yaml").exists()
    table = tmp_path / "labels.csv"
    table.write_text("id,text\na,One article.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["tune", str(table)])
    assert result.exit_code == 3
    assert result.stderr == (f"syndet: error: {table}: a labelled corpus is a JSON Lines file (.jsonl) of article "
                             "and passage records\n")
