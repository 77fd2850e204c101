"""Read YAML configuration into typed, frozen settings.

Files are merged in order over the built-in defaults and command-line values over both. Every
problem is a :class:`ConfigError` naming the file, the line and the dotted key; unknown keys get a
"did you mean". Only ``yaml.safe_load``-equivalent construction is used.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from syndet.errors import ConfigError
from syndet.settings import Settings
from syndet.text.patterns import Pattern, PatternError
from syndet.yamlfile import read_mapping


def load_settings(paths: Iterable[Path] = (), overrides: Mapping[str, Any] | None = None) -> Settings:
    """Build settings from YAML files and overrides.

    Args:
        paths: YAML files, applied in order over the defaults.
        overrides: Dotted keys (``lsh.threshold``) to values, applied last (command-line flags).

    Returns:
        The effective settings.

    Raises:
        ConfigError: A file cannot be read or parsed, a key is unknown, or a value has the wrong
            type or range.
    """
    settings = Settings()
    for path in paths:
        data, lines = read_mapping(Path(path), "config file")
        settings = _apply(settings, data, lines, str(path), "")
    if overrides:
        settings = apply_overrides(settings, overrides)
    return settings


def apply_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """Apply dotted-key values (from command-line flags) over settings, validated like YAML."""
    for dotted, value in overrides.items():
        nested: Any = value
        for part in reversed(dotted.split(".")):
            nested = {part: nested}
        settings = _apply(settings, nested, {}, "command line", "")
    return settings


def min_words_overrides(words: int | None) -> dict[str, Any]:
    """The settings ``--min-words N`` stands for: every shared run of N words is reported wherever it
    sits, so a pair linked only by shared shingles needs a run of N words too (no extra words)."""
    if words is None:
        return {}
    return {"verify.min_passage_words": words, "lsh.shingle_run_extra": 0}


def settings_to_dict(obj: Any) -> Any:
    """Plain dict/list form of settings, for ``config show`` and JSON reports."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: settings_to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, list):
        return [settings_to_dict(v) for v in obj]
    return obj


def _apply(obj: Any, data: Mapping[str, Any], lines: Mapping[str, int], origin: str, prefix: str) -> Any:
    fields = {f.name: f for f in dataclasses.fields(obj)}
    hints = typing.get_type_hints(type(obj))
    changes: dict[str, Any] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        where = _where(origin, lines, dotted)
        if not isinstance(key, str) or key not in fields:
            names = [f"{prefix}{name}" for name in fields]
            guess = difflib.get_close_matches(dotted, names, n=1, cutoff=0.6)
            hint = f" (did you mean '{guess[0]}'?)" if guess else f" (known: {', '.join(sorted(fields))})"
            raise ConfigError(f"{where}: unknown key '{dotted}'{hint}")
        current = getattr(obj, key)
        if dataclasses.is_dataclass(current):
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where}: '{dotted}' must be a mapping of keys, not {_tname(value)}")
            changes[key] = _apply(current, value, lines, origin, dotted + ".")
        else:
            changes[key] = _check(value, hints[key], fields[key].metadata, dotted, where)
    return dataclasses.replace(obj, **changes)


def _check(value: Any, hint: Any, meta: Mapping[str, Any], dotted: str, where: str) -> Any:
    origin = typing.get_origin(hint)
    if origin is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: '{dotted}' must be a list of strings, not {_tname(value)}")
        if meta.get("patterns"):
            for n, source in enumerate(value):
                try:
                    Pattern(source)  # compiled at once, by both engines
                except PatternError as exc:
                    raise ConfigError(f"{where}: '{dotted}[{n}]' is an {exc}") from None
        return list(value)
    if hint is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: '{dotted}' must be true or false, not {_tname(value)}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: '{dotted}' must be a whole number, not {_tname(value)}")
    elif hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{where}: '{dotted}' must be a number, not {_tname(value)}")
        try:
            value = float(value)
        except OverflowError:
            raise ConfigError(f"{where}: '{dotted}' must be a finite number, not {_tname(value)[:40]}") from None
        if not math.isfinite(value):
            raise ConfigError(f"{where}: '{dotted}' must be a finite number, not {value}")
    elif hint is str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: '{dotted}' must be a string, not {_tname(value)}")
        choices = meta.get("choices")
        if choices and value not in choices:
            raise ConfigError(f"{where}: '{dotted}' must be one of {', '.join(choices)}, not '{value}'")
        return value
    lo, hi = meta.get("min"), meta.get("max")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ConfigError(f"{where}: '{dotted}' = {value} is out of range [{lo}, {hi}]")
    return value


def _where(origin: str, lines: Mapping[str, int], dotted: str) -> str:
    line = lines.get(dotted)
    return f"{origin}:{line}" if line else origin


def _tname(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float, str)):
        text = repr(value) if not isinstance(value, int) or abs(value) < 10**60 else f"{str(value)[:20]}..."
        return f"{type(value).__name__} {text[:60] + '...' if len(text) > 60 else text}"
    return {"dict": "a mapping", "list": "a list"}.get(type(value).__name__, type(value).__name__)
