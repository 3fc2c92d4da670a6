"""`podsite fetch` against a real HTTP server on 127.0.0.1 (the server of test_fetch.py)."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import edit
from test_fetch import ONE_ITEM, SAMPLE, conditional, ok, send, server  # noqa: F401 (fixture)

from generator.commands.cli import main
from generator.ingest.download import FeedCache

NEW_ITEM = b"""<item><title>Asking for help early</title><guid isPermaLink="false">sbs-2026-010</guid>
<pubDate>Wed, 20 May 2026 06:00:00 +0000</pubDate>
<enclosure url="https://small-brave-steps.example/media/sbs-010.mp3" length="1" type="audio/mpeg"/>
<itunes:episode>10</itunes:episode></item>
"""


def changed_feed() -> bytes:
    """One episode added, one retitled, one with new audio, the oldest removed."""
    body = SAMPLE.replace(b"<item>", NEW_ITEM + b"<item>", 1)
    body = body.replace(b"<title>Auditing your alliances</title>",
                        b"<title>Auditing your alliances, live</title>")
    body = body.replace(b"media/sbs-007.mp3", b"media/sbs-007-remastered.mp3")
    start = body.rindex(b"<item>")
    return body[:start] + body[body.index(b"</item>", start) + 7:]


@pytest.fixture
def run(project, server, monkeypatch):  # noqa: F811
    """`podsite fetch` in the project, its feed on the server, builds offline (as in CI caches)."""
    edit(project / "mkdocs.yml", "notes_missing: info", "notes_missing: info\n      feed_cache_dir: .feeds")
    monkeypatch.setenv("PODCAST_FEED", f"{server.url}/feed")
    monkeypatch.setenv("PODCAST_OFFLINE", "1")
    monkeypatch.delenv("PODCAST_FEED_FORCE", raising=False)

    def fetch(*args):
        result = CliRunner().invoke(main, ["fetch", "-f", str(project / "mkdocs.yml"), *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        return result
    return fetch


def cached(project, server):  # noqa: F811
    return FeedCache(project / ".feeds", f"{server.url}/feed").load()


def fetched_at(text: str) -> str:
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "<when>", text)


def test_first_fetch_then_the_changes(run, server, project):  # noqa: F811
    server.routes["/feed"] = ok()
    first = run()
    assert first.exit_code == 0 and first.stdout == f"{server.url}/feed: first copy saved: 9 episodes\n"
    assert cached(project, server).body == SAMPLE  # fetched although builds are offline

    server.routes["/feed"] = ok(changed_feed())
    result = run()
    assert result.exit_code == 0, result.output
    assert fetched_at(result.stdout).splitlines() == [
        f"{server.url}/feed: downloaded 9 episodes (the copy before, fetched <when>, had 9)",
        "new: 'Asking for help early' (guid sbs-2026-010)",
        "changed: 'Auditing your alliances, live' (guid sbs-2026-008): title",
        "changed: 'Building alliances: the four packs' (guid sbs-2026-007): audio",
        "removed: 'Why a change journey needs virtues' (guid sbs-2026-001)",
        "1 new, 2 changed, 1 removed"]
    assert cached(project, server).body == changed_feed()

    again = run()  # the same bytes again: nothing to report
    assert fetched_at(again.stdout).splitlines()[-1] == "0 new, 0 changed, 0 removed"


def test_not_modified(run, server, project):  # noqa: F811
    server.routes["/feed"] = conditional(etag='"v1"')
    run()
    result = run()
    assert result.exit_code == 0
    assert fetched_at(result.stdout) == (f"{server.url}/feed: not modified since the copy fetched "
                                         "<when> (9 episodes)\n")
    assert server.requests[-1][1]["If-None-Match"] == '"v1"'


def test_a_failing_server_keeps_the_last_good_copy(run, server, project):  # noqa: F811
    server.routes["/feed"] = ok()
    run()
    server.routes["/feed"] = lambda h: send(h, 500, b"oops")
    result = run()
    assert result.exit_code == 1 and result.stdout == ""
    assert fetched_at(result.stderr).splitlines() == [
        f"error: {server.url}/feed: the server answered 500 Internal Server Error; using the last "
        "good copy from <when> (9 episodes)",
        f"error: {server.url}/feed: not refreshed: the last good copy was kept as it was"]
    assert cached(project, server).body == SAMPLE


def test_a_shrunken_feed_needs_force(run, server, project):  # noqa: F811
    server.routes["/feed"] = ok()
    run()
    server.routes["/feed"] = ok(ONE_ITEM)
    refused = run()
    assert refused.exit_code == 1
    assert "the feed now lists 1 episodes against 9 in the last good copy" in refused.stderr
    assert cached(project, server).body == SAMPLE
    forced = run("--force")
    assert forced.exit_code == 0
    assert forced.stdout.splitlines()[-1] == "0 new, 0 changed, 8 removed"
    assert cached(project, server).body == ONE_ITEM


def test_a_feed_file_has_nothing_to_fetch(project, monkeypatch):
    monkeypatch.delenv("PODCAST_FEED", raising=False)
    result = CliRunner().invoke(main, ["fetch", "-f", str(project / "mkdocs.yml")])
    assert result.exit_code == 1
    assert result.stderr == ("error: content/feed.xml: the feed is a file, not a URL: there is "
                             "nothing to fetch (podsite fetch refreshes the cached copy of a feed on "
                             "the web; set feed_url or PODCAST_FEED to it)\n")


def test_changed_exit_code_says_whether_there_is_anything_to_build(run, server, project, tmp_path):  # noqa: F811
    """The scheduled workflow's question: 200 (first copy), 304, the same bytes, a changed feed."""
    summary = tmp_path / "summary.md"
    args = ("--changed-exit-code", "--summary", str(summary))
    server.routes["/feed"] = conditional(etag='"v1"')
    first = run(*args)
    assert first.exit_code == 0, first.output
    not_modified = run(*args)
    assert not_modified.exit_code == 3
    assert "not modified since the copy fetched" in not_modified.stdout

    server.routes["/feed"] = ok()  # no validators: the same bytes again
    same = run(*args)
    assert same.exit_code == 3

    server.routes["/feed"] = conditional(etag='"v2"', body=changed_feed())
    changed = run(*args)
    assert changed.exit_code == 0
    assert changed.stdout.splitlines()[-1] == "1 new, 2 changed, 1 removed"
    assert run(*args).exit_code == 3  # and the new validator is kept
    assert fetched_at(summary.read_text()) == (
        "The feed was fetched for the first time: 9 episodes.\n\n"
        "The feed has not changed since the copy fetched <when> (9 episodes): nothing to build or "
        "publish.\n\n"
        "The feed has not changed since the copy fetched <when> (9 episodes): nothing to build or "
        "publish.\n\n"
        "The feed has changed: 1 new, 2 changed, 1 removed (9 episodes).\n\n"
        "The feed has not changed since the copy fetched <when> (9 episodes): nothing to build or "
        "publish.\n\n")

    server.routes["/feed"] = lambda h: send(h, 500, b"oops")
    failed = run(*args)
    assert failed.exit_code == 1  # a failure is neither answer


def test_changed_exit_code_for_a_feed_file(project, monkeypatch):
    monkeypatch.delenv("PODCAST_FEED", raising=False)
    result = CliRunner().invoke(main, ["fetch", "-f", str(project / "mkdocs.yml"),
                                       "--changed-exit-code"])
    assert result.exit_code == 3
    assert result.stdout == ("content/feed.xml: the feed is a file in this project: it changes "
                             "with a commit, not on its own (nothing to fetch)\n")
