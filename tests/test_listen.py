"""Chapters, people and transcripts: from the feed's tags, the show notes and files, local or
downloaded at build time (a real HTTP server on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import re
import shutil
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from generator.build import Settings, generate
from generator.errors import Report, Severity
from generator.ingest.feed import parse_feed
from generator.model import Chapter, Person, TranscriptLink
from generator.sources.listening import parse_transcript, person_ids
from generator.sources.notes import parse_note

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0"
     xmlns:psc="http://podlove.org/simple-chapters" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Test cast</title><link>{base}</link>
<atom:link href="https://cast.example/feed.xml" rel="self" type="application/rss+xml"/>
<podcast:person role="host" href="https://cast.example/ana">Ana Ruiz</podcast:person>
<item><title>One</title><guid>ep-1</guid><pubDate>Mon, 05 Jan 2026 06:00:00 +0000</pubDate>
<enclosure url="https://cast.example/1.mp3" type="audio/mpeg" length="1"/>
<psc:chapters version="1.2"><psc:chapter start="00:01:30.5" title="Later"/>
<psc:chapter start="00:00:00" title="Start" href="https://cast.example/links"/></psc:chapters>
<podcast:transcript url="https://cast.example/1.html" type="text/html"/>
<podcast:transcript url="/1.vtt" type="text/vtt" language="en"/>
<podcast:person role="Guest" img="https://cast.example/sam.png">Sam Okafor</podcast:person>
<podcast:person>Ana Ruiz</podcast:person>
</item>
<item><title>Two</title><guid>ep-2</guid><pubDate>Mon, 12 Jan 2026 06:00:00 +0000</pubDate>
<enclosure url="https://cast.example/2.mp3" type="audio/mpeg" length="1"/>
<podcast:chapters url="{base}chapters.json" type="application/json+chapters"/>
<podcast:transcript url="{base}2.srt" type="application/x-subrip"/>
</item>
</channel></rss>
"""


def test_feed_tags_become_chapters_transcripts_and_people():
    feed = parse_feed(FEED.format(base="https://cast.example/").encode(), "feed.xml", Report())
    one, two = feed.episodes
    assert one.chapters == (Chapter(0.0, "Start", "https://cast.example/links"),
                            Chapter(90.5, "Later"))
    assert one.transcripts == (TranscriptLink("https://cast.example/1.html", "html"),
                               TranscriptLink("https://cast.example/1.vtt", "vtt", "en"))
    assert one.persons == (Person("Sam Okafor", "guest", "", "https://cast.example/sam.png"),
                           Person("Ana Ruiz", "host"))
    assert two.chapters_url == "https://cast.example/chapters.json"
    assert two.transcripts == (TranscriptLink("https://cast.example/2.srt", "srt"),)
    assert feed.podcast.persons == (Person("Ana Ruiz", "host", "https://cast.example/ana"),)
    assert feed.podcast.feed_url == "https://cast.example/feed.xml"


VTT = b"""WEBVTT

00:00:00.000 --> 00:00:04.000
<v Ana Ruiz>Hello and <i>welcome</i>.

00:00:04.000 --> 00:00:08.000
<v Ana Ruiz>Today: courage.

00:01:02.500 --> 00:01:05.000
<v Sam Okafor>Thanks &amp; hello.
"""


def test_vtt_cues_of_one_speaker_become_one_paragraph():
    transcript = parse_transcript(VTT, "vtt", "t.vtt", Report())
    assert [(p.start, p.speaker, p.text) for p in transcript.paragraphs] == [
        (0.0, "Ana Ruiz", "Hello and welcome. Today: courage."),
        (62.5, "Sam Okafor", "Thanks & hello."),
    ]


def test_srt_and_json_transcripts():
    srt = b"1\n00:00:01,000 --> 00:00:02,000\nAna: First line\n\n2\n00:00:03,000 --> 00:00:04,000\nno speaker here\n"
    transcript = parse_transcript(srt, "srt", "t.srt", Report())
    assert [(p.start, p.speaker, p.text) for p in transcript.paragraphs] == [
        (1.0, "Ana", "First line"), (3.0, "", "no speaker here")]
    data = b'{"version": "1.0.0", "segments": [{"speaker": "Sam", "startTime": 5.5, "body": "Hi"}]}'
    transcript = parse_transcript(data, "json", "t.json", Report())
    assert [(p.start, p.speaker, p.text) for p in transcript.paragraphs] == [(5.5, "Sam", "Hi")]


