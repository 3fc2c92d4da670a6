"""Join the feed with the show notes and virtues into a `Catalog`. Pure.

A note joins the feed item whose `<guid>` equals its `guid`; without `guid`, the item whose
`<itunes:episode>` equals its `episode` (or the number its file name starts with).

Which side owns which field:

| field                                   | owner | why                                           |
|-----------------------------------------|-------|-----------------------------------------------|
| title, date, audio, duration, numbers,  | feed  | the feed is what podcast apps show; the site  |
| cover image, feed description           |       | must agree with them                          |
| show notes (body), virtues, slug,       | note  | written by the maintainers for the site       |
| description (summary)                   |       |                                               |
| virtues, when the note names none       | feed  | `<category>` values that match a virtue id or |
|                                         |       | title (case-insensitive)                      |

URLs: `/episodes/<slug>/` where slug is the note's `slug`, else the one pinned for its guid in
the pin file (`content/urls.yml`, see pins.py), else the title made URL-safe. When two episodes
would get the same title slug, the older keeps it and the newer get `-2`, `-3`, ... (oldest
first, ties by guid), so the same feed always gives the same URLs. A title slug never takes a
slug the pin file holds for another episode, current or former: a former URL keeps redirecting.
"""

from __future__ import annotations

import hashlib
import shlex
from collections import defaultdict

from ..errors import Report, Severity, shown
from ..model import (
    Catalog,
    Episode,
    Feed,
    FeedEpisode,
    Origin,
    ShowNote,
    Virtue,
    chronological,
)
from ..sources.notes import RESERVED_SLUGS
from ..sources.pins import Pins
from ..sources.slugs import slugify

MISSING_NOTES_SHOWN = 20
MAX_GUID_SHOWN = 200


def title_slug(episode: FeedEpisode) -> str:
    slug = slugify(episode.title)
    if slug:
        return slug
    if episode.number is not None:
        return slugify(f"episode-{episode.number}")
    return "episode-" + hashlib.sha1(episode.guid.encode()).hexdigest()[:10]


def merge(
    feed: Feed,
    notes: list[ShowNote],
    virtues: list[Virtue],
    report: Report,
    notes_missing: Severity | None = Severity.WARNING,
    notes_dir: str = "content/episodes",
    pins: Pins | None = None,
) -> Catalog:
    known = {v.id: v for v in virtues}
    notes_by_guid = _join(feed, notes, report)

    episodes = sorted(feed.episodes, key=chronological)
    slugs, former = _assign_slugs(episodes, notes_by_guid, pins or Pins(""), report)
    merged = []
    for fe in episodes:
        note = notes_by_guid.get(fe.guid)
        if note is not None:
            for virtue in note.virtues:
                if virtue not in known:
                    report.error(Origin(note.path, note.line_of("virtues")),
                                 f"unknown virtue {shown(virtue)} (known: {', '.join(sorted(known))})")
            chosen = tuple(v for v in note.virtues if v in known)
        else:
            chosen = ()
        if not chosen:
            chosen = _virtues_from_categories(fe, virtues)
        merged.append(Episode(feed=fe, note=note, slug=slugs[fe.guid], virtues=chosen,
                              former_slugs=former.get(fe.guid, ())))

    without = [e for e in merged if e.note is None]
    if without and notes_missing is not None:
        _report_missing_notes(without, merged, feed, report, notes_missing, notes_dir)
    if pins is not None and pins.path:
        _report_unpinned(merged, pins, report)

    merged.reverse()  # newest first
    ordered_virtues = tuple(sorted(virtues, key=lambda v: (v.order, v.title.lower(), v.id)))
    return Catalog(podcast=feed.podcast, episodes=tuple(merged), virtues=ordered_virtues)


