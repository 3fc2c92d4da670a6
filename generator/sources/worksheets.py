"""Worksheet definitions (`content/worksheets/<virtue>.yml`) -> frozen `Worksheet` records. Pure.

A worksheet is data, so a maintainer adds one without touching Python. The file is named after the
virtue it belongs to (`alliances.yml` -> the `alliances` virtue) and holds:

| key            | meaning                                                                  |
|----------------|--------------------------------------------------------------------------|
| `title`        | the worksheet's title (required)                                         |
| `introduction` | a few sentences under the title; blank lines start new paragraphs        |
| `pages`        | how many pages the PDF has, on A4 and on US Letter (default 1); checked  |
| `sections`     | a list of sections (required)                                            |

A section has a `title` (required), an optional `prompt` and a list of `fields`. Each field is one
of these, named by its first key, whose value is the field's label:

| field                                            | what the listener gets                     |
|--------------------------------------------------|--------------------------------------------|
| `line: Label`                                    | one line of text                           |
| `lines: Label` + `rows: 4` (default 3)           | a box for a few lines of writing           |
| `tick: Label`                                    | a tick box                                 |
| `table: Label` + `columns: [...]` + `rows: 3`    | a table; a column is a label (text) or     |
|                                                  | `{tick: Label}` (a tick box in each row)   |

Sections and fields may set `id` (lower-case letters, digits, hyphens); otherwise it is made from
the title or label. Ids name the form fields (in the HTML page, the browser's storage and the PDF),
so changing one loses what listeners typed into it: pin them with `id` before renaming a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from ..errors import Report, shown
from ..model import Origin
from . import slugs
from .yamldoc import YamlProblem, compose_yaml

WORKSHEET_KEYS = ("title", "introduction", "pages", "sections")
SECTION_KEYS = ("id", "title", "prompt", "fields")
FIELD_KINDS = ("line", "lines", "tick", "table")
FIELD_KEYS = {"line": ("id",), "lines": ("id", "rows"), "tick": ("id",), "table": ("id", "rows", "columns")}
COLUMN_KINDS = ("text", "tick")
MAX_ROWS = 30
MAX_PAGES = 20
ID = slugs.SLUG
SEPARATOR = "--"  # between the ids in a form field's name: ids never hold two hyphens in a row


@dataclass(frozen=True)
class Column:
    id: str
    label: str
    kind: str = "text"  # "text" or "tick"


@dataclass(frozen=True)
class Field:
    """One thing to fill in: `kind` is line, lines, tick or table."""

    kind: str
    id: str
    label: str
    name: str  # form field name: "<section id>--<field id>"
    rows: int = 1
    columns: tuple[Column, ...] = ()
    origin: Origin = field(default=Origin(""), compare=False)

    def cell_name(self, row: int, column: Column) -> str:
        """Form field name of one table cell; rows count from 1."""
        return f"{self.name}{SEPARATOR}{row}{SEPARATOR}{column.id}"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    prompt: tuple[str, ...]  # paragraphs
    fields: tuple[Field, ...]
    origin: Origin = field(default=Origin(""), compare=False)


@dataclass(frozen=True)
class Input:
    """One form input, flattened out of the sections: what the PDF's and the page's fields are."""

    name: str
    kind: str  # "text" (one line), "textarea" or "checkbox"
    label: str


@dataclass(frozen=True)
class Worksheet:
    virtue: str  # the virtue id: the file's name without `.yml`
    title: str
    introduction: tuple[str, ...]  # paragraphs
    pages: int
    sections: tuple[Section, ...]
    origin: Origin = field(default=Origin(""), compare=False)
    pages_line: int = field(default=1, compare=False)  # where `pages` is set, for page-count errors

    def inputs(self) -> tuple[Input, ...]:
        found = []
        for section in self.sections:
            for f in section.fields:
                if f.kind == "table":
                    for row in range(1, f.rows + 1):
                        for col in f.columns:
                            found.append(Input(f.cell_name(row, col),
                                               "checkbox" if col.kind == "tick" else "text",
                                               f"{f.label}, row {row}: {col.label}"))
                else:
                    kind = {"line": "text", "lines": "textarea", "tick": "checkbox"}[f.kind]
                    found.append(Input(f.name, kind, f.label))
        return tuple(found)


def slugify(text: str) -> str:
    """A field's id from its label: the one slug function, splitting words at punctuation as
    worksheet ids always have (an id that changes loses what listeners typed)."""
    return slugs.slugify(text, split_punctuation=True)


def paragraphs(text: str) -> tuple[str, ...]:
    return tuple(" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


class _Reader:
    """Walks PyYAML's node tree (which keeps line numbers) and reports every mistake it finds."""

    def __init__(self, path: str, report: Report):
        self.path = path
        self.report = report
        self.failed = False

    def at(self, node) -> Origin:
        return Origin(self.path, node.start_mark.line + 1)

    def error(self, node, message: str) -> None:
        self.failed = True
        self.report.error(self.at(node) if node is not None else Origin(self.path, 1), message)

    def mapping(self, node, what: str, known) -> dict | None:
        """{key: (key node, value node)} of a mapping node, or None (and an error)."""
        if not isinstance(node, yaml.MappingNode):
            self.error(node, f"{what} must be 'key: value' lines, not {_describe(node)}")
            return None
        items = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key not in known:
                self.error(key_node, f"unknown key {shown(key)} in {what} (known: {', '.join(known)})")
            elif key in items:
                self.error(key_node, f"{shown(key)} appears twice in {what} (keep one)")
            else:
                items[key] = (key_node, value_node)
        return items

    def text(self, items: dict, key: str, what: str, example: str, owner, required=True) -> str | None:
        if key not in items:
            if required:
                self.error(owner, f"{what} has no {shown(key)} (add e.g. {key}: {example})")
            return None
        key_node, node = items[key]
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null" or not str(node.value).strip():
            self.error(key_node, f"{shown(key)} of {what} must be some text, not {_describe(node)} "
                                 f"(e.g. {key}: {example})")
            return None
        return str(node.value)

    def number(self, items: dict, key: str, what: str, default: int, largest: int) -> int:
        if key not in items:
            return default
        key_node, node = items[key]
        try:
            value = int(node.value) if node.tag == "tag:yaml.org,2002:int" else None
        except ValueError:  # YAML 1.1 spellings such as 0x10 or 1_000
            value = None
        if value is None or not 1 <= value <= largest:
            self.error(key_node, f"{shown(key)} of {what} must be a whole number from 1 to {largest}, "
                                 f"not {_describe(node)}")
            return default
        return value

    def ident(self, items: dict, fallback: str, what: str, owner) -> str:
        if "id" in items:
            key_node, node = items["id"]
            value = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
            if not slugs.is_slug(value):
                self.error(key_node, f"id of {what} must be lower-case letters, digits and single "
                                     f"hyphens, not {_describe(node)} (e.g. id: {slugify(value) or slugify(fallback) or 'notes'})")
            return value
        made = slugify(fallback)
        if not made:
            self.error(owner, f"cannot make an id from {shown(fallback)} for {what} (add e.g. id: notes)")
        return made

    def unique(self, seen: dict, ident: str, node, what: str) -> None:
        if ident in seen:
            self.error(node, f"{what} has the id {shown(ident)} like the one on line {seen[ident]} "
                             "(form fields need unique ids: add a different 'id')")
        else:
            seen[ident] = node.start_mark.line + 1


