"""Stable episode URLs: the pin file, `content/urls.yml`. Pure (reading and writing are elsewhere).

An episode's URL is `/episodes/<slug>/`. Without a pin the slug comes from the title, so editing a
title in the feed would move the page. The pin file fixes each episode's slug by its guid:

    # guid: slug           or    guid: [slug, former slug, ...]
    sbs-2026-001: why-small-steps
    sbs-2026-004: [bouncing-forward, bouncing-back]

The first slug is the episode's URL; the others are URLs it used to have, and each gets a redirect
page to the current one, so links people shared keep working. `podsite pin` writes the file: it
adds every episode not yet pinned with the slug it has now, and when a note's `slug:` changed an
episode's URL, it puts the new slug first and keeps the old one as a former URL.

Precedence for the URL: the note's `slug:` > the pin file > the title.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from ..errors import Report, shown
from ..model import Episode, Origin, chronological
from .notes import RESERVED_SLUGS
from .slugs import MAX_WRITTEN_SLUG, SLUG, is_slug
from .yamldoc import YamlProblem, compose_yaml

# A pin file is written by `podsite pin`: about 100 bytes an episode, so this holds 80,000 episodes.
MAX_PINS_CHARS = 8_000_000
SLUG_RULE = "lower-case letters, digits and single hyphens, e.g. 'building-alliances'"

HEADER = """\
# Episode URLs, pinned by guid so that editing a title in the feed never moves a page.
# `podsite pin` adds new episodes; edit by hand to rename one. Each entry is
#   guid: slug                       (the URL is /episodes/<slug>/), or
#   guid: [slug, former slug, ...]   (every former slug redirects to the first one)
# podsite pin rewrites this file: comments other than this header are not kept.
"""


@dataclass(frozen=True)
class Pin:
    guid: str
    slugs: tuple[str, ...]  # current first, then former ones
    line: int


@dataclass(frozen=True)
class Pins:
    path: str
    entries: tuple[Pin, ...] = ()

    def by_guid(self) -> dict[str, Pin]:
        return {pin.guid: pin for pin in self.entries}


def parse_pins(text: str, path: str, report: Report) -> Pins:
    """The pin file's entries; problems go to `report` (a broken file pins nothing)."""
    try:
        node = compose_yaml(text, limit=MAX_PINS_CHARS)
    except YamlProblem as exc:
        report.error(Origin(path, exc.line),
                     f"not valid YAML: {exc.message} (each line is 'guid: slug'; quote a guid "
                     "that contains ': ' or starts with a special character)" if exc.syntax
                     else f"the file {exc.message}")
        return Pins(path)
    if node is None:
        return Pins(path)
    if not isinstance(node, yaml.MappingNode):
        report.error(Origin(path, node.start_mark.line + 1),
                     "must be a list of 'guid: slug' lines (found something else)")
        return Pins(path)
    entries: list[Pin] = []
    seen_guids: dict[str, int] = {}
    seen_slugs: dict[str, tuple[str, int]] = {}
    for key, value in node.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode) or not key.value.strip():
            report.error(Origin(path, line), "each key must be an episode's guid")
            continue
        guid = key.value.strip()
        if guid in seen_guids:
            report.error(Origin(path, line), f"guid {shown(guid)} is pinned twice (also on line "
                                             f"{seen_guids[guid]}; keep one entry)")
            continue
        seen_guids[guid] = line
        if isinstance(value, yaml.ScalarNode):
            slugs = [value]
        elif isinstance(value, yaml.SequenceNode) and value.value:
            slugs = value.value
        else:
            report.error(Origin(path, line), f"guid {shown(guid)}: give a slug, or a list of slugs "
                                             "with the current one first")
            continue
        good = []
        for slug_node in slugs:
            slug = slug_node.value.strip() if isinstance(slug_node, yaml.ScalarNode) else ""
            at = slug_node.start_mark.line + 1
            if not SLUG.match(slug):
                report.error(Origin(path, at), f"{shown(slug or slug_node.tag)} is not a slug "
                                               f"(use {SLUG_RULE})")
            elif not is_slug(slug):
                report.error(Origin(path, at), f"slug {shown(slug)} is {len(slug)} characters long; "
                                               f"a URL may have {MAX_WRITTEN_SLUG} (shorten it)")
            elif slug in RESERVED_SLUGS:
                report.error(Origin(path, at), f"slug {shown(slug)} is the URL of the episode list "
                                               "(choose another)")
            elif slug in seen_slugs:
                other, other_line = seen_slugs[slug]
                report.error(Origin(path, at), f"slug {shown(slug)} is also pinned for {shown(other)} on "
                                               f"line {other_line} (a URL belongs to one episode)")
            else:
                seen_slugs[slug] = (guid, at)
                good.append(slug)
        if good:
            entries.append(Pin(guid, tuple(good), line))
    return Pins(path, tuple(entries))


