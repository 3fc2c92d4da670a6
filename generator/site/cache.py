"""The whole generated site, cached under `.cache/podsite/`: a rebuild with nothing changed skips
parse, merge and render. Keyed by the sources as read, the settings, the templates and the code
(every file of the generator package, and the versions of the libraries that shape the output).
A missing, stale or corrupt entry is a miss, never an error; builds with errors are not stored.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from ..errors import Problem, Report
from ..ingest.cache import PARSER_VERSION, write_entry

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


def site_key(sources, settings, templates_dir: Path) -> str | None:
    """Everything the generated pages depend on: the sources as read, the settings, every file
    in the templates folder and the code; None when they cannot be read (then: no cache)."""
    digest = hashlib.sha256(CODE_VERSION.encode())
    try:
        digest.update(pickle.dumps((sources, settings), protocol=pickle.HIGHEST_PROTOCOL))
        for path in sorted(templates_dir.rglob("*")):
            if path.is_file():
                digest.update(f"\0{path.relative_to(templates_dir).as_posix()}\0".encode())
                digest.update(path.read_bytes())
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        return None
    return digest.hexdigest()


@dataclass(frozen=True)
class SiteEntry:
    key: str
    pages: dict
    problems: tuple[Problem, ...]


def build_site_cached(sources, settings, build, cache_dir: Path | None, templates_dir: Path):
    """`build(sources, settings)` -> (pages, report), served from `cache_dir` when nothing it
    depends on changed since the last successful build. Builds with errors are not stored."""
    key = site_key(sources, settings, templates_dir) if cache_dir is not None else None
    if key is None:
        return build(sources, settings)
    path = cache_dir / SITE_ENTRY
    try:
        with open(path, "rb") as handle:
            entry = pickle.load(handle)
        if isinstance(entry, SiteEntry) and entry.key == key and isinstance(entry.pages, dict):
            return dict(entry.pages), Report(list(entry.problems))
    except Exception:  # missing, truncated, garbage: a miss
        pass
    pages, report = build(sources, settings)
    if not report.errors:
        write_entry(path, SiteEntry(key, pages, tuple(report.problems)))
    return pages, report