def leave_out(catalog: Catalog, blocked: bool, without_audio: bool, report: Report) -> Catalog:
    """The catalog without the episodes the settings leave out: blocked ones (itunes:block or
    podcast:block `yes`) and ones without a playable enclosure. They are left out after merging,
    so their notes still join (no "no episode has guid" error) and no other episode's URL moves."""
    def out(e: Episode) -> str:
        if blocked and e.feed.blocked:
            return "blocked in the feed"
        if without_audio and e.feed.enclosure is None:
            return "no audio in the feed"
        return ""

    left = [(e, why) for e in catalog.episodes if (why := out(e))]
    if not left:
        return catalog
    details = [f"line {e.feed.origin.line}: {shown(e.title, 80)} ({why})" for e, why in left[:MISSING_NOTES_SHOWN]]
    if len(left) > MISSING_NOTES_SHOWN:
        details.append(f"... and {len(left) - MISSING_NOTES_SHOWN} more")
    report.info(catalog.podcast.origin, f"{len(left)} episode(s) of the feed left out of the site "
                "(the feed_blocked and feed_without_audio settings)", details)
    gone = {id(e) for e, _ in left}
    return Catalog(catalog.podcast, tuple(e for e in catalog.episodes if id(e) not in gone),
                   catalog.virtues)


def _join(feed: Feed, notes: list[ShowNote], report: Report) -> dict[str, ShowNote]:
    by_guid = {e.guid: e for e in feed.episodes}
    by_number: dict[int, list[FeedEpisode]] = defaultdict(list)
    for e in feed.episodes:
        if e.number is not None:
            by_number[e.number].append(e)
    source = feed.podcast.origin.path

    joined: dict[str, ShowNote] = {}
    for note in sorted(notes, key=lambda n: n.path):
        if note.guid is not None:
            episode = by_guid.get(note.guid)
            if episode is None:
                report.error(Origin(note.path, note.line_of("guid")),
                             f"no episode in the feed has guid {shown(note.guid)} "
                             f"(check it against {source}, or delete this note)")
                continue
        elif note.number is not None:
            matches = by_number.get(note.number, [])
            if not matches:
                report.error(Origin(note.path, note.line_of("episode")),
                             f"no episode in the feed has episode number {note.number} "
                             f"(check it against {source}, or delete this note)")
                continue
            if len(matches) > 1:
                lines = ", ".join(str(m.origin.line) for m in matches)
                report.error(Origin(note.path, note.line_of("episode")),
                             f"episode number {note.number} matches {len(matches)} items "
                             f"(lines {lines} of {source}); add the guid of the right one "
                             "(guid: ...)")
                continue
            episode = matches[0]
        else:
            report.error(Origin(note.path, 1),
                         "cannot tell which episode this note is for (add 'guid:' or 'episode:' "
                         "to the front matter, or start the file name with the episode number)")
            continue
        if episode.guid in joined:
            other = joined[episode.guid]
            report.error(Origin(note.path, 1), f"episode {shown(episode.title, 80)} already has notes in "
                                               f"{other.path} (merge the two files into one)")
            continue
        joined[episode.guid] = note
    return joined


def _assign_slugs(episodes: list[FeedEpisode], notes: dict[str, ShowNote], pins: Pins,
                  report: Report) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Each episode's slug, and the former slugs that redirect to it."""
    slugs: dict[str, str] = {}
    by_note: dict[str, ShowNote] = {}
    for fe in episodes:
        note = notes.get(fe.guid)
        if note is not None and note.slug:
            if note.slug in by_note:
                report.error(Origin(note.path, note.line_of("slug")),
                             f"slug {shown(note.slug)} is already used by {by_note[note.slug].path} "
                             "(give each episode its own slug)")
                continue
            by_note[note.slug] = note
            slugs[fe.guid] = note.slug

    pinned = pins.by_guid()
    in_feed = {fe.guid: fe for fe in episodes}
    broken: set[str] = set()
    for fe in episodes:
        pin = pinned.get(fe.guid)
        if pin is None or fe.guid in slugs:
            continue
        if pin.slugs[0] in by_note:
            report.error(Origin(pins.path, pin.line),
                         f"slug {shown(pin.slugs[0])} pinned for {shown(fe.guid)} is the slug of "
                         f"{by_note[pin.slugs[0]].path} (rename one of them)")
            broken.add(fe.guid)
            continue
        slugs[fe.guid] = pin.slugs[0]

    owner = {slug: guid for guid, slug in slugs.items()}
    former: dict[str, tuple[str, ...]] = {}
    for pin in pins.entries:
        if pin.guid in broken:
            continue
        keep = []
        for old in pin.slugs:
            if old == slugs.get(pin.guid):
                continue
            if old in owner and owner[old] != pin.guid:
                other = in_feed[owner[old]]
                report.error(Origin(pins.path, pin.line),
                             f"{shown(old)}, a URL pinned for {shown(pin.guid)}, is now the URL of episode "
                             f"{shown(other.title, 80)} (remove it from one of them)")
                continue
            keep.append(old)
        if pin.guid in in_feed:
            former[pin.guid] = tuple(keep)
    # Title slugs never take a pinned slug: not a current one, nor a former one that redirects,
    # nor one kept for an episode that left the feed (if it comes back, it keeps its URL).
    taken = set(owner) | {slug for pin in pins.entries for slug in pin.slugs} | RESERVED_SLUGS
    for fe in episodes:
        if fe.guid in slugs:
            continue
        base = title_slug(fe)
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        slugs[fe.guid] = slug
    return slugs, former


