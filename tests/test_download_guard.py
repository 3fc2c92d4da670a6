"""What a feed may make the build download, and for how long (generator/ingest/guard.py).

A feed names chapter and transcript URLs, and its server answers with redirects: none of them may
lead the build to a loopback, private, link-local or cloud-metadata address (whose page would be
published), unless the maintainer allows the host. Each download has an overall deadline, so a
server trickling a byte every few seconds cannot hold a build. All on real servers on 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import mkdocs
from test_fetch import send  # one way to answer a request, for both servers

from generator.build import Settings, generate, load_sources
from generator.errors import Report, Severity
from generator.ingest import guard
from generator.ingest.attachments import FAILED, fetch_attachments
from generator.ingest.feed import parse_feed

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "content/feed.xml").read_bytes()
SECRET = b"WEBVTT\n\n00:00.000 --> 00:05.000\n<v Admin>internal-secret-token\n"
CHAPTERS = b'{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "internal-secret-chapter"}]}'


class Server:
    """A real HTTP server on 127.0.0.1: `routes[path](handler)` answers; every path asked is kept."""

    def __init__(self):
        self.routes, self.asked, self.stop = {}, [], threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.asked.append(self.path)
                answer = server.routes.get(self.path)
                try:
                    answer(self) if answer else send(self, 404, b"not here")
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the deadline tests)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = Server()
    yield s
    s.close()


def redirect(location):
    return lambda h: send(h, 302, b"", {"Location": location})


def feed_naming(chapters: str, transcript: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">
<channel><title>Guarded cast</title><link>https://cast.example/</link>
<item><title>One</title><guid>ep-1</guid><pubDate>Mon, 05 Jan 2026 06:00:00 +0000</pubDate>
<enclosure url="https://cast.example/1.mp3" type="audio/mpeg" length="1"/>
<podcast:chapters url="{chapters}" type="application/json+chapters"/>
</item>
<item><title>Two</title><guid>ep-2</guid><pubDate>Mon, 12 Jan 2026 06:00:00 +0000</pubDate>
<enclosure url="https://cast.example/2.mp3" type="audio/mpeg" length="1"/>
<podcast:transcript url="{transcript}" type="text/vtt"/>
</item>
</channel></rss>
"""


def local_project(tmp_path: Path, feed: str, **settings) -> Settings:
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True, exist_ok=True)
    if not (root / "templates").exists():
        (root / "templates").symlink_to(ROOT / "templates", target_is_directory=True)
    (root / "content/feed.xml").write_text(feed, encoding="utf-8")
    return Settings(root=root, feed="content/feed.xml", worksheet_pdf=False, cache_dir="",
                    notes_missing=Severity.INFO, **settings)


def published(pages: dict) -> str:
    return "\n".join(text for text in pages.values() if isinstance(text, str))


# --- which addresses are refused: every class, in every spelling -----------------------------------

REFUSED = {
    "127.0.0.1": "a loopback address", "127.8.9.10": "a loopback address",
    "::1": "a loopback address",
    "10.1.2.3": "a private-network address", "172.16.5.4": "a private-network address",
    "192.168.0.10": "a private-network address", "fc00::5": "a private-network address",
    "169.254.169.254": "the cloud metadata address", "fd00:ec2::254": "the cloud metadata address",
    "100.100.100.200": "the cloud metadata address",
    "169.254.10.20": "a link-local address", "fe80::1": "a link-local address",
    "0.0.0.0": "an unspecified address", "::": "an unspecified address",
    "224.0.0.251": "a multicast address", "ff02::1": "a multicast address",
    "100.64.0.9": "not a public address", "192.0.2.7": "a private-network address",
    "240.0.0.1": "a private-network address", "255.255.255.255": "a private-network address",
    "::ffff:127.0.0.1": "a loopback address (IPv6 form of 127.0.0.1)",
    "::ffff:10.0.0.1": "a private-network address (IPv6 form of 10.0.0.1)",
    "::ffff:169.254.169.254": "the cloud metadata address (IPv6 form of 169.254.169.254)",
    "2002:7f00:1::": "a loopback address (IPv6 form of 127.0.0.1)",  # 6to4
    "64:ff9b::a9fe:a9fe": "the cloud metadata address (IPv6 form of 169.254.169.254)",  # NAT64
}


