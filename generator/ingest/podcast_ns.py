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
    """What the second pass reads of one item (or of the channel), namespace-aware."""

    transcripts: tuple[dict, ...] = ()  # attributes of each podcast:transcript
    persons: tuple[tuple[str, dict], ...] = ()  # (text, attributes) of each podcast:person
    chapters: tuple[dict, ...] = ()  # attributes of each podcast:chapters
    # (name, text, kind) of each description element (`descriptions.ORDER` names them); kind is
    # "html" or "text" when the element says (media:description's type), else None
    descriptions: tuple[tuple[str, str, str | None], ...] = ()


_CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
_ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
_MEDIA_NS = ("http://search.yahoo.com/mrss/", "http://search.yahoo.com/mrss")
_RSS_NS = ("", "http://purl.org/rss/1.0/", "http://backend.userland.com/rss2")


def _description_name(namespace: str, local: str, parent: str) -> str | None:
    """How `descriptions.ORDER` names this element, if it is one of an item's descriptions."""
    namespace = namespace.lower()
    if local == "encoded" and namespace == _CONTENT_NS and parent in ("item", "channel"):
        return "content:encoded"
    if local == "description" and namespace in _RSS_NS and parent in ("item", "channel"):
        return "description"
    if local in ("summary", "subtitle") and namespace == _ITUNES_NS and parent in ("item", "channel"):
        return f"itunes:{local}"
    if local == "description" and namespace in _MEDIA_NS:
        return "media:description"  # in the item, a media:group or a media:content
    return None


def _inner_text(element) -> str:
    """The element's text; child elements (raw XHTML in a description) as markup."""
    if not len(element):
        return element.text or ""
    return (element.text or "") + "".join(ET.tostring(child, encoding="unicode") for child in element)


def item_extras(data: bytes) -> tuple[Extras, list[Extras]] | None:
    """(channel, [item, ...]) in document order, or None when the second pass does not apply.

    `data` is the feed as `xmlprep.prepare_feed_xml` leaves it; a feed that still declares
    entities, or is not well-formed, is left to feedparser's reading (None).
    """
    if b"<!ENTITY" in data[:65536].upper():
        return None
    items: list[Extras] = []
    depth_tags: list[str] = []
    found: dict[str, list] = {"transcript": [], "person": [], "chapters": [], "descriptions": []}
    channel: dict[str, list] = {"person": [], "descriptions": []}
    try:
        for event, element in ET.iterparse(io.BytesIO(data), events=("start", "end")):
            namespace, _, local = element.tag[1:].rpartition("}") if element.tag[:1] == "{" \
                else ("", "", element.tag)
            if event == "start":
                depth_tags.append(local)
                if local in ("item", "entry"):
                    found = {"transcript": [], "person": [], "chapters": [], "descriptions": []}
                continue
            depth_tags.pop()
            in_item = "item" in depth_tags or "entry" in depth_tags
            if local in found and namespace and is_podcast_namespace(namespace):
                if local == "person":
                    entry = ("".join(element.itertext()), dict(element.attrib))
                    (found if in_item else channel)["person"].append(entry)
                elif in_item:
                    found[local].append(dict(element.attrib))
            elif local in ("item", "entry") and not in_item:
                items.append(Extras(tuple(found["transcript"]), tuple(found["person"]),
                                    tuple(found["chapters"]), tuple(found["descriptions"])))
                element.clear()
            elif name := _description_name(namespace, local, depth_tags[-1] if depth_tags else ""):
                kind = None
                if name == "media:description":
                    kind = "html" if element.get("type", "").lower() == "html" else "text"
                (found if in_item else channel)["descriptions"].append((name, _inner_text(element), kind))
    except (ET.ParseError, ValueError):
        return None
    return Extras(persons=tuple(channel["person"]), descriptions=tuple(channel["descriptions"])), items


