"""The command line: exit codes, exact messages, JSON schema, help on every command."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.testing import CliRunner

from syndet.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_scan_text_report(geneva: Path) -> None:
    code, out, err = run("scan", str(geneva))
    assert code == 0, err
    assert out.startswith("syndet scan: 5 articles, ")
    assert "003_a116120311b8510c.txt ~ 004_fd3b9aa19fe5f73c.txt" in out
    assert "The U.S. has played down hopes" in out


def test_scan_json_schema(geneva: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "r.json"
    code, out, err = run("scan", str(geneva), "--format", "json", "-o", str(out_file), "--quiet")
    assert code == 0 and out == "" and err == ""
    data = json.loads(out_file.read_text(encoding="utf-8"))
    assert data["schema"] == "syndet.scan/1"
    assert set(data) == {"schema", "articles", "passages", "pairs", "duplicates", "warnings", "stats"}
    texts = {a["id"]: (geneva / a["id"]).read_text(encoding="utf-8") for a in data["articles"]}
    for passage in data["passages"]:
        assert set(passage) == {"id", "words", "edit_ratio", "articles", "copies", "attribution"}
        for copy in passage["copies"]:
            assert texts[copy["article"]][copy["start"]:copy["end"]] == copy["text"]
    assert data["pairs"][0]["articles"] == ["003_a116120311b8510c.txt", "004_fd3b9aa19fe5f73c.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # written whole, nothing left beside it
    code, out, _ = run("scan", str(geneva), "--format", "json", "--quiet")
    again = json.loads(out)
    assert code == 0 and {k: v for k, v in again.items() if k != "stats"} == \
        {k: v for k, v in data.items() if k != "stats"}  # stats hold timings


def test_unwritable_report_is_one_line_and_leaves_no_file(geneva: Path, tmp_path: Path) -> None:
    target = tmp_path / "missing" / "r.json"
    code, out, err = run("scan", str(geneva), "--quiet", "-o", str(target))
    assert code == 1 and out == ""
    assert err == f"syndet: error: {target}: cannot write report: No such file or directory\n"
    assert not tmp_path.joinpath("missing").exists()


def test_bad_config_is_one_red_line(geneva: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("verify:\n  min_pasage_words: 3\n", encoding="utf-8")
    code, out, err = run("scan", str(geneva), "--config", str(cfg))
    assert code == 2 and out == ""
    assert err == (f"syndet: error: {cfg}:2: unknown key 'verify.min_pasage_words' "
                   "(did you mean 'verify.min_passage_words'?)\n")


def test_missing_path_is_an_input_error(tmp_path: Path) -> None:
    code, _, err = run("scan", str(tmp_path / "nope"))
    assert code == 3
    assert err == f"syndet: error: {tmp_path / 'nope'}: no such file or directory\n"


def test_bad_flag_value_is_reported(geneva: Path) -> None:
    code, _, err = run("scan", str(geneva), "--threshold", "7")
    assert code == 2
    assert err == "syndet: error: command line: 'lsh.threshold' = 7.0 is out of range [0.01, 1.0]\n"


def test_warnings_name_bad_files(geneva: Path, tmp_path: Path) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 10)
    (tmp_path / "ok.txt").write_text("Some article text here.", encoding="utf-8")
    code, _, err = run("scan", str(tmp_path))
    assert code == 0
    assert err == f"warning: {tmp_path / 'bin.txt'}: binary file, skipped\n"
    code, _out, err = run("scan", str(tmp_path), "--quiet")
    assert err == ""


def walk(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in group.commands.items():
        out.append((*prefix, name))
        if isinstance(cmd, click.Group):
            out.extend(walk(cmd, (*prefix, name)))
    return out


def test_every_command_has_help() -> None:
    commands = walk(main)
    assert ("scan",) in commands
    for path in commands:
        code, out, _ = run(*path, "--help")
        assert code == 0 and "Usage:" in out, path
        cmd = main
        for name in path:
            cmd = cmd.commands[name]  # type: ignore[attr-defined]
        assert cmd.help, path


def test_python_dash_m_syndet_runs_the_command(geneva: Path) -> None:
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "syndet", "scan", str(geneva), "--format", "json", "-q"],
                         capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["schema"] == "syndet.scan/1"
    usage = subprocess.run([sys.executable, "-m", "syndet", "--help"], capture_output=True, text=True, check=False)
    assert usage.returncode == 0 and usage.stdout.startswith("Usage: syndet ")