def test_html_transcripts_are_sanitised():
    data = b'<p onclick="x()">Ana: hi</p><script>alert(1)</script><a href="javascript:x">y</a>'
    transcript = parse_transcript(data, "html", "t.html", Report())
    assert transcript.html == "<p>Ana: hi</p>y"


def test_a_transcript_without_cues_is_a_warning():
    report = Report()
    assert parse_transcript(b"WEBVTT\n\nnothing timed\n", "vtt", "t.vtt", report) is None
    assert [str(p) for p in report.problems] == [
        "t.vtt: transcript has no cues with times and text; the episode is shown without it"]


def test_front_matter_chapters_and_people():
    text = ('---\nguid: ep-1\nchapters:\n  - "0:00 Start"\n  - {start: "1:02:03", title: Deep}\n'
            'people:\n  - {name: Ana Ruiz, role: Host}\n  - Sam Okafor\n---\nBody\n')
    note = parse_note(text, "content/episodes/001.md", Report())
    assert note.chapters == (Chapter(0.0, "Start"), Chapter(3723.0, "Deep"))
    assert note.people == (Person("Ana Ruiz", "host"), Person("Sam Okafor", "guest"))


def test_front_matter_mistakes_name_the_line():
    """The line of the value that is wrong: the chapter's own line, not the `chapters:` key."""
    text = ('---\nguid: ep-1\nchapters:\n  - {start: "soon", title: Start}\n  - {start: "1:00"}\n'
            '  - title: Block style\n    start: "7:xx"\n  - 42\n'
            'people: Ana\n---\nBody\n')
    report = Report()
    assert parse_note(text, "content/episodes/001.md", report) is None
    assert [str(p) for p in report.errors] == [
        "content/episodes/001.md:4: chapter 1 has no valid start time ('soon'; write MM:SS or "
        'HH:MM:SS, quoted, e.g. start: "12:30")',
        "content/episodes/001.md:5: chapter 2 has no title (add title: ...)",
        "content/episodes/001.md:7: chapter 3 has no valid start time ('7:xx'; write MM:SS or "
        'HH:MM:SS, quoted, e.g. start: "12:30")',
        "content/episodes/001.md:8: chapter 4 must be 'start' and 'title' (e.g. - {start: \"12:30\", "
        "title: Naming})",
        "content/episodes/001.md:9: 'people' must be a list (e.g. people: [{name: Ana Ruiz, role: host}])",
    ]


def test_people_mistakes_name_the_line_of_the_person():
    text = ('---\nguid: ep-1\npeople:\n  - {name: Ana Ruiz}\n  - role: guest\n    url: https://x.example/\n'
            '  - name: Sam\n    image: sam.png\n---\n')
    report = Report()
    assert parse_note(text, "content/episodes/001.md", report) is None
    assert [str(p) for p in report.errors] == [
        "content/episodes/001.md:5: person 2 has no name (e.g. - {name: Ana Ruiz, role: guest})",
        "content/episodes/001.md:8: person 3: 'sam.png' is not a web address (write a full "
        "https://... URL)"]


def test_front_matter_links_must_be_web_addresses():
    text = ('---\nguid: ep-1\nchapters:\n  - {start: "0:00", title: Start, url: "javascript:alert(1)"}\n'
            'people:\n  - {name: Ana, url: "www.example.org", image: "https://example.org/a.png"}\n---\n')
    report = Report()
    assert parse_note(text, "content/episodes/001.md", report) is None
    assert [str(p) for p in report.errors] == [
        "content/episodes/001.md:4: chapter 1: 'javascript:alert(1)' is not a web address (write a "
        "full https://... URL)",
        "content/episodes/001.md:6: person 1: 'www.example.org' is not a web address (write a full "
        "https://... URL)"]


class _Quiet(SimpleHTTPRequestHandler):
    requests: list  # set per server: the paths asked for
    release: threading.Event  # /slow/ answers only once this is set (at the test's end)

    def log_message(self, *args) -> None:
        pass

    def do_GET(self):
        self.requests.append(self.path)
        if self.path.startswith("/slow/"):
            self.release.wait(30)  # slower than any build's download budget
        if self.path.startswith("/moved/"):
            self.send_response(301)
            self.send_header("Location", self.path.removeprefix("/moved"))
            self.end_headers()
            return
        super().do_GET()