def _describe(node) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list" if node.value else "an empty list"
    if node.tag == "tag:yaml.org,2002:null":
        return "nothing"
    return shown(node.value)


def parse_worksheet(text: str, path: str, report: Report) -> Worksheet | None:
    """Parse one worksheet file; None (with every mistake in `report`) if it is broken."""
    reader = _Reader(path, report)
    try:
        root = compose_yaml(text)
    except YamlProblem as exc:
        report.error(Origin(path, exc.line),
                     f"not valid YAML: {exc.message} (check the indentation and quote text that "
                     "contains ': ' or starts with a special character)" if exc.syntax
                     else f"the file {exc.message}")
        return None
    if root is None:
        report.error(Origin(path, 1), "worksheet file is empty (add a title and sections; see README, Worksheets)")
        return None
    top = reader.mapping(root, "the worksheet", WORKSHEET_KEYS)
    if top is None:
        return None
    title = reader.text(top, "title", "the worksheet", "Alliances audit", root)
    intro = reader.text(top, "introduction", "the worksheet", "A few words on how to use it.", root,
                        required=False)
    pages = reader.number(top, "pages", "the worksheet", 1, MAX_PAGES)
    sections = []
    if "sections" not in top:
        reader.error(root, "the worksheet has no 'sections' (add a list of sections, each with a "
                           "title and fields)")
    else:
        key_node, node = top["sections"]
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            reader.error(key_node, f"'sections' must be a list of sections, not {_describe(node)} "
                                   "(start each with '- title: ...')")
        else:
            seen: dict = {}
            for number, item in enumerate(node.value, 1):
                section = _section(reader, item, number)
                if section is not None:
                    reader.unique(seen, section.id, item, f"section {number}")
                    sections.append(section)
    if reader.failed or title is None:
        return None
    virtue = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return Worksheet(virtue=virtue, title=title.strip(), introduction=paragraphs(intro or ""),
                     pages=pages, sections=tuple(sections), origin=Origin(path, 1),
                     pages_line=top["pages"][0].start_mark.line + 1 if "pages" in top else 1)


