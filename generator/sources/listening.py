"""Chapters, people and transcripts from show notes and files. Pure: text in, records out.

Show-note front matter (both optional):

    chapters:                        # or "0:20 Noticing" strings
      - {start: "0:00", title: Welcome}
      - {start: "0:20", title: Noticing, url: https://example.org/}
    people:
      - {name: Ana Ruiz, role: host}
      - {name: Sam Okafor, role: guest, url: https://example.org/sam}

Transcripts: WebVTT (`<v Speaker>` voice tags), SRT (a `Speaker:` prefix names the speaker),
Podcasting 2.0 JSON (`segments` with `speaker`, `startTime`, `body`) and HTML (sanitised, shown
as it is). Consecutive cues of one speaker are joined into one paragraph with its start time.
"""

from __future__ import annotations

import html
import json
import re
import sys
from dataclasses import dataclass

import nh3

from ..errors import Report, shown
from ..ingest.feed import REMOVED_WITH_CONTENT, plain_text
from ..ingest.podcast_ns import parse_time
from ..model import Chapter, Origin, Person
from .slugs import slugify

ROLES_SHOWN_FIRST = ("host", "co-host", "guest")


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Consecutive words of one speaker; `start` in seconds, or None when untimed. Slots, and
    one str per speaker name: a show of long transcripts holds millions of them while its
    pages are rendered (2000 episodes of 8000 words: 193 MB -> 157 MB)."""

    start: float | None
    speaker: str
    text: str


@dataclass(frozen=True)
class Transcript:
    source: str  # path or URL it was read from
    paragraphs: tuple[Paragraph, ...] = ()
    html: str = ""  # an HTML transcript, sanitised (then `paragraphs` is empty)

    @property
    def html_text(self) -> str:
        """An HTML transcript as plain text, a block's end being a word break ("</p><p>")."""
        return plain_text(_BLOCK_TAG.sub(" ", self.html), True)

    @property
    def words(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs) or len(self.html_text.split())


_BLOCK_TAG = re.compile(r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|th|table|section|blockquote|cite)\b[^>]*>", re.I)


# people/index.md lists everyone and people/page/N/ continues the list: no person may take those
RESERVED_PERSON_IDS = frozenset({"index", "page"})


def person_ids(names) -> dict[str, str]:
    """A page id (`people/<id>/`) per distinct name, in the order given (oldest episode first, so
    a show's new guests never move an existing page). Names that slug alike (`Ana Ruiz`,
    `ana ruiz!`) get -2, -3, ...; names in any script are transliterated (see slugs.py)."""
    ids: dict[str, str] = {}
    taken = set(RESERVED_PERSON_IDS)
    for name in names:
        if name in ids:
            continue
        base = slugify(name) or "person"  # Tomás -> tomas, 李雷 -> li-lei
        pid, n = base, 1
        while pid in taken:
            n += 1
            pid = f"{base}-{n}"
        ids[name] = pid
        taken.add(pid)
    return ids


# --- front matter -----------------------------------------------------------------------------


