"""The listener tags of a feed: chapters, transcripts and people. Pure: bytes and dicts in.

| tag                                         | field of FeedEpisode / Podcast    |
|---------------------------------------------|-----------------------------------|
| `<psc:chapters>` (Podlove Simple Chapters)  | `chapters` (inline, with times)   |
| `<podcast:chapters url type>`               | `chapters_url` (JSON, fetched)    |
| `<podcast:transcript url type language>`    | `transcripts` (all of them)       |
| `<podcast:person role href img>name<...>`   | `persons` (item, or channel)      |

The `podcast:` tags are those of the Podcasting 2.0 namespace under any URI the spec has used
(`is_podcast_namespace`): `https://podcastindex.org/namespace/1.0`, the original
`https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md`, their `http`,
`www.` and trailing-slash variants, bound to any prefix.

feedparser keeps only the last of repeated unknown tags, drops the text of one with attributes
(a `podcast:person`'s name) and names them by the feed's own prefix, so these tags are read in a
second, namespace-aware pass (`item_extras`) over the feed bytes as `xmlprep` leaves them (no
DOCTYPE, no undefined entities). Only when that pass cannot read the feed (not well-formed XML)
is what feedparser kept used: chapters and one transcript, and no person (feedparser lost the
name).
"""

from __future__ import annotations

import functools
import io
import re
from html.parser import HTMLParser
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..model import Chapter, Person, TranscriptLink

# Every URI the Podcasting 2.0 spec has used, without scheme, "www." or trailing slash. The spec:
# "Clients which recognize this namespace must also recognize
# https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md as equivalent."
PODCAST_NAMESPACES = frozenset({
    "podcastindex.org/namespace/1.0",
    "github.com/podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
    "github.com/podcastindex-org/podcast-namespace/blob/master/docs/1.0.md",
})
_SCHEME = re.compile(r"^[a-z]+://(?:www\.)?")


@functools.lru_cache(maxsize=64)
def is_podcast_namespace(uri: str) -> bool:
    """True for the Podcasting 2.0 namespace under any URI the spec has used."""
    return _SCHEME.sub("", (uri or "").strip().lower()).rstrip("/") in PODCAST_NAMESPACES


def podcast_prefixes(namespaces: dict) -> tuple[str, ...]:
    """The prefixes a feed binds to the Podcasting 2.0 namespace (feedparser's `namespaces`), and
    `podcast` when the feed uses it without binding it to anything (a common mistake)."""
    namespaces = namespaces or {}
    bound = [prefix for prefix, uri in namespaces.items() if prefix and is_podcast_namespace(uri)]
    if "podcast" not in namespaces:
        bound.append("podcast")
    return tuple(bound)

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


def chapters_url(entry, absolute_url, base, prefixes=("podcast",)) -> str:
    """`podcast:chapters` as feedparser kept it (`<prefix>_chapters`): the fallback path."""
    for prefix in prefixes:
        tag = entry.get(f"{prefix}_chapters")
        if isinstance(tag, dict) and absolute_url(tag.get("url"), base):
            return absolute_url(tag.get("url"), base)
    return ""


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


def fallback_transcripts(entry, absolute_url, base, prefixes=("podcast",)) -> tuple[TranscriptLink, ...]:
    """The one `podcast:transcript` feedparser kept (the last): the fallback path."""
    for prefix in prefixes:
        tag = entry.get(f"{prefix}_transcript")
        link = transcript_link(tag, absolute_url, base) if isinstance(tag, dict) else None
        if link:
            return (link,)
    return ()


def fallback_persons(entry, absolute_url, base, prefixes=("podcast",)) -> tuple[Person, ...]:
    """A `podcast:person` as feedparser kept it: a name only when it had no attributes (with
    attributes feedparser keeps those and drops the name, which no page may show as a dict)."""
    for prefix in prefixes:
        value = entry.get(f"{prefix}_person")
        found = person(value, {}, absolute_url, base) if isinstance(value, str) else None
        if found:
            return (found,)
    return ()


@dataclass(frozen=True)
class Extras:
    """The podcast: tags of one item (or of the channel), read namespace-aware."""

    transcripts: tuple[dict, ...] = ()  # attributes of each podcast:transcript
    persons: tuple[tuple[str, dict], ...] = ()  # (text, attributes) of each podcast:person
    chapters: tuple[dict, ...] = ()  # attributes of each podcast:chapters


