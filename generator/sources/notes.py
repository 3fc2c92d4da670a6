"""Markdown files with YAML front matter -> `ShowNote` and `Virtue` records. Pure: text in.

Show-note front matter (every key optional):

| key           | meaning                                                                   |
|---------------|---------------------------------------------------------------------------|
| `guid`        | the feed item's `<guid>` this note belongs to (the preferred join key)    |
| `episode`     | the feed item's `<itunes:episode>` number (used when there is no `guid`)  |
| `virtues`     | virtue ids (file names in the virtues folder) this episode is about       |
| `slug`        | the episode's URL: `/episodes/<slug>/` (pins it when the title changes)   |
| `description` | one-line summary for search engines and link previews                     |
| `chapters`    | chapters with start times (see `listening.py`); override the feed's       |
| `people`      | hosts and guests, each gets a page listing their episodes (`listening.py`)|

With neither `guid` nor `episode`, a file name starting with digits (`007-courage.md`) names the
episode number. Virtue front matter: `title` (required), `summary`, `order`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import partial

import yaml

from ..errors import Report, shown
from ..model import Origin, ShowNote, Virtue
from . import listening
from .slugs import MAX_WRITTEN_SLUG, SLUG, is_slug
from .yamldoc import YamlProblem, compose_yaml, construct_yaml

NOTE_KEYS = ("guid", "episode", "virtues", "slug", "description", "chapters", "people")
VIRTUE_KEYS = ("title", "summary", "order")
# Slugs that would be a folder's own page (episodes/index.md is the episode list).
RESERVED_SLUGS = frozenset({"index"})
_FENCE = re.compile(r"^---[ \t]*\r?\n", re.M)


@dataclass(frozen=True)
class FrontMatter:
    values: dict
    lines: dict  # key -> 1-based line in the file
    body: str
    body_line: int
    # "key", "key.2" (third item), "key.2.start" (its field) -> line of that value in the file
    value_lines: dict = field(default_factory=dict, compare=False)

    def line_of(self, key: str, index: int | None = None, name: str | None = None) -> int | None:
        """The line of a value (an item of a list, a field of that item), else of its key."""
        candidates = [key]
        if index is not None:
            candidates.insert(0, f"{key}.{index}")
            if name is not None:
                candidates.insert(0, f"{key}.{index}.{name}")
        for candidate in candidates:
            if candidate in self.value_lines:
                return self.value_lines[candidate]
        return self.lines.get(key)


def _value_lines(root, offset: int) -> dict:
    """Lines of the values under each top-level key, two levels down (list items, their fields)."""
    found = {}
    for key_node, value in root.value:
        key = str(key_node.value)
        found[key] = value.start_mark.line + offset
        items = value.value if isinstance(value, yaml.SequenceNode) else []
        for n, item in enumerate(items):
            found[f"{key}.{n}"] = item.start_mark.line + offset
            if isinstance(item, yaml.MappingNode):
                for field_key, field_value in item.value:
                    found[f"{key}.{n}.{field_key.value}"] = field_value.start_mark.line + offset
    return found


_LOOKS_LIKE_KEY = re.compile(r"^([A-Za-z_][\w-]*):(?:\s|$)")


def _lost_opening_fence(text: str, keys: tuple[str, ...]) -> str | None:
    """The first line's key when the file reads like front matter whose opening `---` was lost:
    it starts with a known key and a line with just `---` follows, or a second known key does."""
    lines = text.splitlines()
    first = _LOOKS_LIKE_KEY.match(lines[0]) if lines else None
    if first is None or first.group(1) not in keys:
        return None
    rest = lines[1:40]
    second = next((line for line in rest if line.strip()), "")
    following = _LOOKS_LIKE_KEY.match(second)
    if any(line.strip() == "---" for line in rest) or (following and following.group(1) in keys):
        return first.group(1)
    return None


def parse_front_matter(text: str, path: str, report: Report,
                       keys: tuple[str, ...] = ()) -> FrontMatter | None:
    """Split `---` front matter from the body; None (and an error in `report`) if it is broken.
    `keys`: the keys this kind of file knows, to tell front matter that lost its opening `---`."""
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
        lost = _lost_opening_fence(text, keys)
        if lost is not None:
            report.error(Origin(path, 1), f"'{lost}:' on the first line looks like front matter, "
                                          "but the line '---' that opens it is missing (add a line "
                                          "with just '---' above it)")
            return None
        return FrontMatter({}, {}, text, 1)
    first_break = text.find("\n")
    if text[:first_break].strip() != "---":
        return FrontMatter({}, {}, text, 1)
    closing = _FENCE.search(text, first_break + 1)
    if closing is None:
        if text.rstrip().endswith("\n---") or text.rstrip() == "---":
            closing_at = text.rstrip().rfind("---")
            yaml_text, body = text[first_break + 1 : closing_at], ""
        else:
            report.error(Origin(path, 1), "front matter is not closed "
                                          "(add a line with just '---' after the last key)")
            return None
    else:
        yaml_text, body = text[first_break + 1 : closing.start()], text[closing.end():]
    body_line = text.count("\n", 0, first_break + 1 + len(yaml_text)) + 2
    try:
        node = compose_yaml(yaml_text)
        values = construct_yaml(node) if node is not None else None
    except YamlProblem as exc:
        hint = " (check the indentation and quote values that contain ':')" if exc.syntax else ""
        report.error(Origin(path, exc.line + 1), f"front matter is not valid YAML: {exc.message}{hint}"
                     if exc.syntax else f"front matter {exc.message}")
        return None
    if values is None:
        return FrontMatter({}, {}, body, body_line)
    if not isinstance(values, dict):
        report.error(Origin(path, 2), "front matter must be 'key: value' lines "
                                      f"(found a {type(values).__name__})")
        return None
    lines = {str(k.value): k.start_mark.line + 2 for k, _ in node.value}
    return FrontMatter({str(k): v for k, v in values.items()}, lines, body, body_line,
                       _value_lines(node, 2))


def _unknown_keys(fm: FrontMatter, known: tuple[str, ...], path: str, report: Report,
                  required: str | None = None) -> None:
    """A warning per unknown key, with the known key it was probably meant to be. A misspelt
    `required` key is the one error about it (not also "has no title")."""
    for key in fm.values:
        if key in known:
            continue
        close = difflib.get_close_matches(str(key).lower(), known, n=1, cutoff=0.7)
        where = Origin(path, fm.lines.get(key))  # the key is what is wrong
        if close and close[0] == required and required not in fm.values:
            report.error(where, f"unknown front matter key {shown(key)} (did you mean "
                                f"'{required}'? it is required)")
        elif close:
            report.warning(where, f"unknown front matter key {shown(key)} (did you mean "
                                  f"'{close[0]}'?)")
        else:
            report.warning(where, f"unknown front matter key {shown(key)} (known: "
                                  f"{', '.join(known)})")


def _string(fm: FrontMatter, key: str, path: str, report: Report) -> str | None:
    value = fm.values.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        report.error(Origin(path, fm.line_of(key)), f"'{key}' must be a single value, not a "
                                                       f"{'list' if isinstance(value, list) else 'mapping'}")
        return None
    return str(value).strip()


def parse_note(text: str, path: str, report: Report) -> ShowNote | None:
    fm = parse_front_matter(text, path, report, NOTE_KEYS)
    if fm is None:
        return None
    _unknown_keys(fm, NOTE_KEYS, path, report)
    errors_before = len(report.errors)

    number = None
    if "episode" in fm.values:
        raw = fm.values["episode"]
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            report.error(Origin(path, fm.line_of("episode")),
                         f"'episode' must be a whole number, not {shown(raw)} (e.g. episode: 7)")
        else:
            number = raw
    elif "guid" not in fm.values:
        match = re.match(r"(\d+)", path.rsplit("/", 1)[-1])
        number = int(match.group(1)) if match else None

    raw_virtues = fm.values.get("virtues", [])
    if isinstance(raw_virtues, str):
        raw_virtues = [raw_virtues]
    if not isinstance(raw_virtues, list) or not all(isinstance(v, str) for v in raw_virtues):
        report.error(Origin(path, fm.line_of("virtues")),
                     "'virtues' must be a list of virtue names (e.g. virtues: [courage, alliances])")
        raw_virtues = []

    slug = _string(fm, "slug", path, report)
    if slug is not None and not SLUG.match(slug):
        report.error(Origin(path, fm.line_of("slug")),
                     f"slug {shown(slug)} may only hold lower-case letters, digits and single hyphens "
                     "(e.g. slug: building-alliances)")
    elif slug is not None and not is_slug(slug):
        report.error(Origin(path, fm.lines["slug"]),
                     f"slug {shown(slug)} is {len(slug)} characters long; a URL may have "
                     f"{MAX_WRITTEN_SLUG} (shorten it)")
    elif slug in RESERVED_SLUGS:
        report.error(Origin(path, fm.line_of("slug")),
                     f"slug {slug!r} is the URL of the episode list (choose another, e.g. "
                     f"slug: {slug}-episode)")

    chapters = listening.note_chapters(fm.values.get("chapters"), path,
                                       partial(fm.line_of, "chapters"), report)
    people = listening.note_people(fm.values.get("people"), path, partial(fm.line_of, "people"),
                                   report)

    if len(report.errors) > errors_before:
        return None
    return ShowNote(
        path=path,
        guid=_string(fm, "guid", path, report),
        number=number,
        virtues=tuple(v.strip() for v in raw_virtues),
        slug=slug,
        description=_string(fm, "description", path, report),
        body=fm.body.strip() + "\n" if fm.body.strip() else "",
        origin=Origin(path, 1),
        key_lines=tuple(fm.lines.items()) + tuple(
            (f"virtues.{n}", line) for n in range(len(raw_virtues))
            if (line := fm.line_of("virtues", n)) is not None),
        chapters=chapters,
        people=people,
    )


def parse_virtue(text: str, path: str, report: Report) -> Virtue | None:
    fm = parse_front_matter(text, path, report, VIRTUE_KEYS)
    if fm is None:
        return None
    errors_before = len(report.errors)
    _unknown_keys(fm, VIRTUE_KEYS, path, report, required="title")
    virtue_id = path.rsplit("/", 1)[-1].removesuffix(".md")
    if virtue_id in RESERVED_SLUGS:
        report.error(Origin(path), f"virtue file name {shown(virtue_id)} is the URL of the virtue list "
                                   "(rename the file)")
        return None
    if not SLUG.match(virtue_id):
        report.error(Origin(path), f"virtue file name {shown(virtue_id)} must be lower-case letters, "
                                   "digits and hyphens, as it becomes the URL (rename the file)")
        return None
    if not is_slug(virtue_id):
        report.error(Origin(path), f"virtue file name {shown(virtue_id)} is {len(virtue_id)} "
                                   f"characters long; a URL may have {MAX_WRITTEN_SLUG} (rename the file)")
        return None
    title = _string(fm, "title", path, report)
    if not title and len(report.errors) > errors_before:
        return None  # a misspelt `title:` was reported as that
    if not title:
        report.error(Origin(path, 1), "virtue has no 'title' in its front matter "
                                      f"(add e.g. title: {virtue_id.replace('-', ' ').title()})")
        return None
    order = fm.values.get("order", 0)
    if isinstance(order, bool) or not isinstance(order, int):
        report.error(Origin(path, fm.line_of("order")), f"'order' must be a whole number, not {shown(order)}")
        return None
    return Virtue(
        id=virtue_id,
        title=title,
        summary=_string(fm, "summary", path, report) or "",
        body=fm.body.strip() + "\n" if fm.body.strip() else "",
        order=order,
        origin=Origin(path, 1),
    )
