"""Entries of mkdocs.yml's `nav` that point at sections podsite makes only when the show has
something for them. Most feeds have no podcast:person tags: a nav link to a people page that does
not exist fails `mkdocs build --strict` (MkDocs warns) and is a broken link in Zensical."""

from __future__ import annotations

from typing import Callable

# page -> what would make podsite write it
OPTIONAL_SECTIONS = {
    "people/index.md": "hosts or guests (podcast:person in the feed, or people: in a note's front matter)",
    "transcripts/index.md": "transcripts (podcast:transcript in the feed, or a transcript file beside a note)",
}


def _split(item) -> tuple[str | None, object]:
    if isinstance(item, dict) and len(item) == 1:
        return next(iter(item.items()))
    return None, item


def prune(items: list, empty: set[str], dropped: Callable[[str, str], None] = lambda t, p: None) -> list:
    """`items` (a nav) without entries for the pages in `empty`, nor sections left empty by that;
    `dropped(title, path)` is told of each entry left out."""
    kept = []
    for item in items:
        title, target = _split(item)
        if isinstance(target, str) and target in empty:
            dropped(title or target, target)
            continue
        if isinstance(target, list):
            target = prune(target, empty, dropped)
            if not target:
                continue
            item = {title: target} if title is not None else target
        kept.append(item)
    return kept


def entries(items: list | None, paths) -> list[tuple[str, str]]:
    """(title, path) of the nav entries that point at any of `paths`."""
    found = []
    for item in items or []:
        title, target = _split(item)
        if isinstance(target, str) and target in paths:
            found.append((title or target, target))
        elif isinstance(target, list):
            found.extend(entries(target, paths))
    return found