LOCAL = ("127.0.0.1",)  # fetch_allow_hosts: the test server is on loopback, which guard.py refuses


@pytest.fixture
def server(tmp_path):
    files = tmp_path / "www"
    files.mkdir()
    handler = type("Handler", (_Quiet,), {"requests": [], "release": threading.Event()})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(files)))
    httpd.requests = handler.requests
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield files, f"http://127.0.0.1:{httpd.server_address[1]}/", httpd.requests
    handler.release.set()
    httpd.shutdown()
    httpd.server_close()


def _project(tmp_path: Path, feed: str) -> Settings:
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    shutil.copytree(Path(__file__).parent.parent / "templates", root / "templates")
    (root / "content" / "feed.xml").write_text(feed, encoding="utf-8")
    return Settings(root=root, feed="content/feed.xml", worksheet_pdf=False, cache_dir="",
                    notes_missing=Severity.INFO, fetch_allow_hosts=LOCAL)


def test_remote_chapters_and_transcripts_are_fetched_at_build_time_and_kept(tmp_path, server):
    files, base, requests = server
    (files / "chapters.json").write_text(
        '{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Hello"},'
        ' {"startTime": 75, "title": "Remote chapter"}, {"startTime": 80, "title": "Hidden", "toc": false}]}')
    (files / "2.srt").write_text("1\n00:00:01,000 --> 00:00:03,000\nSam: Words from the server\n")
    settings = _project(tmp_path, FEED.format(base=base))
    pages, report = generate(settings)
    assert not report.errors, [str(p) for p in report.errors]
    episode = pages["episodes/two.md"]
    assert 'data-podsite-seek="75"><time datetime="PT75S">1:15</time></a> Remote chapter' in episode
    assert "Hidden" not in episode
    assert "Words from the server" in pages["transcripts/two.md"]
    assert "transcripts/one.md" not in pages  # its file is missing: shown without, with a warning
    assert [str(p) for p in report.warnings] == [
        f"{base}1.vtt: the server answered 404 File not found, and there is no cached copy: the "
        "episode is shown without it"]
    # the listener's browser is never sent to the chapter or transcript host
    texts = [text for text in pages.values() if isinstance(text, str)]
    assert not any(base + "chapters.json" in text or base + "2.srt" in text for text in texts)

    # the next build uses the copies it has without asking the server, even when the server
    # has lost them; the file that failed is not asked for again for a while
    (files / "chapters.json").unlink()
    (files / "2.srt").unlink()
    requests.clear()
    pages, report = generate(settings)
    assert requests == []
    assert "Remote chapter" in pages["episodes/two.md"]
    assert "Words from the server" in pages["transcripts/two.md"]
    [warning] = [str(p) for p in report.warnings]
    assert re.fullmatch(re.escape(f"{base}1.vtt: the server answered 404 File not found (at ") +
                        r"\d\d:\d\d UTC; builds try again from \d\d:\d\d UTC, podsite fetch now\)",
                        warning), warning

    # podsite fetch asks about every file again; one that fails keeps its last good copy
    from generator.commands.fetch import refresh_attachments
    (files / "2.srt").write_text("1\n00:00:01,000 --> 00:00:03,000\nSam: Corrected words\n")
    later = time.time() + 5  # Last-Modified has whole seconds: make the edit visibly newer
    os.utime(files / "2.srt", (later, later))
    feed = parse_feed(FEED.format(base=base).encode(), "content/feed.xml", Report())
    refreshed = refresh_attachments(settings, feed)
    assert refreshed.summary() == "chapter and transcript files: 3 checked, 0 new, 1 updated"
    assert sorted(p.message.split(";")[0] for p in refreshed.problems) == [
        "the server answered 404 File not found",
        "the server answered 404 File not found, and there is no cached copy: the episode is "
        "shown without it"]
    pages, _ = generate(settings)
    assert "Corrected words" in pages["transcripts/two.md"]
    assert "Remote chapter" in pages["episodes/two.md"]


