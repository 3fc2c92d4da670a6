"""The worksheet PDFs, read back with pypdf: pages, paper, form fields, text, metadata, cache."""

from __future__ import annotations

import io
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import edit, mkdocs
from pypdf import PdfReader

from generator.build import Settings, build_site, load_sources
from generator.errors import Report
from generator.site.worksheet_pdf import (
    PAPERS,
    make_html_environment,
    render_pdf,
    render_worksheet_html,
)
from generator.sources.worksheets import parse_worksheet

ROOT = Path(__file__).resolve().parent.parent
SHEETS = sorted(p.stem for p in (ROOT / "content/worksheets").glob("*.yml"))


def sheet(virtue: str):
    path = f"content/worksheets/{virtue}.yml"
    return parse_worksheet((ROOT / path).read_text(encoding="utf-8"), path, Report())


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict[str, str | bytes]:
    cache = tmp_path_factory.mktemp("cache")
    pages, report = build_site(load_sources(Settings(root=ROOT, feed="content/feed.xml")),
                               Settings(root=ROOT, feed="content/feed.xml", cache_dir=str(cache)))
    assert not report.errors
    return pages


def read(sample, virtue: str, paper: str) -> PdfReader:
    return PdfReader(io.BytesIO(sample[f"worksheets/{virtue}-{paper}.pdf"]))


def words(text: str) -> str:
    return " ".join(text.split())


def test_every_worksheet_has_a_page_and_two_pdfs(sample):
    assert SHEETS == ["alliances", "courage", "curiosity", "resilience"]
    made = sorted(p for p in sample if p.startswith("worksheets/"))
    assert made == sorted(f"worksheets/{v}{end}" for v in SHEETS for end in (".md", "-a4.pdf", "-letter.pdf"))


@pytest.mark.parametrize("virtue", SHEETS)
@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.id)
def test_page_count_and_paper_size(sample, virtue, paper):
    pdf = read(sample, virtue, paper.id)
    assert len(pdf.pages) == sheet(virtue).pages
    for page in pdf.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (paper.width, paper.height)


def test_the_alliances_audit_is_two_pages_on_both_papers(sample):
    assert [len(read(sample, "alliances", p.id).pages) for p in PAPERS] == [2, 2]


@pytest.mark.parametrize("virtue", SHEETS)
def test_every_input_is_a_named_labelled_form_field(sample, virtue):
    expected = {i.name: i for i in sheet(virtue).inputs()}
    for paper in PAPERS:
        fields = read(sample, virtue, paper.id).get_fields()
        assert sorted(fields) == sorted(expected)
        for name, f in fields.items():
            want = expected[name]
            assert f["/FT"] == ("/Btn" if want.kind == "checkbox" else "/Tx"), name
            multiline = bool(int(f.get("/Ff", 0)) & (1 << 12))
            assert multiline == (want.kind == "textarea"), name
            assert f["/TU"] == want.label  # the name a screen reader announces


def test_the_alliances_audit_has_the_fields_the_issue_asks_for(sample):
    fields = read(sample, "alliances", "a4").get_fields()
    for pack in ("support-pack", "wild-pack", "caring-pack", "inner-board"):
        for column in ("name", "what-they-bring", "last-contact"):
            assert f"{pack}--people--1--{column}" in fields
        assert fields[f"{pack}--thin"]["/FT"] == "/Btn"
    for column in ("coffee", "huddle", "walk-and-talk"):
        assert fields[f"check-ins--plan--1--{column}"]["/FT"] == "/Btn"
    assert fields["check-ins--plan--1--how-often"]["/FT"] == "/Tx"
    assert fields["gaps--notes"]["/FT"] == "/Tx"
    assert "gratitude--people--1--how-i-will-thank-them" in fields
    assert "introductions--people--1--should-meet" in fields


