"""Fetching the feed from a real HTTP server on 127.0.0.1: every way a server lets us down."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import mkdocs

from generator.build import Settings, generate, keep_feed, load_sources

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "content/feed.xml").read_bytes()
EMPTY = SAMPLE[: SAMPLE.index(b"<item>")] + b"</channel></rss>"
ONE_ITEM = SAMPLE[: SAMPLE.index(b"</item>") + 7] + b"</channel></rss>"


class FeedServer:
    """`routes[path]` is a function (handler) -> None that answers one request."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                try:
                    server.routes[self.path](self)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = FeedServer()
    yield s
    s.close()


def send(handler, status=200, body=b"", headers=None):
    handler.send_response(status)
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    if "Content-Length" not in (headers or {}):
        handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def ok(body=SAMPLE, **headers):
    return lambda h: send(h, 200, body, {"Content-Type": "application/rss+xml", **headers})


def conditional(etag=None, last_modified=None, body=SAMPLE):
    def answer(h):
        if etag and h.headers.get("If-None-Match") == etag or \
                last_modified and h.headers.get("If-Modified-Since") == last_modified:
            return send(h, 304)
        headers = {}
        if etag:
            headers["ETag"] = etag
        if last_modified:
            headers["Last-Modified"] = last_modified
        send(h, 200, body, headers)
    return answer


def settings_for(tmp_path: Path, url: str, **extra) -> Settings:
    return Settings(root=ROOT, feed=url, feed_cache_dir=str(tmp_path / "cache"), worksheet_pdf=False,
                    **extra)


def problems(tmp_path, url, **extra):
    sources = load_sources(settings_for(tmp_path, url, **extra))
    return sources, [f"{p.severity.value}: {p}" for p in sources.feed_problems]


def test_download_builds_the_site_and_sends_a_user_agent(server, tmp_path):
    server.routes["/feed"] = ok()
    pages, report = generate(settings_for(tmp_path, f"{server.url}/feed"))
    assert not report.errors and "episodes/building-alliances-the-four-packs.md" in pages
    assert server.requests[0][1]["User-Agent"].startswith("podsite/")


@pytest.mark.parametrize("validator", ["etag", "last_modified"])
def test_not_modified_reuses_the_cache(server, tmp_path, validator):
    kwargs = {"etag": '"v1"'} if validator == "etag" else \
        {"last_modified": "Wed, 06 May 2026 06:00:00 GMT"}
    server.routes["/feed"] = conditional(**kwargs)
    first, _ = problems(tmp_path, f"{server.url}/feed")
    second, notes = problems(tmp_path, f"{server.url}/feed")
    assert notes == [] and second.feed_bytes == first.feed_bytes == SAMPLE
    sent = server.requests[1][1]
    assert sent.get("If-None-Match" if validator == "etag" else "If-Modified-Since") == \
        next(iter(kwargs.values()))


def test_server_error_falls_back_to_the_last_good_copy(server, tmp_path):
    server.routes["/feed"] = ok()
    problems(tmp_path, f"{server.url}/feed")
    server.routes["/feed"] = lambda h: send(h, 500, b"oops")
    sources, notes = problems(tmp_path, f"{server.url}/feed")
    assert sources.feed_bytes == SAMPLE
    assert len(notes) == 1 and notes[0].startswith(
        f"warning: {server.url}/feed: the server answered 500 Internal Server Error; using the "
        "last good copy from ")
    assert notes[0].endswith(" (9 episodes)")


def test_server_error_without_a_cache_is_an_error_that_says_what_happened(server, tmp_path):
    server.routes["/feed"] = lambda h: send(h, 503, b"down")
    pages, report = generate(settings_for(tmp_path, f"{server.url}/feed"))
    assert pages == {}
    assert [str(p) for p in report.errors] == [
        f"{server.url}/feed: the server answered 503 Service Unavailable, and there is no cached "
        "copy to fall back on (check the URL and the connection)"]


