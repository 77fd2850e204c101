"""`syndet config show` and `syndet config validate` through the command line."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from syndet.cli import main
from syndet.config import load_settings, settings_to_dict
from syndet.settings import Settings


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_show_prints_every_section_and_loads_back(tmp_path: Path) -> None:
    code, out, err = run("config", "show")
    assert code == 0 and err == ""
    assert yaml.safe_load(out) == settings_to_dict(Settings())
    assert load_settings([write(tmp_path, "shown.yaml", out)]) == Settings()


def test_show_merges_config_files_in_order(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", "lsh:\n  threshold: 0.4\nshingle:\n  size: 7\n")
    second = write(tmp_path, "b.yaml", "lsh:\n  threshold: 0.6\n")
    code, out, _ = run("config", "show", "--config", str(first), "--config", str(second))
    shown = yaml.safe_load(out)
    assert code == 0
    assert (shown["lsh"]["threshold"], shown["shingle"]["size"], shown["minhash"]["num_perm"]) == (0.6, 7, 128)


def test_show_with_a_bad_file_is_one_red_line(tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.yaml", "lsh:\n  treshold: 0.4\n")
    code, out, err = run("config", "show", "--config", str(bad))
    assert (code, out) == (2, "")
    assert err == f"syndet: error: {bad}:2: unknown key 'lsh.treshold' (did you mean 'lsh.threshold'?)\n"


def test_validate_ok(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", "verify:\n  min_passage_words: 20\n")
    assert run("config", "validate", str(good)) == (0, f"{good}: ok\n", "")


def test_validate_reports_each_bad_file_on_one_line(tmp_path: Path) -> None:
    good = write(tmp_path, "good.yaml", "lsh:\n  threshold: 0.5\n")
    typo = write(tmp_path, "typo.yaml", "# tuned\nverify:\n  min_pasage_words: 3\n")
    wide = write(tmp_path, "wide.yaml", "lsh:\n  max_bucket: 10\n  threshold: 1.5\n")
    code, out, err = run("config", "validate", str(typo), str(good), str(wide))
    assert code == 2
    assert out == f"{good}: ok\n"
    assert err == (f"syndet: error: {typo}:3: unknown key 'verify.min_pasage_words' "
                   "(did you mean 'verify.min_passage_words'?)\n"
                   f"syndet: error: {wide}:3: 'lsh.threshold' = 1.5 is out of range [0.01, 1.0]\n")


def test_validate_wrong_type_and_missing_file(tmp_path: Path) -> None:
    typed = write(tmp_path, "typed.yaml", "shingle:\n  size: big\n")
    code, _, err = run("config", "validate", str(typed), str(tmp_path / "none.yaml"))
    assert code == 2
    assert err == (f"syndet: error: {typed}:2: 'shingle.size' must be a whole number, not str 'big'\n"
                   f"syndet: error: {tmp_path / 'none.yaml'}: config file not found\n")


def test_default_yaml_validates() -> None:
    default = Path(__file__).resolve().parent.parent / "config" / "default.yaml"
    assert run("config", "validate", str(default)) == (0, f"{default}: ok\n", "")


def test_config_default_prints_the_bundled_file_which_states_the_defaults(tmp_path: Path) -> None:
    from syndet.yamlfile import bundled

    result = CliRunner().invoke(main, ["config", "default"])
    assert result.exit_code == 0
    assert result.stdout == bundled("default.yaml").read_text(encoding="utf-8")
    copy = tmp_path / "mine.yaml"
    copy.write_text(result.stdout, encoding="utf-8")
    assert load_settings([copy]) == Settings()
