"""``syndet extract``: the articles syndet reads from files, as it reads them.

For a page, a web archive or a feed that is the extracted text and metadata, which every offset
of a report points into; the output is JSON Lines, so it can be kept and scanned again.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from syndet.cli.common import column_options, config_options, fail, settings_from
from syndet.display import printable


@click.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@config_options
@column_options
@click.option("--text", "text_only", is_flag=True,
              help="Print the text alone (articles separated by a blank line and a line '---').")
@click.option("-q", "--quiet", is_flag=True, help="No warnings on standard error.")
def extract(paths: tuple[Path, ...], configs: tuple[Path, ...], text_only: bool, quiet: bool) -> None:
    """Print the articles read from PATHS: one JSON object per line with id, title, source,
    published, url, author and text ('-' reads JSON Lines from standard input).

    The output is itself valid input for 'syndet scan' and 'syndet index add'.
    """
    from syndet.errors import SyndetError
    from syndet.read.files import read_articles

    def warn(message: str) -> None:
        if not quiet:
            click.secho(f"warning: {printable(message)}", fg="yellow", err=True)

    try:
        settings = settings_from(configs, {})
        for n, article in enumerate(read_articles(paths, settings.input, warn)):
            if text_only:
                click.echo(("\n---\n" if n else "") + article.text)
                continue
            record = {"id": article.id, "title": article.title, "source": article.source,
                      "published": article.published, "url": article.url, "author": article.author,
                      "text": article.text}
            click.echo(json.dumps(record, ensure_ascii=False))
    except SyndetError as exc:
        fail(exc)