_MENTIONS_NAMESPACE = re.compile(rb"podcastindex", re.IGNORECASE)


def item_extras(data: bytes) -> tuple[Extras, list[Extras]] | None:
    """(channel, [item, ...]) in document order, or None when the second pass does not apply.

    `data` is the feed as `xmlprep.prepare_feed_xml` leaves it; a feed that still declares
    entities, or is not well-formed, is left to feedparser's reading (None).
    """
    if not _MENTIONS_NAMESPACE.search(data) or b"<!ENTITY" in data.upper()[:65536]:
        return None
    items: list[Extras] = []
    depth_tags: list[str] = []
    found: dict[str, list] = {"transcript": [], "person": [], "chapters": []}
    channel_persons: list[tuple[str, dict]] = []
    try:
        for event, element in ET.iterparse(io.BytesIO(data), events=("start", "end")):
            namespace, _, local = element.tag[1:].rpartition("}") if element.tag[:1] == "{" \
                else ("", "", element.tag)
            if event == "start":
                depth_tags.append(local)
                if local in ("item", "entry"):
                    found = {"transcript": [], "person": [], "chapters": []}
                continue
            depth_tags.pop()
            in_item = "item" in depth_tags or "entry" in depth_tags
            if local in found and namespace and is_podcast_namespace(namespace):
                if local == "person":
                    entry = ("".join(element.itertext()), dict(element.attrib))
                    (found["person"] if in_item else channel_persons).append(entry)
                elif in_item:
                    found[local].append(dict(element.attrib))
            elif local in ("item", "entry") and not in_item:
                items.append(Extras(tuple(found["transcript"]), tuple(found["person"]),
                                    tuple(found["chapters"])))
                element.clear()
    except (ET.ParseError, ValueError):
        return None
    return Extras(persons=tuple(channel_persons)), items


def tolerant_extras(text: str) -> tuple[Extras, list[Extras]]:
    """`item_extras` for a feed that is not well-formed XML, read as forgivingly as a browser
    reads HTML (the standard library's HTMLParser): prefixes are matched by their `xmlns:`
    declarations (and `podcast` when undeclared), an `<item>` begins where its start tag is."""
    reader = _TolerantReader()
    reader.feed(text)
    reader.close()
    return Extras(persons=tuple(reader.channel_persons)), [reader.extras(i) for i in reader.items]


class _TolerantReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.prefixes = {"podcast"}
        self.items: list[dict[str, list]] = []
        self.channel_persons: list[tuple[str, dict]] = []
        self.person: tuple[list[str], dict] | None = None
        self.in_item = False

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        for name, value in attributes.items():
            if name.startswith("xmlns:"):
                prefix = name[len("xmlns:"):]
                (self.prefixes.add if is_podcast_namespace(value) else self.prefixes.discard)(prefix)
        if tag in ("item", "entry"):
            self._end_person()
            self.items.append({"transcript": [], "person": [], "chapters": []})
            self.in_item = True
            return
        prefix, _, local = tag.rpartition(":")
        if prefix not in self.prefixes or local not in ("transcript", "person", "chapters"):
            return
        if local == "person":
            self._end_person()
            self.person = ([], attributes)
        elif self.in_item:
            self.items[-1][local].append(attributes)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag.endswith(":person"):
            self._end_person()

    def handle_data(self, data):
        if self.person is not None:
            self.person[0].append(data)

    def handle_endtag(self, tag):
        if tag.endswith(":person") or tag in ("item", "entry", "channel"):
            self._end_person()
        if tag in ("item", "entry"):
            self.in_item = False

    def unknown_decl(self, data):
        if data.startswith("CDATA[") and self.person is not None:
            self.person[0].append(data[len("CDATA["):])

    def _end_person(self):
        if self.person is not None:
            found = ("".join(self.person[0]), self.person[1])
            (self.items[-1]["person"] if self.in_item else self.channel_persons).append(found)
            self.person = None

    @staticmethod
    def extras(item: dict[str, list]) -> Extras:
        return Extras(tuple(item["transcript"]), tuple(item["person"]), tuple(item["chapters"]))


def preferred_transcript(links):
    """The transcript link podsite uses of an item's several (TRANSCRIPT_PREFERENCE), or None."""
    ranked = sorted(links, key=lambda t: TRANSCRIPT_PREFERENCE.index(t.type))
    return ranked[0] if ranked else None
