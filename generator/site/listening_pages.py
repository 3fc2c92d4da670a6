"""Chapters, people and transcripts of each episode, and the pages they get.

    load_listener_files (I/O: files beside the notes, and chapter/transcript URLs of the feed,
                         downloaded with download.py's last-good cache, never by the listener)
    -> listener_infos (pure: which source wins, parsed) -> render_listener_pages (pure)

Which source wins, per episode:

| what        | first                          | then                            | then                    |
|-------------|--------------------------------|---------------------------------|-------------------------|
| chapters    | note front matter `chapters:`  | feed `psc:chapters` (inline)    | feed `podcast:chapters` |
| people      | note front matter `people:`    | item `podcast:person`           | channel `podcast:person`|
| transcript  | file beside the note (`.vtt`, `.srt`, `.json`) | feed `podcast:transcript` (VTT, SRT, JSON, HTML) | |

Transcripts get pages of their own (`transcripts/<slug>/`), found by the site search like every
other page (Pagefind, site/search_index.py: a query fetches only the parts of the index it needs,
so transcripts cost a listener nothing until they match); each transcript page also has its own
find box.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import jinja2

from ..errors import Report
from ..ingest.podcast_ns import clock, preferred_transcript
from ..model import Catalog, Chapter, Episode, ListenerFiles, Person, Podcast
from ..sources.files import LOCAL_TRANSCRIPTS
from ..sources.listening import (
    Transcript,
    parse_chapters_json,
    parse_transcript,
    person_ids,
)
from .render import SiteFiles, episode_path, paginate, plain_summary, relative_path
from .site_urls import canonical_url, url_of


@dataclass(frozen=True)
class ListenInfo:
    chapters: tuple[Chapter, ...]
    people: tuple[tuple[str, Person], ...]  # (person id, person)
    transcript_path: str | None  # generated page, e.g. transcripts/<slug>.md; None: no transcript
    transcript_language: str = ""  # as the feed says (podcast:transcript language); "" unknown
    chapters_language: str = ""  # the feed's <language> for chapters from the feed
    transcript_from: tuple[bytes, str, str] | None = None  # (data, type, source) it was read from
    _parsed: list = field(default_factory=list, compare=False, repr=False)

    @property
    def transcript(self) -> Transcript | None:
        """The transcript, parsed when a template first asks for it and kept until `forget`:
        the transcripts of a large show are not all held at once (2000 episodes of 8000
        words: 157 MB), only the one whose page is being rendered. listener_infos has already
        parsed it once, to know it can be read and to report what it found."""
        if self.transcript_from is None:
            return None
        if not self._parsed:
            self._parsed.append(parse_transcript(*self.transcript_from, Report()))
        return self._parsed[0]

    def forget(self) -> None:
        self._parsed.clear()


def transcript_path(episode: Episode) -> str:
    return f"transcripts/{episode.slug}.md"


def person_path(pid: str) -> str:
    return f"people/{pid}.md"


def listener_infos(catalog: Catalog, files: ListenerFiles, report: Report) -> dict[str, ListenInfo]:
    """slug -> ListenInfo for every episode."""
    local = {}
    for path, data in files.local:
        stem, _, suffix = path.rpartition(".")
        local[stem] = (path, data, LOCAL_TRANSCRIPTS["." + suffix])
    remote = dict(files.remote)
    people_of = {e.slug: (e.note.people if e.note else ()) or e.feed.persons or catalog.podcast.persons
                 for e in catalog.episodes}
    ids = person_ids(p.name for e in reversed(catalog.episodes) for p in people_of[e.slug])
    infos = {}
    for episode in catalog.episodes:
        feed, note = episode.feed, episode.note
        chapters = (note.chapters if note else ()) or feed.chapters
        if not chapters and feed.chapters_url in remote:
            chapters = parse_chapters_json(remote[feed.chapters_url], feed.chapters_url, report)
        from_feed = bool(chapters) and not (note and note.chapters)
        transcript_language = ""
        people = people_of[episode.slug]
        source = None  # (data, type, where)
        beside = local.get(note.path.rpartition(".")[0]) if note else None
        if beside is not None:
            source = (beside[1], beside[2], beside[0])
        else:
            best = preferred_transcript(feed.transcripts)
            if best is not None and best.url in remote:
                source = (remote[best.url], best.type, best.url)
                transcript_language = best.language or catalog.podcast.language
        if source is not None and not parse_transcript(*source, report):
            source = None  # unreadable or empty: reported, and the episode has no transcript
        infos[episode.slug] = ListenInfo(
            chapters, tuple((ids[p.name], p) for p in people),
            transcript_path(episode) if source else None, transcript_language,
            catalog.podcast.language if from_feed else "", source)
    return infos


@jinja2.pass_context
def page_url(context, target: str) -> str:
    """Relative URL from the page being rendered to another generated page, for raw HTML
    attributes, where MkDocs does not rewrite `.md` links."""
    directory_urls = context.get("directory_urls", True)
    here = url_of(context["here"], directory_urls).rpartition("/")[0]
    there = url_of(target, directory_urls)
    if not there:  # the home page, as a folder
        return "../" * len(here.split("/")) if here else "./"
    if there.endswith("/"):
        return relative_path(there.rstrip("/"), here) + "/"
    return relative_path(there, here)


def embed_path(episode: Episode) -> str:
    """The embeddable player of an episode: a page of its own under the episode's URL."""
    return f"episodes/{episode.slug}/embed/index.html"


