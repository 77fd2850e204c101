"""Report formats: JSON attribution, JSON Lines, CSV rows per copy, escaped self-contained HTML."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import article, story

from syndet.cli import main
from syndet.detector import Detector
from syndet.report.csv import COLUMNS, to_csv
from syndet.report.html import to_html
from syndet.report.json import to_json, to_jsonl, write_json
from syndet.result import ScanResult

AP_A, AP_B = "003_a116120311b8510c.txt", "004_fd3b9aa19fe5f73c.txt"
SHARED = ("Officials from both countries met for nearly seven hours on Monday in an attempt to ease tensions "
          "along the border, <script>document.title='pwned'</script> but neither side reported any "
          "breakthrough after the closed-door session ended & the delegations left <b>separately</b>.\n")


@pytest.fixture(scope="module")
def result(geneva: Path) -> ScanResult:
    return Detector().scan_paths([geneva])


def hostile() -> ScanResult:
    return Detector().scan([article("wire<img src=x onerror=alert(1)>", "GENEVA (AP) — " + SHARED + story(30, 1)),
                            article("site", story(31, 1) + "\n" + SHARED)])


def test_json_attribution_fields(result: ScanResult) -> None:
    data = to_json(result)
    assert data["schema"] == "syndet.scan/1"
    for passage in data["passages"]:
        att = passage["attribution"]
        assert set(att) == {"kind", "origin", "source_article", "confidence", "evidence"}
        assert att["kind"] in {"agency", "press_release", "quote", "republished", "unknown"}
        assert 0.0 <= att["confidence"] <= 1.0
        for ev in att["evidence"]:
            assert set(ev) == {"kind", "article", "detail", "start", "end", "agency"}
        roles = {c["article"]: c["role"] for c in passage["copies"]}
        if att["source_article"]:
            assert roles[att["source_article"]] == "source"
            assert sorted(r for a, r in roles.items() if a != att["source_article"]) == ["copy"] * (len(roles) - 1)
    ap = [p for p in data["passages"] if p["articles"] == [AP_A, AP_B]]
    assert ap and all(p["attribution"]["origin"] == "AP" for p in ap)
    by_id = {a["id"]: a for a in data["articles"]}
    assert [o["origin"] for o in by_id[AP_B]["origins"]] == ["AP"]
    assert 0 < by_id[AP_B]["origins"][0]["fraction"] <= by_id[AP_B]["shared_fraction"]
    json.dumps(data)  # plain data only


def test_json_file_is_one_document_with_a_record_a_line(result: ScanResult) -> None:
    out = io.StringIO()
    write_json(result, out)
    text = out.getvalue()
    data = to_json(result)
    assert json.loads(text) == json.loads(json.dumps(data))
    lines = text.splitlines()
    records = [json.loads(line.strip().rstrip(",")) for line in lines if line.startswith("    ")]
    assert records == data["articles"] + data["passages"] + data["pairs"] + data["duplicates"] + data["warnings"]
    assert lines[0] == "{" and lines[-1] == "}" and lines[1] == '  "schema": "syndet.scan/1",'


def test_jsonl_is_one_record_per_line(result: ScanResult) -> None:
    rows = [json.loads(line) for line in to_jsonl(result).splitlines()]
    assert rows[0]["type"] == "scan" and rows[0]["schema"] == "syndet.scan/1"
    pairs = to_json(result)["pairs"]
    assert [r["type"] for r in rows[1:]] == (["article"] * len(result.articles) + ["pair"] * len(pairs)
                                             + ["passage"] * len(result.passages))
    assert rows[-len(result.passages):] == [{"type": "passage", **p} for p in to_json(result)["passages"]]


def test_csv_has_one_row_per_copy(result: ScanResult) -> None:
    rows = list(csv.reader(io.StringIO(to_csv(result))))
    assert tuple(rows[0]) == COLUMNS
    body = [dict(zip(COLUMNS, r, strict=True)) for r in rows[1:]]
    assert len(body) == sum(len(p.spans) for p in result.passages)
    for row in body:
        text = result.article(row["article"]).text
        assert text[int(row["start"]):int(row["end"])] == row["text"]
    first = body[0]
    assert (first["kind"], first["origin"], first["role"]) == ("agency", "AP", "source")
    assert "dateline" in first["evidence"].split(";")


def test_html_escapes_article_text_and_ids() -> None:
    page = to_html(hostile())
    assert "<script" not in page.lower()
    assert "&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b&gt;separately&lt;/b" in page and "&amp; the delegations" in page
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)  # self-contained
    assert page.count("<mark") >= 4  # two copies side by side, and again in each full article


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "html"])
def test_cli_formats(geneva: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"report.{fmt}"
    res = CliRunner().invoke(main, ["scan", str(geneva), "--format", fmt, "-o", str(out), "--quiet"])
    assert res.exit_code == 0 and res.stdout == "" and res.stderr == ""
    text = out.read_text(encoding="utf-8")
    assert {"jsonl": '{"type": "scan"', "csv": "passage,kind,origin", "html": "<!DOCTYPE html>"}[fmt] in text


def test_text_report_shows_attribution(geneva: Path) -> None:
    res = CliRunner().invoke(main, ["scan", str(geneva), "--quiet"])
    assert res.exit_code == 0
    assert "\x1b[" not in res.stdout  # not a terminal: no colour
    assert "  agency AP  confidence " in res.stdout
    assert f"  · dateline  {AP_A}: GENEVA (AP) —" in res.stdout
    assert "  quote  confidence " in res.stdout
    assert re.search(rf"  {AP_B}: \d+% \(syndicated: \d+% AP\)", res.stdout)


def test_text_report_colours_only_when_asked(result: ScanResult) -> None:
    from syndet.report.text import render_text

    assert "\x1b[" in render_text(result, color=True)
    assert "\x1b[" not in render_text(result, color=False)


def test_html_summary_pairs_links_and_urls() -> None:
    result = Detector().scan([
        article("wire", "GENEVA (AP) — " + SHARED + story(40, 2), url="https://wire.example/a?x=1&y=\"2\""),
        article("site", story(41, 1) + "\n" + SHARED, url="javascript:alert(document.cookie)"),
        article("other", story(42, 2))])
    page = to_html(result)
    assert '<h2 id="summary">Summary</h2>' in page
    assert "<b>2</b> of 3 articles share text with another" in page
    assert '<h2 id="pairs">Article pairs</h2>' in page
    pair = to_json(result)["pairs"][0]
    assert f"<td>{pair['words']}</td>" in page
    # each article row links to its passages, each pair row to its articles and passages
    pid = result.passages[0].id
    assert page.count(f'<a href="#{pid}">{pid}</a>') >= 3
    assert '<td><a href="#a0">wire</a></td><td><a href="#a1">site</a></td>' in page
    # http(s) addresses are links, escaped; any other scheme is shown as text, never linked
    assert '<a href="https://wire.example/a?x=1&amp;y=&quot;2&quot;" rel="noopener noreferrer nofollow">' in page
    assert 'href="javascript' not in page and "javascript:alert(document.cookie)" in page


def test_text_report_top_and_summary(tmp_path: Path) -> None:
    shared = [story(60 + n, 1) for n in range(4)]
    corpus = tmp_path / "c"
    corpus.mkdir()
    for n in range(4):
        parts = [story(70 + 10 * n + k, 1) + "\n\n" + shared[k] for k in range(n + 1)]
        body = "\n\n".join(parts) + "\n"
        (corpus / f"a{n}.txt").write_text(body, encoding="utf-8")
    full = CliRunner().invoke(main, ["scan", str(corpus), "-q"]).stdout
    top = CliRunner().invoke(main, ["scan", str(corpus), "-q", "--top", "1"]).stdout
    summary = CliRunner().invoke(main, ["scan", str(corpus), "-q", "--summary"]).stdout
    n_passages = int(re.search(r"(\d+) shared passages", full).group(1))  # type: ignore[union-attr]
    assert n_passages > 1
    assert top.count("\nP") == 1 and f"({n_passages - 1} smaller passages not shown; --top 0 shows all)" in top
    assert "  ... and 5 more pairs" in top
    assert "\nP1 " not in summary and "Summary\n  articles sharing text: 4 of 4" in summary
    assert "passages by kind: " in summary and "Article pairs" in summary
    assert len(summary.splitlines()) < len(full.splitlines())


@pytest.mark.parametrize("collecting", [True, False])
def test_writing_a_report_leaves_the_cycle_collector_as_it_was(result: ScanResult, collecting: bool) -> None:
    """The collector is held off while a report is built, and is back as the caller had it, also
    when the format is unknown."""
    import gc

    from syndet.report import write_report

    (gc.enable if collecting else gc.disable)()
    try:
        seen: list[bool] = []

        class Spy(io.StringIO):
            def write(self, s: str) -> int:
                seen.append(gc.isenabled())
                return super().write(s)

        write_report(result, "json", Spy())
        assert seen and not any(seen)
        assert gc.isenabled() is collecting
        with pytest.raises(ValueError, match="unknown report format"):
            write_report(result, "yaml", io.StringIO())
        assert gc.isenabled() is collecting
    finally:
        gc.enable()
