"""`podsite generate`: the generated site as plain files, for builders that run no MkDocs plugins.

Zensical reads `mkdocs.yml` but ignores third-party plugins, so it never sees the pages the podsite
plugin hands to MkDocs. This command writes the same `{path: text or bytes}` that `build.generate`
returns into a folder (by default the project's `docs_dir`, so every page sits at the path the
plugin serves it from and every relative link between pages still resolves), under the manifest
rules of `site/export.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..build import Settings, build_from, keep_feed, load_sources
from ..errors import PodsiteError, Problem, Report, Severity
from ..model import Origin
from ..site import nav, rawhtml
from ..site.export import MANIFEST, ExportResult, export_pages, owned_paths
from ..sources.files import display_path

__all__ = ["MANIFEST", "ExportResult", "Outcome", "export_pages", "export_site"]


@dataclass(frozen=True)
class Outcome:
    problems: tuple[Problem, ...]  # everything the run has to say, errors and warnings
    result: ExportResult | None  # None: nothing was written


def export_site(settings: Settings, out: Path, strict: bool = False, docs: Path | None = None,
                site_nav: list | None = None, config_file: str = "mkdocs.yml") -> Outcome:
    """Generate the site and write it into `out`; writes nothing when anything is wrong.
    `site_nav` (mkdocs.yml's nav) is checked for entries that would point at nothing."""
    shown = display_path(out, settings.root)
    layout = _check_layout(settings, out, shown)
    if layout:
        return Outcome(tuple(layout), None)
    if settings.notes_html == "sanitize":
        return Outcome((Problem(Severity.ERROR, Origin(config_file), (
            "notes_html: sanitize works in MkDocs builds only: podsite generate hands the notes' "
            "Markdown to another builder, which podsite cannot sanitise (build with mkdocs, or set "
            "notes_html: trusted)")),), None)
    try:
        sources = load_sources(settings)
        pages, report = build_from(sources, settings)
    except PodsiteError as exc:
        return Outcome(tuple(exc.problems), None)
    problems = list(report.problems)
    if report.errors:
        return Outcome(tuple(problems), None)
    hand_written = [p for _, p in nav.entries(site_nav, nav.OPTIONAL_SECTIONS)
                    if docs and (docs / p).is_file() and p not in owned_paths(docs)]
    for title, path in nav.entries(site_nav, nav.OPTIONAL_SECTIONS):
        if path not in pages and path not in hand_written:
            problems.append(Problem(Severity.WARNING, Origin(config_file), (
                f"nav entry {title!r} points at {path}, which podsite writes once the show has "
                f"{nav.OPTIONAL_SECTIONS[path]}; other builders would show a broken link (take the "
                "entry out of the nav until then)")))
    warnings = sum(p.severity is Severity.WARNING for p in problems)
    if strict and warnings:
        problems.append(Problem(Severity.ERROR, Origin(shown), f"{warnings} warning(s) in "
                                "strict mode; nothing was written (fix them, or leave out --strict)"))
        return Outcome(tuple(problems), None)
    pages = {path: rawhtml.inline(text) if isinstance(text, str) else text
             for path, text in pages.items()}
    plan_report = Report()
    result = export_pages(pages, out, shown, plan_report)
    if result is not None and not plan_report.errors:
        keep_feed(settings, sources.feed_bytes)  # a download becomes the last good copy once written out
    return Outcome(tuple(problems + plan_report.problems), result)


def _check_layout(settings: Settings, out: Path, shown: str) -> list[Problem]:
    """Generated files inside a source folder would be read back as sources."""
    target = out.resolve()
    problems = []
    for key in ("notes_dir", "virtues_dir", "worksheet_dir", "templates_dir"):
        folder = (settings.root / getattr(settings, key)).resolve()
        if target == folder or folder in target.parents or target in folder.parents:
            problems.append(Problem(Severity.ERROR, Origin(shown), f"output folder overlaps {key} "
                                    f"({getattr(settings, key)}); generated pages would mix with "
                                    "sources (choose another --out)"))
    if out.exists() and not out.is_dir():
        problems.append(Problem(Severity.ERROR, Origin(shown), "output folder is a file "
                                "(choose another --out)"))
    return problems