@pytest.mark.parametrize("address, reason", sorted(REFUSED.items()))
def test_non_public_addresses_are_refused_in_every_spelling(address, reason):
    assert guard.refusal(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111",
                                     "::ffff:93.184.215.14", "2002:5db8:d70e::1"])
def test_public_addresses_are_allowed(address):
    assert guard.refusal(ipaddress.ip_address(address)) is None


def test_the_allow_list_takes_names_addresses_and_networks():
    policy = guard.AddressPolicy(("Podcasts.LAN", "127.0.0.1", "10.1.0.0/16", "[::1]"))
    assert policy.allows_name("podcasts.lan.") and not policy.allows_name("other.lan")
    assert policy.allows_address(ipaddress.ip_address("10.1.200.3"))
    assert not policy.allows_address(ipaddress.ip_address("10.2.0.1"))
    assert policy.allows_address(ipaddress.ip_address("::1"))
    assert policy.refusal_without_lookup("127.0.0.1") is None
    assert str(policy.refusal_without_lookup("10.2.0.1")) == "10.2.0.1 is a private-network address"


# --- chapter and transcript files the feed names ---------------------------------------------------

def test_a_feed_naming_loopback_files_gets_a_warning_at_its_line_and_nothing_is_fetched(tmp_path, server):
    server.routes["/admin/chapters.json"] = lambda h: send(h, 200, CHAPTERS)
    server.routes["/admin/secret.vtt"] = lambda h: send(h, 200, SECRET)
    settings = local_project(tmp_path, feed_naming(f"{server.url}/admin/chapters.json",
                                             f"http://localhost:{server.port}/admin/secret.vtt"))
    pages, report = generate(settings)
    assert not report.errors and server.asked == []  # refused before any connection
    assert b"internal-secret" not in published(pages).encode()
    assert [str(p) for p in report.warnings] == [
        f"content/feed.xml:4: chapters file {server.url}/admin/chapters.json not downloaded: "
        "127.0.0.1 is a loopback address, and the addresses a feed names must be public (if "
        "127.0.0.1 is yours, list it under fetch_allow_hosts); the episode is shown without it",
        f"content/feed.xml:8: transcript http://localhost:{server.port}/admin/secret.vtt not "
        "downloaded: localhost resolves to 127.0.0.1, a loopback address, and the addresses a "
        "feed names must be public (if localhost is yours, list it under fetch_allow_hosts); the "
        "episode is shown without it"]
    assert not list(tmp_path.rglob(FAILED))  # not remembered as a failure: allowing it works now

    # the maintainer allows the host: the same feed now gets its files
    allowed = Settings(**{**settings.__dict__, "fetch_allow_hosts": ("127.0.0.1", "localhost")})
    pages, report = generate(allowed)
    assert not report.warnings and "internal-secret-token" in pages["transcripts/two.md"]
    # and a copy kept from then is not published once the host is no longer allowed
    pages, report = generate(settings)
    assert "internal-secret" not in published(pages) and len(report.warnings) == 2


@pytest.mark.parametrize("host, refused", [
    ("127.0.0.1", "127.0.0.1 is a loopback address"),
    ("127.1", "127.1 is a loopback address"),
    ("0x7f.0.0.1", "0x7f.0.0.1 is a loopback address"),
    ("2130706433", "2130706433 is a loopback address"),
    ("017700000001", "017700000001 is a loopback address"),
    ("0", "0 is an unspecified address"),
    ("[::1]", "::1 is a loopback address"),
    ("[::ffff:7f00:1]", "::ffff:7f00:1 is a loopback address (IPv6 form of 127.0.0.1)"),
    ("[0:0:0:0:0:ffff:127.0.0.1]", "0:0:0:0:0:ffff:127.0.0.1 is a loopback address (IPv6 form "
                                   "of 127.0.0.1)"),
    ("localhost", "localhost resolves to 127.0.0.1, a loopback address"),
], ids=lambda value: value if "." in value or value.isalnum() or "[" in value else "")
@pytest.mark.parametrize("cached", [False, True], ids=["download", "copy-from-before"])
def test_every_spelling_of_loopback_is_refused(tmp_path, server, host, refused, cached):
    server.routes["/secret.vtt"] = lambda h: send(h, 200, SECRET)
    url = f"http://{host}:{server.port}/secret.vtt"
    feed = parse_feed(feed_naming("", url).encode(), "content/feed.xml", Report())
    if cached and host == "[::1]":
        pytest.skip("the test server listens on IPv4 only")
    if cached:  # downloaded while the host was allowed: never published once it is not
        assert fetch_attachments(feed, tmp_path, False, 5, allow_hosts=(host.strip("[]"),
                                                                          "127.0.0.1")).remote
        server.asked.clear()
    files = fetch_attachments(feed, tmp_path, False, 5)
    assert files.remote == () and server.asked == []
    [problem] = [str(p) for p in files.problems]
    assert problem.startswith(f"content/feed.xml:8: transcript {url} not downloaded: {refused}, ")


