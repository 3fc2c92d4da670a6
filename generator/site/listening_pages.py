"""Chapters, people and transcripts of each episode, and the pages they get.

    load_listener_files (I/O: files beside the notes, and chapter/transcript URLs of the feed,
                         downloaded with fetch.py's last-good cache, never by the listener)
    -> listener_infos (pure: which source wins, parsed) -> render_listener_pages (pure)

Which source wins, per episode:

| what        | first                          | then                            | then                    |
|-------------|--------------------------------|---------------------------------|-------------------------|
| chapters    | note front matter `chapters:`  | feed `psc:chapters` (inline)    | feed `podcast:chapters` |
| people      | note front matter `people:`    | item `podcast:person`           | channel `podcast:person`|
| transcript  | file beside the note (`.vtt`, `.srt`, `.json`) | feed `podcast:transcript` (VTT, SRT, JSON, HTML) | |

Transcripts get pages of their own (`transcripts/<slug>/`), left out of the site's search index
so the index every visitor downloads stays small (150 episodes x 8,000 words would make it ~8 MB;
see bench/transcript_index.py). They are searched from `transcripts/`, whose page downloads
`transcripts/search.json` only when a listener searches there; each transcript page also has
its own find box.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from . import content, fetch
from .errors import Problem, Report, Severity
from .listen import Transcript, parse_chapters_json, parse_transcript, person_ids
from .model import Catalog, Chapter, Episode, Origin, Person, Podcast
from .podcast_ns import TRANSCRIPT_PREFERENCE, clock
from .render import SiteFiles, episode_path, paginate, plain_summary, relative_path

LOCAL_TRANSCRIPTS = {".vtt": "vtt", ".srt": "srt", ".json": "json"}


@dataclass(frozen=True)
class ListenerFiles:
    """What the listener features read from disk and network, before parsing."""

    local: tuple[tuple[str, bytes], ...] = ()  # (path beside the notes, bytes)
    remote: tuple[tuple[str, bytes], ...] = ()  # (URL from the feed, bytes)
    problems: tuple = ()  # errors.Problem from downloading


@dataclass(frozen=True)
class ListenInfo:
    chapters: tuple[Chapter, ...]
    people: tuple[tuple[str, Person], ...]  # (person id, person)
    transcript: Transcript | None
    transcript_path: str | None  # generated page, e.g. transcripts/<slug>.md


TRANSCRIPT_SEARCH = "transcripts/search.json"


def transcript_path(episode: Episode) -> str:
    return f"transcripts/{episode.slug}.md"


def person_path(pid: str) -> str:
    return f"people/{pid}.md"


def _preferred(links):
    ranked = sorted(links, key=lambda t: TRANSCRIPT_PREFERENCE.index(t.type))
    return ranked[0] if ranked else None


def attachment_urls(feed) -> list[str]:
    """The chapter and transcript URLs of a parsed feed that podsite downloads, in feed order."""
    urls = []
    for episode in feed.episodes:
        if episode.chapters_url and not episode.chapters:
            urls.append(episode.chapters_url)
        best = _preferred(episode.transcripts)
        if best is not None:
            urls.append(best.url)
    return list(dict.fromkeys(urls))


RETRY_AFTER = 6 * 3600  # seconds before a build tries a failed download again (podsite fetch: now)
DOWNLOAD_BUDGET = 60.0  # seconds one build spends downloading new files; the rest wait for the next
SHOWN = 5  # download problems listed one by one; the rest are counted


def load_listener_files(feed, notes_dir: Path, root: Path, cache_dir: Path | None,
                        offline: bool, timeout: float, refresh: bool = False,
                        budget: float = DOWNLOAD_BUDGET) -> ListenerFiles:
    """Transcript files beside the notes, and the chapter and transcript URLs the feed names.

    A file already downloaded is used as it is, without asking the server: a published
    transcript or chapter file rarely changes, and a show with a thousand of them must not send a
    thousand requests per build (`mkdocs serve` rebuilds on every edit). Files not downloaded yet
    are fetched eight at a time, for at most `budget` seconds per build; a file that could not be
    downloaded is not tried again by builds for RETRY_AFTER seconds (a dead host must not slow
    every rebuild). `refresh` (podsite fetch) asks the server about every file again, now, with a
    conditional GET, without a time limit.
    """
    local = []
    if notes_dir.is_dir():
        for path in sorted(notes_dir.rglob("*")):
            if path.suffix in LOCAL_TRANSCRIPTS and path.is_file() and not path.name.startswith("."):
                local.append((content.display_path(path, root), path.read_bytes()))
    if feed is None or cache_dir is None:
        return ListenerFiles(tuple(local))
    options = fetch.FetchOptions(timeout=timeout, max_bytes=20 * 1024 * 1024,
                                 shrink_threshold=0.0, offline=offline, feed=False)
    bodies: dict[str, bytes] = {}
    failed: list[Problem] = []  # one per file the episode is shown without
    wanted = []
    now = time.time()
    for url in attachment_urls(feed):
        cache = fetch.FeedCache(cache_dir, url)
        cached = None if refresh else cache.load()
        if cached is not None:
            bodies[url] = cached.body
            continue
        last_failure = None if refresh or offline else _failure(cache)
        if last_failure and now - last_failure["at"] < RETRY_AFTER:
            failed.append(Problem(Severity.WARNING, Origin(url), f"{last_failure['reason']} "
                                  f"(at {_clock(last_failure['at'])}; builds try again from "
                                  f"{_clock(last_failure['at'] + RETRY_AFTER)}, podsite fetch now)"))
        else:
            wanted.append(url)

    notes: list[Problem] = []
    done, late, futures = set(), set(), {}
    if wanted:
        client = fetch.new_client(options)  # one client: connections and TLS set-up are reused

        def get(url: str) -> fetch.FetchResult:
            return fetch.fetch_feed(url, cache_dir, options, lambda body, base: 1, client)

        pool = ThreadPoolExecutor(max_workers=8)
        futures = {pool.submit(get, url): url for url in wanted}
        done, late = wait(futures, timeout=None if refresh else budget)
        pool.shutdown(wait=False, cancel_futures=True)
        if not late:
            client.close()  # (with downloads still running, the client goes with the process)
    for future in done:
        url, result = futures[future], future.result()
        if result.body is not None:
            bodies[url] = result.body
            _forget_failure(fetch.FeedCache(cache_dir, url))
        elif not offline:
            _remember_failure(fetch.FeedCache(cache_dir, url), result.problems)
        for problem in result.problems:
            # A chapter or transcript file never stops the build: the episode is shown without it.
            (failed if result.body is None else notes).append(_attachment_problem(problem))
    problems = sorted(notes, key=str) + _at_most(sorted(failed, key=str), "could not be used")
    if late:
        problems.append(Problem(Severity.WARNING, Origin(futures[next(iter(late))]),
                                f"{len(late)} chapter or transcript file{'s' if len(late) != 1 else ''} "
                                f"not downloaded yet: this build spent its {budget:g} s on others "
                                "(the next build, or podsite fetch, gets them)"))
    return ListenerFiles(tuple(local), tuple(sorted(bodies.items())), tuple(problems))


def _at_most(problems: list[Problem], what: str) -> list[Problem]:
    if len(problems) <= SHOWN:
        return problems
    rest = len(problems) - SHOWN
    return problems[:SHOWN] + [Problem(Severity.WARNING, problems[SHOWN].origin,
                                       f"and {rest} more chapter or transcript files {what} "
                                       "(their episodes are shown without them)")]


def _failure(cache: fetch.FeedCache) -> dict | None:
    try:
        record = json.loads((cache.folder / FAILED).read_text(encoding="utf-8"))
        return record if isinstance(record.get("at"), (int, float)) and record.get("reason") else None
    except (OSError, ValueError, AttributeError):
        return None


def _remember_failure(cache: fetch.FeedCache, problems) -> None:
    reason = next((p.message for p in problems), "the download failed")
    reason = reason.split(", and there is no cached copy")[0]
    try:
        cache.folder.mkdir(parents=True, exist_ok=True)
        (cache.folder / FAILED).write_text(json.dumps({"at": time.time(), "reason": reason}),
                                           encoding="utf-8")
    except OSError:
        pass  # then the next build tries again


def _forget_failure(cache: fetch.FeedCache) -> None:
    try:
        (cache.folder / FAILED).unlink(missing_ok=True)
    except OSError:
        pass


def _clock(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%H:%M UTC")


FAILED = "failed.json"  # in a URL's cache folder: when and why its last download failed


def _attachment_problem(problem: Problem) -> Problem:
    """A missing chapter or transcript file never stops a build: the episode is shown without it."""
    severity = Severity.WARNING if problem.severity is Severity.ERROR else problem.severity
    return replace(problem, severity=severity)


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
        people = people_of[episode.slug]
        transcript = None
        beside = local.get(note.path.rpartition(".")[0]) if note else None
        if beside is not None:
            transcript = parse_transcript(beside[1], beside[2], beside[0], report)
        else:
            best = _preferred(feed.transcripts)
            if best is not None and best.url in remote:
                transcript = parse_transcript(remote[best.url], best.type, best.url, report)
        infos[episode.slug] = ListenInfo(
            chapters, tuple((ids[p.name], p) for p in people), transcript,
            transcript_path(episode) if transcript else None)
    return infos


def url_of(path: str, directory_urls: bool = True) -> str:
    """The URL (from the site's root) MkDocs gives a generated page: `episodes/x.md` is
    `episodes/x/` with `use_directory_urls` (the default), else `episodes/x.html`. Other files
    keep their path."""
    if not path.endswith(".md"):
        return path
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


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


def install(env: jinja2.Environment, infos: dict[str, ListenInfo], subscribe: tuple,
            directory_urls: bool = True) -> None:
    env.globals.update(listening=infos, person_path=person_path, subscribe_links=subscribe,
                       jsonld_episode=jsonld_episode, jsonld_series=jsonld_series, page_url=page_url,
                       directory_urls=directory_urls)
    env.filters["clock"] = clock


def render_listener_pages(catalog: Catalog, infos: dict[str, ListenInfo], env: jinja2.Environment,
                          per_page: int = 20) -> dict[str, str]:
    """Transcript pages, the transcripts list and its search file, people and person pages.
    Every list is paginated (`per_page`), so no page grows with the number of episodes."""
    site = SiteFiles()
    people: dict[str, Person] = {}
    episodes_of: dict[str, list[tuple[Episode, str]]] = {}
    template = None  # transcript.md.j2, loaded once, and only for a show with transcripts
    for episode in catalog.episodes:  # newest first
        info = infos[episode.slug]
        for pid, person in info.people:
            people.setdefault(pid, person)
            episodes_of.setdefault(pid, []).append((episode, person.role))
        if info.transcript is not None:
            template = template or env.get_template("transcript.md.j2")
            site.add(info.transcript_path, template.render(
                here=info.transcript_path, episode=episode, info=info, podcast=catalog.podcast,
                episode_page=episode_path(episode)))
    with_transcripts = [(e, infos[e.slug]) for e in catalog.episodes if infos[e.slug].transcript]
    if with_transcripts:
        data = transcript_search_data(with_transcripts, env.globals.get("directory_urls", True))
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        site.add(TRANSCRIPT_SEARCH, text)
        template = env.get_template("transcripts.md.j2")
        words = sum(info.transcript.words for _, info in with_transcripts)
        for pager in paginate(with_transcripts, per_page, "transcripts/index.md", "transcripts"):
            site.add(pager.path, template.render(
                here=pager.path, pager=pager, podcast=catalog.podcast, words=words,
                count=len(with_transcripts), json_size=_size(len(text.encode("utf-8")))))
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


def transcript_search_data(entries: list[tuple[Episode, ListenInfo]], directory_urls: bool) -> dict:
    """What the transcripts page searches: per episode its title, its transcript page (relative
    to transcripts/), and its paragraphs as [start seconds or null, speaker, text]; paragraph n
    is at #p-n of the page. An HTML transcript is one untimed paragraph without an anchor."""
    episodes = []
    for episode, info in entries:
        transcript = info.transcript
        if transcript.paragraphs:
            paragraphs = [[p.start, p.speaker, p.text] for p in transcript.paragraphs]
        else:
            paragraphs = [[None, "", transcript.html_text]]
        episodes.append({"title": episode.title, "anchors": bool(transcript.paragraphs),
                         "url": url_of(info.transcript_path, directory_urls).removeprefix("transcripts/"),
                         "p": paragraphs})
    return {"episodes": episodes}



def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} KB"


