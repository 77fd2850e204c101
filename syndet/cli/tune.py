"""``syndet tune``: sweep thresholds over a labelled corpus, print the scores, keep the best."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from syndet.cli.common import config_options, fail, settings_from, write_output
from syndet.errors import SyndetError

if TYPE_CHECKING:
    from syndet.tuning.metrics import Evaluation
    from syndet.tuning.sweep import Trial

_SCORE_HEAD = "passage P     R    F1  pairs P     R    F1        found      origin"


@click.command("tune")
@click.argument("labels", type=click.Path(path_type=Path, dir_okay=False))
@config_options
@click.option("--sweep", "sweeps", multiple=True, metavar="KEY=V1,V2,...",
              help="Values to try for one setting (repeatable; every combination is run). "
                   "Default: lsh.threshold=0.2,0.3,0.4,0.5 and verify.min_passage_words=8,12,16,20.")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=Path("tuned.yaml"),
              show_default=True, help="Write the best setting here, as a config file for --config.")
@click.option("--plot", type=click.Path(path_type=Path, dir_okay=False),
              help="Also draw precision and recall against the first swept key as a PNG (needs matplotlib).")
def tune(labels: Path, configs: tuple[Path, ...], sweeps: tuple[str, ...], out: Path, plot: Path | None) -> None:
    """Score every combination of swept settings on the labelled corpus LABELS and keep the best.

    LABELS is a JSON Lines file of article and passage records (see the README). The best setting
    has the highest passage F1 (then pair F1, then fewest changes) and is written as a minimal
    YAML overlay.
    """
    import yaml

    from syndet.tuning.labels import read_labelled
    from syndet.tuning.sweep import (
        DEFAULT_SWEEP,
        best_trial,
        count_keys,
        grid,
        overlay,
        parse_sweep,
        require_labels,
        run_sweep,
        s_curve,
    )

    try:
        base = settings_from(configs, {})
        sweep = parse_sweep(sweeps) if sweeps else dict(DEFAULT_SWEEP)
        settings = grid(base, sweep)
        corpus = read_labelled(labels, base.input)
        require_labels(corpus)
        keys = list(sweep)
        widths = [max(len(k), 6) for k in keys]
        click.echo(f"syndet tune: {len(corpus.articles)} articles, {len(corpus.passages)} labelled passages, "
                   f"{len(settings)} settings\n")
        click.echo("  ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True)) + "  " + _SCORE_HEAD)

        def row(trial: Trial, n: int, count: int) -> None:
            cells = [_fmt(v).ljust(w) for (_, v), w in zip(trial.values, widths, strict=True)]
            click.echo("  ".join(cells) + "  " + _scores(trial.evaluation) + f"  {trial.seconds:5.1f}s")

        trials = run_sweep(corpus, settings, row)
        best = best_trial(trials, base)
    except SyndetError as exc:
        fail(exc)
        return
    chosen = " ".join(f"{k}={_fmt(v)}" for k, v in best.values)
    ev = best.evaluation
    click.echo(f"\nbest: {chosen} (passage F1 {ev.passages.f1:.3f}, pair F1 {ev.pairs.f1:.3f})")
    lsh, minhash = best.settings.lsh, best.settings.minhash
    b, r, curve = s_curve(lsh.threshold, minhash.num_perm)
    click.echo(f"\nLSH S-curve at lsh.threshold={lsh.threshold:g}, minhash.num_perm={minhash.num_perm}: "
               f"{b} bands of {r} rows, P(candidate) = 1 - (1 - s^{r})^{b}")
    click.echo("similarity  P(candidate)")
    for s, p in curve:
        click.echo(f"{s:10.2f}  {p:12.4f}")
    changed = overlay(best.settings)
    header = (f"# syndet tune: best of {len(trials)} settings on {labels} "
              f"(passage F1 {ev.passages.f1:.3f}, pair F1 {ev.pairs.f1:.3f}).\n"
              "# Only the keys that differ from the built-in defaults; use with --config.\n")
    body = yaml.safe_dump(changed, sort_keys=False, allow_unicode=True) if changed else "{}\n"
    write_output(out, lambda handle: handle.write(header + body), "the tuned config")
    n = count_keys(changed)
    click.echo(f"\nwrote {out} ({n} key{'' if n == 1 else 's'} changed from the defaults)")
    if plot:
        _plot(trials, best, plot)


def _fmt(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _scores(ev: Evaluation) -> str:
    origin = f"{ev.origin.correct}/{ev.origin.total}" if ev.origin else "n/a"
    return (f"{ev.passages.precision:9.3f} {ev.passages.recall:5.3f} {ev.passages.f1:5.3f}"
            f"  {ev.pairs.precision:7.3f} {ev.pairs.recall:5.3f} {ev.pairs.f1:5.3f}"
            f"  {f'{ev.found}/{ev.labelled}':>11}  {origin:>10}")


def _plot(trials: list[Trial], best: Trial, path: Path) -> None:
    """Precision and recall against the first swept key, the other keys held at the best values."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        click.echo("matplotlib is not installed (pip install 'syndet[plot]'): no plot drawn", err=True)
        return
    key = best.values[0][0]
    held = dict(best.values[1:])
    points = sorted((t.values[0][1], t.evaluation.passages.precision, t.evaluation.passages.recall)
                    for t in trials if dict(t.values[1:]) == held)
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label="passage precision")
    ax.plot([p[0] for p in points], [p[2] for p in points], marker="s", label="passage recall")
    ax.set_xlabel(key)
    ax.set_ylabel("share of characters")
    title = ", ".join(f"{k}={_fmt(v)}" for k, v in held.items())
    ax.set_title(title or "passage precision and recall", fontsize=9)
    ax.legend()
    fig.tight_layout()
    try:
        fig.savefig(path, dpi=100)
    except OSError as exc:
        fail(SyndetError(f"{path}: cannot write: {exc.strerror or exc}"))
    finally:
        plt.close(fig)
    click.echo(f"wrote {path}")
