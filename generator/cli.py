"""`podsite`: thin commands over the same core the MkDocs plugin uses. Errors go to stderr, exit 1."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import export
from .build import build_catalog, generate, load_sources
from .config import settings_from
from .errors import PodsiteError, Report, Severity
from .urls import Pins, dump_pins, parse_pins, updated_pins
from .writer import write_file_atomic


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
    return settings_from(plugin.config, config.config_file_path, config.use_directory_urls)


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


@main.command()
@click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
              help="The project's MkDocs configuration.")
def pin(config_file: str) -> None:
    """Pin every episode's URL in the pin file (urls_file, default content/urls.yml).

    New episodes are added with the URL they have now; an episode whose note's `slug:` changed
    gets the new slug first and keeps the old one as a former URL, which redirects. Commit the
    file: from then on, editing a title in the feed never moves an episode's page.
    """
    settings = _load_settings(config_file)
    report = Report()
    try:
        sources = load_sources(settings)
        catalog = build_catalog(sources, settings, report)
    except PodsiteError as exc:
        report.problems.extend(exc.problems)
        catalog = None
    if catalog is None or report.errors:
        for problem in report.errors:
            click.echo(f"error: {problem}", err=True)
        raise click.ClickException(f"nothing pinned: fix the error(s) above first "
                                   f"({settings.urls_file} was left as it was)")
    shown = settings.urls_file
    old = parse_pins(sources.urls[1], sources.urls[0], Report()) if sources.urls else Pins(shown)
    entries = updated_pins(catalog.episodes, old)
    before = {pin.guid: pin.slugs for pin in old.entries}
    added = sum(pin.guid not in before for pin in entries)
    moved = sum(pin.guid in before and before[pin.guid][0] != pin.slugs[0] for pin in entries)
    text = dump_pins(entries)
    if sources.urls and sources.urls[1] == text:
        click.echo(f"{shown}: all {len(catalog.episodes)} episode URLs already pinned; nothing to do")
        return
    write_file_atomic(settings.root / settings.urls_file, text.encode("utf-8"))
    click.echo(f"{shown}: {added} episode URL(s) pinned, {moved} renamed (the old URL redirects), "
               f"{len(entries) - added - moved} unchanged")


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