@pytest.mark.parametrize("resolved", [["127.0.0.1"], ["10.1.2.3"], ["169.254.169.254"],
                                      ["::ffff:127.0.0.1"], ["93.184.215.14", "127.0.0.1"]],
                         ids=["loopback", "private", "metadata", "mapped", "public-and-loopback"])
def test_a_host_name_is_judged_by_every_address_it_resolves_to(tmp_path, server, monkeypatch, resolved):
    monkeypatch.setattr(guard, "RESOLVE", lambda host, port: resolved if host == "cdn.cast.example"
                        else guard.resolve(host, port))
    url = f"http://cdn.cast.example:{server.port}/secret.vtt"
    server.routes["/secret.vtt"] = lambda h: send(h, 200, SECRET)
    pages, report = generate(local_project(tmp_path, feed_naming("", url)))
    assert server.asked == [] and "internal-secret" not in published(pages)
    [warning] = [str(p) for p in report.warnings]
    refused = next(a for a in resolved if guard.refusal(ipaddress.ip_address(a)))
    assert f"cdn.cast.example resolves to {ipaddress.ip_address(refused)}, {REFUSED[refused]}" \
        in warning


def test_a_public_looking_file_that_redirects_to_loopback_is_refused_at_the_redirect(
        tmp_path, server, monkeypatch):
    # cdn.cast.example stands for a public host: the test's resolver sends it to the test server,
    # and the allow-list names it, so the first request goes through; its redirect must not.
    monkeypatch.setattr(guard, "RESOLVE", lambda host, port: ["127.0.0.1"] if host == "cdn.cast.example"
                        else guard.resolve(host, port))
    server.routes["/ep2.vtt"] = redirect(f"{server.url}/secret.vtt")
    server.routes["/chapters.json"] = redirect(f"http://[::ffff:7f00:1]:{server.port}/secret.vtt")
    server.routes["/secret.vtt"] = lambda h: send(h, 200, SECRET)
    settings = local_project(tmp_path, feed_naming(f"http://cdn.cast.example:{server.port}/chapters.json",
                                             f"http://cdn.cast.example:{server.port}/ep2.vtt"),
                       fetch_allow_hosts=("cdn.cast.example",))
    pages, report = generate(settings)
    assert sorted(server.asked) == ["/chapters.json", "/ep2.vtt"]  # never /secret.vtt
    assert "internal-secret" not in published(pages)
    assert [str(p) for p in report.warnings] == [
        f"content/feed.xml:4: chapters file http://cdn.cast.example:{server.port}/chapters.json not "
        "downloaded: the server redirects to ::ffff:7f00:1, a loopback address (IPv6 form of "
        "127.0.0.1), and the addresses a feed or its server names must be public (if ::ffff:7f00:1 "
        "is yours, list it under fetch_allow_hosts); the episode is shown without it",
        f"content/feed.xml:8: transcript http://cdn.cast.example:{server.port}/ep2.vtt not "
        "downloaded: the server redirects to 127.0.0.1, a loopback address, and the addresses a "
        "feed or its server names must be public (if 127.0.0.1 is yours, list it under "
        "fetch_allow_hosts); the episode is shown without it"]


# --- the feed itself --------------------------------------------------------------------------------