def chapter_data(info: ListenInfo | None) -> str:
    """The chapters as JSON for player.js (`[[start, title], ...]`), "" without chapters."""
    if info is None or not info.chapters:
        return ""
    return json.dumps([[c.start, c.title] for c in info.chapters], ensure_ascii=False,
                      separators=(",", ":"))


def embed_height(info: ListenInfo | None) -> int:
    """Pixels the embed's <iframe> needs: the player, and up to 12 chapters before it scrolls."""
    return 150 + (22 * min(len(info.chapters), 12) + 8 if info is not None and info.chapters else 0)


def install(env: jinja2.Environment, infos: dict[str, ListenInfo], subscribe: tuple,
            directory_urls: bool = True) -> None:
    env.globals.update(embed_path=embed_path, chapter_data=chapter_data, embed_height=embed_height)
    env.globals.update(listening=infos, person_path=person_path, subscribe_links=subscribe,
                       jsonld_episode=jsonld_episode, jsonld_series=jsonld_series, page_url=page_url,
                       directory_urls=directory_urls)
    env.filters["clock"] = clock


def render_listener_pages(catalog: Catalog, infos: dict[str, ListenInfo], env: jinja2.Environment,
                          per_page: int = 20, packed: bool = False) -> dict[str, str | bytes]:
    """Transcript pages, the transcripts list, people and person pages, and each episode's
    embeddable player (episodes/<slug>/embed/).
    Every list is paginated (`per_page`), so no page grows with the number of episodes; `packed`:
    as render.SiteFiles."""
    site = SiteFiles(packed)
    people: dict[str, Person] = {}
    episodes_of: dict[str, list[tuple[Episode, str]]] = {}
    template = None  # transcript.md.j2, loaded once, and only for a show with transcripts
    virtue_by_id = {v.id: v for v in catalog.virtues}
    for episode in catalog.episodes:  # newest first
        info = infos[episode.slug]
        for pid, person in info.people:
            people.setdefault(pid, person)
            episodes_of.setdefault(pid, []).append((episode, person.role))
        if info.transcript_path is not None:
            template = template or env.get_template("transcript.md.j2")
            site.add(info.transcript_path, template.render(
                here=info.transcript_path, episode=episode, info=info, podcast=catalog.podcast,
                episode_page=episode_path(episode), virtue_by_id=virtue_by_id))
            info.forget()
    embed = env.get_template("embed.html.j2")
    for episode in catalog.episodes:
        if episode.feed.enclosure:
            path = embed_path(episode)
            site.add(path, embed.render(here=path, episode=episode, info=infos[episode.slug],
                                        podcast=catalog.podcast))
    with_transcripts = [(e, infos[e.slug]) for e in catalog.episodes if infos[e.slug].transcript_path]
    if with_transcripts:
        template = env.get_template("transcripts.md.j2")
        for pager in paginate(with_transcripts, per_page, "transcripts/index.md", "transcripts"):
            site.add(pager.path, template.render(here=pager.path, pager=pager, podcast=catalog.podcast,
                                                 count=len(with_transcripts)))
    if people:
        ordered = sorted(people.items(), key=lambda kv: (kv[1].name.lower(), kv[0]))
        template = env.get_template("people.md.j2")
        for pager in paginate(ordered, per_page, "people/index.md", "people"):
            site.add(pager.path, template.render(here=pager.path, pager=pager, count=len(ordered),
                                                 episodes_of=episodes_of, podcast=catalog.podcast))
        template = env.get_template("person.md.j2")
        for pid, person in ordered:
            for pager in paginate(episodes_of[pid], per_page, person_path(pid), f"people/{pid}"):
                site.add(pager.path, template.render(here=pager.path, person=person, pid=pid,
                                                     pager=pager, count=len(episodes_of[pid]),
                                                     podcast=catalog.podcast))
    return site.as_dict()


