"""``syndet index ...`` and ``syndet filter``: thin wrappers over :class:`syndet.filter.Filter`."""

from __future__ import annotations

import datetime
import io
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from syndet.cli.common import column_options, config_options, fail, settings_from
from syndet.display import printable
from syndet.errors import IndexError_, InputError, SyndetError
from syndet.models import Article
from syndet.progress import StderrProgress
from syndet.settings import Settings

EXIT_CODES = {"accept": 0, "flag": 10, "reject": 11}
"""Exit status of ``syndet filter --article`` for each decision."""

F = Callable[..., Any]


def index_options(func: F) -> F:
    """``--config``, ``--index`` and ``--quiet``, shared by every command that opens the index."""
    func = click.option("-q", "--quiet", is_flag=True, help="No warnings on standard error.")(func)
    func = click.option(
        "--index", "target", metavar="PATH|URL",
        help="Index file (index.path), or redis://host:port/db to use the Redis backend (index.url).")(func)
    return config_options(func)


def _settings(configs: tuple[Path, ...], target: str | None, extra: dict[str, Any] | None = None) -> Settings:
    overrides: dict[str, Any] = dict(extra or {})
    if target and target.startswith(("redis://", "rediss://", "unix://")):
        overrides.update({"index.backend": "redis", "index.url": target})
    elif target:
        overrides.update({"index.backend": "sqlite", "index.path": target})
    return settings_from(configs, overrides)


def _warner(quiet: bool, progress: StderrProgress | None = None) -> Callable[[str], None]:
    def warn(message: str) -> None:
        if not quiet:
            if progress is not None:
                progress.close()
            click.secho(f"warning: {printable(message)}", fg="yellow", err=True)

    return warn


def _progress(quiet: bool) -> StderrProgress:
    """Progress on standard error (a no-op with --quiet)."""
    return StderrProgress(io.StringIO()) if quiet else StderrProgress()


def _articles(paths: tuple[Path, ...], settings: Settings, warn: Callable[[str], None]) -> Iterator[Article]:
    """Articles under ``paths``; none given (or ``-``) is JSON Lines on standard input, each article
    handed on as soon as its line arrives."""
    from syndet.read.files import STDIN, read_articles

    return read_articles(paths or (STDIN,), settings.input, warn)


@click.group("index")
def index_group() -> None:
    """Build and maintain the persistent index that 'syndet filter' checks articles against.

    The index is one SQLite file by default (index.path, or --index PATH) or lives in Redis
    (index.backend: redis, or --index redis://host:port/db) to be shared by several workers.
    """


@index_group.command("add")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_options
@column_options
@click.option("--batch", type=click.IntRange(0), help="Articles committed together (index.batch; 0: all at once).")
def index_add(paths: tuple[Path, ...], configs: tuple[Path, ...], target: str | None, quiet: bool,
              batch: int | None) -> None:
    """Add the articles under PATHS to the index ('-': JSON Lines on standard input).

    Each batch is committed whole or not at all: a run that is interrupted, even by kill -9, leaves
    the index as before or after each batch. Articles whose id is already indexed are skipped.
    """
    from syndet.filter import Filter

    progress = _progress(quiet)
    warn = _warner(quiet, progress)
    added = skipped = read = 0
    try:
        settings = _settings(configs, target, {"index.batch": batch})
        size = settings.index.batch
        with Filter(settings, create=True) as flt:

            def counted() -> Iterator[Article]:
                nonlocal read
                for article in _articles(paths, settings, warn):
                    read += 1
                    progress("read", read, 0)
                    yield article

            for result in flt.add_batches(counted(), size):
                added, skipped = added + len(result.added), skipped + len(result.skipped)
                progress("add", added + skipped, 0)
            location = flt.store.location
    except SyndetError as exc:
        progress.close()
        fail(exc)
        return
    progress.close()
    click.echo(f"syndet index: {added} articles added, {skipped} already indexed, in {location}")


@index_group.command("stats")
@index_options
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
@click.option("--check", is_flag=True, help="Also check that every article has all its paragraphs and LSH entries.")
def index_stats(configs: tuple[Path, ...], target: str | None, quiet: bool, as_json: bool, check: bool) -> None:
    """Print what the index holds: articles, paragraphs, time range, size, settings."""
    from syndet.filter import Filter

    try:
        with Filter(_settings(configs, target)) as flt:
            stats = flt.store.stats()
            problems = flt.store.verify() if check else []
    except SyndetError as exc:
        fail(exc)
        return
    if check:
        stats["problems"] = problems
    if as_json:
        click.echo(json.dumps(stats, indent=2, ensure_ascii=False))
    else:
        click.echo(_stats_text(stats))
    if problems:
        fail(IndexError_(f"{stats['location']}: {len(problems)} problems found: {problems[0]}"))


