"""Worksheet definitions: what a good one becomes, and the exact words for each mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import Settings, build_site
from generator.errors import Report
from generator.sources.files import Sources
from generator.sources.worksheets import Column, parse_worksheet

ROOT = Path(__file__).resolve().parent.parent
PATH = "content/worksheets/courage.yml"

GOOD = """\
title: Brave step
introduction: |
  First paragraph
  on two lines.

  Second.
pages: 1
sections:
  - title: The step
    prompt: What will I do?
    fields:
      - lines: The step I will take
        rows: 2
      - line: When
      - tick: Told someone
        id: told
      - table: People
        columns: [Name, {tick: Asked}]
        rows: 2
"""


def problems(text: str, path: str = PATH) -> list[str]:
    report = Report()
    parse_worksheet(text, path, report)
    return [f"{p.severity.value}: {p}" for p in report.problems]


def test_a_good_worksheet_becomes_records_with_form_names():
    report = Report()
    sheet = parse_worksheet(GOOD, PATH, report)
    assert report.problems == []
    assert sheet.virtue == "courage"
    assert sheet.introduction == ("First paragraph on two lines.", "Second.")
    section = sheet.sections[0]
    assert (section.id, section.title, section.prompt, section.origin.line) == \
        ("the-step", "The step", ("What will I do?",), 9)
    assert [(f.kind, f.id, f.name, f.rows) for f in section.fields] == [
        ("lines", "the-step-i-will-take", "the-step--the-step-i-will-take", 2),
        ("line", "when", "the-step--when", 1),
        ("tick", "told", "the-step--told", 1),
        ("table", "people", "the-step--people", 2),
    ]
    assert section.fields[3].columns == (Column("name", "Name"), Column("asked", "Asked", "tick"))
    assert [(i.name, i.kind, i.label) for i in sheet.inputs()] == [
        ("the-step--the-step-i-will-take", "textarea", "The step I will take"),
        ("the-step--when", "text", "When"),
        ("the-step--told", "checkbox", "Told someone"),
        ("the-step--people--1--name", "text", "People, row 1: Name"),
        ("the-step--people--1--asked", "checkbox", "People, row 1: Asked"),
        ("the-step--people--2--name", "text", "People, row 2: Name"),
        ("the-step--people--2--asked", "checkbox", "People, row 2: Asked"),
    ]


CASES = {
    "yaml syntax": (
        "title: Brave\nsections:\n  - title: [unclosed\n",
        ["error: content/worksheets/courage.yml:3: the file has a '[' on this line that is never "
         "closed (end the list with ']')"]),
    "empty file": (
        "",
        ["error: content/worksheets/courage.yml:1: worksheet file is empty (add a title and sections; "
         "see README, Worksheets)"]),
    "not a mapping": (
        "- title: Brave\n",
        ["error: content/worksheets/courage.yml:1: the worksheet must be 'key: value' lines, not a list"]),
    "no title, no sections": (
        "introduction: Hello\n",
        ["error: content/worksheets/courage.yml:1: the worksheet has no 'title' (add e.g. title: Alliances audit)",
         "error: content/worksheets/courage.yml:1: the worksheet has no 'sections' (add a list of sections, "
         "each with a title and fields)"]),
    "unknown top key": (
        "title: Brave\nintro: Hi\nsections:\n  - title: S\n    fields:\n      - line: L\n",
        ["error: content/worksheets/courage.yml:2: unknown key 'intro' in the worksheet "
         "(known: title, introduction, pages, sections)"]),
    "bad pages": (
        "title: Brave\npages: two\nsections:\n  - title: S\n    fields:\n      - line: L\n",
        ["error: content/worksheets/courage.yml:2: 'pages' of the worksheet must be a whole number from 1 to 20, "
         "not 'two'"]),
    "sections not a list": (
        "title: Brave\nsections: lots\n",
        ["error: content/worksheets/courage.yml:2: 'sections' must be a list of sections, not 'lots' "
         "(start each with '- title: ...')"]),
    "section without title or fields": (
        "title: Brave\nsections:\n  - prompt: Why?\n",
        ["error: content/worksheets/courage.yml:3: section 1 has no 'title' (add e.g. title: Gaps I notice)",
         "error: content/worksheets/courage.yml:3: section 1 has no 'fields' "
         "(add a list such as '- lines: What I notice')"]),
    "misspelt section key": (
        "title: Brave\nsections:\n  - title: S\n    promt: Why?\n    fields:\n      - line: L\n",
        ["error: content/worksheets/courage.yml:4: unknown key 'promt' in section 1 "
         "(known: id, title, prompt, fields)"]),
    "unknown field kind": (
        "title: Brave\nsections:\n  - title: S\n    fields:\n      - box: Notes\n",
        ["error: content/worksheets/courage.yml:5: field 1 of section 1 starts with 'box'; a field starts "
         "with one of line, lines, tick, table (e.g. '- lines: What I notice')"]),
    "field is plain text": (
        "title: Brave\nsections:\n  - title: S\n    fields:\n      - Notes\n",
        ["error: content/worksheets/courage.yml:5: field 1 of section 1 must start with one of line, lines, "
         "tick, table (e.g. '- lines: What I notice'), not 'Notes'"]),
    "rows out of range": (
        "title: Brave\nsections:\n  - title: S\n    fields:\n      - lines: Notes\n        rows: 0\n",
        ["error: content/worksheets/courage.yml:6: 'rows' of field 1 of section 1 must be a whole number "
         "from 1 to 30, not '0'"]),
    "rows on a tick": (
        "title: Brave\nsections:\n  - title: S\n    fields:\n      - tick: Done\n        rows: 2\n",
        ["error: content/worksheets/courage.yml:6: unknown key 'rows' in field 1 of section 1 (tick) "
         "(known: tick, id)"]),
    "table without columns": (
        "title: Brave\nsections:\n  - title: S\n    fields:\n      - table: People\n",
        ["error: content/worksheets/courage.yml:5: field 1 of section 1 is a table with no 'columns' "
         "(add e.g. columns: [Name, What they bring, {tick: Thanked}])"]),
    "bad column": (
        "title: Brave\nsections:\n  - title: S\n    fields:\n      - table: People\n"
        "        columns: [Name, {box: Asked}]\n",
        ["error: content/worksheets/courage.yml:6: column 2 of field 1 of section 1 must be a label or "
         "{tick: Label}, not a mapping"]),
    "two fields with one id": (
        "title: Brave\nsections:\n  - title: S\n    fields:\n      - line: Who\n      - lines: Who\n",
        ["error: content/worksheets/courage.yml:6: field 2 of section 1 has the id 'who' like the one on "
         "line 5 (form fields need unique ids: add a different 'id')"]),
    "bad id": (
        "title: Brave\nsections:\n  - title: S\n    id: My Section\n    fields:\n      - line: Who\n",
        ["error: content/worksheets/courage.yml:4: id of section 1 must be lower-case letters, digits and "
         "single hyphens, not 'My Section' (e.g. id: my-section)"]),
    "empty label": (
        "title: Brave\nsections:\n  - title: S\n    fields:\n      - line:\n",
        ["error: content/worksheets/courage.yml:5: 'line' of field 1 of section 1 must be some text, "
         "not nothing (e.g. line: What I notice)"]),
}


@pytest.mark.parametrize("case", CASES)
def test_a_broken_worksheet_names_file_and_line(case):
    text, expected = CASES[case]
    assert problems(text) == expected


FEED = (ROOT / "content/feed.xml").read_bytes()
VIRTUES = (("content/virtues/courage.md", "---\ntitle: Courage\n---\nBrave.\n"),
           ("content/virtues/resilience.md", "---\ntitle: Resilience\n---\nBend.\n"))


def build(*worksheets):
    sources = Sources(FEED, "content/feed.xml", (), VIRTUES, worksheets)
    return build_site(sources, Settings(root=ROOT, feed="content/feed.xml", worksheet_pdf=False))


def test_a_worksheet_must_be_named_after_a_virtue():
    pages, report = build(("content/worksheets/courge.yml", GOOD))
    assert [str(p) for p in report.errors] == [
        "content/worksheets/courge.yml: no virtue 'courge' for this worksheet (known: courage, resilience); "
        "a worksheet file is named after its virtue (rename the file)"]
    assert pages == {}


def test_every_broken_worksheet_is_reported_in_one_run():
    pages, report = build(("content/worksheets/courage.yml", "title: A\n"),
                          ("content/worksheets/resilience.yml", "sections: []\n"))
    assert [str(p) for p in report.errors] == [
        "content/worksheets/courage.yml:1: the worksheet has no 'sections' (add a list of sections, "
        "each with a title and fields)",
        "content/worksheets/resilience.yml:1: the worksheet has no 'title' (add e.g. title: Alliances audit)",
        "content/worksheets/resilience.yml:1: 'sections' must be a list of sections, not an empty list "
        "(start each with '- title: ...')",
    ]
    assert pages == {}


def test_without_pdfs_the_pages_link_only_the_html_worksheet():
    pages, report = build(("content/worksheets/courage.yml", GOOD))
    assert not report.errors
    assert not any(path.endswith(".pdf") for path in pages)
    assert "**Worksheet:** [Brave step](../worksheets/courage.md) (fill it in here)\n" in pages["virtues/courage.md"]
    assert "Fillable PDF" not in pages["worksheets/courage.md"]
    assert "download it as a fillable PDF" not in pages["worksheets/courage.md"]


def test_worksheet_text_is_shown_as_written_never_as_markup():
    text = GOOD.replace("title: Brave step", 'title: "Brave <b>step</b> & *more*"') \
               .replace("- line: When", '- line: "When? <script>alert(1)</script>"')
    pages, report = build(("content/worksheets/courage.yml", text))
    assert not report.errors
    page = pages["worksheets/courage.md"]
    assert "<script>alert" not in page and "<b>step" not in page
    assert "When? &lt;script&gt;alert(1)&lt;/script&gt;</label>" in page
    assert "# Brave &lt;b&gt;step&lt;/b&gt; &amp; \\*more\\*\n" in page
