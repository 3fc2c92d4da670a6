"""The worksheet page on the site: every input labelled, names shared with the PDF, real build."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import mkdocs
from pypdf import PdfReader

from generator.build import Settings, generate
from generator.errors import Report
from generator.sources.worksheets import parse_worksheet

ROOT = Path(__file__).resolve().parent.parent
SHEETS = sorted(p.stem for p in (ROOT / "content/worksheets").glob("*.yml"))


class FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []
        self.labels: list[str] = []
        self.buttons: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("input", "textarea"):
            self.inputs.append({"tag": tag, **attrs})
        elif tag == "label":
            self.labels.append(attrs.get("for"))
        elif tag == "button":
            self.buttons.append(attrs)


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    found, report = generate(Settings(root=ROOT, feed="content/feed.xml",
                                      cache_dir=str(tmp_path_factory.mktemp("cache"))))
    assert not report.errors
    return found


@pytest.mark.parametrize("virtue", SHEETS)
def test_every_input_has_its_own_label_and_the_pdfs_field_name(pages, virtue):
    path = f"content/worksheets/{virtue}.yml"
    sheet = parse_worksheet((ROOT / path).read_text(encoding="utf-8"), path, Report())
    form = FormReader()
    form.feed(pages[f"worksheets/{virtue}.md"])
    ids = [i["id"] for i in form.inputs]
    assert len(ids) == len(set(ids))
    assert sorted(form.labels) == sorted(ids)  # one <label for> per input, none dangling
    assert [(i["name"], i.get("type", "textarea")) for i in form.inputs] == \
        [(i.name, "text" if i.kind == "text" else i.kind) for i in sheet.inputs()]
    assert {"data-podsite-print", "data-podsite-clear"} <= {k for b in form.buttons for k in b}


def test_mkdocs_build_publishes_the_page_and_both_pdfs(project, pages):
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for paper in ("a4", "letter"):
        data = (site / f"worksheets/alliances-{paper}.pdf").read_bytes()
        assert data == pages[f"worksheets/alliances-{paper}.pdf"]
        assert len(PdfReader(site / f"worksheets/alliances-{paper}.pdf").pages) == 2
    html = (site / "worksheets/alliances/index.html").read_text(encoding="utf-8")
    assert '<a class="md-button" href="../alliances-a4.pdf">A4</a>' in html
    assert '<a class="md-button" href="../alliances-letter.pdf">US Letter</a>' in html
    assert 'localStorage' in html and 'assets/podsite/podsite.css"' in html
    assert "@media print" in (site / "assets/podsite/podsite.css").read_text(encoding="utf-8")
    for page in ("virtues/alliances/index.html", "episodes/auditing-your-alliances/index.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert '<a href="../../worksheets/alliances/">Alliances audit</a>' in text, page
        assert '<a href="../../worksheets/alliances-a4.pdf">PDF, A4</a>' in text, page
