"""What every command shares: the ``--config`` option, the effective settings, and the one place a
library error becomes a red line and an exit status."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TextIO, TypeVar

import click

from syndet.config import load_settings
from syndet.display import printable
from syndet.errors import SyndetError
from syndet.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def fail(exc: SyndetError) -> NoReturn:
    """Print ``syndet: error: ...`` in red on standard error and exit with the error's status."""
    click.secho(f"syndet: error: {printable(str(exc))}", fg="red", err=True)
    sys.exit(exc.exit_code)


def config_options(func: F) -> F:
    """``--config FILE`` (repeatable, merged in order over the defaults)."""
    return click.option(
        "--config", "configs", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
        help="YAML config merged over the defaults (repeatable; later files win).",
    )(func)


def settings_from(configs: tuple[Path, ...], overrides: dict[str, Any]) -> Settings:
    """Effective settings: defaults, then config files, then flags that were given (the table
    column flags of :func:`column_options` included)."""
    given = {**column_overrides(), **{k: v for k, v in overrides.items() if v is not None}}
    return load_settings(configs, given)


_COLUMN_META = "syndet.columns"


def _remember_column(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None and param.name:
        ctx.meta.setdefault(_COLUMN_META, {})[f"input.columns.{param.name.removesuffix('_column')}"] = value


def column_options(func: F) -> F:
    """``--text-column``, ``--id-column`` ... for tables (CSV, TSV, Parquet); they land in
    ``input.columns`` through :func:`column_overrides`, so commands need no parameter for each."""
    for name, what in reversed((("text", "the article text"), ("id", "the article id"), ("title", "the headline"),
                                ("source", "the outlet"), ("published", "the publication time"),
                                ("url", "the article's address"))):
        func = click.option(f"--{name}-column", f"{name}_column", metavar="NAME", expose_value=False,
                            callback=_remember_column,
                            help=f"Table column holding {what} (input.columns.{name}; default: guessed).")(func)
    return func


def column_overrides() -> dict[str, Any]:
    """The ``--*-column`` values given to the running command, as dotted settings keys."""
    ctx = click.get_current_context(silent=True)
    return dict(ctx.meta.get(_COLUMN_META, {})) if ctx is not None else {}


def write_output(output: Path | None, write: Callable[[TextIO], object], what: str) -> None:
    """Run ``write`` on standard output, or on ``output`` so that the file appears whole or not at
    all: written to a private temporary file created in the target's folder (a new name, opened
    exclusively, so no planted file or link is followed), then renamed over the target in one step.
    Two runs writing the same target each rename a whole file; the last one wins."""
    if output is None:
        write(sys.stdout)
        return
    folder = output.parent if str(output.parent) else Path(".")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".partial", dir=folder)
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)  # as a plain open() would create it, not 0600
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            write(out)
        os.replace(tmp, output)
        tmp = None
    except OSError as exc:
        fail(SyndetError(f"{output}: cannot write {what}: {exc.strerror or exc}"))
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
