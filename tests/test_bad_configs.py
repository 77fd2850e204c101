"""Every bad configuration is one error line, from ``config validate`` and from a run, never a
traceback, a hang or a blow-up of memory; bad patterns from users are named or switched off."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from bad_inputs import BOMB, DEEP_YAML, GOOD, run_cli, write_good

CASES: list[tuple[str, str | bytes, str]] = [
    ("alias-bomb", BOMB.replace("title:", "extra:"),
     r"{path}: config file refused: more than 200,000 values once its aliases are expanded"),
    ("deep", DEEP_YAML, r"{path}: config file refused: nested too deeply"),
    ("too-large", "# " + "x" * (1 << 20) + "\n", r"{path}: config file refused: larger than 1024 KB"),
    ("recursive-alias", "a: &a [*a]\n", r"{path}: config file refused: a recursive alias"),
    ("nan-reject-at", "policy:\n  reject_at: .nan\n", r"{path}:2: 'policy.reject_at' must be a finite number, not nan"),
    ("nan-max-file-mb", "input:\n  max_file_mb: .nan\n", r"{path}:2: 'input.max_file_mb' must be a finite number, not nan"),
    ("nan-threshold", "lsh:\n  threshold: .NaN\n", r"{path}:2: 'lsh.threshold' must be a finite number, not nan"),
    ("inf-threshold", "lsh:\n  threshold: .inf\n", r"{path}:2: 'lsh.threshold' must be a finite number, not inf"),
    ("minus-inf", "policy:\n  flag_at: -.inf\n", r"{path}:2: 'policy.flag_at' must be a finite number, not -inf"),
    ("overflow-float", "lsh:\n  threshold: 1.0e+400\n", r"{path}:2: 'lsh.threshold' must be a finite number, not inf"),
    ("nan-int", "jobs: .nan\n", r"{path}:1: 'jobs' must be a whole number, not float nan"),
    ("huge-int", "lsh:\n  max_bucket: " + "9" * 5000 + "\n",
     r"{path}: config file refused: a value cannot be read: Exceeds the limit \(4300 digits\).*"),
    ("unclosed-pattern", "segment:\n  chrome_patterns: ['([unclosed']\n",
     r"{path}:2: 'segment.chrome_patterns\[0\]' is an invalid regular expression '\(\[unclosed': .*"),
    ("second-pattern-bad", "segment:\n  chrome_patterns: ['^ok$', '*bad']\n",
     r"{path}:2: 'segment.chrome_patterns\[1\]' is an invalid regular expression '\*bad': nothing to repeat.*"),
    ("date-for-number", "lsh:\n  threshold: 2022-01-01\n", r"{path}:2: 'lsh.threshold' must be a number, not date"),
    ("bad-date", "lsh:\n  threshold: 2022-13-45\n", r"{path}: config file refused: a value cannot be read: month must be in 1..12"),
    ("binary", b"\x00\x01\xff\xfe", r"{path}: cannot read config file: .*"),
    ("not-utf8", b"lsh:\n  threshold: 0.3 # caf\xe9\n", r"{path}: cannot read config file: .*"),
    ("tab-indent", "lsh:\n\tthreshold: 0.3\n", r"{path}:2: invalid YAML: .*"),
    ("not-mapping", "- a\n- b\n", r"{path}:1: the top level of the config file must be a mapping of keys, not list"),
    ("unknown-key", "lsh:\n  treshold: 0.3\n", r"{path}:2: unknown key 'lsh.treshold' \(did you mean 'lsh.threshold'\?\)"),
    ("wrong-type", "verify:\n  min_passage_words: many\n",
     r"{path}:2: 'verify.min_passage_words' must be a whole number, not str 'many'"),
    ("out-of-range", "lsh:\n  threshold: 7\n", r"{path}:2: 'lsh.threshold' = 7.0 is out of range \[0.01, 1.0\]"),
    ("section-not-mapping", "lsh: 0.3\n", r"{path}:1: 'lsh' must be a mapping of keys, not float 0.3"),
    ("list-of-non-strings", "input:\n  include: [1, 2]\n", r"{path}:2: 'input.include' must be a list of strings, not a list"),
    ("bool-for-number", "lsh:\n  threshold: yes\n", r"{path}:2: 'lsh.threshold' must be a number, not boolean true"),
    ("null-section", "lsh: ~\n", r"{path}:1: 'lsh' must be a mapping of keys, not null"),
    ("choice", "index:\n  backend: postgres\n", r"{path}:2: 'index.backend' must be one of sqlite, redis, not 'postgres'"),
    ("missing-catalogue", "attribute:\n  extra_catalogues: [/nonexistent/agencies.yaml]\n",
     r"/nonexistent/agencies.yaml: evidence catalogue not found"),
]


def run(*args: str) -> tuple[int, str, str]:
    return run_cli(*args)


def write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return write_good(tmp_path / "corpus")


@pytest.mark.parametrize(("name", "data", "expect"), CASES, ids=[c[0] for c in CASES])
def test_bad_config_is_one_line(name: str, data: str | bytes, expect: str, tmp_path: Path, corpus: Path) -> None:
    path = write(tmp_path / f"{name}.yaml", data)
    pattern = re.compile("syndet: error: " + expect.replace("{path}", re.escape(str(path))) + "\n")
    t0 = time.perf_counter()
    code, out, err = run("config", "validate", str(path))
    assert (code, out) == (2, "")
    assert pattern.fullmatch(err), err
    for command in (["scan", str(corpus)], ["index", "add", str(corpus), "--index", str(tmp_path / "i.sqlite")]):
        code, out, err = run(*command, "--config", str(path))
        assert (code, out) == (2, ""), command
        assert pattern.fullmatch(err), err
    assert not (tmp_path / "i.sqlite").exists()
    assert time.perf_counter() - t0 < 30  # the bound is on the loader, so even a bomb is quick


def test_nan_on_the_command_line(corpus: Path, tmp_path: Path) -> None:
    index = str(tmp_path / "i.sqlite")
    run("index", "add", str(corpus), "--index", index)
    code, out, err = run("filter", str(corpus), "--index", index, "--reject-at", "nan")
    assert (code, out) == (2, "")
    assert err == "syndet: error: command line: 'policy.reject_at' must be a finite number, not nan\n"
    code, _, err = run("scan", str(corpus), "--threshold", "inf")
    assert (code, err) == (2, "syndet: error: command line: 'lsh.threshold' must be a finite number, not inf\n")


def test_bad_catalogue_pattern_is_named(tmp_path: Path, corpus: Path) -> None:
    extra = write(tmp_path / "agencies.yaml", "press_phrases:\n  - 'ok phrase'\n  - '(unclosed'\n")
    config = write(tmp_path / "c.yaml", f"attribute:\n  extra_catalogues: ['{extra}']\n")
    code, out, err = run("config", "validate", str(config))
    assert (code, out) == (2, "")
    assert err.startswith(f"syndet: error: {extra}:3: 'press_phrases' has an invalid regular expression '(unclosed'")
    code, _, err = run("scan", str(corpus), "--config", str(config))
    assert code == 2 and err.startswith(f"syndet: error: {extra}:3: ")


def test_slow_user_pattern_is_switched_off_and_reported_once(tmp_path: Path) -> None:
    extra = write(tmp_path / "agencies.yaml", "press_phrases:\n  - '(a|aa)+$'\n")
    config = write(tmp_path / "c.yaml", f"attribute:\n  extra_catalogues: ['{extra}']\n")
    folder = tmp_path / "corpus"
    folder.mkdir()
    shared = GOOD["good_a.txt"].split("\n\n")[2]
    for n in range(4):  # each article has a line that makes the pattern backtrack without end
        (folder / f"a{n}.txt").write_text("a" * 40 + "!\n\n" + shared + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    code, out, err = run("scan", str(folder), "--config", str(config), "--format", "json")
    assert code == 0
    assert time.perf_counter() - t0 < 30
    warnings = [line for line in err.splitlines() if line.startswith("warning: ")]
    assert warnings == [f"warning: {extra}:2: press_phrases: pattern '(a|aa)+$' took more than 0.05 s on one text "
                        "(or 5 s in all): switched off for this run"]
    report = json.loads(out)
    assert len(report["articles"]) == 4 and report["passages"]
    assert report["warnings"] == [w[len("warning: "):] for w in warnings]


def test_slow_chrome_pattern_from_config(tmp_path: Path) -> None:
    config = write(tmp_path / "c.yaml", "segment:\n  chrome_patterns: ['^(a|aa)+$']\n")
    folder = tmp_path / "corpus"
    folder.mkdir()
    for n in range(3):
        (folder / f"a{n}.txt").write_text("a" * 40 + "!\n\n" + GOOD["good_a.txt"], encoding="utf-8")
    code, out, _ = run("scan", str(folder), "--config", str(config), "-q", "--format", "json")
    assert code == 0
    assert json.loads(out)["warnings"] == [
        "segment.chrome_patterns[0]: pattern '^(a|aa)+$' took more than 0.05 s on one text (or 5 s in all): "
        "switched off for this run"]


def test_config_show_and_errors_mask_the_redis_password(tmp_path: Path) -> None:
    config = write(tmp_path / "c.yaml", "index:\n  backend: redis\n  url: 'redis://app:s3cret@127.0.0.1:1/0'\n")
    code, out, err = run("config", "show", "--config", str(config))
    assert code == 0 and "s3cret" not in out and "url: redis://app:***@127.0.0.1:1/0" in out
    code, out, err = run("index", "stats", "--config", str(config))
    assert code == 4 and "s3cret" not in err and err.startswith("syndet: error: redis://app:***@127.0.0.1:1/0")
    for url in ("redis://:s3cret@127.0.0.1:notaport/0", "redis://127.0.0.1:99999/0?password=s3cret"):
        code, out, err = run("index", "stats", "--index", url)
        assert code == 4 and len(err.splitlines()) == 1 and "s3cret" not in err, err
        assert err.startswith("syndet: error: redis://")


def test_the_reported_catastrophic_pattern_runs_bounded(tmp_path: Path) -> None:
    """The row as it was reported: '(a+)+$' in an extra catalogue and a line of a's ending in '!'
    (70 s at 30 characters with the standard engine, four times more per two characters)."""
    extra = write(tmp_path / "agencies.yaml", "press_phrases:\n  - '(a+)+$'\n")
    config = write(tmp_path / "c.yaml", f"attribute:\n  extra_catalogues: ['{extra}']\n")
    folder = write_good(tmp_path / "corpus")
    (folder / "aaa.txt").write_text("a" * 60 + "!\n\n" + GOOD["good_a.txt"], encoding="utf-8")
    t0 = time.perf_counter()
    code, out, _ = run("scan", str(folder), "--config", str(config), "--format", "json", "-q")
    assert code == 0 and len(json.loads(out)["articles"]) == 3
    assert time.perf_counter() - t0 < 30