@pytest.mark.parametrize("virtue", SHEETS)
@pytest.mark.parametrize("paper", PAPERS, ids=lambda p: p.id)
def test_the_text_of_every_section_is_in_the_pdf(sample, virtue, paper):
    text = words(" ".join(page.extract_text() for page in read(sample, virtue, paper.id).pages))
    ws = sheet(virtue)
    expected = [ws.title, *ws.introduction]
    for section in ws.sections:
        expected += [section.title, *section.prompt]
        for f in section.fields:
            expected.append(f.label)
            expected += [c.label for c in f.columns]
    missing = [e for e in expected if words(e) not in text]
    assert missing == []


def test_pdfs_are_tagged_titled_and_use_only_the_bundled_font(sample):
    for virtue in SHEETS:
        for paper in PAPERS:
            pdf = read(sample, virtue, paper.id)
            root = pdf.trailer["/Root"]
            assert pdf.metadata.title == f"{sheet(virtue).title} - Small Brave Steps"
            # No dates, so no SOURCE_DATE_EPOCH is needed for the same bytes from the same input.
            assert "/CreationDate" not in pdf.metadata and "/ModDate" not in pdf.metadata
            assert root["/Lang"] == "en"
            assert bool(root["/MarkInfo"]["/Marked"])
            assert "/StructTreeRoot" in root
            xmp = root["/Metadata"].get_object().get_data().decode()
            assert re.search(r'pdfuaid:part(="|>)1', xmp), xmp
            fonts = set()
            whole = (ROOT / "generator/fonts/Lato-Regular.ttf").stat().st_size
            for page in pdf.pages:
                for font in page["/Resources"]["/Font"].values():
                    font = font.get_object()
                    descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
                    assert "/FontFile2" in descendant["/FontDescriptor"]  # embedded, not left to the reader
                    fonts.add(name := str(font["/BaseFont"]).split("+")[-1])
                    if name == "Worksheet-Sans":  # the form fields' font is embedded whole, not subset
                        assert len(descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()) == whole
            assert fonts == {"Worksheet-Sans", "Worksheet-Sans-Bold"}  # the @font-face names of the bundled Lato


def test_same_input_gives_the_same_bytes_without_any_cache(sample):
    ws = sheet("courage")
    html = render_worksheet_html(make_html_environment(ROOT / "templates"), ws, _virtue("courage"),
                                 _podcast(), PAPERS[0])
    first, second = render_pdf(html, ws.pages, None), render_pdf(html, ws.pages, None)
    assert not first.from_cache and not second.from_cache
    assert first.data == second.data == sample["worksheets/courage-a4.pdf"]


def _virtue(virtue_id):
    from generator.model import Virtue
    return Virtue(virtue_id, virtue_id.title(), "", "")


def _podcast():
    from generator.model import Podcast
    return Podcast("Small Brave Steps", language="en")


def test_a_second_build_takes_the_pdfs_from_the_cache(tmp_path):
    settings = Settings(root=ROOT, feed="content/feed.xml", cache_dir=str(tmp_path))
    sources = load_sources(settings)
    first, _ = build_site(sources, settings)
    cached = sorted((tmp_path / "worksheets").glob("*.pdf"))
    assert len(cached) == 2 * len(SHEETS)
    for path in cached:  # mark every cached PDF: a build that renders again would not carry the mark
        path.write_bytes(path.read_bytes() + b"%from-the-cache\n")
    second, _ = build_site(sources, settings)
    pdfs = [p for p in second if p.endswith(".pdf")]
    assert all(second[p] == first[p] + b"%from-the-cache\n" for p in pdfs)

    # Changing one worksheet renders only its two PDFs again.
    changed = tuple((path, text.replace("title: Setback review", "title: Setback look-back"))
                    for path, text in sources.worksheets)
    third, _ = build_site(replace(sources, worksheets=changed), settings)
    fresh = sorted(p for p in pdfs if not third[p].endswith(b"%from-the-cache\n"))
    assert fresh == ["worksheets/resilience-a4.pdf", "worksheets/resilience-letter.pdf"]
    # The cache keeps what the last build used: the old resilience PDFs are gone, the new ones kept.
    kept = sorted((tmp_path / "worksheets").glob("*.pdf"))
    assert len(kept) == 2 * len(SHEETS)
    assert sorted(p.read_bytes() for p in kept) == sorted(third[p] for p in pdfs)


