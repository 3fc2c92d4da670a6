"""The MkDocs plugin `podsite`: thin event handlers over `build.generate`.

- on_config: resolve settings; the site's language (theme.language, else the feed's <language>,
  which then becomes theme.language, so Material speaks it too); for `build`/`gh-deploy`, point
  MkDocs at a staging folder.
- on_pre_build: run the whole pipeline *before* MkDocs cleans the site folder; content mistakes
  stop the build here, with every problem listed and the last good site untouched.
- on_files: hand the generated pages to MkDocs as virtual files (nothing is written to disk);
- on_page_markdown / on_page_content: lift the templates' raw HTML blocks out of each page's
  Markdown (rawhtml.py), and put them back into its HTML. MkDocs renders every page before it
  writes the first; meanwhile podsite's pages wait compressed, and are handed back for their
  templates (on_page_context). After a page is written, `page.content` of podsite's pages is
  empty (for other plugins: read it earlier).
- on_env: podsite's catalog for the theme override's words (main.html), and player.js' part of it;
  the show's feed URL for every page's <link rel="alternate">.
- on_post_build: index the finished site for search (Pagefind, site/search_index.py), then swap
  the staging folder into place; an indexer failure stops the build with the old site in place.
  Only then does a newly downloaded feed become the last good copy (`build.keep_feed`).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import zlib
from dataclasses import replace
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler
from mkdocs.utils.meta import get_data

from .build import (
    build_from,
    feed_language,
    keep_feed,
    link_problems,
    load_interface,
    load_sources,
)
from .config import PodsiteConfig, material_language, settings_from, theme_html_lang, theme_language
from .errors import PodsiteError, Report, Severity
from .ingest import download
from .site import export, i18n, nav, notes_html, rawhtml, search_index, writer
from .site.render import unpack

log = get_plugin_logger("podsite")
SHOWN_PAGES = 3  # pages named when the same template mistake hits many
MATERIAL_SEARCH = ("search", "material/search")  # the names Material's search plugin goes by
INDENTATION = re.compile(r"\n[ \t]+")


def once_per_build():
    """`podsite_once(key, macro)` for the theme: the macro's output, rendered on the first page
    and reused on the others. For markup that is the same on every page (the player bar, the
    search dialog): rendering its words through gettext on each of 20,000 pages took 4 s. The
    template's indentation is left out (a run of spaces and newlines shows as one space in HTML
    as a newline does): 600 bytes less on every page."""
    done: dict[str, str] = {}

    def once(key: str, macro) -> str:
        if key not in done:
            markup = macro()  # Markup where the theme escapes: kept so
            done[key] = type(markup)(INDENTATION.sub("\n", markup))
        return done[key]
    return once


def feed_link(pages: dict[str, str | bytes]) -> str:
    """The show's feed URL (HTML-escaped) that the generated home page names in its front matter."""
    home = unpack(pages.get("index.md"))
    if not isinstance(home, str):
        return ""
    return str(get_data(home)[1].get("podsite_feed") or "")


class ReportedLinks(logging.Filter):
    """Drops MkDocs' "Doc file 'episodes/x.md' contains a link ..." for links podsite has
    reported already at the show notes' own file and line."""

    def __init__(self) -> None:
        super().__init__()
        self.reported: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Doc file '") and
                    any(message.startswith(said) for said in self.reported))


LINK_FILTER = ReportedLinks()  # one for the process: `mkdocs serve` makes a plugin per rebuild


