"""The listener tags of a feed: chapters, transcripts and people. Pure: bytes and dicts in.

| tag                                         | field of FeedEpisode / Podcast    |
|---------------------------------------------|-----------------------------------|
| `<psc:chapters>` (Podlove Simple Chapters)  | `chapters` (inline, with times)   |
| `<podcast:chapters url type>`               | `chapters_url` (JSON, fetched)    |
| `<podcast:transcript url type language>`    | `transcripts` (all of them)       |
| `<podcast:person role href img>name<...>`   | `persons` (item, or channel)      |

feedparser keeps only the last of repeated unknown tags and drops the attributes of
`podcast:person`, so the repeated ones are read in a second, namespace-aware pass
(`item_extras`). That pass runs only on well-formed feeds that use the Podcasting 2.0
namespace and declare no DTD (entities); otherwise what feedparser kept is used.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..model import Chapter, Person, TranscriptLink

PODCAST_NS = ("https://podcastindex.org/namespace/1.0", "http://podcastindex.org/namespace/1.0")

# What a transcript's MIME type is called here; anything else is ignored.
TRANSCRIPT_TYPES = {
    "text/vtt": "vtt",
    "application/x-subrip": "srt",
    "application/srt": "srt",
    "text/srt": "srt",
    "application/json": "json",
    "text/html": "html",
}
# Preferred order when an episode offers several (timed formats first).
TRANSCRIPT_PREFERENCE = ("vtt", "srt", "json", "html")

_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:[.,]\d+)?)$")


def parse_time(value) -> float | None:
    """Seconds from `90`, `90.5`, `1:30`, `00:01:30.000` or `00:01:30,000`; None otherwise."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value) if value >= 0 else None
    text = str(value).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    match = _CLOCK.match(text)
    if not match:
        return None
    hours, minutes, seconds = match.groups()
    seconds = float(seconds.replace(",", "."))
    if seconds >= 60 or (hours and int(minutes) >= 60):
        return None
    return int(hours or 0) * 3600 + int(minutes) * 60 + seconds


def clock(seconds: float) -> str:
    """`1:05`, `12:30` or `1:02:03`: how a timestamp is shown."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _clean(text) -> str:
    return " ".join(str(text or "").split())


def psc_chapters(entry, absolute_url, base) -> tuple[Chapter, ...]:
    """Podlove Simple Chapters, as feedparser parses them."""
    block = entry.get("psc_chapters") or {}
    chapters = []
    for item in block.get("chapters") or []:
        start = parse_time(item.get("start"))
        title = _clean(item.get("title"))
        if start is None or not title:
            continue
        chapters.append(Chapter(start, title, absolute_url(item.get("href"), base)))
    return tuple(sorted(chapters, key=lambda c: c.start))


def chapters_url(entry, absolute_url, base) -> str:
    tag = entry.get("podcast_chapters")
    return absolute_url(tag.get("url"), base) if isinstance(tag, dict) else ""


def transcript_link(attrs: dict, absolute_url, base) -> TranscriptLink | None:
    kind = TRANSCRIPT_TYPES.get((attrs.get("type") or "").split(";")[0].strip().lower())
    url = absolute_url(attrs.get("url"), base)
    if not kind or not url:
        return None
    return TranscriptLink(url, kind, _clean(attrs.get("language")))


def person(name, attrs: dict, absolute_url, base) -> Person | None:
    name = _clean(name)
    if not name:
        return None
    return Person(name, _clean(attrs.get("role")).lower() or "host",
                  absolute_url(attrs.get("href"), base), absolute_url(attrs.get("img"), base))


def fallback_transcripts(entry, absolute_url, base) -> tuple[TranscriptLink, ...]:
    tag = entry.get("podcast_transcript")
    link = transcript_link(tag, absolute_url, base) if isinstance(tag, dict) else None
    return (link,) if link else ()


def fallback_persons(entry, absolute_url, base) -> tuple[Person, ...]:
    found = person(entry.get("podcast_person"), {}, absolute_url, base)
    return (found,) if found else ()


@dataclass(frozen=True)
class Extras:
    """The repeated podcast: tags of one item (or of the channel)."""

    transcripts: tuple[dict, ...]  # attributes of each podcast:transcript
    persons: tuple[tuple[str, dict], ...]  # (text, attributes) of each podcast:person


def item_extras(data: bytes) -> tuple[Extras, list[Extras]] | None:
    """(channel, [item, ...]) in document order, or None when the second pass does not apply."""
    if not any(ns.encode() in data for ns in PODCAST_NS) or b"<!DOCTYPE" in data[:4096].upper():
        return None
    if b"<!ENTITY" in data or b"<!entity" in data:
        return None
    channel = Extras((), ())
    items: list[Extras] = []
    names = {f"{{{ns}}}{tag}" for ns in PODCAST_NS for tag in ("transcript", "person")}
    depth_tags: list[str] = []
    transcripts: list[dict] = []
    persons: list[tuple[str, dict]] = []
    channel_persons: list[tuple[str, dict]] = []
    try:
        for event, element in ET.iterparse(io.BytesIO(data), events=("start", "end")):
            local = element.tag.rsplit("}", 1)[-1]
            if event == "start":
                depth_tags.append(local)
                if local in ("item", "entry"):
                    transcripts, persons = [], []
                continue
            depth_tags.pop()
            in_item = "item" in depth_tags or "entry" in depth_tags
            if element.tag in names:
                if local == "transcript" and in_item:
                    transcripts.append(dict(element.attrib))
                elif local == "person":
                    (persons if in_item else channel_persons).append(
                        ((element.text or ""), dict(element.attrib)))
            elif local in ("item", "entry"):
                items.append(Extras(tuple(transcripts), tuple(persons)))
                element.clear()
    except (ET.ParseError, ValueError):
        return None
    channel = Extras((), tuple(channel_persons))
    return channel, items


def preferred_transcript(links):
    """The transcript link podsite uses of an item's several (TRANSCRIPT_PREFERENCE), or None."""
    ranked = sorted(links, key=lambda t: TRANSCRIPT_PREFERENCE.index(t.type))
    return ranked[0] if ranked else None
