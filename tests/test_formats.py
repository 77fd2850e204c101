"""Real input formats: saved news pages, web archives, CSV/TSV/Parquet tables, RSS feeds, standard input.

Each is read into articles with their metadata, scanned against a plain-text copy of the same
story (the AP original of the sample corpus), and every offset is checked against the text the
article was read as.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from syndet.cli import main
from syndet.detector import Detector
from syndet.read.files import read_articles, sniff
from syndet.read.markup import html_to_text
from syndet.result import ScanResult
from syndet.settings import ColumnSettings, InputSettings

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
PAGE = FIXTURES / "republished-ap.html"
AP, COPY = "003_a116120311b8510c.txt", "004_fd3b9aa19fe5f73c.txt"
MARKUP = re.compile(r"<[a-zA-Z/!]|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);")


def read(*paths: Path, **settings: object) -> tuple[list, list[str], Counter[str]]:  # type: ignore[type-arg]
    warnings: list[str] = []
    skipped: Counter[str] = Counter()
    articles = list(read_articles(list(paths), InputSettings(**settings), warnings.append, skipped))  # type: ignore[arg-type]
    return articles, warnings, skipped


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def check_offsets(result: ScanResult) -> None:
    for passage in result.passages:
        for span in passage.spans:
            text = result.article(span.article_id).text
            assert 0 <= span.start < span.end <= len(text)
            assert text[span.start:span.end].strip()
            assert not text[span.start].isspace() and not text[span.end - 1].isspace()


def no_markup(result: ScanResult) -> None:
    for passage in result.passages:
        for span in passage.spans:
            assert not MARKUP.search(result.article(span.article_id).text[span.start:span.end])
        for ev in passage.attribution.evidence if passage.attribution else ():
            assert not MARKUP.search(ev.detail), ev


@pytest.fixture
def ap_original(geneva: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(geneva / AP, folder / AP)
    return folder


def test_saved_page_text_and_metadata() -> None:
    (page,), warnings, _ = read(PAGE)
    assert warnings == []
    assert page.id == "republished-ap.html"
    assert page.title == "U.S., Russia meet for talks amid tensions linked to Ukraine"
    assert page.source == "Lakeside Ledger"
    assert page.author == "Jamey Keaten"
    assert page.published == "2022-01-10T14:32:00+00:00"
    assert page.url.startswith("https://lakesideledger.example/2022/01/10/")
    assert page.text.startswith("GENEVA (AP) — Senior U.S. and Russian officials launched special talks")
    assert "“I don’t think we know the answer to that,” Sherman said" in page.text  # entities decoded
    for chrome in ("Share this article", "Related:", "Leave a Reply", "Trending Stories", "Skip to content",
                   "Copyright", "googletag", "not article text", "dataLayer", "Privacy Policy"):
        assert chrome not in page.text, chrome
    assert not MARKUP.search(page.text)


def test_page_copy_of_agency_story_is_one_agency_passage(ap_original: Path) -> None:
    shutil.copy(PAGE, ap_original / PAGE.name)
    result = Detector().scan_paths([ap_original])
    assert len(result.passages) == 1
    (passage,) = result.passages
    assert set(passage.article_ids) == {AP, PAGE.name}
    assert passage.attribution is not None
    assert (passage.attribution.kind, passage.attribution.origin) == ("agency", "AP")
    assert passage.words > 850
    check_offsets(result)
    no_markup(result)
    for article in result.articles:
        assert 0 < result.shared_fraction(article.id) <= 1.0
        assert result.shared_chars(article.id) <= result.content_chars(article.id)


def test_extract_prints_the_text_offsets_point_into(ap_original: Path) -> None:
    shutil.copy(PAGE, ap_original / PAGE.name)
    code, out, err = run("extract", str(PAGE))
    assert code == 0, err
    record = json.loads(out)
    assert set(record) == {"id", "title", "source", "published", "url", "author", "text"}
    code, out, err = run("scan", str(ap_original), "--format", "json", "--with-text", "-q")
    assert code == 0, err
    data = json.loads(out)
    texts = {a["id"]: a["text"] for a in data["articles"]}
    assert texts[PAGE.name] == record["text"]
    for passage in data["passages"]:
        for copy in passage["copies"]:
            assert texts[copy["article"]][copy["start"]:copy["end"]] == copy["text"]
            assert 0 < copy["coverage"] <= 1.0
    code, out, _ = run("extract", "--text", str(PAGE))
    assert out == record["text"] + "\n"


def test_page_without_an_article_is_one_warning(tmp_path: Path) -> None:
    empty = tmp_path / "menu.html"
    empty.write_text("<html><body><nav><a href='/'>Home</a></nav><script>x=1</script></body></html>",
                     encoding="utf-8")
    good = tmp_path / "good.html"
    shutil.copy(PAGE, good)
    articles, warnings, _ = read(tmp_path)
    assert [a.id for a in articles] == ["good.html"]
    assert warnings == [f"{empty}: no article text found in the page, skipped"]


def write_warc(path: Path, page_html: bytes) -> None:
    """A small crawl as a crawler writes it: warcinfo, a request, the page, an image, a 404 and metadata."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    uri = "https://lakesideledger.example/2022/01/10/us-russia-talks/"
    stamp = {"WARC-Date": "2022-01-11T08:00:00Z"}
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.suffix == ".gz")

        def write(record: object) -> None:
            writer.write_record(record)
            record.raw_stream.close()  # type: ignore[attr-defined]  # the writer's spooled copy

        def response(url: str, status: str, mime: str, body: bytes) -> object:
            headers = StatusAndHeaders(status, [("Content-Type", mime)], protocol="HTTP/1.1")
            return writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers,
                                             warc_headers_dict=stamp)

        write(writer.create_warcinfo_record(path.name, {"software": "test crawler"}))
        write(writer.create_warc_record(uri, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
                                        warc_headers_dict=stamp))
        write(response(uri, "200 OK", "text/html; charset=utf-8", page_html))
        write(response("https://lakesideledger.example/logo.png", "200 OK", "image/png",
                       b"\x89PNG\r\n\x1a\n" + bytes(64)))
        write(response("https://lakesideledger.example/gone", "404 Not Found", "text/html",
                       b"<html><body>Not found</body></html>"))
        write(writer.create_warc_record(uri, "metadata", payload=io.BytesIO(b"outlinks: 12"),
                                        warc_content_type="application/warc-fields"))


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_web_archive_pages_become_articles(ap_original: Path, name: str) -> None:
    archive = ap_original.parent / name
    write_warc(archive, PAGE.read_bytes())
    (page,), warnings, skipped = read(archive)
    assert warnings == []
    assert page.id == "20220111080000/https://lakesideledger.example/2022/01/10/us-russia-talks/"
    assert page.url == "https://lakesideledger.example/2022/01/10/us-russia-talks/"
    assert page.published == "2022-01-10T14:32:00+00:00"  # the page's own date, not the capture time
    assert page.title == "U.S., Russia meet for talks amid tensions linked to Ukraine"
    assert sum(skipped.values()) == 5  # warcinfo, request, image, 404, metadata
    shutil.copy(archive, ap_original / name)
    result = Detector().scan_paths([ap_original])
    assert len(result.passages) == 1 and result.passages[0].attribution.origin == "AP"  # type: ignore[union-attr]
    assert result.stats["skipped_inputs"] == 5
    check_offsets(result)
    no_markup(result)


