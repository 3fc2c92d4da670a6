"""A real-size show, written the ways real hosts write feeds, built with the real `mkdocs` and read
back page by page: no word, link, person or day of what the feed published is lost, and every link
of every page leads to a file of the site. Three pages are photographed in Chromium into
.cache/test-artifacts/real-size/ (git-ignored) for a person to look at.

The feed comes from tests/realfeeds.py (300 episodes; see its docstring for the classes mixed in).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import ROOT, copy_sample, mkdocs
from realfeeds import make_feed
from test_mkdocs_build import SAMPLE_HOSTS, broken_links

ARTIFACTS = ROOT / ".cache" / "test-artifacts" / "real-size"
ITEMS = 300


class _Page(HTMLParser):
    """The text and the link targets of a built page's article."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []
        self.times: list[tuple[str, str]] = []
        self._time: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(unquote(attrs["href"]))
        if tag == "time" and attrs.get("datetime"):
            self._time = attrs["datetime"]

    def handle_data(self, data):
        self.text.append(data)
        if self._time is not None:
            self.times.append((self._time, data))
            self._time = None


def _same_day(text: str, day: str) -> bool:
    """Whether `text` ("January 6, 2019", "6 January 2019": the site's locale decides) names
    the day `day` ("6 January 2019")."""
    number, month, year = day.split()
    return bool(re.search(rf"(?<!\d){number}(?!\d)", text)) and month in text and year in text


def _read(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def real_site(tmp_path_factory, shared_cache):
    project = tmp_path_factory.mktemp("real-size") / "project"
    copy_sample(project, shared_cache)
    for note in (project / "content" / "episodes").glob("*"):
        note.unlink()  # the sample's notes belong to the sample's feed
    (project / "content" / "urls.yml").unlink()
    data, expected = make_feed(ITEMS)
    (project / "content" / "feed.xml").write_bytes(data)
    result = mkdocs(project, "build", "--strict", timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site", expected, result.stderr


def _episode_pages(site: Path) -> dict[str, Path]:
    """guid -> built page, from the link each episode's JSON-LD names (its feed guid is in the
    page's audio URL: https://media.example/<n>.mp3)."""
    pages = {}
    for page in (site / "episodes").glob("*/index.html"):
        match = re.search(r"https://media\.example/(\d+)\.mp3", page.read_text(encoding="utf-8"))
        if match:
            pages[f"ep-{match.group(1)}"] = page
    return pages


def test_every_episode_keeps_its_words_links_people_and_day(real_site):
    site, expected, log = real_site
    pages = _episode_pages(site)
    assert len(pages) == ITEMS
    lost = []
    for exp in expected:
        page = pages[exp.guid]
        html = page.read_text(encoding="utf-8")
        read = _read(page)
        text = " ".join("".join(read.text).split())
        if exp.title not in text:
            lost.append(f"{exp.guid}: title {exp.title!r}")
        for word in exp.words:
            if word not in text:
                lost.append(f"{exp.guid}: words {word!r}")
        for link in exp.links:
            if link not in read.links:
                lost.append(f"{exp.guid}: link {link}")
        for name in exp.people:
            if name not in text:
                lost.append(f"{exp.guid}: person {name}")
        if not any(when == exp.instant and _same_day(text, exp.day) for when, text in read.times):
            lost.append(f"{exp.guid}: day {exp.day} ({exp.instant}), found {read.times}")
        if "{'" in html or "does not support the" in html or "&amp;nbsp;" in html:
            lost.append(f"{exp.guid}: a dict, fallback text or an escaped entity on the page")
    assert lost == [], "\n".join(lost[:20])


def test_every_person_has_a_page_listing_their_episodes(real_site):
    site, expected, _ = real_site
    people = {name for exp in expected for name in exp.people}
    texts = {p: " ".join(_read(p).text) for p in (site / "people").glob("*/index.html")}
    for name in people:
        assert any(name in text for text in texts.values()), name
    assert not any("{'" in text for text in texts.values())


def test_every_link_of_every_page_leads_to_a_file_of_the_site(real_site):
    site, _, _ = real_site
    assert len(list(site.rglob("*.html"))) > ITEMS
    # the generated feed's own hosts: its audio, and the links its notes and people carry
    hosts = SAMPLE_HOSTS | {"media.example", "cast.example", "notes.example", "people.example"}
    assert broken_links(site, hosts=hosts) == []


def test_three_pages_photographed_in_chromium(real_site):
    """Screenshots kept as test artifacts: the home page, an episode with Cyrillic title and rich
    notes, and a person's page (the feed's first host)."""
    playwright = pytest.importorskip("playwright.sync_api")
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    site, expected, _ = real_site
    pages = _episode_pages(site)
    # episode 24: a Cyrillic title and Megaphone-style notes (a heading, a list, a link)
    episode = pages["ep-24"].parent.relative_to(site).as_posix() + "/"
    person = next(p.parent.relative_to(site).as_posix() + "/" for p in (site / "people").glob("*/index.html")
                  if "Анна Петрова" in p.read_text(encoding="utf-8"))
    handler = type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        with playwright.sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
            for name, path in (("home", ""), ("episode", episode), ("person", person)):
                page.goto(base + path)
                shot = ARTIFACTS / f"{name}.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 10_000
                assert page.locator("h1").first.inner_text().strip()
            page.goto(base + episode)
            assert "Стресс-тестирование" in page.locator("h1").first.inner_text()
            assert _same_day(page.locator(".podsite-facts time").inner_text(), expected[23].day)
            assert page.locator("article h2", has_text="Notes").count() == 1
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
