"""Catalog -> `{relative path: Markdown text}`. Pure: templates in, strings out; nothing is written.

Feed text reaches pages through three filters, one per context, so no template can forget:
`md` (inline Markdown text: HTML- and Markdown-escaped), `attr` (an HTML attribute value) and
`meta` (a front-matter value: HTML-escaped, because MkDocs themes print `page.meta` unescaped,
then quoted as a YAML string). Feed HTML is sanitised in `feed.py` before it gets here.
"""

from __future__ import annotations

import html
import json
import math
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import nh3

from ..model import Catalog, Episode, Trailer, Virtue
from . import i18n, notes_html, rawhtml

# Characters that start inline Markdown anywhere (all in Python-Markdown's ESCAPED_CHARS, plus '|'),
# and the block markers that only matter at the start of a line.
_MD_INLINE = re.compile(r"([\\`*_{}\[\]()!|])")
_MD_BLOCK_START = re.compile(r"^([#>+=-]|\d+(?=[.)]))")


def md_text(value) -> str:
    """Plain text made safe inside Markdown: rendered exactly as written, never as markup."""
    text = html.escape(" ".join(str(value).split()), quote=False)
    text = _MD_INLINE.sub(r"\\\1", text)
    match = _MD_BLOCK_START.match(text)
    if match and match.group(1)[0].isdigit():
        end = match.end()
        return text[:end] + "\\" + text[end:]
    return "\\" + text if match else text


def attr(value) -> str:
    return html.escape(str(value), quote=True)


def meta(value) -> str:
    return json.dumps(html.escape(" ".join(str(value).split()), quote=True), ensure_ascii=False)


SUMMARY_SOURCE = 1536  # HTML characters read for a summary before falling back to all of it


def plain_summary(description_html: str, limit: int = 200) -> str:
    text = _plain_text(description_html[:SUMMARY_SOURCE])
    # A cut tag or entity can only spoil the last word of the prefix's text; with enough text
    # before it, the first `limit` characters are those of the whole description.
    if len(description_html) > SUMMARY_SOURCE and len(text) <= limit + 64:
        text = _plain_text(description_html)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _plain_text(fragment: str) -> str:
    return " ".join(html.unescape(nh3.clean(fragment, tags=set())).split())


def long_date(value) -> str:
    """`6 May 2026`, the day as the host published it (`value` keeps the feed's own UTC offset,
    ingest/dates.py): for the maintainer's command line (`podsite new`); pages use i18n.long_date."""
    return f"{value.day} {value:%B %Y}" if value else ""


def time_tag(value, interface: i18n.Interface = i18n.ENGLISH) -> str:
    """`<time>` with the host's day for the listener, in the site's language, and the exact instant
    (with its offset) for machines; "" without a date."""
    if not value:
        return ""
    return f'<time datetime="{attr(value.isoformat())}">{attr(i18n.long_date(value, interface))}</time>'


class PathError(ValueError):
    pass


class Utf8(bytes):
    """A generated text page kept as its UTF-8 bytes (`pack`): Python keeps a str that is not
    all ASCII or Latin-1 at 2 or 4 bytes a character, so a large show's pages take about half
    the memory as UTF-8 (MkDocs decodes each page when it reads it)."""


def pack(content: str | bytes) -> str | bytes:
    return Utf8(content.encode("utf-8")) if isinstance(content, str) else content


def unpack(content: str | bytes) -> str | bytes:
    """A page's text as str (a binary file's bytes stay as they are)."""
    return content.decode("utf-8") if isinstance(content, Utf8) else content


