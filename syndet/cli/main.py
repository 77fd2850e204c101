"""The ``syndet`` command group: every subcommand is defined in its own module and added here."""

from __future__ import annotations

import click

from syndet.cli.config import config_group
from syndet.cli.extract import extract
from syndet.cli.index import filter_command, index_group
from syndet.cli.scan import scan
from syndet.cli.tune import tune


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="syndet")
def main() -> None:
    """Find the passages news articles share and where they came from."""


main.add_command(scan)
main.add_command(index_group)
main.add_command(filter_command)
main.add_command(config_group)
main.add_command(tune)
main.add_command(extract)