def test_a_server_slower_than_the_timeout(server, tmp_path):
    server.routes["/feed"] = ok()
    problems(tmp_path, f"{server.url}/feed")
    server.routes["/feed"] = lambda h: (time.sleep(1.5), send(h, 200, SAMPLE))
    sources, notes = problems(tmp_path, f"{server.url}/feed", feed_timeout=0.3)
    assert sources.feed_bytes == SAMPLE
    assert notes[0].startswith(f"warning: {server.url}/feed: no answer within 0.3 s (feed_timeout); "
                               "using the last good copy")


def test_a_truncated_body(server, tmp_path):
    server.routes["/feed"] = ok()
    problems(tmp_path, f"{server.url}/feed")
    cut = SAMPLE[: len(SAMPLE) // 2]
    server.routes["/feed"] = lambda h: send(h, 200, cut, {"Content-Length": str(len(SAMPLE))})
    sources, notes = problems(tmp_path, f"{server.url}/feed")
    assert sources.feed_bytes == SAMPLE
    assert "the download broke off" in notes[0] and "using the last good copy" in notes[0]


def test_a_truncated_body_the_server_thinks_is_complete(server, tmp_path):
    server.routes["/feed"] = ok(SAMPLE[: len(SAMPLE) * 2 // 3])
    sources, notes = problems(tmp_path, f"{server.url}/feed")
    assert sources.feed_bytes is None  # not even a first download of a cut-off feed is trusted
    assert notes == [f"error: {server.url}/feed: the download from {server.url}/feed cannot be "
                     "used: it ends before the feed does (cut off, or not RSS/Atom), and there is "
                     "no cached copy to fall back on (check the URL and the connection)"]


def test_redirects_are_followed_and_a_permanent_move_is_reported(server, tmp_path):
    server.routes["/old"] = lambda h: send(h, 301, b"", {"Location": "/feed"})
    server.routes["/feed"] = ok()
    sources, notes = problems(tmp_path, f"{server.url}/old")
    assert sources.feed_bytes == SAMPLE and sources.feed_base_url == f"{server.url}/feed"
    assert notes == [f"info: {server.url}/old: the feed has moved permanently to "
                     f"{server.url}/feed (update feed_url)"]


def test_gzip_is_decoded(server, tmp_path):
    server.routes["/feed"] = ok(gzip.compress(SAMPLE), **{"Content-Encoding": "gzip"})
    sources, notes = problems(tmp_path, f"{server.url}/feed")
    assert sources.feed_bytes == SAMPLE and notes == []
    assert "gzip" in server.requests[0][1]["Accept-Encoding"]


@pytest.mark.parametrize("encoded", [False, True], ids=["plain", "gzip-bomb"])
def test_a_body_over_the_cap(server, tmp_path, encoded):
    big = SAMPLE.replace(b"</channel>", b"<!--" + b" " * 200_000 + b"--></channel>")
    body = gzip.compress(big) if encoded else big
    server.routes["/feed"] = ok(body, **({"Content-Encoding": "gzip"} if encoded else {}))
    sources, notes = problems(tmp_path, f"{server.url}/feed", feed_max_bytes=100_000)
    assert sources.feed_bytes is None
    assert notes == [f"error: {server.url}/feed: the feed is larger than feed_max_bytes (100000 "
                     "bytes), and there is no cached copy to fall back on (check the URL and the "
                     "connection)"]


def test_an_empty_feed_after_a_full_one_is_not_trusted(server, tmp_path):
    server.routes["/feed"] = ok()
    problems(tmp_path, f"{server.url}/feed")
    server.routes["/feed"] = ok(EMPTY)
    sources, notes = problems(tmp_path, f"{server.url}/feed")
    assert sources.feed_bytes == SAMPLE
    assert notes[0].startswith(  # an empty feed is a readable one: it says it has no episodes
        f"warning: {server.url}/feed: the download from {server.url}/feed cannot be used: the feed "
        "has no episodes (no <item> or <entry> elements; check that this is the podcast's full "
        "feed, not an empty or paged one); using the last good copy from ")


def _item_lines_of(*guids: bytes) -> dict:
    """The lines of the sample feed's <item> tags that hold these guids (first, second)."""
    lines = []
    for guid in guids:
        at = SAMPLE.index(guid)
        lines.append(SAMPLE.count(b"\n", 0, SAMPLE.rindex(b"<item>", 0, at)) + 1)
    return dict(zip(("first", "second"), sorted(lines)))


@pytest.mark.parametrize("body, reason", [
    (EMPTY, "the feed has no episodes (no <item> or <entry> elements; check that this is the "
            "podcast's full feed, not an empty or paged one)"),
    (EMPTY.replace(b"<channel>", b"<channel><title>Only a channel</title>"),
     "the feed has no episodes (no <item> or <entry> elements; check that this is the "
     "podcast's full feed, not an empty or paged one)"),
    (b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title></feed>',
     "the feed has no episodes (no <item> or <entry> elements; check that this is the "
     "podcast's full feed, not an empty or paged one)"),
    (b"", "it is empty (0 bytes of feed)"),
    (SAMPLE.replace(b"<guid isPermaLink=\"false\">sbs-2026-002</guid>",
                    b"<guid isPermaLink=\"false\">sbs-2026-001</guid>"),
     "line {second}: guid 'sbs-2026-001' is used by two items (lines {first} and {second}; each "
     "episode needs its own guid)".format(**_item_lines_of(b"sbs-2026-002", b"sbs-2026-001"))),
], ids=["rss-no-items", "rss-channel-only", "atom-no-entries", "zero-bytes", "duplicate-guid"])
def test_a_first_download_that_cannot_be_used_says_why(server, tmp_path, body, reason):
    # readable but unusable feeds are not "truncated or not RSS/Atom": the message says what is wrong
    server.routes["/feed"] = ok(body)
    sources, notes = problems(tmp_path, f"{server.url}/feed")
    assert sources.feed_bytes is None
    assert notes == [f"error: {server.url}/feed: the download from {server.url}/feed cannot be "
                     f"used: {reason}, and there is no cached copy to fall back on (check the URL "
                     "and the connection)"]


def test_a_shrunken_feed_is_not_trusted_unless_forced(server, tmp_path):
    server.routes["/feed"] = ok()
    problems(tmp_path, f"{server.url}/feed")
    server.routes["/feed"] = ok(ONE_ITEM)
    sources, notes = problems(tmp_path, f"{server.url}/feed")
    assert sources.feed_bytes == SAMPLE
    assert (f"warning: {server.url}/feed: the feed now lists 1 episodes against 9 in the last good "
            "copy, which looks like a broken feed (if it is right, build once with "
            "PODCAST_FEED_FORCE=1 or feed_force: true); using the last good copy") in notes[0]
    forced, notes = problems(tmp_path, f"{server.url}/feed", feed_force=True)
    assert forced.feed_bytes == ONE_ITEM and notes == []
    # no build from it succeeded yet: the last good copy, and the guard's baseline, stay
    after, notes = problems(tmp_path, f"{server.url}/feed")
    assert after.feed_bytes == SAMPLE and "against 9 in the last good copy" in notes[0]
    keep_feed(settings_for(tmp_path, f"{server.url}/feed"), forced.feed_bytes)  # a build from it succeeded
    after, notes = problems(tmp_path, f"{server.url}/feed")
    assert after.feed_bytes == ONE_ITEM and notes == []


def test_offline_uses_the_cache_without_touching_the_network(server, tmp_path):
    server.routes["/feed"] = ok()
    problems(tmp_path, f"{server.url}/feed")
    count = len(server.requests)
    sources, notes = problems(tmp_path, f"{server.url}/feed", feed_offline=True)
    assert sources.feed_bytes == SAMPLE and len(server.requests) == count
    assert notes[0].startswith(f"info: {server.url}/feed: offline: using the copy fetched ")


def test_offline_without_a_cache(tmp_path):
    sources, notes = problems(tmp_path, "http://127.0.0.1:9/feed", feed_offline=True)
    assert notes == ["error: http://127.0.0.1:9/feed: offline (feed_offline or PODCAST_OFFLINE) and "
                     "no cached copy of this feed yet (build once online first)"]


def test_a_corrupt_cache_is_ignored(server, tmp_path):
    server.routes["/feed"] = ok()
    problems(tmp_path, f"{server.url}/feed")
    for meta in (tmp_path / "cache").rglob("feed.xml"):
        meta.write_bytes(b"garbage")
    server.routes["/feed"] = lambda h: send(h, 500)
    sources, notes = problems(tmp_path, f"{server.url}/feed")
    assert sources.feed_bytes is None and "no cached copy" in notes[0]


def test_mkdocs_build_with_a_feed_url_warns_and_keeps_every_episode(server, project):
    server.routes["/feed"] = ok()
    assert mkdocs(project, "build", env={"PODCAST_FEED": f"{server.url}/feed"}).returncode == 0
    server.routes["/feed"] = lambda h: send(h, 500)
    result = mkdocs(project, "build", env={"PODCAST_FEED": f"{server.url}/feed"})
    assert result.returncode == 0, result.stderr
    assert f"WARNING -  podsite: {server.url}/feed: the server answered 500 Internal Server Error; " \
           "using the last good copy" in result.stderr
    assert len(list((project / "site/episodes").glob("*/index.html"))) == 9
    assert (project / ".cache/podsite/feeds").is_dir()
    # strict builds refuse to publish from a stale copy
    assert mkdocs(project, "build", "--strict", env={"PODCAST_FEED": f"{server.url}/feed"}).returncode == 1


def test_a_forced_download_replaces_the_last_good_copy_only_after_its_build_succeeded(server, project):
    url = f"{server.url}/feed"
    cache = project / ".cache/podsite/feeds"
    env = {"PODCAST_FEED": url}
    server.routes["/feed"] = ok()
    assert mkdocs(project, "build", env=env).returncode == 0

    # the feed lost 8 episodes; forced, the build fails (their notes name episodes not in it)
    server.routes["/feed"] = ok(ONE_ITEM)
    failed = mkdocs(project, "build", env={**env, "PODCAST_FEED_FORCE": "1"})
    assert failed.returncode == 1 and "no episode in the feed has guid" in failed.stderr
    [kept] = [p for p in cache.rglob("feed.xml") if (p.parent / "meta.json").read_text().count(url)]
    assert kept.read_bytes() == SAMPLE and '"episodes": 9' in (kept.parent / "meta.json").read_text()

    # so the next, unforced build still guards against the shrink and builds every episode
    guarded = mkdocs(project, "build", env=env)
    assert guarded.returncode == 0, guarded.stderr
    assert "the feed now lists 1 episodes against 9 in the last good copy" in guarded.stderr
    assert len(list((project / "site/episodes").glob("*/index.html"))) == 9

    # once the notes agree and a forced build succeeds, that feed is the last good copy
    for note in (project / "content/episodes").glob("*.md"):
        if "sbs-2026-009" not in note.read_text(encoding="utf-8"):
            note.unlink()
    (project / "content/urls.yml").unlink()
    forced = mkdocs(project, "build", env={**env, "PODCAST_FEED_FORCE": "1"})
    assert forced.returncode == 0, forced.stderr
    assert kept.read_bytes() == ONE_ITEM and not list(cache.rglob("pending.xml"))
    after = mkdocs(project, "build", env=env)
    assert after.returncode == 0 and "last good copy" not in after.stderr
