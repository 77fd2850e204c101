"""``syndet scan``: read articles, find what they share, write the report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from syndet.cli.common import config_options, fail, settings_from
from syndet.errors import SyndetError
from syndet.report import FORMATS


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@config_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Report format (text is coloured only on a terminal).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to this file instead of standard output.")
@click.option("--jobs", type=click.IntRange(0, 256), help="Worker processes (0: choose automatically).")
@click.option("--threshold", type=float, help="LSH Jaccard threshold (lsh.threshold).")
@click.option("--min-words", type=int, help="Shortest passage reported, in words (verify.min_passage_words).")
@click.option("--include", multiple=True,
              help="Glob of files to read under a directory (repeatable; replaces input.include).")
@click.option("--exclude", multiple=True, help="Glob of files to skip (repeatable; replaces input.exclude).")
@click.option("--full", is_flag=True, help="Show whole passages in the text report, not excerpts.")
@click.option("-q", "--quiet", is_flag=True, help="No progress or warnings on standard error.")
def scan(paths: tuple[Path, ...], configs: tuple[Path, ...], fmt: str, output: Path | None,
         jobs: int | None, threshold: float | None, min_words: int | None, include: tuple[str, ...],
         exclude: tuple[str, ...], full: bool, quiet: bool) -> None:
    """Scan articles under PATHS and report the passages two or more of them share.

    PATHS are directories (read recursively: .txt, .md, .jsonl) or files.
    """
    from syndet.detector import Detector
    from syndet.progress import StderrProgress
    from syndet.report import write_report

    try:
        settings = settings_from(configs, {"jobs": jobs, "lsh.threshold": threshold,
                                           "verify.min_passage_words": min_words,
                                           "input.include": list(include) or None,
                                           "input.exclude": list(exclude) or None})
        progress = None if quiet else StderrProgress()

        def warn(message: str) -> None:
            if progress:
                progress.close()
            if not quiet:
                click.secho(f"warning: {message}", fg="yellow", err=True)

        result = Detector(settings).scan_paths(paths, progress=progress, warn=warn)
        if progress:
            progress.close()
    except SyndetError as exc:
        fail(exc)
        return
    color = output is None and sys.stdout.isatty()
    if output is None:
        write_report(result, fmt, sys.stdout, color=color, full=full)
        return
    partial = output.with_name(output.name + ".partial")  # the report appears whole or not at all
    try:
        with partial.open("w", encoding="utf-8", newline="") as out:
            write_report(result, fmt, out, color=color, full=full)
        partial.replace(output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        fail(SyndetError(f"{output}: cannot write report: {exc.strerror or exc}"))
