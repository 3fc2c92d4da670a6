"""`podsite fetch`: download the feed now, keep it as the last good copy, say what changed.

    FeedCache.load (the copy before) -> download.fetch_feed (network, the same guards as a build)
    -> parse both -> diff_feeds (pure: by guid)

It also asks again about every chapter and transcript file the feed names (builds use the copies
they have and download only new ones), and says how many were new or updated.

It goes to the network even when builds are offline (`feed_offline`, `PODCAST_OFFLINE`): that is
how an offline project refreshes its copy on purpose. A download that the build would not trust
(an error answer, a truncated or shrunken feed) leaves the last good copy as it was and fails.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .. import build
from ..errors import PodsiteError, Problem, Report, Severity
from ..ingest import attachments, download
from ..ingest.cache import parse_feed_cached
from ..model import Feed, FeedEpisode, Origin

# `podsite fetch --changed-exit-code` exits with this when the feed has not changed (1 is failure).
FEED_UNCHANGED = 3

# What makes an episode "changed", as (name shown, field of FeedEpisode).
COMPARED = (("title", "title"), ("audio", "enclosure"), ("date", "published"),
            ("description", "description_html"))


@dataclass(frozen=True)
class FeedDiff:
    new: tuple[FeedEpisode, ...]
    changed: tuple[tuple[FeedEpisode, tuple[str, ...]], ...]  # the episode now, what changed
    removed: tuple[FeedEpisode, ...]

    def summary(self) -> str:
        return f"{len(self.new)} new, {len(self.changed)} changed, {len(self.removed)} removed"


def diff_feeds(before: Feed, after: Feed) -> FeedDiff:
    """Episodes matched by guid; the order is the feed's (newest first in most feeds)."""
    old = {e.guid: e for e in before.episodes}
    now = {e.guid: e for e in after.episodes}
    changed = []
    for guid, episode in now.items():
        if guid in old:
            fields = tuple(name for name, attr in COMPARED
                           if getattr(old[guid], attr) != getattr(episode, attr))
            if fields:
                changed.append((episode, fields))
    return FeedDiff(tuple(e for g, e in now.items() if g not in old), tuple(changed),
                    tuple(e for g, e in old.items() if g not in now))


@dataclass(frozen=True)
class FetchReport:
    url: str
    downloaded: bool  # False: the server said the copy is current (304)
    episodes: int
    before: download.CachedFeed | None
    diff: FeedDiff | None  # None for a first download or an unchanged feed
    notes: tuple[Problem, ...]  # e.g. "the feed has moved permanently"
    attachments: AttachmentReport | None = None
    changed: bool = True  # False: a 304, or the same bytes as the copy before

    def summary_line(self) -> str:
        """One line for a CI run's summary: whether there is anything to build."""
        if not self.changed:
            return (f"The feed has not changed since the copy fetched {self.before.fetched_at} "
                    f"({self.before.episodes} episodes): nothing to build or publish.")
        if self.before is None:
            return f"The feed was fetched for the first time: {self.episodes} episodes."
        diff = self.diff or FeedDiff((), (), ())
        return f"The feed has changed: {diff.summary()} ({self.episodes} episodes)."


def _parse(body: bytes, settings: build.Settings, base_url: str) -> Feed:
    report = Report()
    feed = parse_feed_cached(body, settings.feed, report, build._parsed_cache(settings), base_url)
    if feed is None:
        raise PodsiteError(report.errors)
    return feed


def fetch_now(settings: build.Settings, force: bool = False) -> FetchReport:
    """Download the feed of `settings`; PodsiteError when the last good copy could not be replaced."""
    url = settings.feed
    if not download.is_url(url):
        raise PodsiteError.single(Origin(url), "the feed is a file, not a URL: there is nothing to "
                                               "fetch (podsite fetch refreshes the cached copy of a "
                                               "feed on the web; set feed_url or PODCAST_FEED to it)")
    cache_dir = settings.root / settings.feed_cache_dir
    before = download.FeedCache(cache_dir, url).load()
    options = build.feed_options(settings, offline=False, force=force or settings.feed_force)
    result = download.fetch_feed(url, cache_dir, options, build._episode_counter(settings))
    trouble = [p for p in result.problems if p.severity is not Severity.INFO]
    if trouble or result.body is None:
        kept = "the last good copy was kept as it was" if before else "nothing was saved"
        raise PodsiteError([replace(p, severity=Severity.ERROR) for p in trouble] +
                           [Problem(Severity.ERROR, Origin(url), f"not refreshed: {kept}")])
    notes = tuple(result.problems)
    after = _parse(result.body, settings, result.base_url)
    attachments = refresh_attachments(settings, after)
    if not result.fresh:  # 304 Not Modified
        return FetchReport(url, False, before.episodes if before else 0, before, None, notes,
                           attachments, changed=before is None)
    diff = None
    changed = before is None or before.body != result.body
    if before is not None and changed:
        diff = diff_feeds(_parse(before.body, settings, url), after)
    return FetchReport(url, True, len(after.episodes), before, diff, notes, attachments, changed)


@dataclass(frozen=True)
class AttachmentReport:
    checked: int
    new: int
    updated: int
    problems: tuple[Problem, ...]

    def summary(self) -> str:
        return (f"chapter and transcript files: {self.checked} checked, {self.new} new, "
                f"{self.updated} updated")


def refresh_attachments(settings: build.Settings, feed: Feed) -> AttachmentReport | None:
    """Ask the server again about every chapter and transcript file the feed names (builds use
    the copies they have without asking); None when there are none or listen_fetch is off."""
    urls = attachments.attachment_urls(feed)
    if not settings.listen_fetch or not urls:
        return None
    folder = build.attachments_dir(settings)
    before = {url: download.FeedCache(folder, url).load() for url in urls}
    files = attachments.fetch_attachments(feed, folder, offline=False, timeout=settings.feed_timeout,
                                          refresh=True, deadline=settings.feed_deadline,
                                          allow_hosts=settings.fetch_allow_hosts)
    now = dict(files.remote)
    new = sum(before[url] is None and url in now for url in urls)
    updated = sum(before[url] is not None and now.get(url, before[url].body) != before[url].body
                  for url in urls)
    return AttachmentReport(len(urls), new, updated, files.problems)


def describe(report: FetchReport) -> list[str]:
    """The lines `podsite fetch` prints."""
    lines = _describe_feed(report)
    if report.attachments is not None:
        lines += [f"{p.severity.value}: {p}" for p in report.attachments.problems]
        lines.append(report.attachments.summary())
    return lines


def _describe_feed(report: FetchReport) -> list[str]:
    lines = [f"{p.severity.value}: {p}" for p in report.notes]
    before = report.before
    if not report.downloaded:
        lines.append(f"{report.url}: not modified since the copy fetched {before.fetched_at} "
                     f"({before.episodes} episodes)")
        return lines
    if before is None:
        lines.append(f"{report.url}: first copy saved: {report.episodes} episodes")
        return lines
    lines.append(f"{report.url}: downloaded {report.episodes} episodes (the copy before, fetched "
                 f"{before.fetched_at}, had {before.episodes})")
    diff = report.diff or FeedDiff((), (), ())
    lines += [f"new: {e.title!r} (guid {e.guid})" for e in diff.new]
    lines += [f"changed: {e.title!r} (guid {e.guid}): {', '.join(fields)}" for e, fields in diff.changed]
    lines += [f"removed: {e.title!r} (guid {e.guid})" for e in diff.removed]
    lines.append(diff.summary())
    return lines