def _stats_text(stats: dict[str, Any]) -> str:
    lines = [f"index: {stats['location']} ({stats['backend']})",
             f"articles: {stats['articles']:,}",
             f"paragraphs: {stats['paragraphs']:,} ({stats['signed_paragraphs']:,} with signatures)"]
    if stats["oldest_added"] is not None:
        lines.append(f"added: {_when(stats['oldest_added'])} .. {_when(stats['newest_added'])}")
    if "bytes" in stats:
        lines.append(f"size: {stats['bytes'] / 1048576:.1f} MB")
    if stats.get("retired_bytes"):
        lines.append(f"merged-away segments awaiting deletion: {stats['retired_bytes'] / 1048576:.1f} MB"
                     " (deleted by the first write a minute or more after the merge)")
    if "redis_used_memory" in stats:
        lines.append(f"redis memory (whole server): {stats['redis_used_memory'] / 1048576:.1f} MB")
    if stats.get("pending_adds"):
        lines.append(f"adds in flight or interrupted: {stats['pending_adds']}")
    lines.append("settings: " + " ".join(f"{k}={v}" for k, v in sorted(stats["settings"].items())))
    if "problems" in stats:
        lines.append("check: ok" if not stats["problems"] else f"check: {len(stats['problems'])} problems")
        lines.extend(f"  {p}" for p in stats["problems"])
    return "\n".join(lines)


def _when(epoch: float) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


@index_group.command("remove")
@click.argument("ids", nargs=-1, required=True)
@index_options
def index_remove(ids: tuple[str, ...], configs: tuple[Path, ...], target: str | None, quiet: bool) -> None:
    """Remove the articles with these IDS from the index."""
    from syndet.filter import Filter

    try:
        with Filter(_settings(configs, target)) as flt:
            removed = flt.store.remove(list(ids))
            location = flt.store.location
    except SyndetError as exc:
        fail(exc)
        return
    missing = [i for i in dict.fromkeys(ids) if i not in set(removed)]
    if missing:
        _warner(quiet)(f"not in the index: {', '.join(missing)}")
    click.echo(f"syndet index: {len(removed)} articles removed from {location}")


@index_group.command("upgrade")
@index_options
def index_upgrade(configs: tuple[Path, ...], target: str | None, quiet: bool) -> None:
    """Bring an index built by an earlier syndet to the current layout, keeping its articles.

    A Redis index whose LSH postings are sorted sets gets them rebuilt as strings from the
    shingle hashes each article's record keeps. Stop every writer first; lookups find nothing
    until it ends, and an upgrade that is interrupted is run again. An index already in the
    current layout is left as it is.
    """
    from syndet.store import open_store

    progress = _progress(quiet)
    try:
        store = open_store(_settings(configs, target), create=False, upgrade=True)
        try:
            rebuilt = store.upgrade(lambda done, total: progress("upgrade", done, total),
                                    _warner(quiet, progress))
            location = store.location
        finally:
            store.close()
    except SyndetError as exc:
        progress.close()
        fail(exc)
        return
    progress.close()
    if rebuilt:
        click.echo(f"syndet index: postings of {rebuilt} articles rebuilt in the current layout, in {location}")
    else:
        click.echo(f"syndet index: {location} is already in the current layout")


def _duration_or_none(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    from syndet.duration import parse_duration

    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime.datetime | None:
    from syndet.duration import parse_time

    if value is None:
        return None
    moment = parse_time(value)
    if moment is None:
        raise click.BadParameter(f"'{value}' is not a date (write e.g. 2022-01-31 or 2022-01-31T12:00:00Z)")
    return moment


@index_group.command("prune")
@click.option("--older-than", "older_than", callback=_duration_or_none, metavar="AGE",
              help="Remove articles added longer ago than AGE: 30d, 12h, 1w2d, 90m, 45s.")
@click.option("--published-before", "published_before", callback=_date, metavar="DATE",
              help="Remove articles published before DATE (ISO 8601: 2022-01-31, 2022-01-31T12:00:00Z).")
@click.option("--published-older-than", "published_age", callback=_duration_or_none, metavar="AGE",
              help="Remove articles published longer ago than AGE.")
@click.option("--max-articles", "max_articles", type=click.IntRange(0), metavar="N",
              help="Then remove the articles added first until at most N remain (a rolling window).")
@index_options
@click.option("--dry-run", is_flag=True, help="List what would be removed; change nothing.")
def index_prune(older_than: float | None, published_before: datetime.datetime | None, published_age: float | None,
                max_articles: int | None, configs: tuple[Path, ...], target: str | None, quiet: bool,
                dry_run: bool) -> None:
    """Remove articles from the index by when they were added (--older-than) or published
    (--published-before, --published-older-than), and cap its size (--max-articles, oldest added
    first); articles with no publication time are kept by the publication options. News expires
    in days: run it from cron."""
    from syndet.filter import Filter

    if older_than is None and published_before is None and published_age is None and max_articles is None:
        raise click.UsageError("give --older-than, --published-before, --published-older-than or --max-articles")
    cutoff = published_before
    if published_age is not None:
        by_age = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=published_age)
        cutoff = by_age if cutoff is None else max(cutoff, by_age)
    try:
        with Filter(_settings(configs, target)) as flt:
            ids = flt.prune(older_than, dry_run=dry_run, published_before=cutoff, max_articles=max_articles)
            location = flt.store.location
    except SyndetError as exc:
        fail(exc)
        return
    if dry_run:
        for ident in ids:
            click.echo(ident)
        click.echo(f"syndet index: {len(ids)} articles would be pruned from {location}", err=True)
    else:
        click.echo(f"syndet index: {len(ids)} articles pruned from {location}")


