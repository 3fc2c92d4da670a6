"""The one seam that turns sources into the whole generated site as data.

    load (files.py) -> parse (feed.py, notes.py) -> merge (merge.py) -> render (render.py)

`build_site` is pure: it takes what `load_sources` read and returns `{path: Markdown}` plus the
problems found. The MkDocs plugin and the command line both call it; nothing else renders.
One exception to "pure": worksheet PDFs are read from and kept in the PDF cache (`worksheet_pdf.py`), which
only ever changes how long a build takes, never what it returns.
"""

from __future__ import annotations

import functools
import posixpath
import re
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from .errors import PodsiteError, Report, Severity
from .ingest import attachments, download
from .ingest.cache import parse_feed_cached
from .model import Catalog, ListenerFiles, Origin
from .site import i18n, links, listening_pages, site_urls, worksheet_pages
from .site.cache import Reuse, ReusingTemplate, build_site_cached
from .site.merge import leave_out, merge
from .site.render import (
    PathError,
    RenderOptions,
    episode_path,
    make_environment,
    pack,
    render_site,
    virtue_path,
)
from .sources import files
from .sources.notes import parse_note, parse_virtue
from .sources.pins import parse_pins

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
    notes_html: str = "trusted"  # or "sanitize": see site/notes_html.py
    worksheet_dir: str = "content/worksheets"
    worksheet_pdf: bool = True
    urls_file: str = "content/urls.yml"  # pinned episode URLs; absent = none pinned
    directory_urls: bool = True  # MkDocs' use_directory_urls: where redirect pages go
    cache_dir: str = ".cache/podsite"  # parsed feed, whole site, PDFs; relative to root; "" = none
    feed_cache_dir: str = ".cache/podsite/feeds"
    feed_timeout: float = 10.0
    feed_deadline: float = 120.0  # seconds one whole download may take
    feed_max_bytes: int = 50 * 1024 * 1024
    feed_shrink_threshold: float = 0.5
    feed_offline: bool = False
    feed_force: bool = False
    listen_fetch: bool = True  # download the chapter and transcript files the feed names
    fetch_allow_hosts: tuple[str, ...] = ()  # private/loopback hosts a feed may name (guard.py)
    subscribe: tuple[tuple[str, str], ...] = ()  # (app name, URL) for the subscribe links
    site_url: str = ""  # MkDocs' site_url: canonical URLs; feed URLs under it become relative
    feed_from_env: str = ""  # the PODCAST_FEED value `feed` was made from, as typed ("" = feed_url)
    language: str = ""  # mkdocs.yml's theme.language; "" = the feed's <language> decides
    locale_dir: str = ""  # the project's own interface catalogs, searched before podsite's
    feed_blocked: str = "hide"  # items with itunes:block / podcast:block yes: "hide" or "show"
    feed_without_audio: str = "show"  # items without a playable enclosure: "show" or "hide"


_CLOSED = re.compile(rb"</(?:[\w.-]+:)?(?:rss|feed|RDF)>\s*(?:<!--.*?-->\s*)*\Z", re.S)


def _episode_counter(settings: Settings):
    """Counts the episodes in a downloaded feed, or says why it is not a complete, usable feed.
    The parse goes through the parsed-feed cache, so the build that follows does not parse it
    again."""
    cache_dir = _parsed_cache(settings)

    def count(body: bytes, base_url: str) -> int | str:
        if not body.strip():
            return "it is empty (0 bytes of feed)"
        if not _CLOSED.search(body[-4096:]):
            return "it ends before the feed does (cut off, or not RSS/Atom)"
        scratch = Report()
        feed = parse_feed_cached(body, settings.feed, scratch, cache_dir, base_url)
        if scratch.errors:
            first = scratch.errors[0]
            line = f"line {first.origin.line}: " if first.origin.line else ""
            more = len(scratch.errors) - 1
            return line + first.message + (f" (and {more} more problem{'s' if more > 1 else ''})"
                                           if more else "")
        return len(feed.episodes) if feed is not None else "not a readable RSS or Atom feed"
    return count


