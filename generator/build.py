"""The one seam that turns sources into the whole generated site as data.

    load (content.py) -> parse (feed.py, notes.py) -> merge (merge.py) -> render (render.py)

`build_site` is pure: it takes what `load_sources` read and returns `{path: Markdown}` plus the
problems found. The MkDocs plugin and the command line both call it; nothing else renders.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import content
from .cache import build_site_cached, parse_feed_cached
from .errors import PodsiteError, Report, Severity
from .merge import merge
from .model import Catalog, Origin
from .notes import parse_note, parse_virtue
from .render import PathError, RenderOptions, make_environment, render_site

ENV_FEED = "PODCAST_FEED"


@dataclass(frozen=True)
class Settings:
    """What a build needs to know, resolved from mkdocs.yml and the environment."""

    root: Path
    feed: str
    notes_dir: str = "content/episodes"
    virtues_dir: str = "content/virtues"
    templates_dir: str = "templates"
    episodes_per_page: int = 20
    home_latest: int = 5
    notes_missing: Severity = Severity.WARNING
    cache_dir: str = ""  # parsed-feed cache, relative to root; "" = no cache


def load_sources(settings: Settings) -> content.Sources:
    feed_bytes, feed_source = content.load_feed_file(settings.feed, settings.root)
    return content.Sources(
        feed_bytes=feed_bytes,
        feed_source=feed_source,
        notes=content.load_markdown_folder(settings.root / settings.notes_dir, settings.root),
        virtues=content.load_markdown_folder(settings.root / settings.virtues_dir, settings.root),
    )


def build_catalog(sources: content.Sources, settings: Settings, report: Report) -> Catalog | None:
    cache_dir = settings.root / settings.cache_dir if settings.cache_dir else None
    feed = parse_feed_cached(sources.feed_bytes, sources.feed_source, report, cache_dir)
    notes = [n for path, text in sources.notes if (n := parse_note(text, path, report))]
    broken_notes = len(notes) < len(sources.notes)
    virtues = [v for path, text in sources.virtues if (v := parse_virtue(text, path, report))]
    if feed is None:
        return None
    # A note that failed to parse would only add "no show notes" noise for its own episode.
    missing = None if broken_notes else settings.notes_missing
    return merge(feed, notes, virtues, report, missing, settings.notes_dir)


def build_site(sources: content.Sources, settings: Settings) -> tuple[dict[str, str | bytes], Report]:
    """Everything generated, or ({}, report) when the report has errors."""
    report = Report()
    catalog = build_catalog(sources, settings, report)
    if catalog is None or report.errors:
        return {}, report
    env = make_environment(settings.root / settings.templates_dir)
    try:
        pages = render_site(catalog, env, RenderOptions(settings.episodes_per_page, settings.home_latest))
    except PathError as exc:
        report.error(Origin(sources.feed_source), str(exc))
        return {}, report
    except jinja2.TemplateError as exc:
        report.error(template_origin(exc, settings), f"template error: {exc.message or exc} "
                                                     "(fix the template, or restore it from git)")
        return {}, report
    return pages, report


def template_origin(exc: jinja2.TemplateError, settings: Settings) -> Origin:
    """Where in `templates/` a Jinja2 error happened: syntax errors know; others are in the traceback."""
    templates = (settings.root / settings.templates_dir).resolve()
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Origin(content.display_path(Path(exc.filename), settings.root), exc.lineno)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.is_absolute() and templates in path.resolve().parents:
            return Origin(content.display_path(path, settings.root), frame.lineno)
    return Origin(settings.templates_dir)


def generate(settings: Settings) -> tuple[dict[str, str | bytes], Report]:
    """Load and build; raises PodsiteError for sources that cannot be read at all."""
    sources = load_sources(settings)
    if not settings.cache_dir:
        return build_site(sources, settings)
    return build_site_cached(sources, settings, build_site, settings.root / settings.cache_dir,
                             settings.root / settings.templates_dir)


def fail_on_errors(report: Report) -> None:
    if report.errors:
        raise PodsiteError(report.errors)
