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


# Larger content files are refused before they are read: a show note of 2 MB is a book, and
# parsing or rendering 50 MB of text would hold the build for minutes.
MAX_TEXT_BYTES = 2_000_000
MAX_PINS_BYTES = 8_000_000  # `podsite pin` writes ~100 bytes an episode
MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024  # as for a transcript downloaded from the feed


def _check_size(path: Path, shown: str, limit: int) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PodsiteError.single(Origin(shown), f"cannot read file: {exc.strerror}")
    if size > limit:
        raise PodsiteError.single(Origin(shown), f"file is {size:,} bytes, more than podsite reads "
                                                 f"({limit:,}; split it, or move it out of content/)")


def read_text(path: Path, root: Path, limit: int = MAX_TEXT_BYTES) -> str:
    shown = display_path(path, root)
    _check_size(path, shown, limit)
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


def load_optional_text(location: str, root: Path, limit: int = MAX_TEXT_BYTES) -> tuple[str, str] | None:
    """(display path, text) of a file that may be absent."""
    path = root / location
    if not path.is_file():
        return None
    return display_path(path, root), read_text(path, root, limit)


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
                _check_size(path, display_path(path, root), MAX_TRANSCRIPT_BYTES)
                local.append((display_path(path, root), path.read_bytes()))
    return tuple(local)