@pytest.mark.parametrize("declaration", [
    'xmlns:podcast="https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"',
    'xmlns:podcast="http://podcastindex.org/namespace/1.0/"',
    "",  # the prefix used, never declared
])
def test_files_are_fetched_under_every_namespace_uri_and_with_a_doctype(tmp_path, server, declaration):
    files, base, requests = server
    (files / "chapters.json").write_text('{"version": "1.2.0", "chapters": [{"startTime": 75, "title": "Remote chapter"}]}')
    (files / "2.srt").write_text("1\n00:00:01,000 --> 00:00:03,000\nSam: Words from the server\n")
    feed = FEED.format(base=base).replace('xmlns:podcast="https://podcastindex.org/namespace/1.0"', declaration)
    feed = feed.replace("<rss ", "<!DOCTYPE rss>\n<rss ", 1)
    pages, report = generate(_project(tmp_path, feed))
    assert not report.errors, [str(p) for p in report.errors]
    assert "Remote chapter" in pages["episodes/two.md"]
    assert "Words from the server" in pages["transcripts/two.md"]
    assert "Sam Okafor" in pages["episodes/one.md"] and "{'" not in pages["episodes/one.md"]


def test_a_transcript_beside_the_notes_wins_and_people_get_pages(tmp_path):
    settings = _project(tmp_path, FEED.format(base="https://cast.example/"))
    notes = settings.root / "content" / "episodes"
    notes.mkdir()
    (notes / "001-one.md").write_text("---\nguid: ep-1\n---\nNotes.\n")
    (notes / "001-one.vtt").write_bytes(VTT)
    pages, report = generate(Settings(**{**settings.__dict__, "listen_fetch": False}))
    assert not report.errors, [str(p) for p in report.errors]
    assert "Today: courage." in pages["transcripts/one.md"]
    assert sorted(p for p in pages if p.startswith("people/")) == [
        "people/ana-ruiz.md", "people/index.md", "people/sam-okafor.md"]
    assert '<a href="../../episodes/one/">One</a>' in pages["people/sam-okafor.md"]
    assert "Two" in pages["people/ana-ruiz.md"]  # channel hosts are in every episode without people


def test_an_episode_page_tells_site_search_its_transcript_the_audio_and_the_filters(tmp_path, server):
    files, base, requests = server
    (files / "1.vtt").write_bytes(VTT)
    (files / "2.srt").write_text("1\n00:01:01,000 --> 00:01:03,000\nSam: Words from the server\n\n"
                                 "2\n00:01:04,000 --> 00:01:05,000\nAna: More\n")
    settings = _project(tmp_path, FEED.format(base=base))
    for directory_urls, two in ((True, "../../transcripts/two/"), (False, "../transcripts/two.html")):
        pages, report = generate(Settings(**{**settings.__dict__, "directory_urls": directory_urls}))
        assert not report.errors, [str(p) for p in report.errors]
        # the transcript is searched as part of its episode's record (search_index.py), not alone
        page = pages["transcripts/two.md"]
        assert page.partition("\n---\n")[0].endswith("\nsearch:\n  exclude: true")
        assert "data-pagefind-filter" not in page and "data-pagefind-meta" not in page
        episode = pages["episodes/two.md"]
        for tag in ('data-pagefind-meta="kind[data-value]" data-value="Episode"',
                    'data-pagefind-filter="kind[data-value]" data-value="Transcript"',
                    f'data-pagefind-meta="transcript[data-value]" data-value="{two}"',
                    'data-pagefind-meta="audio[data-value]" data-value="https://cast.example/2.mp3"',
                    f'<div data-podsite-index-transcript="{two}" hidden></div>'):
            assert tag in episode
        # its paragraphs, between the marks the indexer takes them from
        assert page.index("<!-- podsite-transcript -->") < page.index('id="p-1"') < page.index(
            "<!-- /podsite-transcript -->")
        # each paragraph's anchor is its timestamp, so the index holds "1:01", not the words twice
        assert ('<p><a class="podsite-time" id="p-1" href="https://cast.example/2.mp3#t=61" '
                'data-podsite-seek="61">1:01</a> <strong class="podsite-speaker">Sam:</strong> Words '
                'from the server</p>') in page
        assert '<a class="podsite-time" id="p-2" ' in page
    index = pages["transcripts/index.md"]
    assert ('<li><a href="two.html">Two</a> (<time datetime="2026-01-12T06:00:00+00:00">January 12, 2026</time>)</li>\n'
            '<li><a href="one.html">One</a> (<time datetime="2026-01-05T06:00:00+00:00">January 5, 2026</time>)</li>\n') in index
    assert "transcripts/search.json" not in pages and "data-podsite-transcript-search" not in index