class PodsitePlugin(BasePlugin[PodsiteConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.pages: dict[str, str | bytes] = {}  # emptied once MkDocs has them (on_files)
        self.ours: frozenset[str] = frozenset()  # the paths of the generated pages
        self.feed_bytes: bytes | None = None  # a downloaded feed this build was made from (build.keep_feed)
        self.blocks: dict[str, list[str]] = {}  # page path -> its raw HTML blocks (rawhtml.py)
        self.held: dict[str, bytes] = {}  # page path -> its HTML, compressed, until its template
        self.nonce = ""
        self.unplaced = 0  # pages whose raw HTML blocks did not all reach the page
        self.final_site_dir: str | None = None
        self.warnings: CountHandler | None = None
        self.feed_link = ""  # the show's feed, from the home page's front matter
        self.early_sources = None  # read in on_config when the feed decides the site's language

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.command = command if not dirty else "dirty"

    @event_priority(100)  # before Material's search plugin reads theme.language
    def on_config(self, config):
        if not self.config.enabled:
            return config
        language = theme_language(config)
        self.settings = settings_from(self.config, config.config_file_path, config.use_directory_urls,
                                      theme_html_lang(language, config.theme.dirs) if language else "",
                                      site_url=config.site_url)
        logging.getLogger("mkdocs.structure.pages").addFilter(LINK_FILTER)  # once: same object
        self._check_layout(config)
        self.early_sources = None
        if not self.settings.language:
            self._follow_feed_language(config)
        if self.config.search and any(name in config.plugins for name in MATERIAL_SEARCH):
            log.warning(f"{os.path.relpath(config.config_file_path)}: Material's search plugin is on "
                        "beside podsite's site search, which replaces it (take '- search' out of "
                        "'plugins:'; or set 'search: false' under podsite to keep Material's)")
        if self.command in ("build", "gh-deploy"):
            self.final_site_dir = config.site_dir
            config.site_dir = writer.staging_dir_for(config.site_dir)
            writer.discard(config.site_dir)
            if config.strict:
                self.warnings = CountHandler()
                self.warnings.setLevel(logging.WARNING)
                logging.getLogger("mkdocs").addHandler(self.warnings)
        return config

    def _follow_feed_language(self, config) -> None:
        """No theme.language in mkdocs.yml: the feed's <language> decides, for podsite's words
        and Material's (its language file that fits: `de-DE` -> `de`); English when neither."""
        try:
            self.early_sources = load_sources(self.settings)
        except PodsiteError as exc:
            raise PluginError("\n".join([f"podsite: {len(exc.problems)} problem(s) stopped the build:",
                                         *(str(p) for p in exc.problems)]))
        tag = i18n.choose_language("", feed_language(self.early_sources, self.settings))
        theme = material_language(tag, config.theme.dirs)
        if theme is not None:
            config.theme["language"] = theme
        self.settings = replace(self.settings,
                                language=theme_html_lang(theme, config.theme.dirs) if theme else tag)

    def _check_layout(self, config) -> None:
        docs = Path(config.docs_dir).resolve()
        for key in ("notes_dir", "virtues_dir", "templates_dir", "worksheet_dir"):
            folder = (self.settings.root / getattr(self.config, key)).resolve()
            if folder == docs or docs in folder.parents:
                raise PluginError(f"{config.config_file_path}: podsite {key} ({getattr(self.config, key)}) "
                                  f"is inside docs_dir ({config.docs_dir}); MkDocs would publish those "
                                  "files as they are (move the folder, or set docs_dir elsewhere)")

    def on_pre_build(self, *, config) -> None:
        if not self.config.enabled:
            return
        self.feed_bytes = None
        try:
            sources, self.early_sources = self.early_sources or load_sources(self.settings), None
            pages, report = build_from(sources, self.settings, packed=True)
        except PodsiteError as exc:
            self._abort(config, [str(p) for p in exc.problems])
        if not report.errors:  # links that lead nowhere, at the notes' own lines (as podsite check)
            found, pairs = link_problems(sources, self.settings, pages, Path(config.docs_dir))
            report.problems.extend(found)
            LINK_FILTER.reported = {f"Doc file '{page}' contains a link '{raw}'"
                                   for page, raw in pairs}
        for problem in report.problems:
            if problem.severity is Severity.INFO:
                log.info(str(problem))
            elif problem.severity is Severity.WARNING:
                log.warning(str(problem))
        if report.errors:
            self._abort(config, [str(p) for p in report.errors])
        if config.strict and report.warnings:
            self._abort(config, [f"{len(report.warnings)} content warning(s) in strict mode "
                                 "(fix them, or build without --strict)"])
        self.pages = pages
        if download.is_url(self.settings.feed):  # only a download becomes the last good copy
            self.feed_bytes = sources.feed_bytes
        self.feed_link = feed_link(pages)

    def _abort(self, config, lines: list[str]):
        self._discard_staging(config)
        where = ""
        if self.final_site_dir:
            shown = os.path.relpath(self.final_site_dir, self.settings.root)
            if shown.startswith(".."):
                shown = self.final_site_dir
            where = f" ({shown}/ was left as it was)"
        count = len(lines)
        head = f"podsite: {count} problem{'s' if count != 1 else ''} stopped the build{where}:"
        raise PluginError("\n".join([head, *lines]))

    def on_env(self, env, *, config, files):
        """The theme override (main.html) writes the player bar's words with `_()`: from
        podsite's catalog of the site's language; player.js reads its words from #podsite-i18n."""
        if not self.config.enabled:
            return env
        interface = load_interface(self.settings, None, Report())
        env.install_gettext_translations(interface.translations, newstyle=True)
        env.globals["podsite_i18n"] = i18n.script_json(interface.js)
        env.globals["podsite_feed"] = self.feed_link  # main.html: <link rel="alternate">, every page
        env.globals["podsite_once"] = once_per_build()
        return env

    def on_files(self, files: Files, *, config) -> Files:
        if not self.config.enabled:
            return files
        for path in export.owned_paths(Path(config.docs_dir)):  # `podsite generate` output:
            if (file := files.get_file_from_path(path)) is not None:  # served fresh below
                files.remove(file)
        clashes = [path for path in self.pages if files.get_file_from_path(path) is not None]
        if clashes:
            self._abort(config, [f"{config.docs_dir}/{p}: clashes with a page the generator makes "
                                 "(rename or delete the hand-written file)" for p in clashes])
        self._leave_out_empty_sections(config, files)
        self.nonce, self.blocks, self.held, self.unplaced = secrets.token_hex(4), {}, {}, 0
        self.ours = frozenset(self.pages)
        for path in list(self.pages):  # MkDocs holds the pages now: 140 MB at 10,000 episodes
            files.append(File.generated(config, path, content=self.pages.pop(path)))
        return files

    @event_priority(100)  # first, so other plugins' on_page_markdown see the page as Markdown will
    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        """Lift the page's raw HTML blocks out of its Markdown (rawhtml.py), one page at a time;
        the file's copy of the text is dropped (MkDocs keeps `page.markdown`)."""
        path = page.file.src_uri
        if path not in self.ours:
            return markdown
        page.file.content_string = ""
        markdown, blocks = rawhtml.lift(markdown, self.nonce)
        if blocks:
            self.blocks[path] = blocks
        return markdown

    def _leave_out_empty_sections(self, config, files: Files) -> None:
        empty = {path for path in nav.OPTIONAL_SECTIONS
                 if path not in self.pages and files.get_file_from_path(path) is None}
        if empty and config.nav:
            shown = os.path.relpath(config.config_file_path)
            config.nav = nav.prune(config.nav, empty, lambda title, path: log.info(
                f"{shown}: nav entry {title!r} left out until the show has {nav.OPTIONAL_SECTIONS[path]}"))

    @event_priority(100)  # first, so other plugins' on_page_content see the finished HTML
    def _put_back_blocks(self, html: str, *, page, config, files) -> str:
        if self.config.enabled and self.settings.notes_html == "sanitize" and page.file.src_uri in self.ours:
            html = notes_html.sanitize_page(html)  # before the blocks: none of them is a note's
        blocks = self.blocks.pop(page.file.src_uri, None)
        if not blocks:
            return html
        html, missing = rawhtml.put_back(html, self.nonce, blocks)
        if missing:
            self.unplaced += 1
            if self.unplaced <= SHOWN_PAGES:  # a template mistake repeats on every page: show a few
                log.warning(f"{page.file.src_uri}: {missing} raw HTML block(s) from the templates did "
                            "not reach the page (in the template, keep each `html_block` filter's "
                            "output on lines of its own with a blank line before and after)")
        return html

    @event_priority(-100)  # last, when every plugin has seen it
    def _hold_packed(self, html: str, *, page, config, files) -> str:
        """MkDocs renders every page's Markdown before it writes the first page. Between the two,
        podsite's pages wait compressed (at 10,000 episodes, 300 MB of text held as 40 MB)."""
        path = page.file.src_uri
        if path not in self.ours:
            return html
        self.held[path] = zlib.compress(html.encode("utf-8"), 1)
        page.markdown = ""  # rendered; "", not None: MkDocs reads None as "not read yet"
        return ""

    on_page_content = CombinedEvent(_put_back_blocks, _hold_packed)

    @event_priority(100)  # first: the page's template and other plugins see its HTML
    def on_page_context(self, context, *, page, config, nav):
        packed = self.held.pop(page.file.src_uri, None)
        if packed is not None:
            page.content = zlib.decompress(packed).decode("utf-8")
        return context

    @event_priority(-100)  # last: the page is written next, and its HTML is not needed again
    def on_post_page(self, output: str, *, page, config) -> str:
        if page.file.src_uri in self.ours:
            page.content = ""
        return output

    def on_post_build(self, *, config) -> None:
        if self.unplaced > SHOWN_PAGES:
            log.warning(f"... and {self.unplaced - SHOWN_PAGES} more page(s) with raw HTML blocks that "
                        "did not reach the page")
        if not self.config.enabled:
            return
        if self.final_site_dir is None:  # mkdocs serve: its own folder, no swap
            self._index(config, config.site_dir, config.site_dir)
            self._keep_feed()
            return
        staging, final = config.site_dir, self.final_site_dir
        if self.warnings is not None and self.warnings.get_counts():
            config.site_dir = final
            writer.discard(staging)  # MkDocs aborts a strict build next: keep the old site
            return
        self._index(config, staging, final)  # while config.site_dir is the staging folder: a failure drops it
        config.site_dir = final  # gh-deploy publishes config.site_dir after the build
        writer.swap_in(staging, final)
        self._keep_feed()
        log.info(f"site written to {os.path.relpath(final)}/")

    def _index(self, config, site_dir: str, shown: str) -> None:
        """The search index of the finished site; on failure the staged site is dropped."""
        if not self.config.search:
            return
        shown = os.path.relpath(shown)
        cache = self.settings.root / self.settings.cache_dir / "search" if self.settings.cache_dir else None
        try:
            previous = None  # the index of the site this build replaces (a build, not serve)
            if self.final_site_dir and Path(self.final_site_dir) != Path(site_dir):
                previous = Path(self.final_site_dir) / search_index.INDEX_DIR
            stats = search_index.write_search_index(Path(site_dir), shown + "/", cache, previous)
        except PodsiteError as exc:
            self._abort(config, [str(p) for p in exc.problems])
        if stats.whole_pages:
            log.warning(f"{shown}/: no page is marked data-pagefind-body, so "
                        "search indexed every page whole, 404 and redirects included (the theme "
                        "override templates/theme/main.html marks each page's content)")
        log.info(str(stats))

    def _keep_feed(self) -> None:
        if self.config.enabled and self.feed_bytes is not None:
            keep_feed(self.settings, self.feed_bytes)

    def on_build_error(self, *, error: Exception) -> None:
        if self.final_site_dir is not None:
            writer.discard(writer.staging_dir_for(self.final_site_dir))

    def _discard_staging(self, config) -> None:
        if self.final_site_dir is not None:
            writer.discard(config.site_dir)

    def on_shutdown(self) -> None:
        logging.getLogger("mkdocs.structure.pages").removeFilter(LINK_FILTER)
        if self.warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self.warnings)