def note_chapters(raw, path: str, line_of, report: Report) -> tuple[Chapter, ...]:
    """`line_of(index=None, name=None)`: the line of the list, of an item, of an item's field."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        report.error(Origin(path, line_of()), "'chapters' must be a list "
                                              '(e.g. chapters: [{start: "0:00", title: Welcome}])')
        return ()
    chapters = []
    for n, item in enumerate(raw, 1):
        if isinstance(item, str) and " " in item.strip():
            start_text, title = item.strip().split(None, 1)
            item = {"start": start_text, "title": title}
        if not isinstance(item, dict):
            report.error(Origin(path, line_of(n - 1)), f"chapter {n} must be 'start' and 'title' "
                                                       '(e.g. - {start: "12:30", title: Naming})')
            continue
        start = parse_time(item.get("start"))
        title = " ".join(str(item.get("title") or "").split())
        if start is None:
            report.error(Origin(path, line_of(n - 1, "start")),
                         f"chapter {n} has no valid start time ({shown(item.get('start'))}; write "
                         'MM:SS or HH:MM:SS, quoted, e.g. start: "12:30")')
            continue
        if not title:
            report.error(Origin(path, line_of(n - 1, "title")), f"chapter {n} has no title (add "
                                                                "title: ...)")
            continue
        url = _web_url(item.get("url"), f"chapter {n}", path, line_of(n - 1, "url"), report)
        chapters.append(Chapter(start, title, url))
    return tuple(sorted(chapters, key=lambda c: c.start))


def _web_url(value, what: str, path: str, line: int | None, report: Report) -> str:
    """An http(s) URL from front matter; anything else (javascript:, a typo) is an error."""
    url = str(value or "").strip()
    if url and not url.startswith(("https://", "http://")):
        report.error(Origin(path, line), f"{what}: {shown(url)} is not a web address (write a full "
                                         "https://... URL)")
        return ""
    return url


def note_people(raw, path: str, line_of, report: Report) -> tuple[Person, ...]:
    """`line_of` as for `note_chapters`."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        report.error(Origin(path, line_of()), "'people' must be a list (e.g. people: [{name: Ana "
                                              "Ruiz, role: host}])")
        return ()
    people = []
    for n, item in enumerate(raw, 1):
        if isinstance(item, str):
            item = {"name": item}
        name = " ".join(str(item.get("name") or "").split()) if isinstance(item, dict) else ""
        if not name:
            report.error(Origin(path, line_of(n - 1, "name")), f"person {n} has no name (e.g. - "
                                                               "{name: Ana Ruiz, role: guest})")
            continue
        people.append(Person(name, str(item.get("role") or "guest").strip().lower(),
                             _web_url(item.get("url"), f"person {n}", path, line_of(n - 1, "url"),
                                      report),
                             _web_url(item.get("image"), f"person {n}", path,
                                      line_of(n - 1, "image"), report)))
    return tuple(people)


# --- chapters JSON (podcast:chapters) -----------------------------------------------------------


def parse_chapters_json(data: bytes, source: str, report: Report) -> tuple[Chapter, ...]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except RecursionError:  # json nests one Python call per level
        report.warning(Origin(source), "chapters file nests too deeply to be chapters; the episode "
                                       "is shown without chapters")
        return ()
    except (UnicodeDecodeError, ValueError) as exc:
        report.warning(Origin(source), f"chapters file is not JSON ({exc}); the episode is shown "
                                       "without chapters (ask the feed's host to fix it)")
        return ()
    items = doc.get("chapters") if isinstance(doc, dict) else None
    if not isinstance(items, list):
        report.warning(Origin(source), "chapters file has no 'chapters' list; the episode is shown "
                                       "without chapters")
        return ()
    chapters = []
    for item in items:
        if not isinstance(item, dict) or item.get("toc") is False:
            continue
        start = parse_time(item.get("startTime"))
        title = " ".join(str(item.get("title") or "").split())
        if start is not None and title:
            url = str(item.get("url") or "")
            chapters.append(Chapter(start, title, url if url.startswith(("http://", "https://")) else ""))
    return tuple(sorted(chapters, key=lambda c: c.start))


# --- transcripts --------------------------------------------------------------------------------

_TIMING = re.compile(r"^\s*([\d:.,]+)\s+-->\s+([\d:.,]+)")
_VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>")
_TAG = re.compile(r"<[^>]*>")
_SPEAKER_PREFIX = re.compile(r"^([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}):\s+(.*)$", re.S)


def _cue_text(lines: list[str]) -> tuple[str, str]:
    """(speaker, plain text) of a cue's lines."""
    text = " ".join(lines)
    voice = _VOICE.search(text)
    speaker = voice.group(1).strip() if voice else ""
    plain = html.unescape(_TAG.sub("", text))
    plain = " ".join(plain.split())
    if not speaker:
        prefixed = _SPEAKER_PREFIX.match(plain)
        if prefixed:
            speaker, plain = prefixed.group(1), prefixed.group(2)
    return speaker, plain


def _cues(text: str) -> list[tuple[float, str, str]]:
    cues = []
    for block in re.split(r"\r?\n\s*\r?\n", text.replace("\r\n", "\n")):
        lines = [line for line in block.split("\n") if line.strip()]
        for i, line in enumerate(lines):
            timing = _TIMING.match(line)
            if timing:
                start = parse_time(timing.group(1))
                speaker, plain = _cue_text(lines[i + 1:])
                if start is not None and plain:
                    cues.append((start, speaker, plain))
                break
    return cues


def _paragraphs(cues: list[tuple[float | None, str, str]]) -> tuple[Paragraph, ...]:
    paragraphs: list[Paragraph] = []
    for start, speaker, text in cues:
        speaker = sys.intern(speaker)
        last = paragraphs[-1] if paragraphs else None
        if last is not None and (speaker == last.speaker) and len(last.text) < 1200:
            paragraphs[-1] = Paragraph(last.start, speaker, f"{last.text} {text}")
        else:
            paragraphs.append(Paragraph(start, speaker, text))
    return tuple(paragraphs)


def parse_transcript(data: bytes, kind: str, source: str, report: Report) -> Transcript | None:
    """`kind` is vtt, srt, json, html or txt (see podcast_ns.TRANSCRIPT_TYPES)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        report.warning(Origin(source), "transcript is not UTF-8 text; the episode is shown "
                                       "without it (save it as UTF-8)")
        return None
    if kind == "txt":
        return _plain_transcript(text, source, report)
    if kind == "html":
        return Transcript(source, html=nh3.clean(text, tags={"p", "br", "b", "strong", "em", "i",
                                                              "cite", "span", "ul", "li"},
                                                 clean_content_tags=REMOVED_WITH_CONTENT).strip())
    if kind == "json":
        try:
            doc = json.loads(text)
            cues = [(parse_time(s.get("startTime")), " ".join(str(s.get("speaker") or "").split()),
                     " ".join(str(s.get("body") or "").split())) for s in doc["segments"]]
        except RecursionError:  # json nests one Python call per level
            report.warning(Origin(source), "transcript nests too deeply to be Podcasting 2.0 JSON; "
                                           "the episode is shown without it")
            return None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            report.warning(Origin(source), f"transcript is not Podcasting 2.0 JSON "
                                           f"({shown(str(exc), 80)}); the episode is shown without it")
            return None
        cues = [c for c in cues if c[2]]
    else:
        if kind == "vtt" and not text.lstrip().startswith("WEBVTT"):
            report.warning(Origin(source, 1), "WebVTT transcript does not start with 'WEBVTT'; "
                                              "read it anyway")
        cues = _cues(text)
    if not cues:
        report.warning(Origin(source), "transcript has no cues with times and text; the episode "
                                       "is shown without it")
        return None
    return Transcript(source, _paragraphs(cues))


def _plain_transcript(text: str, source: str, report: Report) -> Transcript | None:
    """A text/plain transcript: a paragraph per blank-line-separated block (per line when it has
    no blank lines), untimed; a leading `Name:` names the speaker, as in SRT."""
    text = text.replace("\r\n", "\n").strip()
    blocks = re.split(r"\n\s*\n", text)
    if len(blocks) == 1:
        blocks = text.split("\n")
    cues = []
    for block in blocks:
        plain = " ".join(block.split())
        if not plain:
            continue
        prefixed = _SPEAKER_PREFIX.match(plain)
        speaker, words = (prefixed.group(1), prefixed.group(2)) if prefixed else ("", plain)
        cues.append((None, speaker, words))
    if not cues:
        report.warning(Origin(source), "transcript is empty; the episode is shown without it")
        return None
    return Transcript(source, tuple(Paragraph(start, sys.intern(speaker), words) for start, speaker, words in cues))
