"""A corpus of bad input units, written into a folder beside two good articles that share a passage.

Each :class:`Case` writes one bad unit (a file, or a line of a JSON Lines file beside one good
record) and states the one warning it must produce (a regular expression over the line after
``warning: ``, with ``{path}`` standing for the bad file's path) and how many articles it still
yields. The tests run every case through ``scan``, ``index add`` and ``filter``; the benchmark
``benchmarks/bench_bad_inputs.py`` times each case and measures its peak memory.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from conftest import story

SHARED = "\n\n".join(story(900, 2).strip().split("\n\n"))
GOOD = {
    "good_a.txt": story(901, 2) + "\n" + SHARED + "\n\n" + story(902, 1),
    "good_b.txt": story(903, 1) + "\n" + SHARED + "\n\n" + story(904, 2),
}
EXTRA_LINE = {"id": "extra-good", "text": story(905, 3)}


@dataclass(frozen=True)
class Case:
    """One bad unit.

    Attributes:
        name: Short name (the test id).
        make: Writes the unit into the folder; returns the path the warning names.
        expect: Regular expressions, one per warning line expected (``{path}`` is the path).
        articles: Articles the unit still yields (besides the two good ones).
        config: YAML config text for the run, if the case needs one.
    """

    name: str
    make: Callable[[Path], Path]
    expect: tuple[str, ...]
    articles: int = 0
    config: str | None = None

    def pattern(self, path: Path) -> list[re.Pattern[str]]:
        where = re.escape(str(path).replace("\n", "\\n").replace("\x1b", "\\x1b"))
        return [re.compile(e.replace("{path}", where)) for e in self.expect]


def write(name: str, data: bytes | str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path

    return make


def jsonl(line: str | bytes, *, with_good: bool = True) -> Callable[[Path], Path]:
    """A JSON Lines file holding the bad line first and, after it, one good record."""
    raw = line if isinstance(line, bytes) else line.encode("utf-8", "surrogatepass")
    tail = (json.dumps(EXTRA_LINE) + "\n").encode() if with_good else b""
    return write("bad.jsonl", raw + b"\n" + tail)


def record(**fields: object) -> str:
    return json.dumps(fields)


TEXT = story(906, 2)
BODY = "\n\n" + TEXT


def fifo(folder: Path) -> Path:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def link(target: str, name: str) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.symlink_to(target)
        return path

    return make


def odd_name(raw: bytes, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        full = os.fsencode(folder) + b"/" + raw
        with open(full, "wb") as out:
            out.write(data)
        return Path(os.fsdecode(full))

    return make


def csv_table(rows: list[list[str]], name: str = "t.csv") -> Callable[[Path], Path]:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return write(name, out.getvalue())


def parquet(columns: dict[str, list[object]]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = folder / "t.parquet"
        pq.write_table(pa.table(columns), path)
        return path

    return make


BOMB = ("title: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        + "".join(f"t{i}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)))
DEEP_YAML = "x: " + "[" * 5000 + "]" * 5000 + "\n"
PAGE = (Path(__file__).resolve().parent / "fixtures" / "formats" / "republished-ap.html").read_bytes()
CP1252 = (TEXT + " caf\u00e9 \u201cquoted\u201d words\n").encode("cp1252")
UNDECODABLE = b"Text " + b"\x81\x8d\x8f\x90\x9d" * 400
WARC_NOTES = b"just some notes that are not an archive\n"

CASES: list[Case] = [
    # Files and their encodings
    Case("binary", write("bin.txt", b"\x00\x01\x02" * 500), (r"{path}: binary file, skipped",)),
    Case("empty", write("empty.txt", b""), (r"{path}: empty article, skipped",)),
    Case("whitespace", write("blank.txt", " \n\t\n  \n"), (r"{path}: empty article, skipped",)),
    Case("cp1252", write("legacy.txt", CP1252), (r"{path}: not valid UTF-8 \(byte \d+\), read as cp1252",), 1),
    Case("undecodable", write("junk.txt", UNDECODABLE),
         (r"{path}: not valid UTF-8 \(byte 5\) and not text in cp1252, latin-1, skipped",)),
    Case("utf16-le-bom", write("u16le.txt", TEXT.encode("utf-16")), (), 1),
    Case("utf16-be-bom", write("u16be.txt", b"\xfe\xff" + TEXT.encode("utf-16-be")), (), 1),
    Case("utf16-le-guess", write("u16.txt", TEXT.encode("utf-16-le")),
         (r"{path}: no byte-order mark, read as UTF-16-LE \(guessed from its NUL bytes\)",), 1),
    Case("utf16-be-guess", write("u16b.txt", TEXT.encode("utf-16-be")),
         (r"{path}: no byte-order mark, read as UTF-16-BE \(guessed from its NUL bytes\)",), 1),
    Case("utf32-le-bom", write("u32le.txt", TEXT.encode("utf-32")), (), 1),
    Case("utf32-be-bom", write("u32be.txt", b"\x00\x00\xfe\xff" + TEXT.encode("utf-32-be")), (), 1),
    Case("utf32-le-guess", write("u32.txt", TEXT.encode("utf-32-le")),
         (r"{path}: no byte-order mark, read as UTF-32-LE \(guessed from its NUL bytes\)",), 1),
    Case("utf32-be-guess", write("u32b.txt", TEXT.encode("utf-32-be")),
         (r"{path}: no byte-order mark, read as UTF-32-BE \(guessed from its NUL bytes\)",), 1),
    Case("utf8-bom", write("bom.txt", b"\xef\xbb\xbf" + TEXT.encode()), (), 1),
    Case("false-bom", write("fbom.txt", b"\xff\xfe" + b"abc"),
         (r"{path}: starts with a UTF-16 byte-order mark but is not UTF-16 \(byte \d+\), skipped",)),
    Case("too-large", write("big.txt", "word " * 4000), (r"{path}: larger than input.max_file_mb \(0.01 MB\), skipped",),
         config="input:\n  max_file_mb: 0.01\n"),
    Case("fifo", fifo, (r"{path}: not a regular file, skipped",)),
    Case("dev-zero", link("/dev/zero", "zero.txt"), (r"{path}: not a regular file, skipped",)),
    Case("dangling-link", link("/nonexistent/target.txt", "gone.txt"), (r"{path}: not a regular file, skipped",)),
    Case("non-utf8-name", odd_name(b"caf\xe9.txt", TEXT.encode()), (), 1),
    Case("newline-in-name", odd_name(b"evil\nwarning: forged.txt", b"\x00binary"), (r"{path}: binary file, skipped",)),
    Case("escape-in-name", odd_name(b"\x1b[31mred.txt", b"\x00binary"), (r"{path}: binary file, skipped",)),
    Case("one-long-line", write("long.txt", "lorem ipsum dolor " * 60_000), (), 1),
    Case("late-nul", write("late.txt", TEXT + "x" * 9000 + "\x00 tail words here\n"), (), 1),
    Case("cr-only", write("cr.txt", TEXT.replace("\n", "\r")), (), 1),
    Case("punctuation-only", write("punct.txt", "!!! ??? ... ---\n"), (), 1),
    # Front matter
    Case("fm-invalid-yaml", write("fm1.md", "---\ntitle: [unclosed\n---\n" + TEXT),
         (r"{path}:\d+: front matter is not valid YAML, read as text",), 1),
    Case("fm-not-mapping", write("fm2.md", "---\n- a\n- b\n---\n" + TEXT),
         (r"{path}:2: front matter is not a mapping, read as text",), 1),
    Case("fm-deep", write("fm3.md", "---\n" + DEEP_YAML + "---\n" + TEXT),
         (r"{path}:2: front matter refused \(nested too deeply\), read as text",), 1),
    Case("fm-alias-bomb", write("fm4.md", "---\n" + BOMB + "---\n" + TEXT),
         (r"{path}:2: front matter refused \(more than 200,000 values once its aliases are expanded\), read as text",),
         1),
    Case("fm-bad-date", write("fm5.md", "---\npublished: 2022-13-45\n---\n" + TEXT),
         (r"{path}:2: front matter refused \(a value cannot be read: month must be in 1\.\.12\), read as text",), 1),
    Case("fm-huge-int", write("fm6.md", "---\nid: " + "9" * 5000 + "\n---\n" + TEXT),
         (r"{path}:2: front matter refused \(a value cannot be read: Exceeds the limit .*\), read as text",), 1),
    Case("fm-too-large", write("fm7.md", "---\ntitle: " + "x" * 70_000 + "\n---\n" + TEXT),
         (r"{path}:2: front matter refused \(larger than 64 KB\), read as text",), 1),
    Case("fm-recursive-alias", write("fm8.md", "---\na: &a [*a]\n---\n" + TEXT),
         (r"{path}:2: front matter refused \(a recursive alias\), read as text",), 1),
    Case("fm-empty-id", write("fm9.md", "---\nid: ''\n---\n" + TEXT), (), 1),
    Case("fm-nul-id", write("fm10.md", '---\nid: "a\\0b"\n---\n' + TEXT), (r"{path}: id holds a NUL character, skipped",)),
    Case("fm-body-empty", write("fm11.md", "---\ntitle: Only a header\n---\n\n"), (r"{path}: empty article, skipped",)),
    Case("fm-unterminated", write("fm12.md", "---\ntitle: x\n" + TEXT), (), 1),
    Case("fm-nested-title", write("fm13.md", "---\ntitle: {a: {b: c}}\n---\n" + TEXT), (), 1),
    # JSON Lines, one bad line beside a good one
    Case("jl-invalid", jsonl("{not json"), (r"{path}:1: invalid JSON \(Expecting property name .*\), line skipped",), 1),
    Case("jl-array", jsonl("[1, 2]"), (r"{path}:1: expected a JSON object, got a list, line skipped",), 1),
    Case("jl-string", jsonl('"text"'), (r"{path}:1: expected a JSON object, got a string, line skipped",), 1),
    Case("jl-number", jsonl("42"), (r"{path}:1: expected a JSON object, got a number, line skipped",), 1),
    Case("jl-null", jsonl("null"), (r"{path}:1: expected a JSON object, got null, line skipped",), 1),
    Case("jl-no-id", jsonl(record(text=TEXT)), (r"{path}:1: missing 'id', line skipped",), 1),
    Case("jl-no-text", jsonl(record(id="x")), (r"{path}:1: missing 'text', line skipped",), 1),
    Case("jl-empty-text", jsonl(record(id="x", text="")), (r"{path}:1: empty 'text', line skipped",), 1),
    Case("jl-blank-text", jsonl(record(id="x", text=" \n ")), (r"{path}:1: empty 'text', line skipped",), 1),
    Case("jl-bool-id", jsonl(record(id=True, text=TEXT)),
         (r"{path}:1: 'id' must be a string or a whole number, not true/false, line skipped",), 1),
    Case("jl-float-id", jsonl(record(id=1.5, text=TEXT)),
         (r"{path}:1: 'id' must be a string or a whole number, not a fractional number, line skipped",), 1),
    Case("jl-list-id", jsonl(record(id=[1], text=TEXT)),
         (r"{path}:1: 'id' must be a string or a whole number, not a list, line skipped",), 1),
    Case("jl-object-id", jsonl(record(id={"a": 1}, text=TEXT)),
         (r"{path}:1: 'id' must be a string or a whole number, not an object, line skipped",), 1),
    Case("jl-empty-id", jsonl(record(id="", text=TEXT)), (r"{path}:1: missing 'id', line skipped",), 1),
    Case("jl-huge-int-id", jsonl('{"id": ' + "7" * 5000 + ', "text": "x y z"}'),
         (r"{path}:1: invalid JSON \(Exceeds the limit \(4300 digits\).*\), line skipped",), 1),
    Case("jl-nul-id", jsonl(record(id="\x00", text=TEXT)), (r"{path}:1: id holds a NUL character, skipped",), 1),
    Case("jl-surrogate-id", jsonl('{"id": "\\ud800", "text": "some words here"}'),
         (r"{path}:1: id holds a lone surrogate \(not Unicode text\), skipped",), 1),
    Case("jl-long-id", jsonl(record(id="i" * 5000, text=TEXT)),
         (r"{path}:1: id of 5,000 characters \(at most 1,000\), skipped",), 1),
    Case("jl-newline-id", jsonl(record(id="a\nb", text=TEXT)), (), 2),
    Case("jl-surrogate-text", jsonl('{"id": "s", "text": "words \\udc00 more words here"}'),
         (r"{path}:1: text holds lone surrogates, replaced by U\+FFFD",), 2),
    Case("jl-surrogate-title", jsonl('{"id": "t", "text": "words here", "title": "\\ud83d"}'), (), 2),
    Case("jl-deep", jsonl("[" * 100_000 + "]" * 100_000), (r"{path}:1: JSON nested too deeply, line skipped",), 1),
    Case("jl-deep-object", jsonl('{"id": "d", "text": "t", "meta": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}"),
         (r"{path}:1: JSON nested too deeply, line skipped",), 1),
    Case("jl-text-list", jsonl(record(id="x", text=["a"])), (r"{path}:1: 'text' must be a string, not a list, line skipped",),
         1),
    Case("jl-text-nan", jsonl('{"id": "x", "text": NaN}'), (r"{path}:1: 'text' must be a string, not a fractional number, "
                                                          r"line skipped",), 1),
    Case("jl-bad-utf8", jsonl(b'{"id": "x", "text": "caf\xe9"}'), (r"{path}:1: not valid UTF-8 \(byte \d+\), line skipped",),
         1),
    Case("jl-long-line", jsonl(record(id="long", text="w " * 8000)),
         (r"{path}:1: line larger than input.max_file_mb \(0.01 MB\), skipped",), 1, config="input:\n  max_file_mb: 0.01\n"),
    Case("jl-bom", jsonl(b"\xef\xbb\xbf" + record(id="bom", text=TEXT).encode()), (), 2),
    Case("jl-crlf", write("crlf.jsonl", record(id="c1", text=TEXT) + "\r\n" + record(id="c2", text=TEXT) + "\r\n"), (), 2),
    Case("jl-duplicate-id", jsonl(record(id="extra-good", text=TEXT)),
         (r"{path}:2: duplicate article id 'extra-good', skipped",), 1),
    Case("jl-binary-file", jsonl(b"\x00\x01\x02\x03garbage", with_good=False), (r"{path}: binary file, skipped",)),
    Case("jl-empty-file", write("none.jsonl", b""), (r"{path}: no articles in file",)),
    Case("jl-blank-lines", write("blank.jsonl", b"\n\n  \n"), (r"{path}: no articles in file",)),
    Case("jl-only-labels", write("labels.jsonl", record(type="passage", id="p1") + "\n"), (r"{path}: no articles in file",)),
    Case("jl-object-fields", jsonl(record(id="o", text=TEXT, published={"$date": 1}, title=[1])), (), 2),
    # Pages, archives, tables, feeds
    Case("html-no-article", write("menu.html", "<html><body><nav><a href='/'>Home</a></nav></body></html>"),
         (r"{path}: no article text found in the page, skipped",)),
    Case("html-binary", write("bin.html", b"\x00\x01\x02" * 300), (r"{path}: no article text found in the page, skipped",)),
    Case("html-empty", write("empty.html", b""), (r"{path}: no article text found in the page, skipped",)),
    Case("html-unclosed", write("unclosed.html", "<html><body><div><p>" + TEXT.replace("\n\n", "<p>")), (), 1),
    Case("html-too-large", write("huge.html", PAGE), (r"{path}: larger than input.max_file_mb \(0.005 MB\), skipped",),
         config="input:\n  max_file_mb: 0.005\n"),
    Case("warc-not-archive", write("notes.warc", WARC_NOTES),
         (r"{path}: not a web archive \(no WARC or ARC record at its start\), skipped",)),
    Case("warc-empty", write("empty.warc", b""), (r"{path}: not a web archive \(no WARC or ARC record at its start\), skipped",)),
    Case("warc-gz-garbage", write("garbage.warc.gz", b"\x1f\x8b\x08\x00garbage-after-a-gzip-header"),
         (r"{path}: cannot read: .*",)),
    Case("csv-no-text-column", csv_table([["a", "b"], ["1", "2"]]),
         (r"{path}: no text column found \(name it with --text-column\); columns: 'a', 'b', skipped",)),
    Case("csv-empty", write("e.csv", b""), (r"{path}: empty table, skipped",)),
    Case("csv-header-only", csv_table([["id", "text"]]), (r"{path}: no articles in table",)),
    Case("csv-short-row", csv_table([["id", "text"], ["r1"], ["r2", TEXT]]),
         (r"{path}:2: no text in column 'text', row skipped",), 1),
    Case("csv-empty-cell", csv_table([["id", "text"], ["r1", ""], ["r2", TEXT]]),
         (r"{path}:2: empty text in column 'text', row skipped",), 1),
    Case("csv-bad-utf8", write("u.csv", b"id,text\nr1,fine words here\nr2,caf\xe9\n"),
         (r"{path}:\d+: not valid UTF-8 \(byte \d+ of a block\), rest of table skipped",)),
    Case("csv-huge-field", csv_table([["id", "text"], ["r1", "w " * 8000]]),
         (r"{path}:\d+: malformed table \(field larger than field limit \(\d+\)\), rest of table skipped",),
         config="input:\n  max_file_mb: 0.01\n"),
    Case("csv-missing-named-column", csv_table([["id", "text"], ["r1", TEXT]]),
         (r"{path}: no column 'body' \(input.columns.text\); columns: 'id', 'text', skipped",),
         config="input:\n  columns:\n    text: body\n"),
    Case("parquet-broken", write("b.parquet", b"PAR1" + b"\x00" * 64), (r"{path}: not a readable Parquet file \(.*\), skipped",)),
    Case("parquet-no-text", parquet({"a": [1, 2]}),
         (r"{path}: no text column found \(name it with --text-column\); columns: 'a', skipped",)),
    Case("parquet-int-text", parquet({"id": ["p1", "p2"], "text": [1, 2]}),
         (r"{path}:row 1: no text in column 'text', row skipped", r"{path}:row 2: no text in column 'text', row skipped",
          r"{path}: no articles in table")),
    Case("rss-not-xml", write("f.rss", b"this is not a feed at all"), (r"{path}: no feed items( \(.*\))?, skipped",)),
    Case("rss-empty-item", write("g.rss", '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
                                          "<item><title>no text</title></item><item><title>ok</title>"
                                          f"<description>{TEXT}</description></item></channel></rss>"),
         (r"{path}:item 1: item has no text, skipped",), 1),
]

CASE_IDS = [c.name for c in CASES]
assert len(set(CASE_IDS)) == len(CASE_IDS)


def write_good(folder: Path) -> Path:
    """The two good articles, in ``folder`` (created)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in GOOD.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def build(case: Case, folder: Path) -> Path:
    """Write the good articles and the case's unit into ``folder``; the path the warning names."""
    write_good(folder)
    return case.make(folder)


def run_cli(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    """Run the ``syndet`` command in-process: exit status, standard output, standard error. An
    exception that is not an exit is raised, so no traceback can hide behind an exit status."""
    from click.testing import CliRunner

    from syndet.cli import main

    result = CliRunner().invoke(main, list(args), input=stdin)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr
