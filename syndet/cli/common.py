"""What every command shares: the ``--config`` option, the effective settings, and the one place a
library error becomes a red line and an exit status."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from syndet.config import load_settings
from syndet.errors import SyndetError
from syndet.settings import Settings

F = TypeVar("F", bound=Callable[..., Any])


def fail(exc: SyndetError) -> NoReturn:
    """Print ``syndet: error: ...`` in red on standard error and exit with the error's status."""
    click.secho(f"syndet: error: {exc}", fg="red", err=True)
    sys.exit(exc.exit_code)


def config_options(func: F) -> F:
    """``--config FILE`` (repeatable, merged in order over the defaults)."""
    return click.option(
        "--config", "configs", multiple=True, type=click.Path(path_type=Path, dir_okay=False),
        help="YAML config merged over the defaults (repeatable; later files win).",
    )(func)


def settings_from(configs: tuple[Path, ...], overrides: dict[str, Any]) -> Settings:
    """Effective settings: defaults, then config files, then flags that were given."""
    return load_settings(configs, {k: v for k, v in overrides.items() if v is not None})
