"""The reading edge: the feed file and the content folders, read once, validated later.

Returns texts with the paths a user would type (relative to the project root), so every message
can cite them. Parsing happens in `feed.py` and `notes.py`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import PodsiteError
from ..model import ListenerFiles, Origin


@dataclass(frozen=True)
class Sources:
    feed_bytes: bytes | None  # None when the feed could not be had at all (see feed_problems)
    feed_source: str  # as shown in messages
    notes: tuple[tuple[str, str], ...]  # (display path, text)
    virtues: tuple[tuple[str, str], ...]
    worksheets: tuple[tuple[str, str], ...] = ()
    feed_base_url: str = ""  # for relative links in a downloaded feed
    feed_problems: tuple = ()  # what fetching the feed had to say (errors.Problem)
    urls: tuple[str, str] | None = None  # the pin file (display path, text), if there is one
    listener: ListenerFiles | None = None  # transcripts and chapter files, read as is


def display_path(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read_text(path: Path, root: Path) -> str:
    shown = display_path(path, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PodsiteError.single(Origin(shown), f"cannot read file: {exc.strerror}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PodsiteError.single(Origin(shown, line),
                                  "file is not UTF-8 text (save it as UTF-8 in your editor)")


def load_markdown_folder(folder: Path, root: Path) -> tuple[tuple[str, str], ...]:
    """Every `*.md` file under `folder`, sorted by path; a missing folder is an empty one."""
    if not folder.is_dir():
        return ()
    files = sorted(p for p in folder.rglob("*.md") if p.is_file() and not p.name.startswith("."))
    return tuple((display_path(p, root), read_text(p, root)) for p in files)


def load_worksheet_folder(folder: Path, root: Path) -> tuple[tuple[str, str], ...]:
    """Every `*.yml` / `*.yaml` file under `folder`, sorted by path; a missing folder is an empty one."""
    if not folder.is_dir():
        return ()
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".yml", ".yaml")
                   and not p.name.startswith("."))
    return tuple((display_path(p, root), read_text(p, root)) for p in files)


def load_optional_text(location: str, root: Path) -> tuple[str, str] | None:
    """(display path, text) of a file that may be absent."""
    path = root / location
    if not path.is_file():
        return None
    return display_path(path, root), read_text(path, root)


def load_feed_file(location: str, root: Path) -> tuple[bytes, str]:
    path = Path(os.path.expanduser(location))
    if not path.is_absolute():
        path = root / path
    shown = display_path(path, root)
    try:
        return path.read_bytes(), shown
    except FileNotFoundError:
        raise PodsiteError.single(Origin(shown), "feed file not found (set feed_url in mkdocs.yml "
                                                 "or PODCAST_FEED to the podcast's feed)")
    except OSError as exc:
        raise PodsiteError.single(Origin(shown), f"cannot read feed: {exc.strerror}")


LOCAL_TRANSCRIPTS = {".vtt": "vtt", ".srt": "srt", ".json": "json"}


def load_local_transcripts(notes_dir: Path, root: Path) -> tuple[tuple[str, bytes], ...]:
    """Transcript files kept beside the show notes: (display path, bytes), sorted."""
    local = []
    if notes_dir.is_dir():
        for path in sorted(notes_dir.rglob("*")):
            if path.suffix in LOCAL_TRANSCRIPTS and path.is_file() and not path.name.startswith("."):
                local.append((display_path(path, root), path.read_bytes()))
    return tuple(local)
