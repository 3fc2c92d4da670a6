"""The whole generated site, cached under `.cache/podsite/`: a rebuild with nothing changed skips
parse, merge and render. Keyed by the sources as read, the settings, the project's interface
catalogs, the templates and the code (every file of the generator package, and the versions of
the libraries that shape the output). After an edit to templates only, a page is rendered again
only if its template, or one the template imports, includes or extends, changed (at 10,000
episodes, an edit to the home page's template renders one page, not 31,000): a page's text
depends on the data and on its templates, and on nothing a template of another page does.
A missing, stale or corrupt entry is a miss, never an error; builds with errors are not stored.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, replace
from importlib import metadata
from pathlib import Path

import jinja2
from jinja2 import meta

from ..errors import Problem, Report
from ..ingest.cache import PARSER_VERSION, write_atomically
from .render import Utf8, pack

SITE_ENTRY = "site.pickle"


def _code_version() -> str:
    """The generator's own files (code and bundled fonts) and the libraries that shape its output."""
    digest = hashlib.sha256(PARSER_VERSION.encode())
    for dist in ("jinja2", "markdown", "weasyprint", "pydyf"):
        try:
            digest.update(f" {dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f" {dist}=?".encode())
    package = Path(__file__).parent.parent  # the whole generator package
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix != ".pyc"):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


CODE_VERSION = _code_version()


def site_key(sources, settings, locale_dir: Path | None = None) -> str | None:
    """Everything the generated pages depend on but the templates: the sources as read, the
    settings, the project's own interface catalogs and the code; None when they cannot be read
    (then: no cache)."""
    digest = hashlib.sha256(CODE_VERSION.encode())
    try:
        # into the hash as it is written: no copy of the feed's bytes (60 MB at 10,000 episodes)
        pickle.Pickler(_Into(digest), protocol=pickle.HIGHEST_PROTOCOL).dump((sources, settings))
        for name, sha in _hashes(locale_dir).items() if locale_dir else ():
            digest.update(f"\0{name}\0{sha}".encode())
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return None
    return digest.hexdigest()


class _Into:
    """A file-like `write` that feeds a hash."""

    def __init__(self, digest) -> None:
        self.write = digest.update


def _hashes(folder: Path) -> dict[str, str]:
    """Every file under `folder` (its path there) -> a hash of its bytes."""
    if not folder.is_dir():
        return {}
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@dataclass(frozen=True)
class SiteEntry:
    key: str  # site_key
    templates: dict  # template name -> hash of its bytes
    pages: dict
    problems: tuple[Problem, ...]
    made_by: dict  # page path -> the template that rendered it


class Reuse:
    """What a build may take from the last one instead of rendering it: a page whose template
    (with every template it imports, includes or extends) is unchanged, when nothing else it
    depends on changed (site_key). Also records which template renders which page."""

    def __init__(self, pages: dict | None = None, made_by: dict | None = None,
                 changed: frozenset[str] = frozenset()) -> None:
        self.pages, self.made_by, self.changed = pages or {}, made_by or {}, changed
        self.rendered: dict[str, str] = {}
        self._stale: dict[str, bool] = {}

    def page(self, env: jinja2.Environment, template: str, here: str):
        """The last build's text of the page `here` if `template` made it and is unchanged."""
        self.rendered[here] = template
        if self.made_by.get(here) != template or here not in self.pages or self.stale(env, template):
            return None
        return self.pages[here]

    def stale(self, env: jinja2.Environment, name: str) -> bool:
        if name not in self._stale:
            self._stale[name] = self._reaches_a_change(env, name)
        return self._stale[name]

    def _reaches_a_change(self, env: jinja2.Environment, name: str) -> bool:
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            if current in self.changed:
                return True
            try:
                source = env.loader.get_source(env, current)[0]
                references = list(meta.find_referenced_templates(env.parse(source)))
            except jinja2.TemplateError:
                return True
            if None in references:  # a template named only when rendering: any may be used
                return bool(self.changed)
            todo += references
        return False


class ReusingTemplate(jinja2.Template):
    """A page template (rendered with `here=`, the page's path) that gives the last build's text
    of the page when `environment.podsite_reuse` (a Reuse) has it."""

    def render(self, *args, **kwargs):
        reuse, here = getattr(self.environment, "podsite_reuse", None), kwargs.get("here")
        if reuse is not None and isinstance(here, str) and self.name:
            text = reuse.page(self.environment, self.name, here)
            if text is not None:
                return text
        return super().render(*args, **kwargs)


def build_site_cached(sources, settings, build, cache_dir: Path | None, templates_dir: Path,
                      locale_dir: Path | None = None, packed: bool = False):
    """`build(sources, settings, reuse)` -> (pages, report), served from `cache_dir` when nothing
    it depends on changed since the last successful build; after an edit to templates only, the
    pages of the other templates are taken from there (`reuse`, a Reuse). Builds with errors are
    not stored."""
    key = site_key(sources, settings, locale_dir) if cache_dir is not None else None
    try:
        templates = _hashes(templates_dir) if key is not None else {}
    except OSError:
        key = None
    if key is None:
        return build(sources, settings, None)
    path = cache_dir / SITE_ENTRY
    reuse = Reuse()
    try:
        entry = read_entry(path, key, packed)
        if entry is not None:
            if entry.templates == templates:
                return entry.pages, Report(list(entry.problems))
            changed = frozenset(name for name in set(templates) | set(entry.templates)
                                if templates.get(name) != entry.templates.get(name))
            reuse = Reuse(entry.pages, entry.made_by, changed)
    except Exception:  # missing, truncated, garbage, an older kind of entry: a miss
        pass
    pages, report = build(sources, settings, reuse)
    if not report.errors:
        write_atomically(path, lambda out: _dump(out, SiteEntry(key, templates, pages, tuple(report.problems),
                                                               reuse.rendered)))
    return pages, report


# An entry is its SiteEntry without the pages, then the number of pages, then each page as
# (path, is it text, its bytes: UTF-8 for text). Pickling a str whole would have Python keep a
# UTF-8 copy inside every page that is not plain ASCII, for the rest of the build (at 10,000
# episodes, 93 MB more at the build's peak).
def _dump(out, entry: SiteEntry) -> None:
    protocol = pickle.HIGHEST_PROTOCOL
    pickle.dump(replace(entry, pages={}), out, protocol=protocol)
    pickle.dump(len(entry.pages), out, protocol=protocol)
    for path, content in entry.pages.items():
        data = pack(content)  # a binary file's bytes as they are
        pickle.dump((path, isinstance(data, Utf8), pickle.PickleBuffer(data)), out, protocol=protocol)


def read_entry(path: Path, key: str, packed: bool = False) -> SiteEntry | None:
    """The entry at `path` if it was written for `key`, else None; raises on a damaged file.
    Text pages as str, or as Utf8 when `packed`."""
    with open(path, "rb") as handle:
        entry = pickle.load(handle)
        if not isinstance(entry, SiteEntry) or entry.key != key:
            return None
        pages = {}
        for _ in range(pickle.load(handle)):
            page, text, data = pickle.load(handle)
            pages[page] = (Utf8(data) if packed else data.decode("utf-8")) if text else data
    return replace(entry, pages=pages)