def test_an_html_transcript_page_drops_its_scripts(tmp_path, server):
    files, base, _ = server
    (files / "2.html").write_bytes(b"<p><b>Ana:</b> Fish &amp; chips</p><script>x()</script><p>More</p>")
    feed = FEED.format(base=base).replace('url="' + base + '2.srt" type="application/x-subrip"',
                                          'url="' + base + '2.html" type="text/html"')
    pages, report = generate(_project(tmp_path, feed))
    assert not report.errors, [str(p) for p in report.errors]
    assert "<script>" not in pages["transcripts/two.md"] and "Fish &amp; chips" in pages["transcripts/two.md"]


@pytest.mark.parametrize("body, paragraphs", [
    (b"Ana: Welcome back.\nIt is good to be here.\n\nSam: Thanks.\r\n\r\nA line nobody says.\n",
     [[None, "Ana", "Welcome back. It is good to be here."], [None, "Sam", "Thanks."],
      [None, "", "A line nobody says."]]),
    (b"One line a paragraph.\nAnd another.\n", [[None, "", "One line a paragraph."],
                                                 [None, "", "And another."]]),
])
def test_a_plain_text_transcript_is_shown_as_paragraphs(tmp_path, server, body, paragraphs):
    """podcast:transcript type="text/plain": untimed paragraphs, never dropped silently."""
    files, base, _ = server
    (files / "2.txt").write_bytes(body)
    feed = FEED.format(base=base).replace('url="' + base + '2.srt" type="application/x-subrip"',
                                          'url="' + base + '2.txt" type="text/plain; charset=utf-8"')
    pages, report = generate(_project(tmp_path, feed))
    assert not report.errors, [str(p) for p in report.errors]
    page = pages["transcripts/two.md"]
    assert '<p><span id="p-1"></span><strong class="podsite-speaker">Ana:</strong> Welcome back.' in page or \
        '<p><span id="p-1"></span>One line a paragraph.</p>' in page
    assert "podsite-time" not in page  # untimed: no timestamps that would seek to 0:00


def test_an_empty_plain_text_transcript_is_a_warning():
    report = Report()
    assert parse_transcript(b"\n \n", "txt", "https://cast.example/2.txt", report) is None
    assert [str(p) for p in report.warnings] == [
        "https://cast.example/2.txt: transcript is empty; the episode is shown without it"]


def _feed_linking(base: str, names: list[str]):
    items = "".join(f'<item><title>E{n}</title><guid>e{n}</guid>'
                    f'<podcast:transcript url="{base}{name}" type="text/vtt"/></item>'
                    for n, name in enumerate(names))
    return parse_feed(f'<rss version="2.0" xmlns:podcast="https://podcastindex.org/namespace/1.0">'
                      f'<channel><title>T</title>{items}</channel></rss>'.encode(), "feed.xml", Report())


def test_failed_downloads_are_listed_briefly_and_not_retried_by_every_build(tmp_path, server):
    from generator.ingest.attachments import FAILED, RETRY_AFTER, fetch_attachments
    files, base, requests = server
    feed = _feed_linking(base, [f"{n}.vtt" for n in range(8)])
    cache = tmp_path / "cache"
    first = fetch_attachments(feed, cache, False, 5, allow_hosts=LOCAL)
    assert len(requests) == 8 and first.remote == ()
    assert [str(p) for p in first.problems] == [
        f"{base}{n}.vtt: the server answered 404 File not found, and there is no cached copy: the "
        "episode is shown without it" for n in range(5)] + [
        f"{base}5.vtt: and 3 more chapter or transcript files could not be used (their episodes "
        "are shown without them)"]

    requests.clear()
    again = fetch_attachments(feed, cache, False, 5, allow_hosts=LOCAL)
    assert requests == [] and len(again.problems) == 6  # still warned, never silently fixed

    (files / "0.vtt").write_bytes(VTT)  # the host has it now, and the wait is over for 0.vtt
    for path in cache.rglob(FAILED):
        data = json.loads(path.read_text())
        data["at"] -= RETRY_AFTER + 1
        path.write_text(json.dumps(data))
    later = fetch_attachments(feed, cache, False, 5, allow_hosts=LOCAL)
    assert len(requests) == 8 and [url for url, _ in later.remote] == [base + "0.vtt"]
    assert len(list(cache.rglob(FAILED))) == 7  # the one that came through is forgotten