def _parsed_cache(settings: Settings) -> Path | None:
    return settings.root / settings.cache_dir / "parsed" if settings.cache_dir else None


def load_feed(settings: Settings) -> tuple[download.FetchResult, str]:
    """The feed's bytes and how messages name it: read from a file, or downloaded with the
    last good copy as the fallback."""
    if not download.is_url(settings.feed):
        feed_bytes, shown = files.load_feed_file(settings.feed, settings.root, settings.feed_from_env)
        return download.FetchResult(feed_bytes, "", (), True), shown
    return download.fetch_feed(settings.feed, settings.root / settings.feed_cache_dir,
                               feed_options(settings), _episode_counter(settings),
                               stage=True), settings.feed


def feed_options(settings: Settings, **changes) -> download.FetchOptions:
    """How the feed is downloaded. The maintainer's own `feed_url` may be on any host (a
    private one too); a redirect from it to another private host is refused (guard.py)."""
    own_host = urlsplit(settings.feed).hostname or ""
    options = download.FetchOptions(settings.feed_timeout, settings.feed_max_bytes,
                                    settings.feed_shrink_threshold, settings.feed_offline,
                                    settings.feed_force, deadline=settings.feed_deadline,
                                    allow_hosts=(*settings.fetch_allow_hosts, own_host))
    return replace(options, **changes)


def keep_feed(settings: Settings, feed_bytes: bytes | None) -> None:
    """After a build succeeded: the feed it was built from (`Sources.feed_bytes`) becomes the
    last good copy (a download waits as the pending copy until then; see download.py)."""
    if download.is_url(settings.feed) and feed_bytes is not None:
        download.FeedCache(settings.root / settings.feed_cache_dir, settings.feed).keep(feed_bytes)


def load_sources(settings: Settings) -> files.Sources:
    result, feed_source = load_feed(settings)
    sources = files.Sources(
        feed_bytes=result.body,
        feed_source=feed_source,
        feed_base_url=result.base_url,
        feed_problems=result.problems,
        notes=files.load_markdown_folder(settings.root / settings.notes_dir, settings.root),
        virtues=files.load_markdown_folder(settings.root / settings.virtues_dir, settings.root),
        worksheets=files.load_worksheet_folder(settings.root / settings.worksheet_dir, settings.root),
        urls=(files.load_optional_text(settings.urls_file, settings.root, files.MAX_PINS_BYTES)
              if settings.urls_file else None),
    )
    return replace(sources, listener=load_listener(sources, settings))


def load_listener(sources: files.Sources, settings: Settings) -> ListenerFiles:
    """Transcripts beside the notes; chapter and transcript files the feed links to."""
    feed = None
    # Whether there is anything to download is read from the parsed feed (a feed may bind the
    # Podcasting 2.0 namespace under any of its URIs, or not bind it at all): a feed without
    # chapter or transcript links costs the parse, which the parse cache keeps for build_catalog.
    if settings.listen_fetch and sources.feed_bytes:
        feed = parse_feed_cached(sources.feed_bytes, sources.feed_source, Report(),
                                 _parsed_cache(settings), sources.feed_base_url)
    local = files.load_local_transcripts(settings.root / settings.notes_dir, settings.root)
    if feed is None:
        return ListenerFiles(local)
    fetched = attachments.fetch_attachments(feed, attachments_dir(settings), settings.feed_offline,
                                            settings.feed_timeout, deadline=settings.feed_deadline,
                                            allow_hosts=settings.fetch_allow_hosts)
    return replace(fetched, local=local)


def attachments_dir(settings: Settings) -> Path:
    """Where the last good copies of the feed's chapter and transcript files are kept."""
    return settings.root / settings.feed_cache_dir / "attachments"