def _report_unpinned(episodes: list[Episode], pins: Pins, report: Report) -> None:
    pinned = {pin.guid: pin.slugs[0] for pin in pins.entries}
    loose = [e for e in episodes if pinned.get(e.feed.guid) != e.slug]
    if not loose:
        return
    listed = ", ".join(f"{shown(e.title, 80)} -> {e.slug}" for e in loose[:MISSING_NOTES_SHOWN])
    more = f" and {len(loose) - MISSING_NOTES_SHOWN} more" if len(loose) > MISSING_NOTES_SHOWN else ""
    report.add(Severity.INFO, Origin(pins.path),
               f"{len(loose)} episode URL(s) not pinned yet: {listed}{more} "
               "(run `podsite pin` and commit the file, so later title edits keep these URLs)")


def _virtues_from_categories(episode: FeedEpisode, virtues: list[Virtue]) -> tuple[str, ...]:
    names = {}
    for v in virtues:
        names[v.id.lower()] = v.id
        names[v.title.lower()] = v.id
    found = [names[c.lower()] for c in episode.categories if c.lower() in names]
    return tuple(dict.fromkeys(found))


def note_file(episode: Episode, notes_dir: str) -> str:
    """The show-notes file `podsite new` writes for `episode`: `<notes_dir>/009-<slug>.md`, or
    `<notes_dir>/<slug>.md` for an episode without a number."""
    number = episode.feed.number
    name = f"{number:03d}-{episode.slug}.md" if number is not None else f"{episode.slug}.md"
    return f"{notes_dir.rstrip('/')}/{name}"


def new_command(episode: Episode, episodes) -> str:
    """`podsite new <which>` for `episode`: its number when that names it alone, else its guid."""
    number = episode.feed.number
    if number is not None and sum(e.feed.number == number for e in episodes) == 1 and \
            not any(e.feed.guid == str(number) for e in episodes):
        return f"podsite new {number}"
    if len(episode.feed.guid) > MAX_GUID_SHOWN:  # a message quotes no unbounded value
        return f"podsite new <the guid on line {episode.feed.origin.line}>"
    return f"podsite new {shlex.quote(episode.feed.guid)}"


def in_feed_order(episodes, feed: Feed) -> list:
    """Episodes in the order their items stand in the feed (the order a maintainer reads it in)."""
    position = {fe.guid: n for n, fe in enumerate(feed.episodes)}
    return sorted(episodes, key=lambda e: position.get(e.feed.guid, 0))


def _report_missing_notes(without, merged, feed, report, severity, notes_dir) -> None:
    source = feed.podcast.origin.path
    ordered = in_feed_order(without, feed)
    details = [(f"line {e.feed.origin.line}: " if e.feed.origin.line else "") +
               f"{shown(e.title, 80)}: {new_command(e, merged)} starts {note_file(e, notes_dir)}"
               for e in ordered[:MISSING_NOTES_SHOWN]]
    if len(ordered) > MISSING_NOTES_SHOWN:
        details.append(f"... and {len(ordered) - MISSING_NOTES_SHOWN} more")
    if len(without) == 1:
        e = without[0]
        report.add(severity, e.feed.origin,
                   f"episode {shown(e.title, 80)} has no show notes (`{new_command(e, merged)}` starts "
                   f"them in {note_file(e, notes_dir)})")
    else:
        report.add(severity, Origin(source),
                   f"{len(without)} episodes have no show notes (`podsite new <number or guid>` "
                   "starts a file for each)", details)
