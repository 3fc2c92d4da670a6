"""`podsite`: thin commands over the same core the MkDocs plugin uses. Errors go to stderr, exit 1."""

from __future__ import annotations

import logging
import sys
from dataclasses import replace
from pathlib import Path

import click

from ..build import build_catalog, load_sources
from ..config import (
    OptionsFilter,
    check_plugin_options,
    settings_from,
    theme_html_lang,
    theme_language,
)
from ..errors import PodsiteError, Report, Severity
from ..ingest.download import is_url
from ..site.search_index import write_search_index
from ..site.writer import write_file_atomic
from ..sources.pins import Pins, dump_pins, misread_pins, parse_pins, updated_pins
from . import generate
from .check import CheckResult, check_project, github_annotation
from .fetch import FEED_UNCHANGED, describe, fetch_now
from .new import plan_note, write_note
from .publish import PublishError, PublishOptions, prepare
from .publish import publish as publish_site


def _load_settings(config_file: str):
    return _load_project(config_file)[0]


def _option_problems(config_file: str) -> list:
    """The podsite options of mkdocs.yml that are unknown or wrong, at their lines."""
    path = Path(config_file)
    return check_plugin_options(path, path.name) if path.is_file() else []


def _load_project(config_file: str, options_checked: bool = False):
    """(Settings, the MkDocs config) of the project whose mkdocs.yml is `config_file`. Unknown
    podsite options are warnings, wrong values errors (exit 1), each at its line (unless the
    caller reports them: `options_checked`)."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    if not Path(config_file).is_file():
        raise click.ClickException(f"{config_file}: not found (run podsite in the project folder, "
                                   "or pass --config-file)")
    if not options_checked:
        options = _option_problems(config_file)
        _echo_problems(options)
        if any(p.severity is Severity.ERROR for p in options):
            sys.exit(1)
    quiet = OptionsFilter()  # MkDocs' own words for the same options, without a line
    logging.getLogger("mkdocs.config").addFilter(quiet)
    try:
        config = load_config(config_file)
    except ConfigurationError as exc:
        raise click.ClickException(str(exc))
    except FileNotFoundError:
        raise click.ClickException(f"{config_file}: not found (run podsite in the project folder, "
                                   "or pass --config-file)")
    finally:
        logging.getLogger("mkdocs.config").removeFilter(quiet)
    plugin = config.plugins.get("podsite")
    if plugin is None:
        raise click.ClickException(f"{config_file}: the podsite plugin is not listed under 'plugins:'")
    language = theme_language(config)
    return settings_from(plugin.config, config.config_file_path, config.use_directory_urls,
                         theme_html_lang(language, config.theme.dirs) if language else "",
                         site_url=config.site_url), config


@click.group()
@click.version_option(package_name="podsite")
def main() -> None:
    """Build a podcast's website from its RSS feed and Markdown show notes."""


CONFIG_FILE = click.option("-f", "--config-file", default="mkdocs.yml", show_default=True,
                           help="The project's MkDocs configuration.")


@main.command(short_help="Validate all content without building the site.")
@CONFIG_FILE
@click.option("--strict", is_flag=True, help="Exit non-zero on warnings too.")
@click.option("--format", "style", type=click.Choice(["text", "github"]), default="text",
              show_default=True, help="github: also print each problem as a GitHub Actions "
                                      "annotation, shown on the file's line in pull requests.")
@click.option("--summary", "summary", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also append the result in Markdown to this file, with the episodes that "
                   "still need show notes (in GitHub Actions: \"$GITHUB_STEP_SUMMARY\").")
