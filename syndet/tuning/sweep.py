"""Sweep settings over a labelled corpus and pick the setting that scores best.

The corpus is read once; each setting of the grid is a full scan of the same in-memory articles,
scored with :func:`syndet.tuning.metrics.evaluate`. The best setting (passage F1, then pair F1, then the
fewest changes, then the earliest in the grid) is returned as a minimal overlay: only the keys
whose values differ from the built-in defaults, so that the overlay alone, passed with
``--config``, reproduces it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from syndet.config import apply_overrides, settings_to_dict
from syndet.detector import Detector
from syndet.errors import ConfigError, InputError
from syndet.hashing.bands import lsh_bands
from syndet.settings import Settings
from syndet.tuning.labels import LabelledCorpus
from syndet.tuning.metrics import Evaluation, evaluate

DEFAULT_SWEEP: dict[str, list[Any]] = {
    "lsh.threshold": [0.2, 0.3, 0.4, 0.5],
    "verify.min_passage_words": [8, 12, 16, 20],
}
"""The grid swept when none is given: the candidate threshold and the shortest passage reported."""

S_CURVE_POINTS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True)
class Trial:
    """One setting of the grid and how it scored.

    Attributes:
        values: The swept keys and their values in this trial, in sweep order.
        settings: The effective settings of the trial.
        evaluation: Scores against the labels.
        seconds: Time the scan took.
    """

    values: tuple[tuple[str, Any], ...]
    settings: Settings
    evaluation: Evaluation
    seconds: float


def parse_sweep(specs: Sequence[str]) -> dict[str, list[Any]]:
    """Read ``KEY=V1,V2,...`` specifications; values are numbers, true/false or strings.

    Raises:
        ConfigError: A specification has no ``=`` or no values, or repeats a key.
    """
    sweep: dict[str, list[Any]] = {}
    for spec in specs:
        key, sep, raw = spec.partition("=")
        key = key.strip()
        values = [_scalar(v.strip()) for v in raw.split(",") if v.strip()]
        if not sep or not key or not values:
            raise ConfigError(f"--sweep '{spec}': expected KEY=V1,V2,... such as lsh.threshold=0.2,0.3")
        if key in sweep:
            raise ConfigError(f"--sweep '{spec}': '{key}' is already swept")
        sweep[key] = values
    return sweep


def _scalar(text: str) -> Any:
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def grid(base: Settings, sweep: Mapping[str, Sequence[Any]]) -> list[tuple[tuple[tuple[str, Any], ...], Settings]]:
    """Every combination of the swept values over ``base``, each validated like a config file.

    Raises:
        ConfigError: A key is unknown or a value has the wrong type or range.
    """
    keys = list(sweep)
    out = []
    for combo in itertools.product(*(sweep[k] for k in keys)):
        values = tuple(zip(keys, combo, strict=True))
        out.append((values, apply_overrides(base, dict(values))))
    return out


def require_labels(corpus: LabelledCorpus) -> None:
    """Refuse a corpus with no passage labels: every setting would score the same.

    Raises:
        InputError: The corpus has no passage labels.
    """
    if not corpus.passages:
        raise InputError(f"{corpus.name or 'the corpus'}: no passage labels ('type': 'passage' records): "
                         "there is nothing to tune against (see README, 'Labelled corpora')")


def run_sweep(corpus: LabelledCorpus, settings: Sequence[tuple[tuple[tuple[str, Any], ...], Settings]],
              on_trial: Callable[[Trial, int, int], None] | None = None) -> list[Trial]:
    """Scan the corpus once per setting and score each scan.

    Args:
        corpus: Articles and labels.
        settings: The grid, as :func:`grid` returns it.
        on_trial: Called after each trial with the trial, its number (from 1) and the total.

    Returns:
        The trials in grid order.

    Raises:
        InputError: The corpus has no passage labels, so every setting would score the same.
    """
    require_labels(corpus)
    articles = list(corpus.articles)
    texts = {a.id: a.text for a in articles}
    trials = []
    for n, (values, trial_settings) in enumerate(settings, 1):
        t0 = time.perf_counter()
        result = Detector(trial_settings).scan(articles)
        trial = Trial(values, trial_settings, evaluate(corpus.passages, result.passages, texts,
                                                            [p.articles for p in result.pairs]),
                      time.perf_counter() - t0)
        trials.append(trial)
        if on_trial:
            on_trial(trial, n, len(settings))
    return trials


def best_trial(trials: Sequence[Trial], base: Settings | None = None) -> Trial:
    """The trial with the best passage F1, then pair F1, then fewest keys changed from ``base``.

    Among trials that score the same, the one closest to the settings swept over wins (a change
    that does not help is not worth making); then the earliest in the grid.

    Raises:
        ConfigError: There are no trials.
    """
    if not trials:
        raise ConfigError("nothing to sweep: the grid is empty")
    reference = settings_to_dict(base or Settings())

    def rank(t: Trial) -> tuple[float, float, int]:
        changed = count_keys(_diff(settings_to_dict(t.settings), reference))
        return t.evaluation.passages.f1, t.evaluation.pairs.f1, -changed

    return max(trials, key=rank)


def s_curve(threshold: float, num_perm: int,
            points: Sequence[float] = S_CURVE_POINTS) -> tuple[int, int, list[tuple[float, float]]]:
    """LSH bands and rows datasketch chooses, and the chance of candidacy at each similarity.

    A pair with Jaccard similarity ``s`` shares a bucket in at least one of ``b`` bands of ``r``
    rows with probability ``1 - (1 - s**r)**b``.

    Returns:
        ``(b, r, [(s, probability), ...])``.
    """
    b, r = lsh_bands(threshold, num_perm)
    return b, r, [(s, 1.0 - (1.0 - s ** r) ** b) for s in points]


def overlay(settings: Settings, defaults: Settings | None = None) -> dict[str, Any]:
    """The keys of ``settings`` whose values differ from ``defaults``, nested like a config file."""
    return _diff(settings_to_dict(settings), settings_to_dict(defaults or Settings()))


def _diff(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in new.items():
        if isinstance(value, dict):
            sub = _diff(value, old[key])
            if sub:
                out[key] = sub
        elif value != old[key]:
            out[key] = value
    return out


def count_keys(tree: dict[str, Any]) -> int:
    """Number of leaf keys in a nested overlay."""
    return sum(count_keys(v) if isinstance(v, dict) else 1 for v in tree.values())
