"""Feed bytes -> `Feed` records. Pure: no files, no network.

Which feed key fills which field is declared once, in `EPISODE_FIELDS` and `PODCAST_FIELDS`.

Rules a maintainer can rely on:

- An episode's id is its `<guid>`; without one, its enclosure URL; without that, its `<link>`;
  without that, a hash of its title and date (stable while those do not change).
- Two items with the same id are an error that names both lines.
- Text fields (titles, author) are plain text: tags are stripped here and the renderer escapes them.
  HTML fields (descriptions) pass an allow-list sanitiser (nh3), never hand-written regexes;
  elements it removes go with their fallback text (`<audio>`, `<video>`, `<object>`, `<iframe>`:
  "Your browser does not support the audio tag." never reaches a page).
- The description is the richest the item has, by element name, not by the order feedparser
  met them: `content:encoded`, then `description`, then `media:description`, then
  `itunes:summary`, then `itunes:subtitle` (plain text becomes paragraphs and links); the
  table is in `descriptions.py`.
- URLs are resolved against the feed's base and kept only when they are http(s); anything else
  (`javascript:`, `data:`, relative with no base) is dropped.
- Durations accept seconds (`3600`, `3600.5`), `MM:SS` and `HH:MM:SS`; anything else is unknown.
- A feed that is not well-formed XML is still parsed as far as feedparser can; if that yields no
  channel and no items it is rejected with the line feedparser stopped at.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
import xml.sax
from dataclasses import replace
from urllib.parse import quote, urljoin, urlsplit

import feedparser
import nh3

from ..errors import Report, shown
from ..model import Enclosure, Feed, FeedEpisode, Origin, Podcast
from . import dates, descriptions, feed_tags, podcast_ns, xmlprep

# --- sanitising -----------------------------------------------------------------------------------

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "s",
    "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
URL_SCHEMES = {"http", "https", "mailto"}
# Elements removed together with what they hold: their content is fallback text for a browser
# that cannot show them ("Your browser does not support the audio tag."), a script, a style, or
# a page's head, never words of the show notes.
REMOVED_WITH_CONTENT = {
    "script", "style", "audio", "video", "object", "iframe", "noscript", "canvas", "svg",
    "template", "applet", "noembed", "noframes", "frameset", "head", "title", "select",
    "datalist", "textarea",
}


def sanitize_html(fragment: str) -> str:
    """Allow-list sanitise a feed's HTML fragment (nh3, i.e. the Rust `ammonia` crate)."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow ugc",
        clean_content_tags=REMOVED_WITH_CONTENT,
    ).strip()


def plain_text(value: str, is_html: bool) -> str:
    """Text for a title or name: tags dropped when the feed marks it HTML, whitespace collapsed."""
    if is_html:
        value = html.unescape(nh3.clean(value, tags=set(), clean_content_tags=REMOVED_WITH_CONTENT))
    return " ".join(value.split())


def absolute_url(url: str | None, base: str) -> str:
    """`url` resolved against `base`, or "" unless the result is an http(s) URL."""
    url = (url or "").strip()
    if not url:
        return ""
    resolved = urljoin(base, url) if base else url
    parts = urlsplit(resolved)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    # Characters a URL may not contain (spaces, quotes, angle brackets, non-ASCII) are
    # percent-encoded, so the URL is valid and can never break out of an attribute or a Markdown link.
    return quote(resolved, safe=_URL_SAFE)


_URL_SAFE = "!#$%&'*+,-./:;=?@[]_~"  # not ( ): a Markdown link ends at an unbalanced one


# --- small parsers --------------------------------------------------------------------------------

def parse_duration(value: str | None) -> int | None:
    """Whole seconds from `3600`, `3600.5`, `MM:SS` or `HH:MM:SS`; None for anything else."""
    seconds = podcast_ns.parse_time(value)
    return None if seconds is None else int(seconds)


MAX_NUMBER = 10**9  # an episode or season number beyond this is not one (and would not fit a path)


def parse_int(value) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 <= number < MAX_NUMBER else None


def _published(entry) -> dt.datetime | None:
    """pubDate (or Atom published, dcterms:issued), else dc:date (or Atom updated), in the date's
    own UTC offset: dates.py."""
    for key in ("published", "updated"):
        # dict.get: the raw keys, without feedparser's deprecated updated->published alias (it warns)
        found = dates.published(dict.get(entry, f"{key}_parsed"), dict.get(entry, key))
        if found is not None:
            return found
    return None