def build_catalog(sources: files.Sources, settings: Settings, report: Report) -> Catalog | None:
    report.problems.extend(sources.feed_problems)
    feed = None
    if sources.feed_bytes is not None:
        feed = parse_feed_cached(sources.feed_bytes, sources.feed_source, report, _parsed_cache(settings),
                                 sources.feed_base_url)
    notes = [n for path, text in sources.notes if (n := parse_note(text, path, report))]
    broken_notes = len(notes) < len(sources.notes)
    virtues = [v for path, text in sources.virtues if (v := parse_virtue(text, path, report))]
    if feed is None:
        return None
    # A note that failed to parse would only add "no show notes" noise for its own episode, and a
    # virtue file that failed an "unknown virtue" error for every note that names it.
    missing = None if broken_notes else settings.notes_missing
    unreadable = virtue_file_ids(sources) - {v.id for v in virtues}
    pins = parse_pins(sources.urls[1], sources.urls[0], report) if sources.urls else None
    catalog = merge(feed, notes, virtues, report, missing, settings.notes_dir, pins, unreadable)
    return leave_out(catalog, settings.feed_blocked == "hide", settings.feed_without_audio == "hide",
                     report)


def virtue_file_ids(sources: files.Sources) -> frozenset[str]:
    """The ids the virtue files name (`courage.md` -> courage), read or not."""
    return frozenset(path.rsplit("/", 1)[-1].removesuffix(".md") for path, _ in sources.virtues)


def build_site(sources: files.Sources, settings: Settings, reuse: Reuse | None = None,
               packed: bool = False) -> tuple[dict[str, str | bytes], Report]:
    """Everything generated, or ({}, report) when the report has errors. With `reuse` (the site
    cache's), pages whose templates did not change are taken from the last build. `packed`: text
    pages as render.Utf8, for a large show's memory (the plugin)."""
    report = Report()
    catalog = build_catalog(sources, settings, report)
    sheets = worksheet_pages.parse_worksheets(sources.worksheets, catalog.virtues if catalog else None,
                                              report, virtue_file_ids(sources))
    if catalog is None or report.errors:
        return {}, report
    interface = load_interface(settings, catalog.podcast, report)
    env = make_environment(settings.root / settings.templates_dir, interface,
                           ReusingTemplate if reuse is not None else None)
    env.podsite_reuse = reuse
    env.globals["worksheets"] = links = worksheet_pages.sheet_links(sheets, settings.worksheet_pdf)
    listener = sources.listener or ListenerFiles()
    report.problems.extend(listener.problems)
    infos = listening_pages.listener_infos(catalog, listener, report)
    listening_pages.install(env, infos, settings.subscribe, settings.directory_urls)
    site_urls.install(env, settings.site_url)
    try:
        pages = render_site(catalog, env, RenderOptions(settings.episodes_per_page, settings.home_latest,
                                                        settings.directory_urls,
                                                        settings.notes_html == "sanitize", packed))
        pages.update(listening_pages.render_listener_pages(catalog, infos, env,
                                                           settings.episodes_per_page, packed))
        pages.update({path: pack(text) if packed else text for path, text in
                      worksheet_pages.render_worksheets(sheets, catalog, env, links, report).items()})
        if settings.worksheet_pdf and sheets:
            cache = settings.root / settings.cache_dir / "worksheets" if settings.cache_dir else None
            pages.update(worksheet_pages.render_worksheet_pdfs(
                sheets, catalog, settings.root / settings.templates_dir, cache, report, interface))
    except PathError as exc:
        report.error(Origin(sources.feed_source), str(exc))
        return {}, report
    except jinja2.TemplateError as exc:
        report.error(template_origin(exc, settings), f"template error: {exc.message or exc} "
                                                     "(fix the template, or restore it from git)")
        return {}, report
    if report.errors:
        return {}, report
    return dict(sorted(pages.items())), report


def site_language(settings: Settings, podcast) -> str:
    """The site's language tag: mkdocs.yml's theme.language, else the feed's, else English."""
    return i18n.choose_language(settings.language, podcast.language if podcast else "")


def feed_language(sources: files.Sources, settings: Settings) -> str:
    """The feed's <language> ("" when it has none or cannot be read; the build reports why)."""
    if sources.feed_bytes is None:
        return ""
    feed = parse_feed_cached(sources.feed_bytes, sources.feed_source, Report(), _parsed_cache(settings),
                             sources.feed_base_url)
    return feed.podcast.language if feed is not None else ""


