"""The bounded-memory local scan writes the in-memory scan's report: the same JSON and JSON Lines,
record for record, however finely its work is cut (chunks of articles, parts of each band and of
the shingle postings, batches of connected groups, blocks of pairs)."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from syndet.cli import main
from syndet.config import apply_overrides
from syndet.detector import Detector
from syndet.engines.bounded.budget import Plan, parse_size
from syndet.engines.bounded.candidates import BandSpill, PostingSpill
from syndet.engines.bounded.engine import BoundedEngine
from syndet.errors import ConfigError
from syndet.match.candidates import MemoryIndex, shared_shingle_pairs
from syndet.match.components import component_roots
from syndet.report.json import write_json, write_jsonl
from syndet.settings import Settings

FINE = Plan(chunk_chars=50_000, batch_chars=20_000, band_rows=2_000, posting_rows=20_000, pair_rows=500)
"""A plan that cuts a few thousand articles into many chunks, parts, batches and blocks."""


def _timeless(report: dict[str, Any]) -> dict[str, Any]:
    return {**report, "stats": {k: v for k, v in report["stats"].items() if not k.endswith("_s")}}


def _reports(paths: list[Path], fmt: str, plan: Plan | None, config: Settings | None = None,
             bounded_config: Settings | None = None) -> tuple[str, str]:
    config = config or Settings()
    held = io.StringIO()
    result = Detector(config).scan_paths(paths)
    (write_json if fmt == "json" else write_jsonl)(result, held)
    spilled = io.StringIO()
    BoundedEngine(bounded_config or config, 64 << 20, plan=plan).scan_paths(paths, spilled, fmt)
    return held.getvalue(), spilled.getvalue()


def _same_json(paths: list[Path], plan: Plan | None, config: Settings | None = None,
               bounded_config: Settings | None = None) -> dict[str, Any]:
    held, spilled = _reports(paths, "json", plan, config, bounded_config)
    assert _timeless(json.loads(spilled)) == _timeless(json.loads(held))
    # line for line too, the stats' timings aside
    assert [line for line in spilled.splitlines() if '"stats"' not in line] == \
        [line for line in held.splitlines() if '"stats"' not in line]
    report: dict[str, Any] = json.loads(spilled)
    return report


def test_geneva_report_is_the_in_memory_report(geneva: Path) -> None:
    report = _same_json([geneva], None)
    assert len(report["passages"]) >= 8
    assert report["pairs"] and all(p["passages"] for p in report["pairs"])


def test_synthetic_corpus_cut_finely_gives_the_same_report(tmp_path: Path) -> None:
    from benchmarks.synth import SynthConfig, write_corpus

    path = tmp_path / "news.jsonl"
    write_corpus(SynthConfig(articles=2000, seed=5, hard=True), path)
    size = path.stat().st_size
    # the plan really cuts: several chunks, band parts, posting parts
    assert size // FINE.chunk_chars > 10 and Plan.parts(size // 250, FINE.band_rows) > 1
    assert Plan.parts(size // 6, FINE.posting_rows) > 1
    report = _same_json([path], FINE)
    # batches settled side by side on two workers (the in-memory scan on one): the same report
    assert _timeless(_same_json([path], FINE, apply_overrides(Settings(), {"jobs": 1}),
                                apply_overrides(Settings(), {"jobs": 2}))) == _timeless(report)
    assert len(report["passages"]) > 200 and len(report["duplicates"]) > 50
    assert len({p["attribution"]["kind"] for p in report["passages"] if p["attribution"]}) >= 3
    held, spilled = _reports([path], "jsonl", FINE)
    rows = [json.loads(line) for line in spilled.splitlines()]
    assert [_timeless(rows[0]), *rows[1:]] == [_timeless(json.loads(held.splitlines()[0])),
                                               *(json.loads(line) for line in held.splitlines()[1:])]


def test_bad_lines_learnt_chrome_and_user_patterns_same_as_in_memory(geneva: Path, tmp_path: Path) -> None:
    texts = sorted(geneva.glob("*.txt"))
    lines = [json.dumps({"id": "j1", "text": texts[2].read_text(encoding="utf-8"), "source": "AP"}),
             "{not json", "", json.dumps({"text": "no id"}), json.dumps({"id": "j1", "text": "same id again"}),
             json.dumps({"id": "j2", "text": texts[3].read_text(encoding="utf-8")}),
             json.dumps({"id": "odd", "text": "Zürich \ud800 " + texts[3].read_text(encoding="utf-8")})]
    # an outlet whose footer repeats: learnt as chrome over the whole input, across chunks
    for n in range(6):
        body = texts[n % len(texts)].read_text(encoding="utf-8")
        lines.append(json.dumps({"id": f"o{n}", "source": "Daily Item", "text": f"{body}\n\nDaily Item. Read daily."}))
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    config = apply_overrides(Settings(), {"segment.chrome_patterns": ["^read daily"]})
    report = _same_json([tmp_path], Plan(chunk_chars=2_000, batch_chars=1_000, band_rows=100, posting_rows=1_000,
                                         pair_rows=7), config)
    assert any("duplicate article id 'j1'" in w for w in report["warnings"])
    assert any(w.startswith(f"{tmp_path}/feed.jsonl:2: invalid JSON") for w in report["warnings"])
    assert any(a["chrome_paragraphs"] for a in report["articles"] if a["id"].startswith("o"))


def test_cli_memory_budget_writes_the_same_report(geneva: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    reports = {}
    for name, extra in (("held", []), ("bounded", ["--memory-budget", "64MB", "--spill-dir", str(tmp_path)])):
        out = tmp_path / f"{name}.jsonl"
        result = runner.invoke(main, ["scan", str(geneva), "--format", "jsonl", "-o", str(out), "-q", *extra])
        assert result.exit_code == 0, result.output
        reports[name] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert reports["bounded"][1:] == reports["held"][1:]
    assert not list(tmp_path.glob("syndet-scan-*"))  # the spill folder is gone


def test_cli_memory_budget_errors(geneva: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["scan", str(geneva), "--memory-budget", "64MB"])
    assert result.exit_code == 2
    assert "--memory-budget writes --format json or jsonl, not text" in result.output
    result = runner.invoke(main, ["scan", str(geneva), "--format", "json", "--memory-budget", "lots"])
    assert result.exit_code != 0
    last = result.output.strip().splitlines()[-1]
    assert last == "syndet: error: memory budget 'lots' is not a size (e.g. 4GB, 512MB)"
    missing = tmp_path / "nope" / "deeper"
    result = runner.invoke(main, ["scan", str(geneva), "--format", "json", "--memory-budget", "1GB",
                                  "--spill-dir", str(missing)])
    assert result.exit_code != 0
    last = result.output.strip().splitlines()[-1]
    assert last.startswith(f"syndet: error: {missing}: cannot hold the scan's temporary")


def test_cli_large_input_for_a_text_report_warns_and_holds_it(geneva: Path, tmp_path: Path) -> None:
    config = tmp_path / "small.yaml"
    config.write_text("memory_budget_mb: 64\n", encoding="utf-8")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in geneva.glob("*.txt"):
        (corpus / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    with (corpus / "zeros.txt").open("wb") as out:  # 7 MB (sparse): ten times that is over 64 MB
        out.truncate(7 << 20)
    (corpus / "skipped.bin").write_bytes(b"x" * (8 << 20))  # not read, so not counted
    result = CliRunner().invoke(main, ["scan", str(corpus), "--config", str(config), "--summary"])
    assert result.exit_code == 0
    assert "may need more memory than memory_budget_mb (64 MB)" in result.output
    assert "passages" in result.output


@pytest.mark.parametrize(("text", "size"), [("4GB", 4 << 30), ("512mb", 512 << 20), ("1.5g", 3 << 29),
                                            ("67108864", 64 << 20)])
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "GB", "4 parsecs", "-1GB", "1MB"])
def test_parse_size_refuses(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_size(text)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=60))
def test_component_roots_are_the_smallest_member(count: int, edges: list[tuple[int, int]]) -> None:
    edges = [(a % count, b % count) for a, b in edges]
    roots = component_roots(count, np.array([a for a, _ in edges], dtype=np.int64),
                            np.array([b for _, b in edges], dtype=np.int64))
    groups = [{n} for n in range(count)]  # brute force: merge until stable
    for a, b in edges * count:
        ga = next(g for g in groups if a in g)
        gb = next(g for g in groups if b in g)
        if ga is not gb:
            ga |= gb
            groups.remove(gb)
    assert roots.tolist() == [min(next(g for g in groups if n in g)) for n in range(count)]


def test_band_parts_give_the_index_pairs(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    index = MemoryIndex(0.3, 128, 1)
    rows = 3000
    sigs = rng.integers(0, 6, size=(rows, 128), dtype=np.uint32)  # few values: many buckets shared
    keys = np.sort(rng.choice(10_000, rows, replace=False)).astype(np.int64)
    index.add(keys, sigs)
    expected = index.candidate_pairs(max_bucket=8)
    spill = BandSpill(tmp_path, index.hashranges, parts=8)
    for lo in range(0, rows, 700):  # several chunks
        spill.add(keys[lo:lo + 700], sigs[lo:lo + 700])
    codes = spill.pairs(10_000, max_bucket=8)
    assert len(expected) > 1000
    assert np.array_equal(np.stack([codes // 10_000, codes % 10_000], axis=1), expected)


def test_posting_parts_give_the_shared_shingle_pairs(tmp_path: Path) -> None:
    rnd = random.Random(4)
    articles = 300
    lengths = [rnd.randint(0, 60) for _ in range(articles)]
    hashes = np.array([rnd.randrange(2000) * 10_000_019 % (1 << 32) for _ in range(sum(lengths))], dtype=np.uint32)
    offsets = np.zeros(articles + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(lengths)
    owners = np.arange(articles)
    expected = shared_shingle_pairs(hashes, offsets, owners, articles, 3, 12)
    spill = PostingSpill(tmp_path, parts=4)
    for lo in range(0, articles, 70):  # whole articles per chunk
        hi = min(articles, lo + 70)
        spill.add(hashes[offsets[lo]:offsets[hi]], np.repeat(owners[lo:hi], lengths[lo:hi]))
    codes = spill.pairs(articles, 3, 12, block=40)  # the pairs of a part made a few groups at a time
    assert len(expected) > 50
    assert {(int(c) // articles, int(c) % articles) for c in codes} == set(expected)
    assert list(codes) == sorted(codes)