def test_damaged_archives(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.warc"
    notes.write_text("just some notes, not an archive\n", encoding="utf-8")
    articles, warnings, _ = read(notes)
    assert (articles, warnings) == ([], [f"{notes}: not a web archive (no WARC or ARC record at its start), skipped"])
    archive = tmp_path / "garbled.warc"
    write_warc(archive, PAGE.read_bytes())
    data = archive.read_bytes()
    cut = data.index(b"WARC/1.0", data.index(b"text/html"))
    archive.write_bytes(data[:cut] + b"\x00\x01\x02garbage bytes" * 20)
    articles, warnings, _ = read(archive)
    assert [a.url for a in articles] == ["https://lakesideledger.example/2022/01/10/us-russia-talks/"]
    assert capfd.readouterr().err == ""  # the archive library's own notes stay off standard error


def geneva_rows(geneva: Path) -> list[dict[str, str]]:
    return [{"article_id": f"row-{n}", "headline": f"Headline {n}", "body": (geneva / name).read_text(encoding="utf-8"),
             "outlet": "Wire Daily" if n else "AP", "pub_date": f"2022-01-1{n}", "link": f"https://x.test/{n}"}
            for n, name in enumerate((AP, COPY))]


def test_csv_and_tsv_with_guessed_columns(geneva: Path, tmp_path: Path) -> None:
    rows = geneva_rows(geneva)
    for name, delimiter in (("a.csv", ","), ("b.tsv", "\t")):
        with (tmp_path / name).open("w", encoding="utf-8", newline="") as out:
            writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
            writer.writeheader()
            writer.writerows(rows)
        articles, warnings, _ = read(tmp_path / name)
        assert warnings == []
        assert [(a.id, a.title, a.source, a.published, a.url) for a in articles] == [
            ("row-0", "Headline 0", "AP", "2022-01-10", "https://x.test/0"),
            ("row-1", "Headline 1", "Wire Daily", "2022-01-11", "https://x.test/1")]
        assert articles[1].text == (geneva / COPY).read_text(encoding="utf-8")
    table = Detector().scan_paths([tmp_path / "a.csv"])
    plain = Detector().scan_paths([geneva / AP, geneva / COPY])
    rename = {"row-0": AP, "row-1": COPY}
    assert [tuple((rename[s.article_id], s.start, s.end) for s in p.spans) for p in table.passages] == [
        tuple((s.article_id, s.start, s.end) for s in p.spans) for p in plain.passages]
    check_offsets(table)


def test_named_columns_and_a_missing_one(geneva: Path, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["story_key", "story_html"])
        writer.writerow(["k1", "<p>First &amp; only paragraph of a story.</p><p>Second one.</p>"])
    articles, warnings, _ = read(path)
    assert articles == [] and warnings == [
        f"{path}: no text column found (name it with --text-column); columns: 'story_key', 'story_html', skipped"]
    columns = ColumnSettings(text="story_html", id="story_key")
    (art,), warnings, _ = read(path, columns=columns)
    assert (art.id, art.text, warnings) == ("k1", "First & only paragraph of a story.\n\nSecond one.", [])
    _, warnings, _ = read(path, columns=ColumnSettings(text="body"))
    assert warnings == [f"{path}: no column 'body' (input.columns.text); columns: 'story_key', 'story_html', skipped"]
    code, out, err = run("extract", str(path), "--text-column", "story_html", "--id-column", "story_key")
    assert code == 0 and json.loads(out)["id"] == "k1", err


def test_parquet_in_batches(geneva: Path, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = geneva_rows(geneva) * 1
    extra = [{"article_id": f"filler-{n}", "headline": "", "body": f"Filler story number {n} about nothing.",
              "outlet": "", "pub_date": "", "link": ""} for n in range(2500)]
    pq.write_table(pa.Table.from_pylist(rows + extra), tmp_path / "news.parquet", row_group_size=700)
    articles, warnings, _ = read(tmp_path / "news.parquet")
    assert warnings == []
    assert len(articles) == 2502
    assert articles[0].id == "row-0" and articles[0].source == "AP" and articles[-1].id == "filler-2499"
    result = Detector().scan(articles[:2])
    assert result.passages and result.passages[0].attribution.origin == "AP"  # type: ignore[union-attr]
    bad = tmp_path / "broken.parquet"
    bad.write_bytes(b"PAR1" + bytes(100))
    _, warnings, _ = read(bad)
    assert len(warnings) == 1 and warnings[0].startswith(f"{bad}: not a readable Parquet file (")


def test_rss_items(geneva: Path, ap_original: Path) -> None:
    body = (geneva / COPY).read_text(encoding="utf-8")
    items_html = "".join(f"<p>{p.replace('&', '&amp;')}</p>" for p in body.split("\n\n") if p.strip())
    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Wire Daily</title><link>https://wire.example/</link><description>News</description>
<item><title>U.S., Russia hold talks</title><link>https://wire.example/talks</link>
<guid isPermaLink="false">wire-2022-0110-1</guid><pubDate>Mon, 10 Jan 2022 18:05:00 +0000</pubDate>
<content:encoded><![CDATA[{items_html}]]></content:encoded></item>
<item><title>Empty</title><link>https://wire.example/empty</link><description></description></item>
</channel></rss>"""
    path = ap_original / "wire.rss"
    path.write_text(feed, encoding="utf-8")
    articles, warnings, _ = read(path)
    assert [(a.id, a.title, a.source, a.published, a.url) for a in articles] == [
        ("wire-2022-0110-1", "U.S., Russia hold talks", "Wire Daily", "2022-01-10T18:05:00Z", "https://wire.example/talks")]
    assert warnings == [f"{path}:item 2: item has no text, skipped"]
    result = Detector().scan_paths([ap_original])
    assert any(p.attribution and p.attribution.origin == "AP" for p in result.passages)
    assert max(p.words for p in result.passages) > 200
    check_offsets(result)
    no_markup(result)


def test_scan_reads_json_lines_on_standard_input(geneva: Path) -> None:
    lines = "".join(json.dumps({"id": name, "text": (geneva / name).read_text(encoding="utf-8")}) + "\n"
                    for name in (AP, COPY))
    code, out, err = run("scan", "-", "--format", "json", "-q", stdin=lines)
    assert code == 0, err
    from_stdin = json.loads(out)
    code, out, _ = run("scan", str(geneva / AP), str(geneva / COPY), "--format", "json", "-q")
    from_files = json.loads(out)
    assert from_stdin["passages"] == from_files["passages"]


def test_a_file_of_unknown_format_is_one_warning(tmp_path: Path) -> None:
    blob = tmp_path / "report.pdf"
    blob.write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    page = tmp_path / "saved_page"  # no extension: recognised by its content
    shutil.copy(PAGE, page)
    articles, warnings, _ = read(blob, page)
    assert [a.id for a in articles] == ["saved_page"]
    assert len(warnings) == 1 and warnings[0].startswith(f"{blob}: format not understood, skipped (syndet reads ")
    assert sniff(b"WARC/1.0\r\n") == "warc" and sniff(b"PAR1....") == "parquet"
    assert sniff(b'{"id": 1}') == "jsonl" and sniff(b"Plain words.") == "text"


def test_missing_reader_is_named_once_with_the_install_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # as if the html extra were not installed
    for n in range(3):
        shutil.copy(PAGE, tmp_path / f"p{n}.html")
    (tmp_path / "plain.txt").write_text("A plain article that still gets read.\n", encoding="utf-8")
    articles, warnings, skipped = read(tmp_path)
    assert [a.id for a in articles] == ["plain.txt"]
    assert warnings == [f"{tmp_path / 'p0.html'}: skipped: reading HTML needs trafilatura: pip install 'syndet[html]'",
                        "3 html files skipped in all: reading HTML needs trafilatura: pip install 'syndet[html]'"]
    assert skipped["html files (reader not installed)"] == 3


def test_html_fragment_to_text() -> None:
    assert html_to_text("<div><p>One &amp; <b>two</b></p><script>no()</script><ul><li>three</li></ul></div>") == (
        "One & two\n\nthree")


def test_python_dash_m_scan_of_a_page_from_another_folder(tmp_path: Path, ap_original: Path) -> None:
    shutil.copy(PAGE, ap_original / PAGE.name)
    out = subprocess.run([sys.executable, "-m", "syndet", "scan", str(ap_original), "--format", "json", "-q"],
                         capture_output=True, text=True, check=False, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert len(json.loads(out.stdout)["passages"]) == 1