_ITEM_START = re.compile(rb"<(?:item|entry)[\s>/]")


def _item_lines(data: bytes) -> list[int]:
    """1-based line of each `<item>`/`<entry>` start tag, in document order."""
    lines, last_pos, last_line = [], 0, 1
    for match in _ITEM_START.finditer(data):
        last_line += data.count(b"\n", last_pos, match.start())
        last_pos = match.start()
        lines.append(last_line)
    return lines


# --- the field table ------------------------------------------------------------------------------


def _text(key):
    def get(entry, base):
        detail = entry.get(f"{key}_detail") or {}
        return plain_text(entry.get(key, "") or "", detail.get("type") == "text/html")
    return get


_ANY_TAG = re.compile(r"<[^>]*>")


def visible_text(clean: str) -> str:
    """The text of HTML that `sanitize_html` returned (its tags are well-formed, with any `>` in
    an attribute escaped, so a pattern can strip them)."""
    return html.unescape(_ANY_TAG.sub("", clean)).strip()


def _description(entry, base) -> str:
    """feedparser's reading, used only when the second pass cannot read the feed (descriptions.py:
    normally each description element is read by its own name)."""
    content = entry.get("content")
    values = [(c.get("type") or "", c.get("value") or "") for c in content if isinstance(c, dict)] \
        if isinstance(content, list) else []
    for key in ("summary", "subtitle"):
        if entry.get(key):
            values.append(((entry.get(f"{key}_detail") or {}).get("type") or "", entry[key]))
    return descriptions.rank_feedparser(values, sanitize_html, visible_text)


def _image(entry, base) -> str:
    image = entry.get("image")
    href = image.get("href") if isinstance(image, dict) else None
    return absolute_url(href, base)


def _enclosure(entry, base) -> Enclosure | None:
    for link in entry.get("links") or []:
        if link.get("rel") == "enclosure":
            url = absolute_url(link.get("href"), base)
            if url:
                return Enclosure(url, link.get("type") or "audio/mpeg", parse_int(link.get("length")))
    return None


def _categories(entry, base) -> tuple[str, ...]:
    terms = [plain_text(t.get("term") or "", False) for t in entry.get("tags") or []]
    return tuple(dict.fromkeys(t for t in terms if t))


def _link(entry, base) -> str:
    link = entry.get("link")
    # feedparser copies a <guid> into `link` when the item has no <link>: only a guid that is
    # itself a web URL is one (an id like "ep-12" is not a page of the podcast's site).
    if entry.get("guidislink") and link == entry.get("id") \
            and urlsplit((link or "").strip()).scheme not in ("http", "https"):
        return ""
    return absolute_url(link, base)


EPISODE_FIELDS = {
    # field of FeedEpisode: how to read it from a feedparser entry
    "title": _text("title"),
    # dict.get: the raw keys, without feedparser's deprecated updated->published alias (it warns)
    "published": lambda e, b: _published(e),
    "enclosure": _enclosure,
    "duration": lambda e, b: parse_duration(e.get("itunes_duration")),
    "number": lambda e, b: parse_int(e.get("itunes_episode")),
    "season": lambda e, b: parse_int(e.get("itunes_season")),
    "image": _image,
    "link": _link,
    "description_html": _description,
    "categories": _categories,
    # listener tags (podcast_ns.py); persons and transcripts are read again by the second pass
    "chapters": lambda e, b: podcast_ns.psc_chapters(e, absolute_url, b),
    "chapters_url": lambda e, b: podcast_ns.chapters_url(e, absolute_url, b),
    "transcripts": lambda e, b: podcast_ns.fallback_transcripts(e, absolute_url, b),
    "persons": lambda e, b: podcast_ns.fallback_persons(e, absolute_url, b),
}

PODCAST_FIELDS = {
    "title": _text("title"),
    "description_html": _description,
    "link": lambda f, b: absolute_url(f.get("link"), b),
    "image": _image,
    "author": _text("author"),
    "language": lambda f, b: (f.get("language") or "").strip(),
    "feed_url": lambda f, b: absolute_url(next((link.get("href") for link in f.get("links") or []
                                                 if link.get("rel") == "self"), ""), b),
    "persons": lambda f, b: podcast_ns.fallback_persons(f, absolute_url, b),
}


