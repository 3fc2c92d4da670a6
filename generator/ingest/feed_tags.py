"""Apple's and the Podcasting 2.0 tags a modern feed carries beyond the listening ones
(podcast_ns.py). Pure: bytes in, records and warnings out.

Every tag is read with the line it is on, so a value that cannot be used is dropped with a
warning naming that line (never a crash, never a half-read record). One table per parent:

| tag (channel: C, item: I)                    | field                | dropped, with a warning, when         |
|----------------------------------------------|----------------------|---------------------------------------|
| `itunes:episodeType` (I)                     | `episode_type`       | not full / trailer / bonus (-> full)  |
| `itunes:explicit` (C, I)                     | `explicit`           | not true/false/yes/no/clean/explicit  |
| `itunes:block`, `podcast:block` (C, I)       | `blocked`            | never (only `yes` blocks; podcast:block with an `id` is for one platform and ignored) |
| `podcast:guid` (C)                           | `guid`               | not a UUID                            |
| `podcast:funding url` (C, I)                 | `funding`            | no http(s) `url`                      |
| `podcast:trailer url pubdate` (C)            | `trailers`           | no http(s) `url`                      |
| `podcast:soundbite startTime duration` (I)   | `soundbites`         | start or duration not a number >= 0 (duration > 0) |
| `podcast:alternateEnclosure` + `podcast:source`, `podcast:integrity` (I) | `alternates` | no `type`, or no http(s) source |
| `podcast:season name` (I)                    | `season_name` (number fills `season` when itunes:season is absent) | |
| `podcast:episode display` (I)                | `episode_display` (a whole number fills `number`) |            |
| `podcast:location geo osm` (C, I)            | `location`           | no name; a bad `geo` or `osm` only loses the map link |
| `podcast:license url` (C, I)                 | `license`            | no name                               |
| `podcast:images srcset`, `podcast:image href width` (C, I) | `images` | an entry without an http(s) URL and a width |
| `podcast:socialInteract uri protocol` (I)    | `social`             | no http(s) `uri` (`protocol="disabled"`: comments are off, nothing shown) |
| `podcast:podroll` / `podcast:remoteItem` (C) | `podroll`            | neither `feedGuid` nor an http(s) `feedUrl` |
| `podcast:value` / `podcast:valueRecipient name` (C, I) | `value` (recipients' names only; addresses are never kept) | no `type` |

URLs are kept only when http(s) (`feed.absolute_url`); text is plain text (the renderer escapes it).

The tags are found by a namespace-aware pass with expat (`scan_tags`), which knows line numbers
and keeps repeated tags, their text and their children. A feed that is not well-formed XML, or
declares entities, is read from what feedparser kept instead (`tags_from_feedparser`): the last
of each repeated tag, attributes only, the item's line for every message.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import uuid
import xml.parsers.expat
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import nh3

from ..errors import shown
from ..model import (
    AlternateEnclosure,
    Funding,
    ImageSource,
    License,
    Location,
    Origin,
    RemoteItem,
    SocialInteract,
    Soundbite,
    Trailer,
    ValueBlock,
)
from .podcast_ns import is_podcast_namespace


@dataclass(frozen=True)
class Tag:
    """One element as written in the feed: `name` is `podcast:<local>` or `itunes:<local>`, lower
    case, whatever prefix the feed used."""

    name: str
    attrs: dict = field(default_factory=dict)
    text: str = ""
    line: int | None = None
    children: tuple["Tag", ...] = ()

    def get(self, key: str) -> str:
        """An attribute, matched without regard to case (feeds write startTime and starttime)."""
        key = key.lower()
        for name, value in self.attrs.items():
            if name.lower() == key:
                return " ".join(str(value).split())
        return ""


_ITUNES = "itunes.com/dtds/podcast-1.0.dtd"
_CONTAINERS = {"channel", "feed", "item", "entry"}


def _prefix(uri: str) -> str | None:
    if is_podcast_namespace(uri):
        return "podcast"
    if uri.lower().endswith(_ITUNES):
        return "itunes"
    return None


def scan_tags(data: bytes) -> tuple[tuple[Tag, ...], list[tuple[Tag, ...]]] | None:
    """(channel tags, [tags of each item]) in document order, or None when the feed is not
    well-formed XML or declares entities (then `tags_from_feedparser` is used)."""
    if b"<!ENTITY" in data or b"<!entity" in data:
        return None
    parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    stack: list[str] = []  # local names of the open elements
    building: list[dict] = []  # open tags being read (a wanted tag and its children)
    channel: list[Tag] = []
    items: list[list[Tag]] = []

    def start(name, attrs):
        uri, _, local = name.rpartition(" ")
        prefix = _prefix(uri)
        parent = stack[-1] if stack else ""
        stack.append(local)
        if local in ("item", "entry") and prefix is None:
            items.append([])
        if prefix is None:
            return
        if building or parent in _CONTAINERS:
            attributes = {k.rpartition(" ")[2]: v for k, v in attrs.items()}
            building.append({"name": f"{prefix}:{local.lower()}", "attrs": attributes, "text": [],
                             "line": parser.CurrentLineNumber, "children": [], "parent": parent})

    def end(name):
        local = stack.pop()
        uri = name.rpartition(" ")[0]
        if _prefix(uri) is None or not building or building[-1]["name"].split(":")[1] != local.lower():
            return
        done = building.pop()
        tag = Tag(done["name"], done["attrs"], " ".join("".join(done["text"]).split()),
                  done["line"], tuple(done["children"]))
        if building:
            building[-1]["children"].append(tag)
        elif done["parent"] in ("item", "entry"):
            if items:
                items[-1].append(tag)
        else:
            channel.append(tag)

    def text(value):
        if building:
            building[-1]["text"].append(value)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except (xml.parsers.expat.ExpatError, ValueError):
        return None
    return tuple(channel), [tuple(tags) for tags in items]


def tags_from_feedparser(entry, line: int | None, prefixes=("podcast",)) -> tuple[Tag, ...]:
    """What feedparser kept of the tags (for feeds `scan_tags` cannot read): attributes of the
    last of each podcast: tag (under any prefix the feed bound to the namespace), and
    itunes:episodeType / explicit / block."""
    tags = []
    for key, value in entry.items():
        prefix = next((p for p in prefixes if key.startswith(p + "_")), None)
        if prefix is not None and isinstance(value, dict):
            tags.append(Tag("podcast:" + key.removeprefix(prefix + "_"), dict(value), "", line))
    if entry.get("itunes_episodetype"):
        tags.append(Tag("itunes:episodetype", {}, str(entry["itunes_episodetype"]), line))
    explicit = entry.get("itunes_explicit")
    if explicit is not None:
        tags.append(Tag("itunes:explicit", {}, "true" if explicit else "false", line))
    if entry.get("itunes_block"):
        tags.append(Tag("itunes:block", {}, "yes", line))
    return tuple(tags)


# --- readers: (tags of one name, context) -> field value ------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a reader needs besides the tags: URL resolution and where to send a warning."""

    source: str
    base: str
    absolute_url: object  # feed.absolute_url
    warn: object  # (Origin, message) -> None

    def url(self, value: str) -> str:
        url = self.absolute_url(value, self.base)
        host = urlsplit(url).hostname or ""
        return "" if host.endswith(".onion") else url  # not reachable from a browser

    def origin(self, tag: Tag) -> Origin:
        return Origin(self.source, tag.line)

    def drop(self, tag: Tag, message: str) -> None:
        self.warn(self.origin(tag), message)