# --- structured data (schema.org JSON-LD) -------------------------------------------------------


def _script_json(data: dict) -> str:
    """JSON that cannot end its <script> element early, on one line (Markdown keeps it whole)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def series_data(podcast: Podcast) -> dict:
    data = {"@context": "https://schema.org", "@type": "PodcastSeries", "name": podcast.title}
    if podcast.link:
        data["url"] = podcast.link
    if podcast.feed_url:
        data["webFeed"] = podcast.feed_url
    if podcast.image:
        data["image"] = podcast.image
    if podcast.author:
        data["author"] = {"@type": "Organization", "name": podcast.author}
    return data


def jsonld_series(podcast: Podcast) -> str:
    return _script_json(series_data(podcast))


def jsonld_episode(episode: Episode, podcast: Podcast) -> str:
    feed = episode.feed
    series = series_data(podcast)
    del series["@context"]
    data = {"@context": "https://schema.org", "@type": "PodcastEpisode", "name": episode.title,
            "partOfSeries": series}
    if feed.published:
        data["datePublished"] = feed.published.date().isoformat()
    if feed.number is not None:
        data["episodeNumber"] = feed.number
    if feed.season is not None:
        data["partOfSeason"] = {"@type": "PodcastSeason", "seasonNumber": feed.season}
    if feed.link:
        data["url"] = feed.link
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
