"""`podsite new <episode>`: start the show notes of an episode of the feed.

    pick_episode (pure) -> render_note (pure) -> write_note (I/O: never overwrites)

The file is `<notes_dir>/<number>-<slug>.md` (`009-questions-worth-asking-your-sceptics.md`), or
`<slug>.md` for an episode without a number. Its front matter joins it to the feed by guid (the
title and date are there as comments, for the person writing), and lists the virtues that the
item's categories name, so a new note changes nothing on the site until it is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .. import build
from ..errors import PodsiteError, Report
from ..model import Catalog, Episode, Origin
from ..site.merge import note_file
from ..site.render import long_date
from ..site.writer import write_file_atomic

LATEST = "latest"


@dataclass(frozen=True)
class NewNote:
    path: str  # relative to the project root
    text: str
    episode: Episode


def pick_episode(catalog: Catalog, which: str, feed_source: str) -> Episode:
    """The episode named by `which`: an episode number, a guid or "latest"."""
    episodes = catalog.episodes  # newest first
    where = Origin(feed_source)
    if not episodes:
        raise PodsiteError.single(where, "the feed has no episodes yet (publish one, then run "
                                         "podsite new again)")
    if which == LATEST:
        return episodes[0]
    by_guid = [e for e in episodes if e.feed.guid == which]
    if by_guid:
        return by_guid[0]
    numbers = sorted({e.feed.number for e in episodes if e.feed.number is not None})
    if which.isdigit():
        matches = [e for e in episodes if e.feed.number == int(which)]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            guids = ", ".join(e.feed.guid for e in matches)
            raise PodsiteError.single(where, f"{len(matches)} episodes have number {which} (give "
                                             f"the guid of the one you mean: {guids})")
        known = f"numbers in the feed: {numbers[0]}-{numbers[-1]}" if numbers else \
            "the feed's episodes have no numbers"
        raise PodsiteError.single(where, f"no episode in the feed has number {which} or guid "
                                         f"{which!r} ({known}; or give a guid, or latest)")
    raise PodsiteError.single(where, f"no episode in the feed has guid {which!r} (give a guid "
                                     "from the feed, an episode number, or latest)")



def _one_line(text: str) -> str:
    return " ".join(text.split())


def render_note(episode: Episode, known_virtues: list[str]) -> str:
    fe = episode.feed
    facts = [f for f in (long_date(fe.published) and f"published {long_date(fe.published)}",
                         fe.season is not None and f"season {fe.season}",
                         fe.number is not None and f"episode {fe.number}") if f]
    lines = ["---", f"# {_one_line(fe.title)}"]
    if facts:
        lines.append(f"# {', '.join(facts)}")
    lines += [
        f"guid: {json.dumps(fe.guid, ensure_ascii=False)}",
        f"virtues: [{', '.join(episode.virtues)}]  # known: {', '.join(known_virtues) or 'none yet'}",
        "# description: one line for search engines and link previews",
        "# slug: pins the page's URL (/episodes/<slug>/) if the title may change",
        "---",
        "",
        "<!-- The show notes, in Markdown: what to remember, the questions to take away, links.",
        "     Link to other episodes' notes and to virtues by their file names (../virtues/<id>.md).",
        "     This comment is not shown on the site. -->",
        "",
    ]
    return "\n".join(lines)


def plan_note(settings: build.Settings, which: str) -> NewNote:
    """Read the feed and the notes; the note to write for `which` (PodsiteError when there is none)."""
    sources = build.load_sources(settings)
    report = Report()
    catalog = build.build_catalog(sources, settings, report)
    if catalog is None:
        raise PodsiteError(report.errors or report.problems)
    episode = pick_episode(catalog, which, sources.feed_source)
    if episode.note is not None:
        raise PodsiteError.single(Origin(episode.note.path), f"episode {episode.title!r} already "
                                                             "has show notes here (edit this file)")
    return NewNote(note_file(episode, settings.notes_dir),
                   render_note(episode, sorted(v.id for v in catalog.virtues)), episode)


def write_note(root: Path, note: NewNote) -> None:
    """Write `note` atomically; refuses (PodsiteError) when the file exists."""
    target = root / note.path
    if target.exists():
        raise PodsiteError.single(Origin(note.path), "already exists; nothing was written "
                                                     "(edit it, or move it away first)")
    try:
        write_file_atomic(target, note.text.encode("utf-8"), overwrite=False)
    except FileExistsError:  # it appeared meanwhile
        raise PodsiteError.single(Origin(note.path), "already exists; nothing was written "
                                                     "(edit it, or move it away first)")
