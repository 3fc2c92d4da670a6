"""`podsite`: thin commands over the same core the MkDocs plugin uses. Errors go to stderr, exit 1."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import export
from .build import generate
from .config import settings_from
from .errors import PodsiteError, Severity


def _load_settings(config_file: str):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    try:
        config = load_config(config_file)
    except ConfigurationError as exc:
        raise click.ClickException(str(exc))
    except FileNotFoundError:
        raise click.ClickException(f"{config_file}: not found (run podsite in the project folder, "
                                   "or pass --config-file)")
    plugin = config.plugins.get("podsite")
    if plugin is None:
        raise click.ClickException(f"{config_file}: the podsite plugin is not listed under 'plugins:'")
    return settings_from(plugin.config, config.config_file_path)


@click.group()
@click.version_option(package_name="podsite")
def main() -> None:
    """Build a podcast's website from its RSS feed and Markdown show notes."""


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
              help="The project's MkDocs configuration.")
@click.option("--strict", is_flag=True, help="Exit non-zero on warnings too.")
def check(config_file: str, strict: bool) -> None:
    """Validate the feed, show notes and virtues without building the site."""
    settings = _load_settings(config_file)
    try:
        pages, report = generate(settings)
        problems = report.problems
    except PodsiteError as exc:
        pages, problems = {}, exc.problems
    for problem in problems:
        click.echo(f"{problem.severity.value}: {problem}", err=True)
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    click.echo(f"{errors} error(s), {warnings} warning(s); {len(pages)} page(s) would be generated",
               err=bool(errors or warnings))
    if errors or (strict and warnings):
        sys.exit(1)


@main.command(name="generate")
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
              help="The project's MkDocs configuration.")
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write into.  [default: the docs_dir of the configuration]")
@click.option("--strict", is_flag=True, help="Write nothing on warnings too.")
def generate_command(config_file: str, out: Path | None, strict: bool) -> None:
    """Write the generated pages as plain files, for builders that run no MkDocs plugins (Zensical).

    Writes only what changed; a manifest in the folder lists the files podsite owns, so it deletes
    its own stale files and never touches anyone else's.
    """
    settings = _load_settings(config_file)
    outcome = export.export_site(settings, out if out is not None else export.docs_dir_of(config_file),
                                 strict)
    for problem in outcome.problems:
        click.echo(f"{problem.severity.value}: {problem}", err=True)
    if outcome.result is None:
        click.echo("nothing was written", err=True)
        sys.exit(1)
    click.echo(outcome.result.summary())


if __name__ == "__main__":  # pragma: no cover
    main()
