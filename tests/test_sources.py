"""Reading articles: formats, metadata, and bad files named once without stopping the scan."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from syndet.detector import Detector
from syndet.errors import InputError
from syndet.read.files import glob_regex, read_articles
from syndet.settings import InputSettings


def read(root: Path, **kw: object) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    warnings: list[str] = []
    arts = list(read_articles([root], InputSettings(**kw), warnings.append))  # type: ignore[arg-type]
    return arts, warnings


def test_text_markdown_front_matter_and_jsonl(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text("Plain article.\n\nSecond paragraph.", encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_text(
        "---\ntitle: Talks end\nsource: Wire Daily\npublished: 2022-01-10T12:00:00Z\n---\nBody text.\n",
        encoding="utf-8")
    rows = [{"id": "j1", "text": "From JSON.", "title": "T", "outlet": "Courier", "url": "https://x.test/1"},
            {"type": "passage", "id": "p1"}, {"id": 7, "text": "Numeric id."}]
    (tmp_path / "c.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    arts, warnings = read(tmp_path)
    assert warnings == []
    by_id = {a.id: a for a in arts}
    assert set(by_id) == {"a.txt", "sub/b.md", "j1", "7"}
    md = by_id["sub/b.md"]
    assert (md.title, md.source, md.published) == ("Talks end", "Wire Daily", "2022-01-10T12:00:00Z")
    assert md.text[md.body_start:] == "Body text.\n"
    assert by_id["j1"].source == "Courier" and by_id["j1"].url == "https://x.test/1"


def test_include_exclude_globs(tmp_path: Path) -> None:
    (tmp_path / "keep").mkdir()
    (tmp_path / "skip").mkdir()
    (tmp_path / "keep" / "a.txt").write_text("A text.", encoding="utf-8")
    (tmp_path / "skip" / "b.txt").write_text("B text.", encoding="utf-8")
    arts, _ = read(tmp_path, exclude=["skip/**"])
    assert [a.id for a in arts] == ["keep/a.txt"]
    assert glob_regex("**/*.txt").match("x.txt") and glob_regex("**/*.txt").match("a/b/x.txt")
    assert not glob_regex("*.txt").match("a/x.txt")


def test_fallback_encoding_is_reported(tmp_path: Path) -> None:
    (tmp_path / "cp.txt").write_bytes("Caf\u00e9 “quoted” text.".encode("cp1252"))
    arts, warnings = read(tmp_path)
    assert arts[0].text == "Caf\u00e9 “quoted” text."
    assert warnings == [f"{tmp_path / 'cp.txt'}: not valid UTF-8 (byte 3), read as cp1252"]


def test_missing_root_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or directory"):
        read(tmp_path / "nope")


def make_bad_corpus(root: Path, geneva: Path) -> list[Path]:
    shutil.copytree(geneva, root, dirs_exist_ok=True)
    bad: list[Path] = []

    def add(name: str, data: bytes) -> None:
        path = root / "bad" / name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        bad.append(path)

    for i in range(5):
        add(f"binary{i}.txt", bytes(range(256)) * (i + 1))
    for i in range(5):
        add(f"empty{i}.txt", b"" if i % 2 else b"  \n\n \t\n")
    for i in range(5):
        add(f"misencoded{i}.txt", b"\x81\x8d\x8f\x90\x9d" * 40 + bytes([0x80 + i]) * 10)
    for i in range(5):
        add(f"broken{i}.jsonl", b'{"id": "x%d", "text": "unterminated\n' % i)
    return bad


def test_twenty_bad_files_scan_to_completion_each_named_once(tmp_path: Path, geneva: Path) -> None:
    bad = make_bad_corpus(tmp_path / "corpus", geneva)
    assert len(bad) == 20
    result = Detector().scan_paths([tmp_path / "corpus"])
    assert len(result.articles) == 5
    assert any(set(p.article_ids) == {"003_a116120311b8510c.txt", "004_fd3b9aa19fe5f73c.txt"}
               for p in result.passages)
    for path in bad:
        named = [w for w in result.warnings if w.startswith(str(path) + ":")]
        assert len(named) == 1, (path, named)
    assert len(result.warnings) == 20


def test_character_classes_and_no_match_warning(tmp_path: Path) -> None:
    for name in ("a1.txt", "a2.txt", "b1.txt"):
        (tmp_path / name).write_text(f"Text of {name}.", encoding="utf-8")
    arts, warnings = read(tmp_path, include=["a[!2]*", "[b]?.txt"])
    assert [a.id for a in arts] == ["a1.txt", "b1.txt"] and warnings == []
    arts, warnings = read(tmp_path, include=["*.none"])
    assert arts == []
    assert warnings == [f"{tmp_path}: no files match input.include (*.none) less input.exclude"]
