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

import re
from dataclasses import dataclass

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


def parse_front_matter(text: str, path: str, report: Report) -> FrontMatter | None:
    """Split `---` front matter from the body; None (and an error in `report`) if it is broken."""
    text = text.lstrip("\ufeff")
    if not text.startswith("---"):
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
    return FrontMatter({str(k): v for k, v in values.items()}, lines, body, body_line)


def _unknown_keys(fm: FrontMatter, known: tuple[str, ...], path: str, report: Report) -> None:
    for key in fm.values:
        if key not in known:
            report.warning(Origin(path, fm.lines.get(key)),
                           f"unknown front matter key {shown(key)} (known: {', '.join(known)})")


def _string(fm: FrontMatter, key: str, path: str, report: Report) -> str | None:
    value = fm.values.get(key)
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        report.error(Origin(path, fm.lines.get(key)), f"'{key}' must be a single value, not a "
                                                       f"{'list' if isinstance(value, list) else 'mapping'}")
        return None
    return str(value).strip()


def parse_note(text: str, path: str, report: Report) -> ShowNote | None:
    fm = parse_front_matter(text, path, report)
    if fm is None:
        return None
    _unknown_keys(fm, NOTE_KEYS, path, report)
    errors_before = len(report.errors)

    number = None
    if "episode" in fm.values:
        raw = fm.values["episode"]
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            report.error(Origin(path, fm.lines["episode"]),
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
        report.error(Origin(path, fm.lines.get("virtues")),
                     "'virtues' must be a list of virtue names (e.g. virtues: [courage, alliances])")
        raw_virtues = []

    slug = _string(fm, "slug", path, report)
    if slug is not None and not SLUG.match(slug):
        report.error(Origin(path, fm.lines["slug"]),
                     f"slug {shown(slug)} may only hold lower-case letters, digits and single hyphens "
                     "(e.g. slug: building-alliances)")
    elif slug is not None and not is_slug(slug):
        report.error(Origin(path, fm.lines["slug"]),
                     f"slug {shown(slug)} is {len(slug)} characters long; a URL may have "
                     f"{MAX_WRITTEN_SLUG} (shorten it)")
    elif slug in RESERVED_SLUGS:
        report.error(Origin(path, fm.lines["slug"]),
                     f"slug {slug!r} is the URL of the episode list (choose another, e.g. "
                     f"slug: {slug}-episode)")

    chapters = listening.note_chapters(fm.values.get("chapters"), path, fm.lines.get("chapters"), report)
    people = listening.note_people(fm.values.get("people"), path, fm.lines.get("people"), report)

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
        key_lines=tuple(fm.lines.items()),
        chapters=chapters,
        people=people,
    )


def parse_virtue(text: str, path: str, report: Report) -> Virtue | None:
    fm = parse_front_matter(text, path, report)
    if fm is None:
        return None
    _unknown_keys(fm, VIRTUE_KEYS, path, report)
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
    if not title:
        report.error(Origin(path, 1), "virtue has no 'title' in its front matter "
                                      f"(add e.g. title: {virtue_id.replace('-', ' ').title()})")
        return None
    order = fm.values.get("order", 0)
    if isinstance(order, bool) or not isinstance(order, int):
        report.error(Origin(path, fm.lines.get("order")), f"'order' must be a whole number, not {shown(order)}")
        return None
    return Virtue(
        id=virtue_id,
        title=title,
        summary=_string(fm, "summary", path, report) or "",
        body=fm.body.strip() + "\n" if fm.body.strip() else "",
        order=order,
        origin=Origin(path, 1),
    )
