"""`podsite`: thin commands over the same core the MkDocs plugin uses. Errors go to stderr, exit 1."""

from __future__ import annotations

import sys

import click

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


if __name__ == "__main__":  # pragma: no cover
    main()