def test_a_build_spends_at_most_its_budget_on_downloads(tmp_path, server):
    from generator.ingest.attachments import fetch_attachments
    files, base, requests = server
    (files / "fast.vtt").write_bytes(VTT)
    feed = _feed_linking(base, ["fast.vtt", "slow/a.vtt"])
    # the server holds slow/a.vtt until the test ends: the build must give up on it by itself
    result = fetch_attachments(feed, tmp_path / "cache", False, 5, allow_hosts=LOCAL,
                                 budget=2)
    assert [url for url, _ in result.remote] == [base + "fast.vtt"]
    assert [str(p) for p in result.problems] == [
        f"{base}slow/a.vtt: 1 chapter or transcript file not downloaded yet: this build spent its "
        "2 s on others (the next build, or podsite fetch, gets them)"]


def test_people_and_transcript_lists_are_paginated(tmp_path, server):
    files, base, _ = server
    (files / "1.vtt").write_bytes(VTT)
    (files / "2.srt").write_text("1\n00:01:01,000 --> 00:01:03,000\nSam: Words from the server\n")
    settings = _project(tmp_path, FEED.format(base=base))
    pages, report = generate(Settings(**{**settings.__dict__, "episodes_per_page": 1}))
    assert not report.errors, [str(p) for p in report.errors]
    lists = sorted(p for p in pages if p.startswith(("people/", "transcripts/")) and "page/" in p)
    assert lists == ["people/ana-ruiz/page/2.md", "people/page/2.md", "transcripts/page/2.md"]
    first, second = pages["transcripts/index.md"], pages["transcripts/page/2.md"]
    assert '<a href="two/">Two</a>' in first and "Page 1 of 2 · [Older transcripts →](page/2.md)" in first
    assert '<a href="../../one/">One</a>' in second and "data-podsite-transcript-search" not in second
    assert "search:\n  exclude: true" in second and "Transcripts, page 2" in second
    assert '<a href="../../../../episodes/one/">One</a>' in pages["people/ana-ruiz/page/2.md"]


def test_every_person_gets_a_page_of_their_own():
    # names in other scripts used to all become "person" (one page for everyone), then kept their
    # letters in the URL; now they are transliterated like every other slug. A guest
    # called Index took the people list's own path
    assert person_ids(["Ana Ruiz", "Tomás Ferreira", "李雷", "韩梅梅", "Index", "ana ruiz!",
                       "Ana Ruiz", "Page", "!!!"]) == {
        "Ana Ruiz": "ana-ruiz", "Tomás Ferreira": "tomas-ferreira", "李雷": "li-lei", "韩梅梅": "han-mei-mei",
        "Index": "index-2", "ana ruiz!": "ana-ruiz-2", "Page": "page-2", "!!!": "person"}


def test_an_html_transcript_counts_and_searches_words_across_its_blocks():
    transcript = parse_transcript(b"<p>one two</p><p>three&amp;four</p><div>five</div>", "html",
                                  "t.html", Report())
    assert transcript.html_text == "one two three&four five"
    assert transcript.words == 4  # "three&four" is one word; "two</p><p>three" is not


def test_download_messages_speak_of_the_file_not_of_the_feed(tmp_path, server):
    from generator.ingest.attachments import fetch_attachments
    files, base, _ = server
    (files / "1.vtt").write_bytes(VTT)
    feed = _feed_linking(base, ["moved/1.vtt"])
    result = fetch_attachments(feed, tmp_path / "cache", False, 5, allow_hosts=LOCAL)
    assert [url for url, _ in result.remote] == [base + "moved/1.vtt"]
    assert [str(p) for p in result.problems] == [
        f"{base}moved/1.vtt: the file has moved permanently to {base}1.vtt (the feed still links "
        "the old address)"]
    offline = fetch_attachments(_feed_linking(base, ["2.vtt"]), tmp_path / "cache", True, 5,
                                allow_hosts=LOCAL)
    assert [str(p) for p in offline.problems] == [
        f"{base}2.vtt: offline (feed_offline or PODCAST_OFFLINE) and no cached copy of this file "
        "yet (build once online to get it)"]
