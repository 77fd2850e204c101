"""Config files: defaults documented in YAML, unknown keys and bad values named with their line."""

from __future__ import annotations

from pathlib import Path

import pytest

from syndet.config import load_settings, settings_to_dict
from syndet.errors import ConfigError
from syndet.settings import Settings

DEFAULT = Path(__file__).resolve().parent.parent / "config" / "default.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_yaml_states_the_built_in_defaults() -> None:
    assert load_settings([DEFAULT]) == Settings()
    text = DEFAULT.read_text(encoding="utf-8")
    for section, values in settings_to_dict(Settings()).items():
        assert f"\n{section}:" in text, section
        if isinstance(values, dict):
            for key in values:
                assert f"  {key}:" in text, f"{section}.{key}"


def test_values_merge_over_defaults_and_overrides_win(tmp_path: Path) -> None:
    path = write(tmp_path, "lsh:\n  threshold: 0.5\nshingle:\n  size: 7\n")
    s = load_settings([path], {"lsh.threshold": 0.4})
    assert (s.lsh.threshold, s.shingle.size, s.minhash.num_perm) == (0.4, 7, 128)


def test_unknown_key_names_path_line_and_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "lsh:\n  threshold: 0.5\nshingle:\n  sise: 7\n")
    with pytest.raises(ConfigError) as err:
        load_settings([path])
    assert str(err.value) == f"{path}:4: unknown key 'shingle.sise' (did you mean 'shingle.size'?)"


@pytest.mark.parametrize(("text", "message"), [
    ("lsh:\n  threshold: 1.5\n", "2: 'lsh.threshold' = 1.5 is out of range [0.01, 1.0]"),
    ("shingle:\n  size: five\n", "2: 'shingle.size' must be a whole number, not str 'five'"),
    ("segment:\n  learn_chrome: 3\n", "2: 'segment.learn_chrome' must be true or false, not int 3"),
    ("lsh: 3\n", "1: 'lsh' must be a mapping of keys, not int 3"),
    ("input:\n  include: x\n", "2: 'input.include' must be a list of strings, not str 'x'"),
])
def test_bad_values_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_settings([path])
    assert str(err.value) == f"{path}:{message}"


def test_malformed_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "lsh:\n  threshold: [0.5\nshingle: {}\n")
    with pytest.raises(ConfigError, match=rf"^{path}:\d+: invalid YAML: "):
        load_settings([path])


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings([tmp_path / "none.yaml"])
    assert load_settings([write(tmp_path, "")]) == Settings()