_MARKUP = re.compile(r"</?(?:a|b|i|u|em|strong|span|p|br|small|sup|sub|code|div)\b[^>]*>", re.I)


def _plain(value: str) -> str:
    """Text for the page, the renderer escapes it. Inline HTML some hosts put in a name
    (`<b>member</b>`) is dropped; other angle brackets are text (`Q&A <live>` stays)."""
    if _MARKUP.search(value):
        value = html.unescape(nh3.clean(value, tags=set()))
    return " ".join(value.split())


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value >= 0 and value == value and value != float("inf") else None


def _whole(text: str) -> int | None:
    return int(text) if re.fullmatch(r"\d+", text or "") else None


def _last(tags):
    return tags[-1] if tags else None


_EPISODE_TYPES = ("full", "trailer", "bonus")


def read_episode_type(tags, ctx) -> str:
    tag = _last(tags)
    if tag is None or not tag.text:
        return "full"
    kind = tag.text.lower()
    if kind not in _EPISODE_TYPES:
        ctx.drop(tag, f"itunes:episodeType {shown(tag.text)} is not full, trailer or bonus "
                      "(read as full; use one of those three words)")
        return "full"
    return kind


_YES = {"true", "yes", "explicit"}
_NO = {"false", "no", "clean"}


def read_explicit(tags, ctx) -> bool | None:
    tag = _last(tags)
    if tag is None or not tag.text:
        return None
    value = tag.text.lower()
    if value in _YES or value in _NO:
        return value in _YES
    ctx.drop(tag, f"itunes:explicit {shown(tag.text)} is not true or false (ignored; write true or false)")
    return None