def updated_pins(episodes: tuple[Episode, ...], pins: Pins) -> tuple[Pin, ...]:
    """The pin file's entries after `podsite pin`: every episode with its current slug first
    (former slugs kept after it), oldest episode first; entries for guids no longer in the feed
    are kept as they are, at the end, so an episode that comes back keeps its URL."""
    old = pins.by_guid()
    current = {e.feed.guid for e in episodes}
    result = []
    for episode in sorted(episodes, key=_age):
        pin = old.get(episode.feed.guid)
        former = tuple(s for s in (pin.slugs if pin else ()) if s != episode.slug)
        result.append(Pin(episode.feed.guid, (episode.slug, *former), 0))
    result += [pin for pin in pins.entries if pin.guid not in current]
    return tuple(result)


def _age(episode: Episode) -> tuple:
    return chronological(episode.feed)


def dump_pins(entries: tuple[Pin, ...]) -> str:
    lines = [HEADER]
    for pin in entries:
        guid = _scalar(pin.guid)
        slugs = pin.slugs[0] if len(pin.slugs) == 1 else f"[{', '.join(pin.slugs)}]"
        # YAML reads a key of more than 1024 characters only after an explicit `? `
        lines.append(f"{guid}: {slugs}\n" if len(guid) < 1000 else f"? {guid}\n: {slugs}\n")
    return "".join(lines)


def misread_pins(entries: tuple[Pin, ...], text: str, path: str) -> list[str]:
    """What goes wrong when `text`, the pin file written for `entries`, is read back: the problems
    the next build would report, or the entries it would read differently (none: safe to write)."""
    report = Report()
    parsed = parse_pins(text, path, report)
    wrong = [str(p) for p in report.errors]
    if not wrong:
        read = {pin.guid: pin.slugs for pin in parsed.entries}
        wrong = [f"{shown(pin.guid)}: {', '.join(pin.slugs)} would read back as "
                 f"{', '.join(read.get(pin.guid, ())) or 'nothing'}"
                 for pin in entries if read.get(pin.guid) != pin.slugs]
    return wrong


def _scalar(text: str) -> str:
    """`text` as a YAML key that reads back as the same string."""
    plain = yaml.safe_dump(text, default_style=None, width=10_000).rstrip("\n")
    if plain.endswith("\n..."):
        plain = plain[: -len("\n...")]
    if "\n" in plain or not _reads_back(plain, text):
        plain = yaml.safe_dump(text, default_style='"', width=10_000).rstrip("\n")
    return plain


def _reads_back(key: str, text: str) -> bool:
    entry = f"{key}: x" if len(key) < 1000 else f"? {key}\n: x"
    try:
        return yaml.safe_load(entry) == {text: "x"}
    except yaml.YAMLError:
        return False


def redirect_targets(episodes: tuple[Episode, ...]) -> dict[str, str]:
    """{former slug: current slug} over all episodes."""
    return {old: e.slug for e in episodes for old in e.former_slugs}