def _section(reader: _Reader, node, number: int) -> Section | None:
    what = f"section {number}"
    items = reader.mapping(node, what, SECTION_KEYS)
    if items is None:
        return None
    title = reader.text(items, "title", what, "Gaps I notice", node)
    prompt = reader.text(items, "prompt", what, "Who is missing?", node, required=False)
    ident = reader.ident(items, title or "", what, node) if title or "id" in items else ""
    fields = []
    if "fields" not in items:
        reader.error(node, f"{what} has no 'fields' (add a list such as '- lines: What I notice')")
    else:
        key_node, list_node = items["fields"]
        if not isinstance(list_node, yaml.SequenceNode) or not list_node.value:
            reader.error(key_node, f"'fields' of {what} must be a list of fields, not {_describe(list_node)} "
                                   "(e.g. '- lines: What I notice')")
        else:
            seen: dict = {}
            for place, item in enumerate(list_node.value, 1):
                made = _field(reader, item, f"field {place} of {what}", ident)
                if made is not None:
                    reader.unique(seen, made.id, item, f"field {place} of {what}")
                    fields.append(made)
    if title is None:
        return None
    return Section(id=ident, title=title.strip(), prompt=paragraphs(prompt or ""), fields=tuple(fields),
                   origin=reader.at(node))


def _field(reader: _Reader, node, what: str, section_id: str) -> Field | None:
    if not isinstance(node, yaml.MappingNode) or not node.value:
        reader.error(node, f"{what} must start with one of {', '.join(FIELD_KINDS)} "
                           f"(e.g. '- lines: What I notice'), not {_describe(node)}")
        return None
    first = str(node.value[0][0].value)
    if first not in FIELD_KINDS:
        reader.error(node, f"{what} starts with {shown(first)}; a field starts with one of "
                           f"{', '.join(FIELD_KINDS)} (e.g. '- lines: What I notice')")
        return None
    items = reader.mapping(node, f"{what} ({first})", (first, *FIELD_KEYS[first]))
    if items is None:
        return None
    label = reader.text(items, first, what, "What I notice", node)
    ident = reader.ident(items, label or "", what, node) if label or "id" in items else ""
    rows = reader.number(items, "rows", what, 3 if first in ("lines", "table") else 1, MAX_ROWS)
    columns: list[Column] = []
    if first == "table":
        columns = _columns(reader, items, what, node)
    if label is None:
        return None
    return Field(kind=first, id=ident, label=label.strip(), name=f"{section_id}{SEPARATOR}{ident}",
                 rows=rows, columns=tuple(columns), origin=reader.at(node))


def _columns(reader: _Reader, items: dict, what: str, owner) -> list[Column]:
    if "columns" not in items:
        reader.error(owner, f"{what} is a table with no 'columns' "
                            "(add e.g. columns: [Name, What they bring, {tick: Thanked}])")
        return []
    key_node, node = items["columns"]
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        reader.error(key_node, f"'columns' of {what} must be a list, not {_describe(node)} "
                               "(e.g. columns: [Name, What they bring, {tick: Thanked}])")
        return []
    columns, seen = [], {}
    for place, item in enumerate(node.value, 1):
        kind, label_node = "text", item
        if isinstance(item, yaml.MappingNode) and len(item.value) == 1 and item.value[0][0].value == "tick":
            kind, label_node = "tick", item.value[0][1]
        if not isinstance(label_node, yaml.ScalarNode) or not str(label_node.value).strip() \
                or label_node.tag == "tag:yaml.org,2002:null":
            reader.error(item, f"column {place} of {what} must be a label or {{tick: Label}}, "
                               f"not {_describe(item)}")
            continue
        label = str(label_node.value).strip()
        ident = slugify(label)
        if not ident:
            reader.error(item, f"column {place} of {what} needs a label with letters or digits")
            continue
        reader.unique(seen, ident, item, f"column {place} of {what}")
        columns.append(Column(ident, label, kind))
    return columns
