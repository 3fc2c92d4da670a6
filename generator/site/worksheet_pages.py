"""The worksheets' part of a build: parse, check against the virtues, render pages and PDFs.

    content/worksheets/<virtue>.yml -> worksheets/<virtue>.md (fill in on the site)
                                    -> worksheets/<virtue>-a4.pdf, worksheets/<virtue>-letter.pdf

PDFs are made once per worksheet and paper size (never per episode) and come from the cache when
their input is unchanged; a build with `worksheet_pdf: false` never loads WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..errors import Report, shown
from ..model import Catalog, Origin, Virtue
from ..sources.worksheets import Worksheet, parse_worksheet
from .i18n import ENGLISH, Interface


@dataclass(frozen=True)
class PdfLink:
    name: str  # "A4", "US Letter"
    path: str  # in the site


@dataclass(frozen=True)
class SheetLinks:
    """What other pages need to link to a worksheet (templates: `worksheets[virtue.id]`)."""

    title: str
    page: str
    pdfs: tuple[PdfLink, ...]


def page_path(worksheet: Worksheet) -> str:
    return f"worksheets/{worksheet.virtue}.md"


def parse_worksheets(files, virtues: tuple[Virtue, ...] | None, report: Report) -> tuple[Worksheet, ...]:
    """Parse every worksheet file; one whose file name is no virtue id is an error.

    `virtues` is None when the virtues could not be read, so no unknown-virtue noise is added.
    """
    known = sorted(v.id for v in virtues) if virtues is not None else None
    sheets = []
    for path, text in files:
        sheet = parse_worksheet(text, path, report)
        if sheet is None:
            continue
        if known is not None and sheet.virtue not in known:
            report.error(Origin(path), f"no virtue {shown(sheet.virtue)} for this worksheet "
                                       f"(known: {', '.join(known)}); a worksheet file is named "
                                       "after its virtue (rename the file)")
            continue
        sheets.append(sheet)
    return tuple(sorted(sheets, key=lambda s: s.virtue))


def sheet_links(sheets: tuple[Worksheet, ...], with_pdf: bool) -> dict[str, SheetLinks]:
    from .worksheet_pdf import (  # light: worksheet_pdf.py imports WeasyPrint only when rendering
        PAPERS,
        paper_path,
    )

    return {s.virtue: SheetLinks(
        title=s.title, page=page_path(s),
        pdfs=tuple(PdfLink(p.name, paper_path(s, p)) for p in PAPERS) if with_pdf else ())
        for s in sheets}


def render_worksheets(sheets: tuple[Worksheet, ...], catalog: Catalog, env: jinja2.Environment,
                      links: dict[str, SheetLinks], report: Report) -> dict[str, str]:
    """The worksheet pages (Markdown with a raw HTML form), `{path: text}`."""
    virtues = {v.id: v for v in catalog.virtues}
    pages = {}
    for sheet in sheets:
        here = page_path(sheet)
        pages[here] = env.get_template("worksheet.md.j2").render(
            here=here, worksheet=sheet, virtue=virtues[sheet.virtue], sheet=links[sheet.virtue],
            podcast=catalog.podcast, virtues=catalog.virtues, virtue_by_id=virtues)
    return pages


def render_worksheet_pdfs(sheets: tuple[Worksheet, ...], catalog: Catalog, templates_dir: Path,
                          cache_dir: Path | None, report: Report,
                          interface: Interface = ENGLISH) -> dict[str, bytes]:
    """Every worksheet on every paper size; errors (no Pango, wrong page count) go to `report`."""
    from .worksheet_pdf import (
        PAPERS,
        PdfUnavailable,
        make_html_environment,
        paper_path,
        prune_cache,
        render_pdf,
        render_worksheet_html,
    )

    env = make_html_environment(templates_dir, interface)
    virtues = {v.id: v for v in catalog.virtues}
    files: dict[str, bytes] = {}
    used: set[str] = set()
    for sheet in sheets:
        for paper in PAPERS:
            html = render_worksheet_html(env, sheet, virtues[sheet.virtue], catalog.podcast, paper)
            try:
                made = render_pdf(html, sheet.pages, cache_dir)
            except PdfUnavailable as exc:
                report.error(Origin(sheet.origin.path), str(exc))
                return {}
            if made.pages != sheet.pages:
                report.error(Origin(sheet.origin.path, sheet.pages_line),
                             f"the {paper.name} PDF has {made.pages} pages, not {sheet.pages} "
                             f"(shorten the worksheet, or set pages: {made.pages})")
                continue
            files[paper_path(sheet, paper)] = made.data
            used.add(made.key)
    if cache_dir is not None and len(files) == len(sheets) * len(PAPERS):
        prune_cache(cache_dir, used)  # only after a complete build: it knows every PDF it needs
    return files
