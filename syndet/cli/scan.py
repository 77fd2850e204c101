"""``syndet scan``: read articles, find what they share, write the report."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from syndet.cli.common import column_options, config_options, fail, settings_from, write_output
from syndet.config import min_words_overrides
from syndet.display import printable
from syndet.engines.bounded.budget import parse_size
from syndet.errors import SyndetError
from syndet.report import FORMATS
from syndet.settings import Settings


@click.command()
@click.argument("paths", nargs=-1, required=True)
@config_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text",
              show_default=True, help="Report format (text is coloured only on a terminal).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Write the report to this file instead of standard output.")
@click.option("--jobs", type=click.IntRange(0, 256), help="Worker processes (0: choose automatically).")
@click.option("--threshold", type=float, help="LSH Jaccard threshold (lsh.threshold).")
@click.option("--min-words", type=int,
              help="Report every shared run of this many words, wherever it sits (verify.min_passage_words, "
                   "and lsh.shingle_run_extra 0).")
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
@click.option("--engine", type=click.Choice(("local", "spark")), default="local", show_default=True,
              help="Run on this machine, or as Spark jobs (needs syndet[spark] and Java 17+).")
@click.option("--master", help="Spark master URL (--engine spark), e.g. local[4], spark://host:7077, yarn.")
@click.option("--spark-conf", "spark_conf", multiple=True, metavar="KEY=VALUE",
              help="A Spark setting (--engine spark; repeatable), e.g. spark.executor.memory=8g.")
@click.option("--output-dir", "parts", metavar="DIR",
              help="--engine spark: write the report as partitioned files under DIR (articles/, passages/, "
                   "pairs/, duplicates/, scan/) instead of gathering it; for inputs larger than the driver's memory.")
@click.option("--parts-format", type=click.Choice(("jsonl", "parquet")), default="jsonl", show_default=True,
              help="Format of the --output-dir files.")
@click.option("--memory-budget", metavar="SIZE",
              help="Scan on this machine within SIZE of memory (e.g. 4GB), spilling to disk what grows with the "
                   "input; JSON and JSON Lines reports (default: memory_budget_mb, used when the input needs it).")
@click.option("--spill-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Folder for a bounded-memory scan's temporary files (spill_dir; default: the system's).")
@click.option("-q", "--quiet", is_flag=True, help="No progress or warnings on standard error.")
def scan(paths: tuple[str, ...], configs: tuple[Path, ...], fmt: str, output: Path | None,
         jobs: int | None, threshold: float | None, min_words: int | None, include: tuple[str, ...],
         exclude: tuple[str, ...], full: bool, top: int, summary: bool, with_text: bool, engine: str,
         master: str | None, spark_conf: tuple[str, ...], parts: str | None, parts_format: str,
         memory_budget: str | None, spill_dir: Path | None, quiet: bool) -> None:
    """Scan articles under PATHS and report the passages two or more of them share.

    PATHS are directories (read recursively) or files: text and Markdown, JSON Lines, HTML pages,
    web archives (WARC/ARC), CSV/TSV/Parquet tables, RSS/Atom feeds. '-' reads JSON Lines from
    standard input. With ``--engine spark``, PATHS are anything Spark reads (local paths,
    hdfs://, s3a://) holding JSON Lines, Parquet or text files.
    """
    from syndet.detector import Detector
    from syndet.progress import StderrProgress
    from syndet.report import ReportOptions, write_report

    try:
        settings = settings_from(configs, {"jobs": jobs, "lsh.threshold": threshold, **min_words_overrides(min_words),
                                           "input.include": list(include) or None,
                                           "input.exclude": list(exclude) or None})
        progress = None if quiet else StderrProgress()

        def warn(message: str) -> None:
            if progress:
                progress.close()
            if not quiet:
                click.secho(f"warning: {printable(message)}", fg="yellow", err=True)

        if engine != "local" and (memory_budget or spill_dir):
            raise click.UsageError("--memory-budget and --spill-dir go with --engine local")
        if engine == "local" and _bounded(paths, settings, fmt, memory_budget, warn):
            from syndet.engines.bounded.engine import BoundedEngine

            budget = parse_size(memory_budget) if memory_budget else settings.memory_budget_mb << 20
            folder = spill_dir or (Path(settings.spill_dir) if settings.spill_dir else None)
            bounded = BoundedEngine(settings, budget, folder)
            write_output(output, lambda out: bounded.scan_paths([Path(p) for p in paths], out, fmt, with_text,
                                                                progress, warn), "report")
            if progress:
                progress.close()
            return
        if engine == "spark":
            from syndet.engines.spark.engine import SparkEngine
            from syndet.engines.spark.session import spark_session

            session = spark_session(master, _spark_conf(spark_conf))
            spark_engine = SparkEngine(session, settings)
            if parts:
                written = spark_engine.write_parts(paths, parts, parts_format, progress=progress, warn=warn)
                if progress:
                    progress.close()
                if not quiet:
                    stats = written["stats"]
                    click.echo(f"{stats['articles']:,} articles, {stats['passages']:,} passages, "
                               f"{stats['duplicate_groups']:,} duplicate groups: written to {parts}", err=True)
                return
            result = spark_engine.scan_paths(paths, progress=progress, warn=warn)
        else:
            if master or spark_conf or parts:
                raise click.UsageError("--master, --spark-conf and --output-dir go with --engine spark")
            result = Detector(settings).scan_paths([Path(p) for p in paths], progress=progress, warn=warn)
        if progress:
            progress.close()
    except SyndetError as exc:
        fail(exc)
    options = ReportOptions(color=output is None and sys.stdout.isatty(), full=full, top=top, summary=summary,
                            with_text=with_text)
    write_output(output, lambda out: write_report(result, fmt, out, options), "report")


def _bounded(paths: tuple[str, ...], settings: Settings, fmt: str, memory_budget: str | None,
             warn: Callable[[str], None]) -> bool:
    """Whether the local scan runs in bounded memory: when asked to, or when the input would need
    more memory than the budget (and the report is one it writes)."""
    from syndet.engines.bounded.budget import fits_in_memory
    from syndet.engines.bounded.engine import FORMATS

    if memory_budget:
        parse_size(memory_budget)
        if fmt not in FORMATS:
            raise click.UsageError(f"--memory-budget writes --format {' or '.join(FORMATS)}, not {fmt}")
        return True
    if fits_in_memory([Path(p) for p in paths], settings.input, settings.memory_budget_mb << 20):
        return False
    if fmt not in FORMATS:
        warn(f"the input may need more memory than memory_budget_mb ({settings.memory_budget_mb} MB) held whole; "
             f"--format {' or '.join(FORMATS)} scans it in bounded memory, --format {fmt} holds it in memory")
        return False
    return True


def _spark_conf(items: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"'{item}' is not KEY=VALUE", param_hint="--spark-conf")
        out[key.strip()] = value.strip()
    return out