def read_blocked(tags, ctx) -> bool:
    # podcast:block with an id blocks one platform only (id="apple"): the site still shows it.
    return any(t.text.lower() == "yes" and not (t.name == "podcast:block" and t.get("id"))
               for t in tags)


def read_guid(tags, ctx) -> str:
    tag = _last(tags)
    if tag is None or not tag.text:
        return ""
    try:
        return str(uuid.UUID(tag.text))
    except ValueError:
        ctx.drop(tag, f"podcast:guid {shown(tag.text)} is not a UUID (ignored; it is the UUIDv5 "
                      "podcastindex.org gives the feed)")
        return ""


def read_funding(tags, ctx) -> tuple[Funding, ...]:
    found = []
    for tag in tags:
        url = ctx.url(tag.get("url"))
        if not url:
            ctx.drop(tag, f"podcast:funding {_not_a_url(tag.get('url'))} (link dropped; give "
                          "url=\"https://...\")")
            continue
        found.append(Funding(url, _plain(tag.text), ctx.origin(tag)))
    return tuple(found)


def _not_a_url(value: str, name: str = "url") -> str:
    return f"{name} {shown(value)} is not an http(s) URL" if value else f"has no {name}"


def _date(text: str) -> dt.datetime | None:
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def read_trailers(tags, ctx) -> tuple[Trailer, ...]:
    found = []
    for tag in tags:
        url = ctx.url(tag.get("url"))
        if not url:
            ctx.drop(tag, f"podcast:trailer {_not_a_url(tag.get('url'))} (trailer dropped; give "
                          "url=\"https://...\")")
            continue
        found.append(Trailer(url, _plain(tag.text), _date(tag.get("pubdate")), tag.get("type") or "audio/mpeg",
                             _whole(tag.get("length")), _whole(tag.get("season")), ctx.origin(tag)))
    return tuple(found)


def read_soundbites(tags, ctx) -> tuple[Soundbite, ...]:
    found = []
    for tag in tags:
        start, duration = _number(tag.get("startTime")), _number(tag.get("duration"))
        if start is None:
            problem = f"startTime {shown(tag.get('startTime'))} is not a number of seconds (0 or more)" \
                if tag.get("startTime") else "has no startTime"
            ctx.drop(tag, f"podcast:soundbite {problem} (soundbite dropped; write e.g. "
                          "startTime=\"73.0\")")
            continue
        if not duration:
            problem = f"duration {shown(tag.get('duration'))} is not a number of seconds above 0" \
                if tag.get("duration") else "has no duration"
            ctx.drop(tag, f"podcast:soundbite {problem} (soundbite dropped; write e.g. "
                          "duration=\"60.0\")")
            continue
        found.append(Soundbite(start, duration, _plain(tag.text), ctx.origin(tag)))
    return tuple(sorted(found, key=lambda s: (s.start, s.duration)))


def read_alternates(tags, ctx) -> tuple[AlternateEnclosure, ...]:
    found = []
    for tag in tags:
        media_type = tag.get("type").lower()
        sources = tuple(dict.fromkeys(
            url for child in tag.children if child.name == "podcast:source"
            if _playable(child.get("contentType"), media_type) and (url := ctx.url(child.get("uri")))))
        if not media_type or "/" not in media_type:
            ctx.drop(tag, "podcast:alternateEnclosure has no media type (dropped; give "
                          "type=\"audio/mpeg\" or the file's type)")
            continue
        if not sources:
            ctx.drop(tag, "podcast:alternateEnclosure has no podcast:source with an http(s) uri "
                          "(dropped; add <podcast:source uri=\"https://...\"/>)")
            continue
        integrity = next((c for c in tag.children if c.name == "podcast:integrity"), None)
        checksum = ""
        if integrity is not None and integrity.get("type").lower() in ("sri", "pgp-signature") \
                and integrity.get("value"):
            checksum = f"{integrity.get('type').lower()} {integrity.get('value')}"
        height = _whole(tag.get("height"))
        found.append(AlternateEnclosure(
            media_type, sources, _whole(tag.get("length")), _number(tag.get("bitrate")),
            height or None, tag.get("lang"), _plain(tag.get("title")), tag.get("rel"), tag.get("codecs"),
            tag.get("default").lower() == "true", checksum, ctx.origin(tag)))
    return tuple(found)


