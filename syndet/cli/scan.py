"""``syndet scan``: read articles, find what they share, write the report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from syndet.cli.common import column_options, config_options, fail, settings_from, write_output
from syndet.display import printable
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
@column_options
@click.option("--full", is_flag=True, help="Show whole passages in the text report, not excerpts.")
@click.option("--top", type=click.IntRange(0), default=0,
              help="Text report: only the N largest passages, pairs and articles (0: all).")
@click.option("--summary", is_flag=True, help="Text report: counts and the largest pairs and articles only.")
@click.option("--with-text", is_flag=True,
              help="JSON/JSONL report: include each article's text (the text every offset points into).")
@click.option("-q", "--quiet", is_flag=True, help="No progress or warnings on standard error.")
def scan(paths: tuple[Path, ...], configs: tuple[Path, ...], fmt: str, output: Path | None,
         jobs: int | None, threshold: float | None, min_words: int | None, include: tuple[str, ...],
         exclude: tuple[str, ...], full: bool, top: int, summary: bool, with_text: bool, quiet: bool) -> None:
    """Scan articles under PATHS and report the passages two or more of them share.

    PATHS are directories (read recursively) or files: text and Markdown, JSON Lines, HTML pages,
    web archives (WARC/ARC), CSV/TSV/Parquet tables, RSS/Atom feeds. '-' reads JSON Lines from
    standard input.
    """
    from syndet.detector import Detector
    from syndet.progress import StderrProgress
    from syndet.report import ReportOptions, write_report

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
                click.secho(f"warning: {printable(message)}", fg="yellow", err=True)

        result = Detector(settings).scan_paths(paths, progress=progress, warn=warn)
        if progress:
            progress.close()
    except SyndetError as exc:
        fail(exc)
    options = ReportOptions(color=output is None and sys.stdout.isatty(), full=full, top=top, summary=summary,
                            with_text=with_text)
    write_output(output, lambda out: write_report(result, fmt, out, options), "report")
