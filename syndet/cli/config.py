"""``syndet config show``, ``default`` and ``validate``: see and check configuration files."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from syndet.cli.common import config_options, fail, settings_from
from syndet.config import load_settings, settings_to_dict
from syndet.display import printable, redact
from syndet.errors import ConfigError, SyndetError


@click.group("config")
def config_group() -> None:
    """Show the effective configuration or check configuration files."""


@config_group.command("show")
@config_options
def show(configs: tuple[Path, ...]) -> None:
    """Print the effective settings as YAML: the defaults with each --config merged over them."""
    import yaml

    try:
        settings = settings_from(configs, {})
    except SyndetError as exc:
        fail(exc)
        return
    data = settings_to_dict(settings)
    data["index"]["url"] = redact(data["index"]["url"])  # never print a password
    click.echo(yaml.safe_dump(data, sort_keys=False, allow_unicode=True,
                              default_flow_style=False), nl=False)


@config_group.command("default")
def default() -> None:
    """Print the bundled default configuration, every key with a comment (a starting point for --config)."""
    from syndet.yamlfile import bundled

    click.echo(bundled("default.yaml").read_text(encoding="utf-8"), nl=False)


@config_group.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
def validate(files: tuple[Path, ...]) -> None:
    """Check each FILE on its own over the defaults: "FILE: ok", or one line naming the problem.

    Exits with status 2 if any file has a problem.
    """
    from syndet.attribution.evidence import load_catalogue

    failed = False
    for path in files:
        try:
            settings = load_settings([path])
            at = settings.attribute
            if at.catalogue or at.extra_catalogues:  # every pattern they hold must compile too
                load_catalogue(Path(at.catalogue) if at.catalogue else None, [Path(p) for p in at.extra_catalogues])
        except ConfigError as exc:
            failed = True
            click.secho(f"syndet: error: {printable(str(exc))}", fg="red", err=True)
            continue
        click.echo(f"{path}: ok")
    if failed:
        sys.exit(ConfigError.exit_code)
