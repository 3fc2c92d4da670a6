"""The records that flow through the pipeline: frozen, typed, and able to say where they came from.

Nothing here parses, reads or renders; the modules that do import these.
`origin` is kept out of equality so tests compare meaning while messages cite the source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Origin:
    """A place in a source file: `path` as the user would type it, `line` 1-based or None."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Enclosure:
    url: str
    type: str = "audio/mpeg"
    length: int | None = None


@dataclass(frozen=True)
class Chapter:
    """A point in an episode a listener can jump to: `start` in seconds."""

    start: float
    title: str
    url: str = ""


@dataclass(frozen=True)
class Person:
    """A host or guest (podcast:person, or `people:` in the show notes)."""

    name: str
    role: str = "guest"  # podcast:person roles, lower case: host, guest, ...
    url: str = ""
    image: str = ""


@dataclass(frozen=True)
class TranscriptLink:
    """A transcript the feed points at (podcast:transcript); read by `listening_pages`."""

    url: str
    type: str
    language: str = ""


@dataclass(frozen=True)
class Podcast:
    """The channel of the feed."""

    title: str
    description_html: str = ""
    link: str = ""
    image: str = ""
    author: str = ""
    language: str = ""
    origin: Origin = field(default=Origin(""), compare=False)
    feed_url: str = ""  # the feed's own URL (atom:link rel="self"), for subscribe links
    persons: tuple[Person, ...] = ()  # podcast:person of the channel (usually the hosts)


@dataclass(frozen=True)
class FeedEpisode:
    """One item of the feed, as the feed tells it."""

    guid: str
    title: str
    published: dt.datetime | None = None
    enclosure: Enclosure | None = None
    duration: int | None = None  # seconds
    number: int | None = None  # itunes:episode
    season: int | None = None  # itunes:season
    image: str = ""
    link: str = ""
    description_html: str = ""  # already sanitised by feed.py
    categories: tuple[str, ...] = ()
    origin: Origin = field(default=Origin(""), compare=False)
    chapters: tuple[Chapter, ...] = ()  # Podlove Simple Chapters, inline in the item
    chapters_url: str = ""  # podcast:chapters (JSON), read by `listening_pages`
    transcripts: tuple[TranscriptLink, ...] = ()
    persons: tuple[Person, ...] = ()


_OLDEST = dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def chronological(episode: FeedEpisode) -> tuple:
    """The one order of episodes: oldest first (undated ones before all), then by guid."""
    return (episode.published or _OLDEST, episode.guid)


@dataclass(frozen=True)
class Feed:
    podcast: Podcast
    episodes: tuple[FeedEpisode, ...]


@dataclass(frozen=True)
class ShowNote:
    """A Markdown file in the notes folder: front matter plus body."""

    path: str
    guid: str | None
    number: int | None
    virtues: tuple[str, ...]
    slug: str | None
    description: str | None
    body: str
    origin: Origin = field(default=Origin(""), compare=False)
    # line of each front-matter key, for messages that point at the key itself
    key_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)
    chapters: tuple[Chapter, ...] = ()  # front matter `chapters:`
    people: tuple[Person, ...] = ()  # front matter `people:`

    def line_of(self, key: str, index: int | None = None) -> int | None:
        """The line of a key, or of the `index`th item of its list (`key_lines` has "virtues.1")."""
        lines = dict(self.key_lines)
        if index is not None and f"{key}.{index}" in lines:
            return lines[f"{key}.{index}"]
        return lines.get(key, self.origin.line)


@dataclass(frozen=True)
class Virtue:
    """A page in the virtues folder: its id is the file name without `.md`."""

    id: str
    title: str
    summary: str
    body: str
    order: int = 0
    origin: Origin = field(default=Origin(""), compare=False)


@dataclass(frozen=True)
class Episode:
    """A feed episode joined with its show note (if any), ready to render."""

    feed: FeedEpisode
    note: ShowNote | None
    slug: str
    virtues: tuple[str, ...]
    former_slugs: tuple[str, ...] = ()  # URLs it used to have (content/urls.yml): redirected

    @property
    def title(self) -> str:
        return self.feed.title


@dataclass(frozen=True)
class Catalog:
    """Everything the renderer needs: episodes newest first, virtues in display order."""

    podcast: Podcast
    episodes: tuple[Episode, ...]
    virtues: tuple[Virtue, ...]

    def episodes_of(self, virtue_id: str) -> tuple[Episode, ...]:
        return tuple(e for e in self.episodes if virtue_id in e.virtues)


@dataclass(frozen=True)
class ListenerFiles:
    """What the listener features read from disk and network, before parsing."""

    local: tuple[tuple[str, bytes], ...] = ()  # (path beside the notes, bytes)
    remote: tuple[tuple[str, bytes], ...] = ()  # (URL from the feed, bytes)
    problems: tuple = ()  # errors.Problem from downloading
