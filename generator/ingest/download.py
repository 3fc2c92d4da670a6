"""The network edge: download a feed over HTTP(S), keep the last good copy, never lose episodes.

httpx does the HTTP: connect/read timeouts, redirects, gzip/deflate/brotli decoding and streaming
(so the size cap applies to the decoded body, which also stops compression bombs). Every connection
goes through `guard.GuardedTransport`: no private, loopback or metadata address unless allowed, on
the first request and on every redirect, and an overall deadline per download.

The last good feed lives in `<cache>/<hash of URL>/feed.xml` with `meta.json` beside it (ETag,
Last-Modified, when it was fetched, how many episodes it had). A download is trusted only when it
parses and does not shrink below `shrink_threshold` of the last good copy's episodes; otherwise the
build warns and uses the last good copy. With no copy at all, it fails saying what happened.

A build does not replace the last good copy when it downloads: the new copy waits beside it
(`pending.xml`) and `FeedCache.keep` makes it the last good copy once a build from it succeeded.
A build that fails leaves the old copy, and the shrink guard's baseline, as they were.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import httpx

from .. import __version__
from ..errors import Problem, Severity
from ..model import Origin
from . import guard

USER_AGENT = f"podsite/{__version__} (podcast website generator; +https://pypi.org/project/podsite/)"


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 10.0
    max_bytes: int = 50 * 1024 * 1024
    shrink_threshold: float = 0.5
    offline: bool = False
    force: bool = False
    feed: bool = True  # False: a chapter or transcript file, and the messages say so
    deadline: float | None = 120.0  # seconds one whole download may take (feed_deadline)
    allow_hosts: tuple[str, ...] = ()  # hosts allowed although private (fetch_allow_hosts)


def _feed_or_file(options: FetchOptions, feed: str, file: str) -> str:
    return feed if options.feed else file


@dataclass(frozen=True)
class CachedFeed:
    url: str
    body: bytes
    etag: str | None
    last_modified: str | None
    fetched_at: str
    episodes: int


@dataclass(frozen=True)
class FetchResult:
    body: bytes | None  # None when there is nothing usable at all
    base_url: str  # the URL the body came from (after redirects), for relative links
    problems: tuple[Problem, ...]
    fresh: bool  # True when the body was downloaded now (not a cached copy)
    refused: bool = False  # the address was refused (guard.py): not a network failure


class FeedCache:
    """One URL's last good copy on disk. A missing or corrupt entry reads as None."""

    def __init__(self, cache_dir: Path, url: str):
        self.url = url
        self.folder = cache_dir / hashlib.sha256(url.encode()).hexdigest()[:20]

    def load(self) -> CachedFeed | None:
        try:
            meta = json.loads((self.folder / "meta.json").read_text(encoding="utf-8"))
            body = (self.folder / "feed.xml").read_bytes()
            if meta.get("url") != self.url or meta.get("sha256") != hashlib.sha256(body).hexdigest():
                return None
            return CachedFeed(self.url, body, meta.get("etag"), meta.get("last_modified"),
                              meta["fetched_at"], int(meta["episodes"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, feed: CachedFeed, name: str = "feed") -> None:
        """Write the last good copy (or, with name="pending", the copy a build is trying)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        meta = {"url": feed.url, "etag": feed.etag, "last_modified": feed.last_modified,
                "fetched_at": feed.fetched_at, "episodes": feed.episodes,
                "sha256": hashlib.sha256(feed.body).hexdigest()}
        _atomic_write(self.folder / f"{name}.xml", feed.body)  # body first: meta vouches for it
        _atomic_write(self.folder / _meta_name(name), json.dumps(meta, indent=1).encode())

    def keep(self, body: bytes) -> bool:
        """Make the pending copy the last good one, if it is `body` (what the build that just
        succeeded was built from); True when it did."""
        pending = self.folder / "pending.xml"
        try:
            meta = json.loads((self.folder / _meta_name("pending")).read_text(encoding="utf-8"))
            if meta.get("url") != self.url or meta.get("sha256") != hashlib.sha256(body).hexdigest() \
                    or pending.read_bytes() != body:
                return False
            self.save(CachedFeed(self.url, body, meta.get("etag"), meta.get("last_modified"),
                                 meta["fetched_at"], int(meta["episodes"])))
        except (OSError, ValueError, KeyError, TypeError):
            return False
        self.discard_pending()
        return True

    def discard_pending(self) -> None:
        for name in ("pending.xml", _meta_name("pending")):
            with contextlib.suppress(OSError):
                (self.folder / name).unlink()


def _meta_name(name: str) -> str:
    return "meta.json" if name == "feed" else f"{name}.json"


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class _Failed(Exception):
    """A download that cannot be trusted; the message says why, in a user's words."""

    def __init__(self, message: str, refused: bool = False):
        super().__init__(message)
        self.refused = refused


def download(url: str, options: FetchOptions, cached: CachedFeed | None,
             client: httpx.Client | None = None) -> tuple[int, bytes, httpx.Response]:
    headers = {"User-Agent": USER_AGENT, "Accept": "application/rss+xml, application/atom+xml, "
                                                   "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"}
    if cached is not None and not options.force:
        if cached.etag:
            headers["If-None-Match"] = cached.etag
        if cached.last_modified:
            headers["If-Modified-Since"] = cached.last_modified
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(guard.deadline(options.deadline))
            if client is None:
                client = stack.enter_context(new_client(options))
            with client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return 304, b"", response
                if response.status_code != 200:
                    raise _Failed(f"the server answered {response.status_code} "
                                  f"{response.reason_phrase}".rstrip())
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > options.max_bytes and \
                        not response.headers.get("Content-Encoding"):
                    raise _Failed(_too_big(options))
                chunks, size = [], 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > options.max_bytes:
                        raise _Failed(_too_big(options))
                    chunks.append(chunk)
                return 200, b"".join(chunks), response
    except guard.Refused as exc:
        raise _Failed(_refused(url, exc), refused=True)
    except guard.DeadlinePassed:
        raise _Failed(f"the download took longer than {options.deadline:g} s" + _feed_or_file(
            options, " (feed_deadline)", " (feed_deadline)"))
    except httpx.TimeoutException:
        raise _Failed(f"no answer within {options.timeout:g} s"
                      + _feed_or_file(options, " (feed_timeout)", ""))
    except httpx.TooManyRedirects:
        raise _Failed("too many redirects")
    except httpx.RemoteProtocolError as exc:
        raise _Failed(f"the download broke off ({exc})")
    except httpx.HTTPError as exc:
        raise _Failed(f"the download failed ({exc})")


def _refused(url: str, exc: guard.Refused) -> str:
    redirect = exc.host.strip("[]").lower() != httpx.URL(url).host.lower()
    return (f"not downloaded: {exc.describe(redirect)}, and the addresses a feed or its server "
            f"names must be public (if {exc.host} is yours, list it under fetch_allow_hosts)")


def new_client(options: FetchOptions) -> httpx.Client:
    """An HTTP client for downloads; one may serve many (it keeps connections open). It connects
    only where `options.allow_hosts` and guard.py allow, on every redirect too."""
    return httpx.Client(timeout=httpx.Timeout(options.timeout), follow_redirects=True,
                        max_redirects=5,
                        transport=guard.GuardedTransport(guard.AddressPolicy(options.allow_hosts)))


def _too_big(options: FetchOptions) -> str:
    return _feed_or_file(options, f"the feed is larger than feed_max_bytes ({options.max_bytes} bytes)",
                         f"the file is larger than {options.max_bytes // 2**20} MiB")


def fetch_feed(url: str, cache_dir: Path, options: FetchOptions,
               count_episodes: Callable[[bytes, str], int | str],
               client: httpx.Client | None = None, stage: bool = False) -> FetchResult:
    """Download `url`, falling back to its last good copy. `count_episodes(body, base_url)` says
    how many episodes a body holds, or why it cannot be used as a feed (a sentence).

    With `stage` (a build), a download that replaces an existing last good copy is kept as the
    pending copy; `FeedCache.keep` makes it the last good one after the build succeeded."""
    cache = FeedCache(cache_dir, url)
    cached = cache.load()
    origin = Origin(url)

    def problem(severity: Severity, message: str) -> Problem:
        return Problem(severity, origin, message)

    def copy(cached: CachedFeed) -> str:
        return _feed_or_file(options, f"{cached.fetched_at} ({cached.episodes} episodes)",
                             cached.fetched_at)

    def fall_back(reason: str, refused: bool = False) -> FetchResult:
        if refused and not options.feed:  # a copy from before the address was refused: not used
            return FetchResult(None, url, (problem(Severity.ERROR, reason),), False, refused=True)
        if cached is None:
            return FetchResult(None, url, (problem(Severity.ERROR, f"{reason}, and there is no "
                               "cached copy" + _feed_or_file(
                                   options, " to fall back on (check the URL and the connection)",
                                   ": the episode is shown without it")),), False)
        return FetchResult(cached.body, url, (problem(Severity.WARNING, f"{reason}; using the last "
                           f"good copy from {copy(cached)}"),), False)

    if options.offline:
        if cached is None:
            return FetchResult(None, url, (problem(Severity.ERROR, "offline (feed_offline or "
                               "PODCAST_OFFLINE) and no cached copy of this "
                               + _feed_or_file(options, "feed yet (build once online first)",
                                               "file yet (build once online to get it)")),), False)
        return FetchResult(cached.body, url, (problem(Severity.INFO, "offline: using the copy "
                           f"fetched {copy(cached)}"),), False)

    try:
        status, body, response = download(url, options, cached, client)
    except _Failed as exc:
        return fall_back(str(exc), exc.refused)
    notes: list[Problem] = []
    final_url = str(response.url)
    if any(r.status_code in (301, 308) for r in response.history):
        notes.append(problem(Severity.INFO, _feed_or_file(
            options, f"the feed has moved permanently to {final_url} (update feed_url)",
            f"the file has moved permanently to {final_url} (the feed still links the old address)")))
    if status == 304:
        if cached is None:  # a 304 we did not ask for
            return fall_back("the server answered 304 Not Modified to a first download")
        return FetchResult(cached.body, final_url, tuple(notes), False)

    episodes = count_episodes(body, final_url)
    if isinstance(episodes, str):
        return fall_back(f"the download from {final_url} cannot be used: {episodes}")
    if cached is not None and not options.force and episodes < cached.episodes * options.shrink_threshold:
        return fall_back(f"the feed now lists {episodes} episodes against {cached.episodes} in the "
                         "last good copy, which looks like a broken feed (if it is right, build "
                         "once with PODCAST_FEED_FORCE=1 or feed_force: true)")
    copy_now = CachedFeed(url, body, response.headers.get("ETag"),
                          response.headers.get("Last-Modified"),
                          dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), episodes)
    if stage and cached is not None and cached.body != body:
        cache.save(copy_now, "pending")  # the last good copy until a build from this one succeeds
    else:
        cache.save(copy_now)  # a first copy, the same bytes, or `podsite fetch`: nothing to lose
    return FetchResult(body, final_url, tuple(notes), True)