class SiteFiles:
    """The generated site as data: `{relative path: text or bytes}`; with `packed`, each text
    page is stored as Utf8 as soon as it is rendered.

    Refuses a path twice (so slug collisions are errors, not silent overwrites) and any path that
    is not a plain relative path inside the site.
    """

    def __init__(self, packed: bool = False) -> None:
        self._files: dict[str, str | bytes] = {}
        self.packed = packed

    def add(self, path: str, content: str | bytes) -> None:
        normal = posixpath.normpath(path)
        if (normal != path or path.startswith("/") or normal.startswith("..")
                or "\\" in path or path.endswith("/") or ":" in path):
            raise PathError(f"refusing generated path {path!r}: not a plain relative path")
        if path in self._files:
            raise PathError(f"two generated files want the same path {path!r}")
        self._files[path] = pack(content) if self.packed else unpack(content)

    def as_dict(self) -> dict[str, str | bytes]:
        return dict(sorted(self._files.items()))


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list; `url_of(n)` gives the path of page n."""

    number: int
    count: int
    items: tuple
    first_path: str
    page_dir: str

    def path_of(self, number: int) -> str:
        return self.first_path if number == 1 else f"{self.page_dir}/page/{number}.md"

    @property
    def path(self) -> str:
        return self.path_of(self.number)


def paginate(items, per_page: int, first_path: str, page_dir: str) -> list[Pager]:
    count = max(1, math.ceil(len(items) / per_page))
    return [Pager(n, count, tuple(items[(n - 1) * per_page : n * per_page]), first_path, page_dir)
            for n in range(1, count + 1)]


@dataclass(frozen=True)
class RenderOptions:
    episodes_per_page: int = 20
    home_latest: int = 5
    directory_urls: bool = True
    sanitize_notes: bool = False  # mark notes for notes_html.sanitize_page
    packed: bool = False  # text pages as Utf8 (SiteFiles)


def episode_path(episode: Episode) -> str:
    return f"episodes/{episode.slug}.md"


def virtue_path(virtue: Virtue) -> str:
    return f"virtues/{virtue.id}.md"


def make_environment(templates_dir: Path, interface: i18n.Interface = i18n.ENGLISH,
                     template_class: type[jinja2.Template] | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # Markdown out; the filters above escape per context
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no need to stat templates per page
        trim_blocks=True,
        lstrip_blocks=True,
        # {{ _("...") }}: interface words come from the site language's catalog (i18n.py)
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
    )
    if template_class is not None:  # before any template is loaded
        env.template_class = template_class
    i18n.install(env, interface)
    env.filters.update(md=md_text, attr=attr, meta=meta, summary=plain_summary,
                       time_tag=lambda value: time_tag(value, interface),
                       html_block=rawhtml.mark)
    env.globals.update(episode_path=episode_path, virtue_path=virtue_path)
    env.globals["link"] = _link
    env.globals["worksheets"] = {}  # virtue id -> worksheet_pages.SheetLinks, set by build_site
    return env


_INLINE_LINK = re.compile(r"(\]\(\s*<?)([^)\s>#]+\.md)(?=[#)\s>])")
_REFERENCE_LINK = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*<?)(\S+?\.md)(?=[#>\s]|$)", re.M)


def rewrite_links(body: str, source: str, here: str, targets: dict[str, str]) -> str:
    """Point links between content files (`007-building-alliances.md`) at the generated pages.

    `source` is the file the body came from, `here` the page it becomes, `targets` maps content
    files to generated pages (all relative to the project root / the site). Other links are kept.
    """
    base = posixpath.dirname(source)

    def replace(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(base, match.group(2)))
        page = targets.get(target)
        if page is None:
            return match.group(0)
        return match.group(1) + posixpath.relpath(page, posixpath.dirname(here) or ".")

    return _REFERENCE_LINK.sub(replace, _INLINE_LINK.sub(replace, body))


@jinja2.pass_context
def _link(context, target: str) -> str:
    """Relative link from the page being rendered (`here`) to another generated page."""
    return relative_path(target, posixpath.dirname(context["here"]))


def relative_path(target: str, start_dir: str) -> str:
    """`posixpath.relpath` for two normalised paths inside the site, without touching the disk."""
    to, start = target.split("/"), start_dir.split("/") if start_dir else []
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


def show_trailer(catalog: Catalog) -> tuple[Episode | None, Trailer | None]:
    """The trailer the home page offers: the newest episode marked `trailer` that has audio, else
    the newest podcast:trailer of the channel that is not for one season only, else the newest."""
    for episode in catalog.episodes:  # newest first
        if episode.feed.episode_type == "trailer" and episode.feed.enclosure:
            return episode, None
    trailers = sorted(catalog.podcast.trailers, key=lambda t: (t.season is None, t.published.timestamp() if t.published else float("-inf")),
                      reverse=True)
    return None, (trailers[0] if trailers else None)


def render_site(catalog: Catalog, env: jinja2.Environment, options: RenderOptions) -> dict[str, str | bytes]:
    site = SiteFiles(options.packed)
    virtues = {v.id: v for v in catalog.virtues}
    targets = {e.note.path: episode_path(e) for e in catalog.episodes if e.note}
    targets.update({v.origin.path: virtue_path(v) for v in catalog.virtues})
    common = {"podcast": catalog.podcast, "virtues": catalog.virtues, "virtue_by_id": virtues}

    @jinja2.pass_context
    def body(context, text: str, source: str) -> str:
        text = rewrite_links(text, source, context["here"], targets)
        return notes_html.mark_notes(text) if options.sanitize_notes else text

    env = env.overlay()
    env.globals["body"] = body

    templates: dict[str, jinja2.Template] = {}

    def render(template: str, path: str, **context) -> None:
        if template not in templates:
            templates[template] = env.get_template(template)
        site.add(path, templates[template].render(here=path, **common, **context))

    trailer_episode, trailer = show_trailer(catalog)
    render("home.md.j2", "index.md", latest=catalog.episodes[: options.home_latest],
           episode_count=len(catalog.episodes), trailer_episode=trailer_episode, trailer=trailer)
    for pager in paginate(catalog.episodes, options.episodes_per_page, "episodes/index.md", "episodes"):
        render("episodes.md.j2", pager.path, pager=pager, episode_count=len(catalog.episodes))
    for episode in catalog.episodes:
        render("episode.md.j2", episode_path(episode), episode=episode)
    for episode in catalog.episodes:
        for old in episode.former_slugs:
            # A former URL (content/urls.yml) redirects to the current one.
            path, target = (f"episodes/{old}/index.html", f"../{episode.slug}/") \
                if options.directory_urls else (f"episodes/{old}.html", f"{episode.slug}.html")
            render("redirect.html.j2", path, episode=episode, target=target)
    render("virtues.md.j2", "virtues/index.md")
    for virtue in catalog.virtues:
        own = catalog.episodes_of(virtue.id)
        for pager in paginate(own, options.episodes_per_page, virtue_path(virtue), f"virtues/{virtue.id}"):
            render("virtue.md.j2", pager.path, virtue=virtue, pager=pager, episode_count=len(own))
    return site.as_dict()