@click.command("filter", epilog="Exit status with --article: 0 accept, 10 flag, 11 reject; "
                                "1-4 errors (4: the index cannot be used).")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--article", "single", type=click.Path(path_type=Path, dir_okay=False),
              help="Decide one article (a file holding exactly one) and exit with its decision's status.")
@index_options
@column_options
@click.option("--add-accepted", is_flag=True, help="Index each accepted article at once.")
@click.option("--add-flagged", is_flag=True, help="Index each flagged article at once.")
@click.option("--reject-at", type=float, help="Reject from this share already indexed (policy.reject_at).")
@click.option("--flag-at", type=float, help="Flag from this share already indexed (policy.flag_at).")
@click.option("--latency", is_flag=True,
              help="Print the time decisions take (p50, p99, max) on standard error at the end, and "
                   "whenever the process gets SIGUSR1.")
def filter_command(paths: tuple[Path, ...], single: Path | None, configs: tuple[Path, ...], target: str | None,
                   quiet: bool, add_accepted: bool, add_flagged: bool, reject_at: float | None,
                   flag_at: float | None, latency: bool) -> None:
    """Decide for each new article whether the index already has it: accept, flag or reject.

    Articles come as JSON Lines on standard input (one {"id": ..., "text": ...} per line), or
    from PATHS. One JSON decision per article goes to standard output, as soon as it is made:
    {"id", "decision", "seen_fraction", "matches", "passages"}. 'reject' means at least
    policy.reject_at of its words are already indexed, 'flag' at least policy.flag_at.
    """
    from syndet.filter import Filter, decision_to_json

    # Progress only when decisions go to a file or a pipe: on a terminal they are the progress.
    progress = _progress(quiet or single is not None or sys.stdout.isatty())
    warn = _warner(quiet, progress)
    add = {"accept"} if add_accepted else set()
    if add_flagged:
        add.add("flag")
    last = None
    try:
        settings = _settings(configs, target, {"policy.reject_at": reject_at, "policy.flag_at": flag_at})
        if single is not None and paths:
            raise InputError("give either --article FILE or PATHS, not both")
        if single is not None:
            from syndet.read.files import read_articles

            articles: Any = list(read_articles([single], settings.input, warn))
            if len(articles) != 1:
                raise InputError(f"{single}: --article needs a file with exactly one article, found {len(articles)}")
        else:
            articles = _articles(paths, settings, warn)
        timings: list[float] | None = [] if latency else None
        if timings is not None:
            _report_on_signal(timings)
        with Filter(settings, create=bool(add)) as flt:
            for done, decision in enumerate(flt.check_all(articles, add, timings), 1):
                click.echo(json.dumps(decision_to_json(decision), ensure_ascii=False))
                sys.stdout.flush()
                last = decision
                progress("filter", done, 0)
    except SyndetError as exc:
        progress.close()
        fail(exc)
        return
    progress.close()
    if timings is not None:
        click.echo(latency_line(timings), err=True)
    if single is not None and last is not None:
        sys.exit(EXIT_CODES[last.action])


def latency_line(timings: list[float]) -> str:
    """``syndet filter: N decisions, p50 .. ms, p99 .. ms, max .. ms`` for the decision times so far."""
    if not timings:
        return "syndet filter: no decisions yet"
    ordered = sorted(timings)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return (f"syndet filter: {len(ordered)} decisions, p50 {at(0.5):.1f} ms, p99 {at(0.99):.1f} ms, "
            f"max {ordered[-1] * 1000:.1f} ms")


def _report_on_signal(timings: list[float]) -> None:
    """Print the latency line on SIGUSR1 (where the platform has it)."""
    import signal

    if hasattr(signal, "SIGUSR1"):
        signal.signal(signal.SIGUSR1, lambda *_: click.echo(latency_line(list(timings)), err=True))