def test_a_worksheet_longer_than_its_pages_is_an_error(tmp_path):
    settings = Settings(root=ROOT, feed="content/feed.xml", cache_dir=str(tmp_path))
    sources = load_sources(settings)
    squeezed = tuple((path, text.replace("pages: 2", "pages: 1")) for path, text in sources.worksheets)
    pages, report = build_site(replace(sources, worksheets=squeezed), settings)
    assert [str(p) for p in report.errors] == [
        "content/worksheets/alliances.yml:9: the A4 PDF has 2 pages, not 1 (shorten the worksheet, or set pages: 2)",
        "content/worksheets/alliances.yml:9: the US Letter PDF has 2 pages, not 1 (shorten the worksheet, "
        "or set pages: 2)",
    ]
    assert pages == {}
    assert list((tmp_path / "worksheets").glob("*alliances*")) == []  # a wrong PDF is never cached


FAKE_WEASYPRINT = '''raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file")\n'''


def test_without_pango_the_build_says_what_to_install_and_how_to_turn_pdfs_off(project, tmp_path):
    fake = tmp_path / "no-pango" / "weasyprint"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(FAKE_WEASYPRINT)
    result = mkdocs(project, "build", env={"PYTHONPATH": os.pathsep.join(filter(None, [str(fake.parent), os.environ.get("PYTHONPATH")]))})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ("content/worksheets/alliances.yml: cannot make worksheet PDFs: WeasyPrint could not load "
            "(cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open shared object file) "
            "(install the system packages it needs: apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
            "libharfbuzz-subset0; or turn the PDFs off with 'worksheet_pdf: false' under the podsite "
            "plugin in mkdocs.yml)") in result.stderr
    assert not (project / "site").exists()

    # With PDFs turned off, the same machine builds the site (and never imports WeasyPrint).
    edit(project / "mkdocs.yml", "      home_latest: 5\n", "      home_latest: 5\n      worksheet_pdf: false\n")
    result = mkdocs(project, "build", "--strict", env={"PYTHONPATH": os.pathsep.join(filter(None, [str(fake.parent), os.environ.get("PYTHONPATH")]))})
    assert result.returncode == 0, result.stderr
    assert (project / "site/worksheets/alliances/index.html").exists()
    assert not list((project / "site/worksheets").glob("*.pdf"))


def test_the_pdfs_html_escapes_worksheet_text():
    ws = replace(sheet("courage"), title="Brave <b>step</b> & co")
    html = render_worksheet_html(make_html_environment(ROOT / "templates"), ws, _virtue("courage"),
                                 _podcast(), PAPERS[0])
    assert "<h1>Brave &lt;b&gt;step&lt;/b&gt; &amp; co</h1>" in html
    assert "<b>step" not in html


def test_the_page_footer_shows_a_feed_title_with_quotes_and_markup_as_text(tmp_path):
    from generator.model import Podcast

    podcast = Podcast('Say "hi" </style><i>now</i> \\o/', language="en")
    ws = sheet("courage")
    html = render_worksheet_html(make_html_environment(ROOT / "templates"), ws, _virtue("courage"),
                                 podcast, PAPERS[0])
    assert "</style><i>" not in html.split("<body")[0].split("<style>", 1)[1].split("</style>")[0]
    pdf = PdfReader(io.BytesIO(render_pdf(html, ws.pages, None).data))
    footer = words(pdf.pages[0].extract_text())
    assert 'Say "hi" </style><i>now</i> \\o/ · ' + ws.title in footer
