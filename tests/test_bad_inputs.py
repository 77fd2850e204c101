"""Every bad input unit fails alone: one warning naming it, the good articles beside it still
reported, through ``scan``, ``index add`` and ``filter`` (the corpus is in ``bad_inputs.py``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bad_inputs import CASE_IDS, CASES, GOOD, Case, build, run_cli

# The JSON Lines cases that are one bad line (the others are about a whole file).
JSONL_CASES = [c for c in CASES if c.name.startswith("jl-")
               and c.name not in ("jl-binary-file", "jl-empty-file", "jl-blank-lines", "jl-only-labels", "jl-crlf")]


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, list[str]]:
    code, out, err = run_cli(*args, stdin=stdin)
    return code, out, [line[len("warning: "):] for line in err.splitlines() if line.startswith("warning: ")]


def config_args(case: Case, tmp_path: Path) -> list[str]:
    if case.config is None:
        return []
    path = tmp_path / "case-config.yaml"
    path.write_text(case.config, encoding="utf-8")
    return ["--config", str(path)]


def assert_warnings(case: Case, bad: Path, warnings: list[str]) -> None:
    patterns = case.pattern(bad)
    assert len(warnings) == len(patterns), warnings
    unmatched = list(warnings)
    for pattern in patterns:
        hits = [w for w in unmatched if pattern.fullmatch(w)]
        assert hits, f"no warning matches {pattern.pattern!r} in {warnings}"
        unmatched.remove(hits[0])
    for line in warnings:
        assert "\n" not in line and "\x1b" not in line


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "corpus"


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_scan(case: Case, folder: Path, tmp_path: Path) -> None:
    bad = build(case, folder)
    code, out, warnings = run("scan", str(folder), "--format", "json", *config_args(case, tmp_path))
    assert code == 0
    assert_warnings(case, bad, warnings)
    report = json.loads(out)
    ids = [a["id"] for a in report["articles"]]
    assert len(ids) == len(GOOD) + case.articles, ids
    assert set(GOOD) <= set(ids)
    assert any(set(GOOD) <= set(p["articles"]) for p in report["passages"])
    json.dumps(report, ensure_ascii=False).encode("utf-8")  # every id and text can be written as UTF-8


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_index_add_and_filter(case: Case, folder: Path, tmp_path: Path) -> None:
    bad = build(case, folder)
    conf = config_args(case, tmp_path)
    index = str(tmp_path / "i.sqlite")
    code, out, warnings = run("index", "add", str(folder), "--index", index, *conf)
    assert code == 0
    assert_warnings(case, bad, warnings)
    assert out.startswith(f"syndet index: {len(GOOD) + case.articles} articles added, 0 already indexed")
    fresh = str(tmp_path / "fresh.sqlite")
    run("index", "add", str(folder / "good_a.txt"), "--index", fresh, *conf)
    code, out, warnings = run("filter", str(folder), "--index", fresh, *conf)
    assert code == 0
    assert_warnings(case, bad, warnings)
    decisions = {d["id"]: d for d in map(json.loads, out.splitlines())}
    assert len(decisions) == len(GOOD) + case.articles
    assert (decisions["good_a.txt"]["decision"], decisions["good_a.txt"]["already_indexed"]) == ("reject", "same")
    assert decisions["good_b.txt"]["decision"] in ("flag", "reject")
    assert decisions["good_b.txt"]["matches"][0]["id"] == "good_a.txt"


@pytest.mark.parametrize("case", JSONL_CASES, ids=[c.name for c in JSONL_CASES])
def test_standard_input_records(case: Case, tmp_path: Path) -> None:
    """The JSON Lines cases as a stream on standard input: each record fails alone there too."""
    bad = case.make(tmp_path)
    data = bad.read_bytes()
    good = "".join(json.dumps({"id": n, "text": t}) + "\n" for n, t in GOOD.items()).encode()
    conf = config_args(case, tmp_path)
    stream = re.escape("<stdin>")
    expect = [re.compile(e.replace("{path}", stream)) for e in case.expect]
    code, out, warnings = run("scan", "-", "--format", "json", *conf, stdin=data + good)
    assert code == 0
    assert len(warnings) == len(expect) and all(any(p.fullmatch(w) for w in warnings) for p in expect), warnings
    assert len(json.loads(out)["articles"]) == len(GOOD) + case.articles
    index = str(tmp_path / "i.sqlite")
    code, out, warnings = run("index", "add", "-", "--index", index, *conf, stdin=data + good)
    assert code == 0 and len(warnings) == len(expect)
    code, out, warnings = run("filter", "--index", index, *conf, stdin=data + good)
    assert code == 0 and len(out.splitlines()) == len(GOOD) + case.articles