def _playable(content_type: str, media_type: str) -> bool:
    """A source a browser can play: not a torrent or other container of the file."""
    content_type = content_type.lower()
    return not content_type or content_type.startswith(("audio/", "video/"))


def read_season_name(tags, ctx) -> str:
    tag = _last(tags)
    return _plain(tag.get("name")) if tag is not None else ""


def read_episode_display(tags, ctx) -> str:
    tag = _last(tags)
    return _plain(tag.get("display")) if tag is not None else ""


_GEO = re.compile(r"^geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)(?:,-?\d+(?:\.\d+)?)?(?:;.*)?$", re.I)
_OSM = re.compile(r"^[NWR]\d+(?:#\d+)?$")


def read_location(tags, ctx) -> Location | None:
    tag = _last(tags)
    if tag is None:
        return None
    name = _plain(tag.text)
    if not name:
        ctx.drop(tag, "podcast:location has no place name (dropped; write the name inside the "
                      "tag, e.g. <podcast:location geo=\"geo:30.2672,97.7431\">Austin, TX</podcast:location>)")
        return None
    latitude = longitude = None
    geo = tag.get("geo")
    if geo:
        match = _GEO.match(geo)
        lat, lon = (float(match.group(1)), float(match.group(2))) if match else (999.0, 999.0)
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            latitude, longitude = lat, lon
        else:
            ctx.drop(tag, f"podcast:location geo {shown(geo)} is not a latitude and longitude "
                          "(place shown without a map link; write geo=\"geo:30.2672,97.7431\")")
    osm = tag.get("osm").upper()
    if osm and not _OSM.match(osm):
        ctx.drop(tag, f"podcast:location osm {shown(tag.get('osm'))} is not an OpenStreetMap id "
                      "(ignored; write e.g. osm=\"R113314\")")
        osm = ""
    return Location(name, latitude, longitude, osm, ctx.origin(tag))


def read_license(tags, ctx) -> License | None:
    tag = _last(tags)
    if tag is None:
        return None
    name = _plain(tag.text)
    if not name:
        ctx.drop(tag, "podcast:license has no license name (dropped; write its SPDX id, e.g. "
                      "cc-by-4.0, inside the tag)")
        return None
    return License(name, ctx.url(tag.get("url")))


def read_images(tags, ctx) -> tuple[ImageSource, ...]:
    found: dict[int, str] = {}
    for tag in tags:
        if tag.name == "podcast:image":
            purpose = tag.get("purpose").lower().split()
            if purpose and "artwork" not in purpose:
                continue
            candidates = [(tag.get("href"), tag.get("width"))]
        else:  # podcast:images srcset="url 1500w, url 600w"
            candidates = [tuple((part.split() + [""])[:2]) for part in tag.get("srcset").split(",")
                          if part.strip()]
        for url, width in candidates:
            pixels = _whole(width.lower().removesuffix("w"))
            url = ctx.url(url)
            if url and pixels:
                found.setdefault(pixels, url)
            else:
                ctx.drop(tag, f"{tag.name} entry {url or 'without an http(s) URL'} has no width "
                              "in pixels (size dropped; write e.g. srcset=\"https://.../1500.jpg "
                              "1500w\" or width=\"1500\")" if url else
                              f"{tag.name} has an entry without an http(s) URL (size dropped)")
    return tuple(ImageSource(url, width) for width, url in sorted(found.items()))


def read_social(tags, ctx) -> tuple[SocialInteract, ...]:
    found = []
    for tag in tags:
        protocol = tag.get("protocol").lower()
        if protocol == "disabled":
            return ()  # the show turned comments off for this episode
        url = ctx.url(tag.get("uri"))
        if not url:
            ctx.drop(tag, f"podcast:socialInteract {_not_a_url(tag.get('uri'), 'uri')} "
                          "(dropped; give the thread's web address, uri=\"https://...\")")
            continue
        found.append(SocialInteract(url, protocol, tag.get("accountId"), ctx.url(tag.get("accountUrl")),
                                    _whole(tag.get("priority")), ctx.origin(tag)))
    return tuple(sorted(found, key=lambda s: (s.priority is None, s.priority or 0)))


