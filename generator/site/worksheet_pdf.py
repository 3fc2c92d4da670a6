"""Worksheet -> fillable, tagged PDF bytes (WeasyPrint), once per worksheet and paper size, cached.

    worksheet + templates/worksheet.html.j2 -> HTML (pure) -> WeasyPrint -> PDF bytes

- Fillable: every input of the HTML becomes a PDF form field (`pdf_forms`, given at layout time).
- Tagged PDF/UA-1, with the title (`<title>`) and language (`<html lang>`) set.
- Fonts: only the Lato files bundled in `generator/fonts/` (form fields embed their font whole).
- Deterministic: WeasyPrint writes no dates unless asked, and the PDF identifier is derived from the
  input, so the same input gives the same bytes (`SOURCE_DATE_EPOCH` is not needed, nor read).
- Cached: rendering takes ~0.4 s, so a PDF is kept in the cache folder under a hash of everything
  that shapes it (the HTML, which holds the data and template output; the font files; WeasyPrint's
  version; the expected page count) and reused while that hash is unchanged.

WeasyPrint needs Pango from the system; `load_weasyprint` turns its absence into a message that says
what to install and how to build without PDFs. A build with `worksheet_pdf: false` never imports it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from ..model import Podcast, Virtue
from ..sources.worksheets import Worksheet
from .i18n import ENGLISH, Interface, install

FONTS_DIR = Path(__file__).parent.parent / "fonts"
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"
CACHE_FORMAT = "1"  # bump to invalidate every cached PDF after changing how they are made


@dataclass(frozen=True)
class Paper:
    id: str  # in the file name: alliances-a4.pdf
    css: str  # CSS `@page { size }`
    name: str  # shown to people
    width: int  # points, as PDF readers report the page size
    height: int


PAPERS = (Paper("a4", "A4", "A4", 595, 842), Paper("letter", "letter", "US Letter", 612, 792))


class PdfUnavailable(Exception):
    """WeasyPrint (or the Pango library under it) cannot be loaded."""


def load_weasyprint():
    """Import WeasyPrint, or raise PdfUnavailable with what to do about it."""
    try:
        # WeasyPrint prints its own notice to stdout before failing; ours below says what to do.
        with contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
            from weasyprint.text.fonts import FontConfiguration
    except (OSError, ImportError) as exc:  # OSError: cffi could not dlopen Pango
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PdfUnavailable(
            f"cannot make worksheet PDFs: WeasyPrint could not load ({first_line}) "
            f"(install the system packages it needs: apt-get install {SYSTEM_PACKAGES}; "
            "or turn the PDFs off with 'worksheet_pdf: false' under the podsite plugin in mkdocs.yml)"
        ) from exc
    return weasyprint, FontConfiguration


def paper_path(worksheet: Worksheet, paper: Paper) -> str:
    return f"worksheets/{worksheet.virtue}-{paper.id}.pdf"


def make_html_environment(templates_dir: Path, interface: Interface = ENGLISH) -> jinja2.Environment:
    """HTML out, so autoescape is on (the Markdown environment in render.py escapes by filter).
    The interface words, `lang` and `direction` (set on <html>: the PDF's /Lang and its reading
    order) are the site's."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates_dir)),
                             autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True,
                             extensions=["jinja2.ext.i18n", "jinja2.ext.do"])
    install(env, interface)
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string, safe inside <style>: HTML escaping does not apply there
    (a `"` would show as `&#34;`), so quotes, backslashes, `<` and line breaks are CSS-escaped."""
    escaped = "".join(f"\\{ord(ch):x} " if ch in '"\\<>\n\r\f' else ch for ch in str(text))
    return Markup(f'"{escaped}"')


def render_worksheet_html(env: jinja2.Environment, worksheet: Worksheet, virtue: Virtue,
                          podcast: Podcast, paper: Paper) -> str:
    return env.get_template("worksheet.html.j2").render(
        worksheet=worksheet, virtue=virtue, podcast=podcast, paper=paper.css, paper_name=paper.name)


@lru_cache(maxsize=1)
def _fonts_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(FONTS_DIR.glob("*.ttf")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def cache_key(html: str, pages: int, weasyprint_version: str) -> str:
    parts = (CACHE_FORMAT, weasyprint_version, _fonts_digest(), str(pages), html)
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int
    from_cache: bool
    key: str  # the cache entry's name, without `.pdf`


def render_pdf(html: str, expected_pages: int, cache_dir: Path | None) -> Rendered:
    """PDF bytes for one worksheet on one paper size, from the cache when the input is unchanged.

    Only PDFs with the expected page count are cached, so a cache hit needs no second check.
    """
    weasyprint, FontConfiguration = load_weasyprint()
    key = cache_key(html, expected_pages, weasyprint.__version__)
    cached = cache_dir / f"{key}.pdf" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        return Rendered(cached.read_bytes(), expected_pages, True, key)
    fonts = FontConfiguration()
    document = weasyprint.HTML(string=html, base_url=str(FONTS_DIR) + os.sep).render(
        font_config=fonts, pdf_forms=True, pdf_variant="pdf/ua-1")
    data = document.write_pdf(pdf_forms=True, pdf_variant="pdf/ua-1",
                              pdf_identifier=key[:32].encode("ascii"))
    pages = len(document.pages)
    if cached is not None and pages == expected_pages:
        _write_atomically(cached, data)
    return Rendered(data, pages, False, key)


def prune_cache(cache_dir: Path, keep: set[str]) -> None:
    """Delete cached PDFs that this build did not use (earlier versions of a worksheet)."""
    try:
        for path in cache_dir.glob("*.pdf"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)
    except OSError:
        pass


def _write_atomically(path: Path, data: bytes) -> None:
    """Best effort: a cache that cannot be written only costs time on the next build."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".tmp-", delete=False) as tmp:
            tmp.write(data)
        os.replace(tmp.name, path)
    except OSError:
        pass