# --- structured data (schema.org JSON-LD) -------------------------------------------------------


def _script_json(data: dict) -> str:
    """JSON for a <script> element, as a quoted front-matter value (main.html prints it in <head>).

    ASCII only (`\\u` escapes), and `<`, `>`, `&` escaped, so it can never end its <script>
    element early; quoted once more for the YAML front matter."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return json.dumps(text)


def series_data(podcast: Podcast, url: str = "") -> dict:
    data = {"@context": "https://schema.org", "@type": "PodcastSeries", "name": podcast.title}
    if url:
        data["url"] = url
    if podcast.link and podcast.link != url:
        data["sameAs"] = podcast.link
    if podcast.feed_url:
        data["webFeed"] = podcast.feed_url
    if podcast.image:
        data["image"] = podcast.image
    if podcast.guid:
        data["identifier"] = podcast.guid  # podcast:guid, the show's identity across hosts
    if podcast.author:
        data["author"] = {"@type": "Organization", "name": podcast.author}
    return data


@jinja2.pass_context
def jsonld_series(context, podcast: Podcast) -> str:
    """The home page's PodcastSeries; `url` is the page's canonical URL (feed `<link>`: sameAs)."""
    return _script_json(series_data(podcast, canonical_url(context, "index.md")))


@jinja2.pass_context
def jsonld_episode(context, episode: Episode, podcast: Podcast) -> str:
    """The episode page's PodcastEpisode: `url` is the page's own canonical URL (under
    `site_url`), the feed item's `<link>` its `sameAs`."""
    feed = episode.feed
    series = series_data(podcast, canonical_url(context, "index.md"))
    del series["@context"]
    data = {"@context": "https://schema.org", "@type": "PodcastEpisode", "name": episode.title,
            "partOfSeries": series}
    url = canonical_url(context, episode_path(episode))
    if url:
        data["url"] = url
    if feed.link and feed.link != url:
        data["sameAs"] = feed.link
    if feed.published:
        data["datePublished"] = feed.published.isoformat()  # the instant, in the feed's offset
    if feed.number is not None:
        data["episodeNumber"] = feed.number
    if feed.season is not None:
        data["partOfSeason"] = {"@type": "PodcastSeason", "seasonNumber": feed.season}
    if feed.image:
        data["image"] = feed.image
    description = (episode.note.description if episode.note and episode.note.description
                   else plain_summary(feed.description_html, 300))
    if description:
        data["description"] = description
    if feed.enclosure:
        media = {"@type": "AudioObject", "contentUrl": feed.enclosure.url,
                 "encodingFormat": feed.enclosure.type}
        if feed.duration is not None:
            media["duration"] = f"PT{feed.duration}S"
        data["associatedMedia"] = media
    return _script_json(data)
