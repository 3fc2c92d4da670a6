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
class Funding:
    """A "support the show" link (podcast:funding)."""

    url: str
    text: str = ""  # the feed's own words for the link, e.g. "Become a member"
    origin: Origin = field(default=Origin(""), compare=False)


@dataclass(frozen=True)
class Soundbite:
    """A highlight of an episode (podcast:soundbite): `start` and `duration` in seconds."""

    start: float
    duration: float
    title: str = ""  # empty: the episode's title stands for it
    origin: Origin = field(default=Origin(""), compare=False)

    @property
    def end(self) -> float:
        return self.start + self.duration


@dataclass(frozen=True)
class AlternateEnclosure:
    """Another version of an episode's media (podcast:alternateEnclosure with its podcast:source
    and podcast:integrity): a format, a quality, a video. `sources` are http(s) URLs only."""

    type: str
    sources: tuple[str, ...]
    length: int | None = None
    bitrate: float | None = None  # bits per second
    height: int | None = None  # video only
    lang: str = ""
    title: str = ""
    rel: str = ""
    codecs: str = ""
    default: bool = False
    integrity: str = ""  # "sri sha384-..." or "pgp-signature <base64>"; empty when not given
    origin: Origin = field(default=Origin(""), compare=False)

    @property
    def is_video(self) -> bool:
        return self.type.startswith("video/")


@dataclass(frozen=True)
class Location:
    """What place an episode or show is about (podcast:location)."""

    name: str
    latitude: float | None = None
    longitude: float | None = None
    osm: str = ""  # OpenStreetMap id: "R113314" (relation), "W..." (way), "N..." (node)
    origin: Origin = field(default=Origin(""), compare=False)


@dataclass(frozen=True)
class License:
    """podcast:license: an SPDX id (`cc-by-4.0`) or a custom name, and where its text is."""

    name: str
    url: str = ""


@dataclass(frozen=True)
class ImageSource:
    """One size of the cover art (podcast:images srcset, podcast:image): `width` in pixels."""

    url: str
    width: int


@dataclass(frozen=True)
class SocialInteract:
    """Where the conversation about an episode happens (podcast:socialInteract)."""

    url: str
    protocol: str = ""  # activitypub, twitter, lightning, ...
    account: str = ""  # accountId, e.g. @host@example.social
    account_url: str = ""
    priority: int | None = None
    origin: Origin = field(default=Origin(""), compare=False)


@dataclass(frozen=True)
class RemoteItem:
    """A show the podcast recommends (podcast:podroll's podcast:remoteItem)."""

    feed_guid: str
    feed_url: str = ""
    title: str = ""
    medium: str = ""
    origin: Origin = field(default=Origin(""), compare=False)


@dataclass(frozen=True)
class ValueBlock:
    """podcast:value: that the show takes value-for-value payments, and the recipients' names.
    The payment addresses are deliberately not kept."""

    type: str  # lightning, ...
    method: str = ""
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class Trailer:
    """A trailer of the show or of a season (podcast:trailer, in the channel)."""

    url: str
    title: str
    published: dt.datetime | None = None
    type: str = "audio/mpeg"
    length: int | None = None
    season: int | None = None
    origin: Origin = field(default=Origin(""), compare=False)


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
    # Apple's and the Podcasting 2.0 channel tags (feed_tags.py)
    explicit: bool | None = None  # itunes:explicit; None: the feed does not say
    blocked: bool = False  # itunes:block / podcast:block (without a platform id): yes
    guid: str = ""  # podcast:guid, the show's identity across hosts
    funding: tuple[Funding, ...] = ()
    trailers: tuple[Trailer, ...] = ()
    podroll: tuple[RemoteItem, ...] = ()
    location: Location | None = None
    license: License | None = None
    images: tuple[ImageSource, ...] = ()  # sizes of `image`, smallest first
    value: ValueBlock | None = None


@dataclass(frozen=True)
class FeedEpisode:
    """One item of the feed, as the feed tells it."""

    guid: str
    title: str
    # aware, in the feed's own UTC offset (the host's day); compares and sorts by the instant
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
    # Apple's and the Podcasting 2.0 item tags (feed_tags.py)
    episode_type: str = "full"  # itunes:episodeType: full, trailer or bonus
    explicit: bool | None = None  # itunes:explicit; None: the feed does not say
    blocked: bool = False  # itunes:block / podcast:block: yes
    season_name: str = ""  # podcast:season name="..."
    episode_display: str = ""  # podcast:episode display="..."
    funding: tuple[Funding, ...] = ()
    soundbites: tuple[Soundbite, ...] = ()
    alternates: tuple[AlternateEnclosure, ...] = ()
    location: Location | None = None
    license: License | None = None
    images: tuple[ImageSource, ...] = ()
    social: tuple[SocialInteract, ...] = ()  # highest priority first
    value: ValueBlock | None = None


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

    def line_of(self, key: str) -> int | None:
        return dict(self.key_lines).get(key, self.origin.line)


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