def test_the_maintainers_own_feed_url_may_be_private_but_not_its_redirects(tmp_path, server):
    cache = str(tmp_path / "cache")
    server.routes["/feed"] = lambda h: send(h, 200, SAMPLE)
    settings = Settings(root=ROOT, feed=f"{server.url}/feed", feed_cache_dir=cache,
                        worksheet_pdf=False)
    assert load_sources(settings).feed_bytes == SAMPLE  # 127.0.0.1, named by the maintainer
    server.routes["/feed"] = redirect("http://10.0.0.5/feed.xml")
    sources = load_sources(settings)
    assert sources.feed_bytes == SAMPLE  # the last good copy
    [problem] = [str(p) for p in sources.feed_problems]
    assert problem.startswith(
        f"{server.url}/feed: not downloaded: the server redirects to 10.0.0.5, a private-network "
        "address, and the addresses a feed or its server names must be public (if 10.0.0.5 is "
        "yours, list it under fetch_allow_hosts); using the last good copy from ")
    allowed = Settings(**{**settings.__dict__, "fetch_allow_hosts": ("10.0.0.0/8",)})
    assert "redirects to 10.0.0.5" not in str(load_sources(allowed).feed_problems)


def test_fetch_allow_hosts_in_mkdocs_yml_lets_a_real_build_download(project, server):
    server.routes["/1.vtt"] = lambda h: send(h, 200, SECRET)
    (project / "content/feed.xml").write_text(feed_naming("", f"{server.url}/1.vtt"))
    for note in (project / "content/episodes").glob("*.md"):
        note.unlink()
    (project / "content/urls.yml").unlink()
    refused = mkdocs(project, "build")
    assert refused.returncode == 0 and "list it under fetch_allow_hosts" in refused.stderr
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - podsite:\n", "  - podsite:\n"
                                                 "      fetch_allow_hosts: [127.0.0.1]\n", 1))
    allowed = mkdocs(project, "build")
    assert allowed.returncode == 0, allowed.stderr
    assert "internal-secret-token" in (project / "site/transcripts/two/index.html").read_text()


# --- the overall deadline ---------------------------------------------------------------------------

def drip(server: Server, body: bytes, headers_too: bool = False, every: float = 0.2):
    """Answers one byte at a time, `every` seconds apart, until the client or the test gives up."""
    def answer(h):
        head = (f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n"
                "Content-Type: application/rss+xml\r\n\r\n").encode()
        if not headers_too:
            h.wfile.write(head)
            h.wfile.flush()
        for byte in (head if headers_too else b"") + body:
            if server.stop.wait(every):
                return
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
    return answer


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_a_feed_trickling_a_byte_at_a_time_is_given_up_on_at_the_deadline(tmp_path, server, headers_too):
    settings = Settings(root=ROOT, feed=f"{server.url}/feed", feed_cache_dir=str(tmp_path / "cache"),
                        worksheet_pdf=False, feed_timeout=5, feed_deadline=1.5)
    server.routes["/feed"] = lambda h: send(h, 200, SAMPLE)
    load_sources(settings)
    server.routes["/feed"] = drip(server, SAMPLE, headers_too)
    started = time.monotonic()
    sources = load_sources(settings)
    took = time.monotonic() - started
    assert sources.feed_bytes == SAMPLE  # the last good copy
    [problem] = [str(p) for p in sources.feed_problems]
    assert problem.startswith(f"{server.url}/feed: the download took longer than 1.5 s "
                              "(feed_deadline); using the last good copy from ")
    assert took < 5  # each byte came within feed_timeout: only the deadline ended it


def test_a_trickling_transcript_is_given_up_on_and_the_episode_shown_without_it(tmp_path, server):
    server.routes["/2.vtt"] = drip(server, SECRET * 20)
    feed = parse_feed(feed_naming("", f"{server.url}/2.vtt").encode(), "content/feed.xml", Report())
    started = time.monotonic()
    files = fetch_attachments(feed, tmp_path / "cache", False, 5, deadline=1.0,
                              allow_hosts=("127.0.0.1",))
    assert time.monotonic() - started < 5 and files.remote == ()
    assert [str(p) for p in files.problems] == [
        f"{server.url}/2.vtt: the download took longer than 1 s (feed_deadline), and there is no "
        "cached copy: the episode is shown without it"]