def _episode_id(entry, fields: dict) -> tuple[str, str]:
    """The item's id, and where it came from when the item has no guid ("" when it has one)."""
    guid = (entry.get("id") or "").strip()
    if guid:
        return guid, ""
    if fields["enclosure"]:
        return fields["enclosure"].url, "the audio URL"
    if fields["link"]:
        return fields["link"], "the link"
    # in UTC, as before dates kept their offset: a derived id must never change
    published = fields["published"].astimezone(dt.timezone.utc).isoformat() if fields["published"] else ""
    digest = hashlib.sha1(f"{fields['title']}\n{published}".encode()).hexdigest()[:12]
    return f"untitled-{digest}", "title and date"


def _duplicate(guid: str, derived: str, first: int | None, line: int | None) -> str:
    if not derived:
        lines = f"lines {first} and {line}" if first and line else "two items"
        return f"guid {shown(guid)} is used by two items ({lines}; each episode needs its own guid)"
    items = f"the items at lines {first} and {line}" if first and line else "two items"
    return (f"{items} have the same id {shown(guid)} (no guid; derived from {derived}; give each "
            "item a <guid> of its own)")


def parse_feed(data: bytes, source: str, report: Report, base_url: str = "") -> Feed | None:
    """Parse feed bytes. Problems go to `report`; returns None when nothing usable was found."""
    origin = Origin(source)
    if not data.strip():
        report.error(origin, "the feed is empty (0 bytes of feed; check that the file or URL is "
                             "the podcast's feed)")
        return None
    data = xmlprep.prepare_feed_xml(data)
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if parsed.get("bozo"):
        exc = parsed.get("bozo_exception")
        line = getattr(exc, "getLineNumber", lambda: None)()
        where = Origin(source, line)
        reason = getattr(exc, "getMessage", lambda: str(exc))()
        if not parsed.entries and not parsed.feed:
            report.error(where, f"not a readable RSS or Atom feed: {reason} "
                                "(check that the file or URL is the podcast's feed)")
            return None
        if isinstance(exc, feedparser.CharacterEncodingOverride):
            report.info(where, f"feed encoding: {reason}")
        else:
            report.warning(where, f"feed is not well-formed XML: {reason} "
                                  "(parsed what could be read; ask the feed's host to fix it)")
    if not parsed.get("version") and not parsed.entries:
        report.error(origin, "no RSS or Atom feed found in this file "
                             "(check that the file or URL is the podcast's feed)")
        return None

    # Not well-formed even after xmlprep: feedparser fell back to its loose (SGML) parser.
    loose = bool(parsed.get("bozo")) and isinstance(parsed.get("bozo_exception"), xml.sax.SAXException)
    if loose:
        _undo_loose_escaping(parsed)
    channel = parsed.feed
    base = base_url or absolute_url(channel.get("link"), "")
    podcast = Podcast(
        **{name: read(channel, base) for name, read in PODCAST_FIELDS.items()}, origin=origin
    )
    if not podcast.title:
        podcast = Podcast(**{**podcast.__dict__, "title": "Untitled podcast"})

    lines = _item_lines(data)
    if len(lines) != len(parsed.entries):
        lines = [None] * len(parsed.entries)
    if loose:
        extras = podcast_ns.tolerant_extras(data.decode(parsed.get("encoding") or "utf-8", "replace"))
    else:
        extras = podcast_ns.item_extras(data)
    prefixes = podcast_ns.podcast_prefixes(parsed.get("namespaces"))
    scanned = None if loose else feed_tags.scan_tags(data)
    if scanned is not None and len(scanned[1]) != len(parsed.entries):
        scanned = None
    dropped: list[tuple[Origin, str]] = []
    ctx = feed_tags.Context(source, base, absolute_url, lambda where, message: dropped.append((where, message)))
    channel_tags = scanned[0] if scanned else feed_tags.tags_from_feedparser(channel, None, prefixes)
    podcast = replace(podcast, **feed_tags.read_fields(channel_tags, feed_tags.CHANNEL_TAGS, ctx))
    if extras is not None and len(extras[1]) == len(parsed.entries):
        podcast = _with_extras(podcast, extras[0], base)
        item_extras = extras[1]
    else:
        item_extras = [None] * len(parsed.entries)
        podcast = Podcast(**{**podcast.__dict__,
                             "persons": podcast_ns.fallback_persons(channel, absolute_url, base, prefixes)})
    episodes: list[FeedEpisode] = []
    seen: dict[str, FeedEpisode] = {}
    item_tags = scanned[1] if scanned else [None] * len(parsed.entries)
    for entry, line, extra, tags in zip(parsed.entries, lines, item_extras, item_tags):
        # what the second pass read wins; the table reads the rest (and a description when the
        # second pass found none)
        known = _extra_fields(extra, base) if extra is not None else _fallback_fields(entry, base, prefixes)
        fields = {name: known[name] if name in known else read(entry, base)
                  for name, read in EPISODE_FIELDS.items()}
        if tags is None:
            tags = feed_tags.tags_from_feedparser(entry, line, prefixes)
        fields.update(feed_tags.read_fields(tags, feed_tags.ITEM_TAGS, ctx))
        season, number = feed_tags.numbers_of(tags)
        if fields["season"] is None:
            fields["season"] = season
        if fields["number"] is None:
            fields["number"] = number
        guid, derived = _episode_id(entry, fields)
        if not fields["title"]:
            fields["title"] = _fallback_title(fields)
        episode = FeedEpisode(guid=guid, **fields, origin=Origin(source, line))
        if guid in seen:
            first = seen[guid].origin.line
            report.error(episode.origin, _duplicate(guid, derived, first, line))
            continue
        seen[guid] = episode
        episodes.append(episode)
    if not parsed.entries:
        report.error(origin, "the feed has no episodes (no <item> or <entry> elements; check "
                             "that this is the podcast's full feed, not an empty or paged one)")
        return None
    feed_tags.report_dropped(dropped, report)
    return Feed(podcast, tuple(episodes))


