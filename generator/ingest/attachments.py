"""The chapter and transcript files a feed links to: downloaded at build time, never by a listener.

A file already downloaded is used as it is; new ones are fetched eight at a time over one client
within a time budget per build; a failed one is not retried by builds for a while (`podsite fetch`
retries now). Each URL keeps its last good copy under the feed cache (`download.FeedCache`).

The feed decides these URLs, so they go only to public addresses (guard.py), unless the host is
in `allow_hosts`; a refused one is a warning naming the feed's line, and the episode is shown
without the file (also when a copy was downloaded before: a loopback or private address named by
the feed is never published).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import Problem, Severity
from ..model import ListenerFiles, Origin
from . import guard
from .download import FeedCache, FetchOptions, FetchResult, fetch_feed, new_client
from .podcast_ns import preferred_transcript


def attachment_urls(feed) -> list[str]:
    """The chapter and transcript URLs of a parsed feed that podsite downloads, in feed order."""
    return list(_named_by(feed))


def _named_by(feed) -> dict[str, tuple[Origin, str]]:
    """Each chapter and transcript URL -> the feed item that names it first, and what it is."""
    named: dict[str, tuple[Origin, str]] = {}
    for episode in feed.episodes:
        if episode.chapters_url and not episode.chapters:
            named.setdefault(episode.chapters_url, (episode.origin, "chapters file"))
        best = preferred_transcript(episode.transcripts)
        if best is not None:
            named.setdefault(best.url, (episode.origin, "transcript"))
    return named


RETRY_AFTER = 6 * 3600  # seconds before a build tries a failed download again (podsite fetch: now)
DOWNLOAD_BUDGET = 60.0  # seconds one build spends downloading new files; the rest wait for the next
SHOWN = 5  # download problems listed one by one; the rest are counted


def fetch_attachments(feed, cache_dir: Path, offline: bool, timeout: float, refresh: bool = False,
                      budget: float = DOWNLOAD_BUDGET, deadline: float | None = 120.0,
                      allow_hosts: tuple[str, ...] = ()) -> ListenerFiles:
    """The chapter and transcript files the feed names (`remote`), downloaded or from the cache.

    A file already downloaded is used as it is, without asking the server: a published
    transcript or chapter file rarely changes, and a show with a thousand of them must not send a
    thousand requests per build (`mkdocs serve` rebuilds on every edit). Files not downloaded yet
    are fetched eight at a time, for at most `budget` seconds per build; a file that could not be
    downloaded is not tried again by builds for RETRY_AFTER seconds (a dead host must not slow
    every rebuild). `refresh` (podsite fetch) asks the server about every file again, now, with a
    conditional GET, without a time limit for the whole (each download keeps its `deadline`).
    """
    options = FetchOptions(timeout=timeout, max_bytes=20 * 1024 * 1024, shrink_threshold=0.0,
                           offline=offline, feed=False, deadline=deadline, allow_hosts=allow_hosts)
    policy = guard.AddressPolicy(allow_hosts)
    bodies: dict[str, bytes] = {}
    failed: list[Problem] = []  # one per file the episode is shown without
    refused: list[Problem] = []  # addresses the feed may not name: always listed, one by one
    wanted = []
    now = time.time()
    named = _named_by(feed)
    for url, (origin, what) in named.items():
        cache = FeedCache(cache_dir, url)
        no = policy.refusal_without_lookup(urlsplit(url).hostname or "")
        if no is not None:  # known without the network: also for a copy kept from before
            refused.append(_refusal(origin, what, url, f"not downloaded: {no}, and the "
                                    "addresses a feed names must be public (if "
                                    f"{no.host} is yours, list it under fetch_allow_hosts)"))
            continue
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
        client = new_client(options)  # one client: connections and TLS set-up are reused

        def get(url: str) -> FetchResult:
            return fetch_feed(url, cache_dir, options, lambda body, base: 1, client)

        pool = ThreadPoolExecutor(max_workers=8)
        futures = {pool.submit(get, url): url for url in wanted}
        done, late = wait(futures, timeout=None if refresh else budget)
        pool.shutdown(wait=False, cancel_futures=True)
        if not late:
            client.close()  # (with downloads still running, the client goes with the process)
    for future in done:
        url, result = futures[future], future.result()
        if result.refused:  # not a failure to retry later: allowing the host makes it work now
            origin, what = named[url]
            refused += [_refusal(origin, what, url, p.message) for p in result.problems]
            continue
        if result.body is not None:
            bodies[url] = result.body
            _forget_failure(FeedCache(cache_dir, url))
        elif not offline:
            _remember_failure(FeedCache(cache_dir, url), result.problems)
        for problem in result.problems:
            # A chapter or transcript file never stops the build: the episode is shown without it.
            (failed if result.body is None else notes).append(_attachment_problem(problem))
    problems = (sorted(refused, key=str) + sorted(notes, key=str)
                + _at_most(sorted(failed, key=str), "could not be used"))
    if late:
        problems.append(Problem(Severity.WARNING, Origin(futures[next(iter(late))]),
                                f"{len(late)} chapter or transcript file{'s' if len(late) != 1 else ''} "
                                f"not downloaded yet: this build spent its {budget:g} s on others "
                                "(the next build, or podsite fetch, gets them)"))
    return ListenerFiles(remote=tuple(sorted(bodies.items())), problems=tuple(problems))


def _refusal(origin: Origin, what: str, url: str, reason: str) -> Problem:
    url = url if len(url) <= 200 else url[:160] + "…"  # the feed decides how long it is
    return Problem(Severity.WARNING, origin, f"{what} {url} {reason}; the episode is shown "
                                             "without it")


def _at_most(problems: list[Problem], what: str) -> list[Problem]:
    if len(problems) <= SHOWN:
        return problems
    rest = len(problems) - SHOWN
    return problems[:SHOWN] + [Problem(Severity.WARNING, problems[SHOWN].origin,
                                       f"and {rest} more chapter or transcript files {what} "
                                       "(their episodes are shown without them)")]


def _failure(cache: FeedCache) -> dict | None:
    try:
        record = json.loads((cache.folder / FAILED).read_text(encoding="utf-8"))
        return record if isinstance(record.get("at"), (int, float)) and record.get("reason") else None
    except (OSError, ValueError, AttributeError):
        return None


def _remember_failure(cache: FeedCache, problems) -> None:
    reason = next((p.message for p in problems), "the download failed")
    reason = reason.split(", and there is no cached copy")[0]
    try:
        cache.folder.mkdir(parents=True, exist_ok=True)
        (cache.folder / FAILED).write_text(json.dumps({"at": time.time(), "reason": reason}),
                                           encoding="utf-8")
    except OSError:
        pass  # then the next build tries again


def _forget_failure(cache: FeedCache) -> None:
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