def check(config_file: str, strict: bool, style: str, summary: Path | None) -> None:
    """Validate the feed, show notes, virtues, worksheets and the links between notes, without
    building the site. Prints one line per problem (path:line: message) and a summary."""
    options = _option_problems(config_file)
    if any(p.severity is Severity.ERROR for p in options):
        result = CheckResult(tuple(options), 0)
    else:
        settings, config = _load_project(config_file, options_checked=True)
        result = check_project(settings, Path(config.docs_dir), strict)
        result = replace(result, problems=tuple(options) + result.problems)
    _append_summary(summary, [result.markdown_summary().rstrip("\n")])
    for problem in result.problems:
        click.echo(f"{problem.severity.value}: {problem}", err=True)
        if style == "github":
            click.echo(github_annotation(problem))
    click.echo(result.summary(), err=bool(result.problems))
    if result.failed(strict):
        sys.exit(1)


def _echo_problems(problems, least: Severity = Severity.INFO) -> None:
    """One `severity: path:line: message` line each on stderr, from `least` up."""
    order = list(Severity)
    for problem in problems:
        if order.index(problem.severity) >= order.index(least):
            click.echo(f"{problem.severity.value}: {problem}", err=True)


def _fail(exc) -> None:
    """Print the problems of a PodsiteError and exit 1."""
    _echo_problems(exc.problems)
    sys.exit(1)


@main.command(short_help="Start the show notes of an episode of the feed.")
@CONFIG_FILE
@click.argument("episode")
def new(config_file: str, episode: str) -> None:
    """Start the show notes of EPISODE: its number, its guid, or "latest".

    Writes <notes_dir>/<number>-<slug>.md with the front matter filled from the feed (guid,
    virtues from the item's categories; title and date as comments). Never overwrites a file.
    """
    settings = _load_settings(config_file)
    try:
        note = plan_note(settings, episode)
        write_note(settings.root, note)
    except PodsiteError as exc:
        _fail(exc)
    click.echo(f"wrote {note.path} for {note.episode.title!r} (guid {note.episode.feed.guid})")


@main.command(short_help="Download the feed now; report what changed.")
@CONFIG_FILE
@click.option("--force", is_flag=True,
              help="Accept the download even when it lists far fewer episodes than the last good copy.")
@click.option("--changed-exit-code", "exit_code", is_flag=True,
              help=f"Exit {FEED_UNCHANGED} when the feed has not changed (the server answered 304 "
                   "Not Modified, or sent the same bytes as the last good copy, or the feed is a "
                   "file), 0 when it has; for schedules that build only when there is news.")