# Plain-text values feedparser's loose parser (used when the XML is not well-formed) leaves with
# their entities escaped once ("Q&amp;A"), where the XML parser decodes them ("Q&A").
_LOOSE_ESCAPED = ("id", "author", "podcast_person")


def _undo_loose_escaping(parsed) -> None:
    """Make the loose parser's plain-text values what the XML parser gives for the same feed."""
    for record in (parsed.feed, *parsed.entries):
        for key in _LOOSE_ESCAPED:
            if isinstance(record.get(key), str):
                record[key] = html.unescape(record[key])
        for tag in record.get("tags") or []:
            if isinstance(tag.get("term"), str):
                tag["term"] = html.unescape(tag["term"])


def _extra_fields(extra: podcast_ns.Extras, base: str) -> dict:
    links = (podcast_ns.transcript_link(a, absolute_url, base) for a in extra.transcripts)
    people = (podcast_ns.person(text, a, absolute_url, base) for text, a in extra.persons)
    chapters = (absolute_url(a.get("url"), base) for a in extra.chapters)
    fields = {"transcripts": tuple(t for t in links if t), "persons": tuple(p for p in people if p),
              "chapters_url": next((url for url in chapters if url), "")}
    return {**fields, **_chosen_description(extra)}


def _chosen_description(extra: podcast_ns.Extras) -> dict:
    """`description_html` from the element descriptions.ORDER puts first, when there is one."""
    candidates: dict[str, tuple[str, str | None]] = {}
    for name, text, kind in extra.descriptions:
        candidates.setdefault(name, (text, kind))  # the first of each (an item has one)
    chosen = descriptions.choose(candidates, sanitize_html, visible_text)
    return {"description_html": chosen} if chosen else {}


def _fallback_fields(entry, base: str, prefixes: tuple[str, ...]) -> dict:
    """The podcast: tags as feedparser kept them, when the second pass could not read the feed."""
    return {"transcripts": podcast_ns.fallback_transcripts(entry, absolute_url, base, prefixes),
            "persons": podcast_ns.fallback_persons(entry, absolute_url, base, prefixes),
            "chapters_url": podcast_ns.chapters_url(entry, absolute_url, base, prefixes)}


def _with_extras(podcast: Podcast, channel: podcast_ns.Extras, base: str) -> Podcast:
    fields = _extra_fields(channel, base)
    return Podcast(**{**podcast.__dict__, "persons": fields["persons"],
                      "description_html": fields.get("description_html", podcast.description_html)})


def _fallback_title(fields: dict) -> str:
    if fields["published"]:
        return f"Episode of {fields['published']:%d %B %Y}"
    if fields["number"] is not None:
        return f"Episode {fields['number']}"
    return "Untitled episode"