def load_interface(settings: Settings, podcast, report: Report) -> i18n.Interface:
    """The catalog of the site's language (reads it); its untranslated strings go to `report`."""
    tag = site_language(settings, podcast)
    folders = (settings.root / settings.locale_dir,) if settings.locale_dir else ()
    interface, problems = i18n.load_interface(tag, folders, settings.root)
    report.problems.extend(problems)
    if interface.locale == i18n.DEFAULT and not tag.startswith(i18n.DEFAULT):
        where = Origin("mkdocs.yml") if settings.language or podcast is None else podcast.origin
        shipped = ", ".join(sorted(i18n.available_locales(folders + (i18n.LOCALE_DIR,))))
        report.info(where, f"podsite has no catalog for the language {tag!r}: the words podsite "
                           f"writes stay in English (catalogs: {shipped}; add "
                           f"{tag.replace('-', '_')}/LC_MESSAGES/podsite.po to your locale_dir)")
    return interface


def template_origin(exc: jinja2.TemplateError, settings: Settings) -> Origin:
    """Where in `templates/` a Jinja2 error happened: syntax errors know; others are in the traceback."""
    templates = (settings.root / settings.templates_dir).resolve()
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return Origin(files.display_path(Path(exc.filename), settings.root), exc.lineno)
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        path = Path(frame.filename)
        if path.is_absolute() and templates in path.resolve().parents:
            return Origin(files.display_path(path, settings.root), frame.lineno)
    return Origin(settings.templates_dir)


def generate(settings: Settings) -> tuple[dict[str, str | bytes], Report]:
    """Load and build; raises PodsiteError for sources that cannot be read at all."""
    return build_from(load_sources(settings), settings)


def build_from(sources: files.Sources, settings: Settings,
               packed: bool = False) -> tuple[dict[str, str | bytes], Report]:
    """`build_site`, served from the site cache when `cache_dir` is set and nothing changed."""
    if not settings.cache_dir:
        return build_site(sources, settings, packed=packed)
    return build_site_cached(sources, settings, functools.partial(build_site, packed=packed),
                             _parsed_cache(settings), settings.root / settings.templates_dir,
                             settings.root / settings.locale_dir if settings.locale_dir else None, packed)


def fail_on_errors(report: Report) -> None:
    if report.errors:
        raise PodsiteError(report.errors)


def link_problems(sources: files.Sources, settings: Settings, pages: dict, docs_dir: Path | None,
                  catalog: Catalog | None = None) -> tuple[list, list[tuple[str, str]]]:
    """Links in show notes and virtue pages that lead nowhere, at their file and line, and the
    (generated page, link) pairs they are (MkDocs would report those at the generated page).
    Without a `catalog`, one is made only when some link names no note or virtue file (merging
    a large show costs a few tenths of a second, most rebuilds need none)."""
    report = Report()
    if catalog is None:
        if links.all_name_content_files(dict(sources.notes) | dict(sources.virtues)):
            return [], []
        catalog = build_catalog(sources, settings, Report())  # the parsed feed is cached
    if catalog is None:
        return [], []
    targets = {e.note.path: episode_path(e) for e in catalog.episodes if e.note}
    targets.update({v.origin.path: virtue_path(v) for v in catalog.virtues})
    # with errors elsewhere nothing was generated: the pages a link may name are known anyway
    site_pages = set(pages) | set(targets.values()) | {"index.md", "episodes/index.md",
                                                       "virtues/index.md"}
    site_pages.update(f"worksheets/{posixpath.basename(path).rsplit('.', 1)[0]}.md"
                      for path, _ in sources.worksheets)
    if docs_dir is not None and docs_dir.is_dir():
        site_pages.update(files.display_path(p, docs_dir) for p in docs_dir.rglob("*.md"))
    texts = dict(sources.notes) | dict(sources.virtues)
    checked = [links.LinkSource(path, texts[path], page) for path, page in targets.items()]
    reported = links.check_links(sorted(checked, key=lambda s: s.path), targets, site_pages, report)
    return list(report.problems), reported