def read_podroll(tags, ctx) -> tuple[RemoteItem, ...]:
    found = []
    for tag in tags:
        for child in tag.children:
            if child.name != "podcast:remoteitem":
                continue
            guid, url = child.get("feedGuid"), ctx.url(child.get("feedUrl"))
            if not guid and not url:
                ctx.drop(child, "podcast:remoteItem has neither a feedGuid nor an http(s) feedUrl "
                                "(dropped; give feedGuid=\"<the show's podcast:guid>\")")
                continue
            found.append(RemoteItem(guid, url, _plain(child.get("title") or child.text), child.get("medium"),
                                    ctx.origin(child)))
    return tuple(found)


def read_value(tags, ctx) -> ValueBlock | None:
    tag = _last(tags)
    if tag is None:
        return None
    if not tag.get("type"):
        ctx.drop(tag, "podcast:value has no type (ignored; e.g. type=\"lightning\")")
        return None
    names = tuple(dict.fromkeys(name for c in tag.children if c.name == "podcast:valuerecipient"
                                if (name := _plain(c.get("name")))))
    return ValueBlock(tag.get("type").lower(), tag.get("method"), names)


# field: (tag names, reader). The names are lower case, as Tag.name is.
CHANNEL_TAGS = {
    "explicit": (("itunes:explicit",), read_explicit),
    "blocked": (("itunes:block", "podcast:block"), read_blocked),
    "guid": (("podcast:guid",), read_guid),
    "funding": (("podcast:funding",), read_funding),
    "trailers": (("podcast:trailer",), read_trailers),
    "podroll": (("podcast:podroll",), read_podroll),
    "location": (("podcast:location",), read_location),
    "license": (("podcast:license",), read_license),
    "images": (("podcast:images", "podcast:image"), read_images),
    "value": (("podcast:value",), read_value),
}

ITEM_TAGS = {
    "episode_type": (("itunes:episodetype",), read_episode_type),
    "explicit": (("itunes:explicit",), read_explicit),
    "blocked": (("itunes:block", "podcast:block"), read_blocked),
    "season_name": (("podcast:season",), read_season_name),
    "episode_display": (("podcast:episode",), read_episode_display),
    "funding": (("podcast:funding",), read_funding),
    "soundbites": (("podcast:soundbite",), read_soundbites),
    "alternates": (("podcast:alternateenclosure",), read_alternates),
    "location": (("podcast:location",), read_location),
    "license": (("podcast:license",), read_license),
    "images": (("podcast:images", "podcast:image"), read_images),
    "social": (("podcast:socialinteract",), read_social),
    "value": (("podcast:value",), read_value),
}


GROUP_ABOVE = 5  # more warnings than this about one tag become one warning with a list
GROUP_SHOWN = 20


def report_dropped(dropped: list, report) -> None:
    """The warnings of the readers, in feed order; many about one tag (a host that writes the
    same mistake in every item) are one warning listing the first of them."""
    by_tag: dict[str, list] = {}
    for where, message in dropped:
        by_tag.setdefault(message.split(" ", 1)[0], []).append((where, message))
    for tag, problems in by_tag.items():
        if len(problems) <= GROUP_ABOVE:
            for where, message in problems:
                report.warning(where, message)
            continue
        details = [f"line {where.line}: {message.removeprefix(tag + ' ')}" if where.line else message
                   for where, message in problems[:GROUP_SHOWN]]
        if len(problems) > GROUP_SHOWN:
            details.append(f"... and {len(problems) - GROUP_SHOWN} more")
        report.warning(problems[0][0], f"{len(problems)} {tag} values could not be used and were "
                                       "dropped (ask the feed's host to fix them):", details)


def read_fields(tags: tuple[Tag, ...], table: dict, ctx: Context) -> dict:
    """The fields of `table` from one parent's tags."""
    by_name: dict[str, list[Tag]] = {}
    for tag in tags:
        by_name.setdefault(tag.name, []).append(tag)
    return {name: read([t for n in names for t in by_name.get(n, ())], ctx)
            for name, (names, read) in table.items()}


def numbers_of(tags: tuple[Tag, ...]) -> tuple[int | None, int | None]:
    """(season, episode) from podcast:season / podcast:episode, for items without itunes: ones."""
    season = next((_whole(t.text) for t in tags if t.name == "podcast:season"), None)
    episode = next((_whole(t.text) for t in tags if t.name == "podcast:episode"), None)
    return season, episode