def tolerant_extras(text: str) -> tuple[Extras, list[Extras]]:
    """`item_extras` for a feed that is not well-formed XML, read as forgivingly as a browser
    reads HTML (the standard library's HTMLParser): prefixes are matched by their `xmlns:`
    declarations (the usual ones when undeclared), an `<item>` begins where its start tag is."""
    reader = _TolerantReader()
    reader.feed(text)
    reader.close()
    reader.end_capture()
    channel = Extras(persons=tuple(reader.channel["person"]),
                     descriptions=tuple(reader.channel["descriptions"]))
    return channel, [reader.extras(i) for i in reader.items]


def _new_item() -> dict[str, list]:
    return {"transcript": [], "person": [], "chapters": [], "descriptions": []}


class _TolerantReader(HTMLParser):
    DEFAULT_PREFIXES = {"podcast": "https://podcastindex.org/namespace/1.0", "content": _CONTENT_NS,
                        "itunes": _ITUNES_NS, "media": _MEDIA_NS[0]}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.prefixes = dict(self.DEFAULT_PREFIXES)
        self.items: list[dict[str, list]] = []
        self.channel = _new_item()
        self.open: list[str] = []  # element names from the root down, as far as they can be told
        # what is being read: (where it goes, the element's name, text pieces, attributes/kind)
        self.capture: tuple[str, str, list[str], object] | None = None
        self.in_item = False

    def _split(self, tag: str) -> tuple[str, str]:
        prefix, _, local = tag.rpartition(":")
        return (self.prefixes.get(prefix, "") if prefix else ""), local

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if self.capture is not None and self.capture[0] == "descriptions":
            self.capture[2].append(self.get_starttag_text() or "")  # raw markup in a description
            return
        for name, value in attributes.items():
            if name.startswith("xmlns:"):
                self.prefixes[name[len("xmlns:"):]] = value
        parent = self.open[-1] if self.open else ""
        self.open.append(tag)
        if tag in ("item", "entry"):
            self.end_capture()
            self.items.append(_new_item())
            self.in_item = True
            return
        namespace, local = self._split(tag)
        target = self.items[-1] if self.in_item else self.channel
        if namespace and is_podcast_namespace(namespace) and local in ("transcript", "person", "chapters"):
            if local == "person":
                self.end_capture()
                self.capture = ("person", tag, [], attributes)
            elif self.in_item:
                target[local].append(attributes)
        elif name := _description_name(namespace, local, self._split(parent)[1]):
            kind = None
            if name == "media:description":
                kind = "html" if attributes.get("type", "").lower() == "html" else "text"
            self.end_capture()
            self.capture = ("descriptions", tag, [], (name, kind))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.capture is not None and self.capture[1] == tag:
            self.end_capture()
        if self.open and self.open[-1] == tag:
            self.open.pop()

    def handle_data(self, data):
        if self.capture is not None:
            self.capture[2].append(data)

    def unknown_decl(self, data):
        if data.startswith("CDATA[") and self.capture is not None:
            self.capture[2].append(data[len("CDATA["):])

    def handle_endtag(self, tag):
        if self.capture is not None and self.capture[0] == "descriptions" and tag != self.capture[1]:
            self.capture[2].append(f"</{tag}>")
            return
        if self.capture is not None and (tag == self.capture[1] or tag in ("item", "entry", "channel")):
            self.end_capture()
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]
        if tag in ("item", "entry"):
            self.in_item = False

    def end_capture(self):
        if self.capture is None:
            return
        what, _, pieces, extra = self.capture
        target = self.items[-1] if self.in_item else self.channel
        if what == "person":
            target["person"].append(("".join(pieces), extra))
        else:
            name, kind = extra
            target["descriptions"].append((name, "".join(pieces), kind))
        self.capture = None

    @staticmethod
    def extras(item: dict[str, list]) -> Extras:
        return Extras(tuple(item["transcript"]), tuple(item["person"]), tuple(item["chapters"]),
                      tuple(item["descriptions"]))


def preferred_transcript(links):
    """The transcript link podsite uses of an item's several (TRANSCRIPT_PREFERENCE), or None."""
    ranked = sorted(links, key=lambda t: TRANSCRIPT_PREFERENCE.index(t.type))
    return ranked[0] if ranked else None