@click.option("--summary", "summary", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also append one line saying whether the feed changed to this file (in GitHub "
                   "Actions: \"$GITHUB_STEP_SUMMARY\").")
def fetch(config_file: str, force: bool, exit_code: bool, summary: Path | None) -> None:
    """Download the feed now and report new, changed and removed episodes.

    Refreshes the last good copy that builds fall back on (also when builds are offline). A
    download a build would not trust leaves that copy as it was and exits 1.
    """
    settings = _load_settings(config_file)
    if exit_code and not is_url(settings.feed):
        line = (f"{settings.feed}: the feed is a file in this project: it changes with a commit, "
                "not on its own (nothing to fetch)")
        click.echo(line)
        _append_summary(summary, [line])
        sys.exit(FEED_UNCHANGED)
    try:
        report = fetch_now(settings, force)
    except PodsiteError as exc:
        _append_summary(summary, [f"The feed could not be fetched: {p}" for p in exc.problems])
        _fail(exc)
    for line in describe(report):
        click.echo(line)
    _append_summary(summary, [report.summary_line()])
    if exit_code and not report.changed:
        sys.exit(FEED_UNCHANGED)


def _append_summary(path: Path | None, lines: list[str]) -> None:
    """Append Markdown lines to a run summary file (GitHub's $GITHUB_STEP_SUMMARY)."""
    if path is None or not lines:
        return
    with path.open("a", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n\n")


@main.command(short_help="Build the site and push it to gh-pages, safely.")
@CONFIG_FILE
@click.option("--remote", default=None, help="Git remote to push to [default: remote_name of "
                                               "mkdocs.yml, origin].")
@click.option("--branch", default=None, help="Branch to publish to [default: remote_branch of "
                                               "mkdocs.yml, gh-pages].")
@click.option("-m", "--message", default=None, help="Commit message [default: Deployed <commit> "
                                                     "with podsite <version>].")
@click.option("--strict", is_flag=True, help="Refuse on warnings too (check and build).")
def publish(config_file: str, remote: str | None, branch: str | None, message: str | None,
            strict: bool) -> None:
    """Build the site and push it to the gh-pages branch, like mkdocs gh-deploy, safely.

    Refuses when podsite check finds errors. Fetches the remote branch first and commits on top
    of it, so a deploy someone else made from another clone is kept, never rejected or
    overwritten; never force-pushes and never touches your local branches.
    """
    settings, config = _load_project(config_file)
    options = PublishOptions(config_file, Path(config.site_dir), remote or config.remote_name,
                             branch or config.remote_branch, message, strict)
    try:
        git = prepare(settings.root, options.remote)
        result = check_project(settings, Path(config.docs_dir), strict)
        _echo_problems(result.problems, least=Severity.WARNING)
        if result.failed(strict):
            raise PublishError(f"not published: podsite check found {result.summary()} "
                               "(fix them, then publish again)")
        done = publish_site(options, git, lambda line: click.echo(line, err=True))
    except PublishError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    where = f"{options.remote}/{options.branch}"
    if not done.commit:
        click.echo(f"nothing to publish: {where} already has this site ({done.files} files)")
    else:
        click.echo(f"published {done.commit[:12]} to {where} ({done.files} files)")


@main.command(short_help="Pin every episode's URL so title edits never move it.")
@CONFIG_FILE
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
    wrong = misread_pins(entries, text, shown)
    if wrong:
        for line in wrong:
            click.echo(f"error: {line}", err=True)
        raise click.ClickException(f"nothing pinned: the pin file would not read back as written "
                                   f"({settings.urls_file} was left as it was; please report this)")
    write_file_atomic(settings.root / settings.urls_file, text.encode("utf-8"))
    click.echo(f"{shown}: {added} episode URL(s) pinned, {moved} renamed (the old URL redirects), "
               f"{len(entries) - added - moved} unchanged")


@main.command(name="generate", short_help="Write the generated pages as files, for Zensical.")
@CONFIG_FILE
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder to write into.  [default: the docs_dir of the configuration]")
@click.option("--strict", is_flag=True, help="Write nothing on warnings too.")
def generate_command(config_file: str, out: Path | None, strict: bool) -> None:
    """Write the generated pages as plain files, for builders that run no MkDocs plugins (Zensical).

    Writes only what changed; a manifest in the folder lists the files podsite owns, so it deletes
    its own stale files and never touches anyone else's.
    """
    settings, config = _load_project(config_file)
    docs = Path(config.docs_dir)
    outcome = generate.export_site(settings, out if out is not None else docs, strict, docs,
                                 config.nav, config_file)
    _echo_problems(outcome.problems)
    if outcome.result is None:
        click.echo("nothing was written", err=True)
        sys.exit(1)
    click.echo(outcome.result.summary())


@main.command(name="index", short_help="Build the site search's index of a built site.")
@click.argument("site_dir", type=click.Path(file_okay=False, path_type=Path))
def index_command(site_dir: Path) -> None:
    """Index the HTML pages of SITE_DIR for site search (Pagefind) into SITE_DIR/pagefind/.

    `mkdocs build` does this by itself; run it after builders that run no MkDocs plugins
    (`podsite generate`, then `zensical build`, then `podsite index site`).
    """
    try:
        stats = write_search_index(site_dir, str(site_dir).rstrip("/") + "/")
    except PodsiteError as exc:
        _echo_problems(exc.problems)
        sys.exit(1)
    if stats.whole_pages:
        click.echo(f"warning: {site_dir}/: no page is marked data-pagefind-body, so every page was "
                   "indexed whole (podsite's theme override, templates/theme/main.html, marks each "
                   "page's content; is it the theme's custom_dir?)", err=True)
    click.echo(f"{site_dir}/pagefind/: {stats}")


if __name__ == "__main__":  # pragma: no cover
    main()
