"""Output and index rows of the hostile-user table: planted links, concurrent writers, formula
cells, odd file names, unreadable folders, read-only and full indexes."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bad_inputs import GOOD, run_cli, write_good
from conftest import story

from syndet.errors import IndexError_
from syndet.filter import Filter
from syndet.models import Article
from syndet.read.files import read_articles
from syndet.settings import IndexSettings, InputSettings, Settings


def run(*args: str) -> tuple[int, str, str]:
    return run_cli(*args)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_good(tmp_path / "corpus")


def test_planted_link_beside_the_target_is_never_followed(corpus: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    out = tmp_path / "out.json"
    (tmp_path / "out.json.partial").symlink_to(victim)
    code, _, err = run("scan", str(corpus), "--format", "json", "-o", str(out), "-q")
    assert (code, err) == (0, "")
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "syndet.scan/1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "out.json", "out.json.partial", "victim.txt"]
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_concurrent_writers_never_leave_a_broken_report(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "shared.json"
    cmd = [sys.executable, "-m", "syndet", "scan", str(corpus), "--format", "json", "-o", str(out), "-q"]
    for _ in range(5):
        procs = [subprocess.Popen(cmd) for _ in range(2)]
        assert [p.wait(timeout=120) for p in procs] == [0, 0]
        assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "syndet.scan/1"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".shared")] == []


def test_csv_cells_cannot_run_as_formulas(tmp_path: Path) -> None:
    shared = "=HYPERLINK(\"http://evil.example\",\"click\") " + story(910, 1)
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "@a.txt").write_text(shared + "\n\n" + story(911, 2), encoding="utf-8")
    (folder / "-b.txt").write_text(story(912, 2) + "\n\n" + shared, encoding="utf-8")
    code, out, _ = run("scan", str(folder), "--format", "csv", "-q")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and {r["article"] for r in rows} == {"'@a.txt", "'-b.txt"}
    assert {r["origin"] for r in rows} <= {"'@a.txt", "'-b.txt", ""}
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@"))


def test_non_utf8_and_newline_file_names(corpus: Path, tmp_path: Path) -> None:
    raw = os.fsencode(corpus)
    with open(raw + b"/caf\xe9.txt", "wb") as handle:
        handle.write(GOOD["good_a.txt"].encode())
    with open(raw + b"/two\nlines.txt", "wb") as handle:
        handle.write(b"\x00\x01binary")
    out = tmp_path / "r.json"
    code, _, err = run("scan", str(corpus), "--format", "json", "-o", str(out))
    assert code == 0
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert warnings == [f"warning: {corpus}/two\\nlines.txt: binary file, skipped"]
    report = json.loads(out.read_text(encoding="utf-8"))
    assert "caf\\xe9.txt" in {a["id"] for a in report["articles"]}
    for fmt in ("text", "csv", "html", "jsonl"):
        code, _, _ = run("scan", str(corpus), "--format", fmt, "-o", str(tmp_path / f"r.{fmt}"), "-q")
        assert code == 0, fmt


def test_unreadable_folder_is_named(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (corpus / "locked").mkdir()
    real = os.scandir

    def scandir(path: object = ".") -> object:
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    warnings: list[str] = []
    articles = list(read_articles([corpus], InputSettings(), warnings.append))
    assert sorted(a.id for a in articles) == sorted(GOOD)
    assert warnings == [f"{corpus / 'locked'}: cannot read folder: Permission denied, skipped"]


def test_read_only_index_serves_stats_and_filter(corpus: Path, tmp_path: Path) -> None:
    index = tmp_path / "ro.sqlite"
    run("index", "add", str(corpus / "good_a.txt"), "--index", str(index))
    for leftover in tmp_path.glob("ro.sqlite-*"):
        leftover.unlink()
    index.chmod(0o444)
    tmp_path.chmod(0o555)  # not even the folder may be written (no -wal or -shm can appear)
    try:
        code, out, err = run("index", "stats", "--index", str(index))
        assert (code, err) == (0, "") and "articles: 1\n" in out
        code, out, err = run("filter", str(corpus / "good_b.txt"), "--index", str(index))
        assert (code, err) == (0, "")
        assert json.loads(out)["matches"][0]["id"] == "good_a.txt"
        code, out, err = run("index", "add", str(corpus / "good_b.txt"), "--index", str(index))
        assert code == 4 and err == f"syndet: error: {index}: the index is read-only (no permission to write it)\n"
    finally:
        tmp_path.chmod(0o755)
        index.chmod(0o644)


def test_full_disk_names_the_cause_and_keeps_what_was_stored(tmp_path: Path) -> None:
    settings = Settings(index=IndexSettings(path=str(tmp_path / "full.sqlite")))
    with Filter(settings, create=True) as flt:
        flt.add([Article("kept", story(920))])
        pages = flt.store._db.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[attr-defined]
        flt.store._db.execute(f"PRAGMA max_page_count = {pages + 2}")  # type: ignore[attr-defined]
        with pytest.raises(IndexError_) as err:
            flt.add([Article(f"big{n}", story(930 + n, paragraphs=40)) for n in range(20)])
        assert "database or disk is full" in str(err.value)
        assert "no transaction is active" not in str(err.value)
    with Filter(settings) as flt:
        assert flt.store.stats()["articles"] == 1
        assert flt.store.verify() == []
        assert flt.check(Article("probe", story(920))).matches == (("kept", 1.0),)
