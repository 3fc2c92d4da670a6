"""The parsed-feed cache under `.cache/podsite/`: a build where only notes or templates changed
still skips feedparser (`site/cache.py` keeps the whole generated site the same way).

feedparser costs about a second per thousand episodes; unpickling the records it produced costs
a few milliseconds. An entry is keyed by the sha256 of

- the feed's bytes, the name it is shown under and its base URL (they are in the records), and
- `PARSER_VERSION`: a hash of the code that makes the records (every module of `ingest/`,
  model.py, errors.py) and the versions of feedparser, nh3 and Python, so upgrading or editing
  the parser never serves records of the old shape.

Each feed source has one file, `<cache dir>/feed-<hash of source>.pickle`, overwritten when the
feed changes, so the cache does not grow. A missing, stale, corrupt or unreadable entry is a miss,
never an error; a cache that cannot be written is skipped. The problems found while parsing
(e.g. "feed is not well-formed") are stored with the records and reported again on a hit.

A large feed is parsed in a child process that writes the entry (`PARSE_APART_BYTES`):
feedparser's working memory is about four times the feed (some 230 MB for 10,000 episodes),
and a Python process keeps the memory it grew to for the rest of the build, while MkDocs
holds the whole site. The build then reads the records from the entry, as on a hit. Without a cache
folder, or when the child cannot run or write the entry, the feed is parsed in this process.

The entries are pickles written by this project into its own `.cache/` folder: trust them as
much as the project's code (do not point `cache_dir` at a folder others can write to).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import platform
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .. import errors, model
from ..errors import Problem, Report
from ..model import Feed
from . import feed

FORMAT = 1  # bump when the layout of an entry changes


def _parser_version() -> str:
    digest = hashlib.sha256(f"podsite-feed-cache {FORMAT} {platform.python_version()}".encode())
    for dist in ("feedparser", "nh3"):
        try:
            digest.update(f" {dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f" {dist}=?".encode())
    # Every module of ingest/ (the feed's readers and what they call), the records and the errors.
    for path in sorted(Path(feed.__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    for module in (model, errors):
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


PARSER_VERSION = _parser_version()


@dataclass(frozen=True)
class Entry:
    key: str
    feed: Feed
    problems: tuple[Problem, ...]


def cache_key(data: bytes, source: str, base_url: str = "") -> str:
    digest = hashlib.sha256(PARSER_VERSION.encode())
    digest.update(f"\0{source}\0{base_url}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def entry_path(cache_dir: Path, source: str) -> Path:
    return cache_dir / f"feed-{hashlib.sha256(source.encode()).hexdigest()[:16]}.pickle"


def load_entry(path: Path, key: str) -> Entry | None:
    """The entry stored at `path` if it is for `key`; None for anything else, never raises."""
    try:
        with open(path, "rb") as handle:
            entry = pickle.load(handle)
    except Exception:  # missing, truncated, garbage, or pickled by other code: all a miss
        return None
    if not isinstance(entry, Entry) or entry.key != key or not isinstance(entry.feed, Feed):
        return None
    return entry


def write_entry(path: Path, entry) -> bool:
    """Store atomically (write beside, then rename); a cache that cannot be written is skipped
    (False)."""
    return write_atomically(path, lambda out: pickle.dump(entry, out, protocol=pickle.HIGHEST_PROTOCOL))


def write_atomically(path: Path, write) -> bool:
    """`write(binary file)` into a file beside `path`, renamed to `path` when done; False when the
    cache cannot be written (then it is skipped)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, prefix=".feed-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                write(out)
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
    except OSError:
        return False
    return True


def parse_feed_cached(data: bytes, source: str, report: Report, cache_dir: Path | None,
                      base_url: str = "") -> Feed | None:
    """`feed.parse_feed`, served from `cache_dir` when the same bytes were parsed before."""
    if cache_dir is None:
        return feed.parse_feed(data, source, report, base_url)
    key = cache_key(data, source, base_url)
    path = entry_path(cache_dir, source)
    entry = load_entry(path, key)
    if entry is not None:
        report.problems.extend(entry.problems)
        return entry.feed
    if len(data) >= PARSE_APART_BYTES and _parse_apart(data, source, base_url, path, key):
        entry = load_entry(path, key)
        if entry is not None:
            report.problems.extend(entry.problems)
            return entry.feed
    own = Report()
    parsed = feed.parse_feed(data, source, own, base_url)
    report.problems.extend(own.problems)
    if parsed is not None:
        write_entry(path, Entry(key, parsed, tuple(own.problems)))
    return parsed


PARSE_APART_BYTES = 8 * 1024 * 1024  # 1600 episodes of a typical feed; below, a child costs more
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])  # the folder `generator` is in


def _parse_apart(data: bytes, source: str, base_url: str, path: Path, key: str) -> bool:
    """Parse in a child process that stores the entry at `path`; False when it did not (the
    child could not start, failed, or could not write the entry: the caller parses here).
    A feed that is not a feed at all leaves no entry either: the caller's parse says why."""
    if not sys.executable:
        return False
    command = [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
               "from generator.ingest.cache import _child; _child(*sys.argv[2:])",
               _PACKAGE_PARENT, source, base_url, str(path), key]
    try:
        done = subprocess.run(command, input=data, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, check=False)
    except (OSError, ValueError):
        return False
    return done.returncode == 0


def _child(source: str, base_url: str, path: str, key: str) -> None:
    """The child of `_parse_apart`: the feed's bytes on standard input; exit status 0 when the
    entry was written, 1 when the feed could not be read as a feed, 2 when the entry could not
    be written."""
    data = sys.stdin.buffer.read()
    own = Report()
    parsed = feed.parse_feed(data, source, own, base_url)
    if parsed is None:
        sys.exit(1)
    sys.exit(0 if write_entry(Path(path), Entry(key, parsed, tuple(own.problems))) else 2)
