"""Site search (Pagefind) as a listener uses it: a real headless Chromium against the sample site,
built once with `mkdocs build --strict` for a sub-path (`site_url: http://127.0.0.1:<port>/show/`)
and served there on 127.0.0.1, with Material's instant navigation on. Every test here goes through
the header's search box, so every one of them also checks that search works at a sub-path.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import time
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOT, copy_sample, mkdocs
from playwright.sync_api import expect

from generator.site import search_index, search_merge
from test_browser import RangeHandler, axe_violations, browser, wait_playing_past  # noqa: F401 (fixtures)

EPISODE_TITLE = "Courage is a small step, taken twice"
TRANSCRIPT = "transcripts/courage-is-a-small-step-taken-twice/"


class SlowChunks(RangeHandler):
    """The site's files, the index's word chunks `delay` seconds late when a test says so."""
    delay = 0.0

    def do_GET(self):
        if self.delay and "/pagefind/index/" in self.path:
            time.sleep(self.delay)
        super().do_GET()


@pytest.fixture(scope="module")
def show(tmp_path_factory, shared_cache):
    """(site folder, the site's URL under /show/)."""
    root = tmp_path_factory.mktemp("search")
    project, served = root / "project", root / "served"
    served.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(SlowChunks, directory=str(served)))
    url = f"http://127.0.0.1:{server.server_address[1]}/show/"
    copy_sample(project, shared_cache)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(config.replace("https://small-brave-steps.example/", url))
    feed = project / "content" / "feed.xml"
    feed.write_text(re.sub(r"https://small-brave-steps\.example/media/sbs-(\d+)\.mp3",
                           rf"{url}media/sbs-\1.mp3", feed.read_text(encoding="utf-8")))  # the sample's own audio
    urls = project / "content" / "urls.yml"  # a former URL, so that the site has a redirect stub
    urls.write_text(urls.read_text().replace("sbs-2026-004: resilience-is-not-bouncing-back",
                                             "sbs-2026-004: [resilience-is-not-bouncing-back, bouncing-back]"))
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    # the index again, in parts of 3000 words merged into one (search_merge.py), as a large show's is
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_merge, "WORDS_PER_PART", 3000)
        parts = search_index._index_source(project / "site", root / "parts", 3000)
        assert len(parts) > 5
        search_index.write_search_index(project / "site")
    (served / "show").symlink_to(project / "site", target_is_directory=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield project / "site", url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def site_url(show) -> str:
    return show[1]


@pytest.fixture
def page(browser):
    """A plain tab: the site is served at its own (sub-path) address on 127.0.0.1."""
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()


def search_for(page, words: str) -> None:
    """Open the search with its keyboard shortcut and type, as a listener does."""
    page.keyboard.press("/")
    expect(page.locator("[data-podsite-search-query]")).to_be_focused()
    page.keyboard.type(words, delay=30)
    expect(page.locator(f"[data-podsite-searched='{words}']")).to_have_count(1, timeout=15000)


def test_a_word_only_in_a_transcript_is_found_and_its_result_opens_the_paragraph(page, site_url):
    # "irritation" is said in episode 2 and written nowhere else on the site
    page.goto(site_url + "virtues/")
    page.evaluate("window.podsiteSamePage = true")  # gone if the browser loads a new document
    search_for(page, "irritation")
    results = page.locator(".md-search-result__item")
    expect(results).to_have_count(1)  # the episode and its transcript are one result
    expect(results.locator(".podsite-search__kind")).to_have_text("Episode")
    expect(results.locator(".podsite-search__title")).to_have_text(EPISODE_TITLE)
    assert results.locator("a").first.get_attribute("href").endswith(
        "/show/episodes/courage-is-a-small-step-taken-twice/")
    expect(results.locator("article .podsite-search__excerpt")).to_have_count(0)  # not in the notes
    moment = results.locator(".podsite-search__moment-link")
    expect(moment).to_have_count(1)
    expect(moment.locator(".podsite-time")).to_have_text("0:56")
    assert moment.locator("mark").all_inner_texts() == ["irritation"]
    # keyboard only: arrow down to the result's moment, Enter
    page.keyboard.press("ArrowDown")
    expect(results.locator("a").first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(moment).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/show/{TRANSCRIPT}#p-\d+$"))
    anchor = page.url.rpartition("#")[2]
    expect(page.locator(f".podsite-transcript p:has(#{anchor})")).to_contain_text("irritation")
    expect(page.locator("[data-podsite-search-query]")).not_to_be_focused()
    assert page.evaluate("window.podsiteSamePage") is True  # instant navigation took the link
    assert page.evaluate("document.getElementById('__search').checked") is False


def test_play_from_here_starts_the_site_player_at_that_moment(page, site_url):
    page.goto(site_url)
    search_for(page, "heroic")  # said 12 s into the sample audio
    time = page.locator(".podsite-search__moment .podsite-time").inner_text()
    assert time == "0:12"
    minutes, seconds = time.split(":")
    at = int(minutes) * 60 + int(seconds)
    play = page.locator(".podsite-search__play")
    expect(play).to_have_attribute("aria-label", f"Play {EPISODE_TITLE} from {time}")
    play.click()
    wait_playing_past(page, at)
    state = page.evaluate("""() => { const a = document.querySelector('[data-podsite-audio]');
        return {src: a.currentSrc, time: a.currentTime}; }""")
    assert state["src"].endswith("/show/media/sbs-002.mp3")
    # the index names the audio relative to its episode page, as the page's own player does, so
    # "Play from here" works at any address the site is served from, not only at site_url
    assert page.locator("li[data-podsite-episode]").get_attribute("data-src") == state["src"]
    assert at <= state["time"] < at + 10
    expect(page.locator("[data-podsite-now]")).to_have_text(EPISODE_TITLE)
    assert page.locator("[data-podsite-now]").get_attribute("href").endswith(
        "/show/episodes/courage-is-a-small-step-taken-twice/")


def test_a_word_only_in_show_notes_is_found(page, site_url):
    # "loudly" is in the show notes of episode 2 only, not in its transcript or the feed
    page.goto(site_url + "about/")
    search_for(page, "loudly")
    results = page.locator(".md-search-result__item")
    expect(results).to_have_count(1)
    expect(results.locator(".podsite-search__kind")).to_have_text("Episode")
    expect(results.locator(".podsite-search__title")).to_have_text(EPISODE_TITLE)
    assert results.locator("mark").all_inner_texts() == ["loudly"]
    # the result leads to the section the word is in (### Notes), not the top of a long page
    assert results.locator("a").get_attribute("href").endswith(
        "/show/episodes/courage-is-a-small-step-taken-twice/#notes")
    expect(page.locator("[data-podsite-search-status]")).to_have_text("1 matching document")
    results.locator("a").click()
    expect(page).to_have_url(re.compile(r"/show/episodes/courage-is-a-small-step-taken-twice/#notes$"))
    expect(page.locator("article li", has_text="said loudly and late")).to_be_in_viewport()
    page.goto(site_url + "episodes/courage-is-a-small-step-taken-twice/")  # the top of the page:
    expect(page.locator("article li", has_text="said loudly and late")).not_to_be_in_viewport()


def test_filters_narrow_the_results(page, site_url):
    page.goto(site_url)
    search_for(page, "courage")
    status = page.locator("[data-podsite-search-status]")
    expect(status).to_have_text(re.compile(r"^\d+ matching documents$"))
    everything = int(status.inner_text().split()[0])
    kinds = page.locator("[data-podsite-search-filter=kind]")
    expect(kinds).to_be_hidden()  # until the listener asks for the filters
    toggle = page.locator("[data-podsite-search-filter-toggle]")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(kinds).to_be_visible()
    assert set(kinds.locator("option").all_inner_texts()) >= {"Episode", "Transcript", "Virtue",
                                                               "Worksheet", "Person"}
    kinds.select_option("Transcript")  # the episodes whose transcripts are searched with them
    expect(status).to_have_text("1 matching document")
    expect(page.locator(".podsite-search__title")).to_have_text([EPISODE_TITLE])
    # said in the episode and written in its notes: the notes' excerpt, then the moments
    excerpt = page.locator("article .podsite-search__excerpt")
    expect(excerpt).to_have_count(1)
    assert [w.lower() for w in excerpt.locator("mark").all_inner_texts()] == ["courage"]
    expect(page.locator(".podsite-search__moment")).not_to_have_count(0)
    for moment in page.locator(".podsite-search__moment-link").all():
        assert "courage" in moment.locator("mark").first.inner_text().lower()
        assert re.search(rf"/show/{TRANSCRIPT}#p-\d+$", moment.get_attribute("href"))
    kinds.select_option("")
    expect(status).to_have_text(f"{everything} matching documents")
    assert everything > 5
    page.locator("[data-podsite-search-filter=virtue]").select_option("Resilience")
    expect(status).not_to_have_text(f"{everything} matching documents")
    narrowed = int(status.inner_text().split()[0])
    assert 0 < narrowed < everything
    titles = page.locator(".podsite-search__title")
    expect(titles).to_have_count(min(narrowed, 5))
    expect(titles.filter(has_text=EPISODE_TITLE)).to_have_count(0)  # on courage, not resilience


@pytest.mark.parametrize("words", ["stress", "alert", "anxiety"])
def test_a_word_the_site_does_not_have_finds_nothing(page, site_url, words):
    # Pagefind answers a word it lacks with pages holding the longest start of it it has ("s" of
    # "22 s", "a", "an"): those are no results
    page.goto(site_url)
    search_for(page, words)
    expect(page.locator("[data-podsite-search-status]")).to_have_text("No matching documents")
    expect(page.locator(".md-search-result__item")).to_have_count(0)
    expect(page.locator("[data-podsite-search-more]")).to_be_hidden()


def test_the_start_of_a_word_finds_it(page, site_url):
    page.goto(site_url)
    search_for(page, "irritat")  # as the listener types it
    expect(page.locator(".podsite-search__moment .podsite-time")).to_have_text(["0:56"])


def test_escape_from_a_result_leaves_nothing_hidden_focusable(page, site_url):
    page.goto(site_url)
    search_for(page, "irritation")
    page.keyboard.press("ArrowDown")
    expect(page.locator(".md-search-result__link").first).to_be_focused()
    page.keyboard.press("Escape")
    assert page.evaluate("document.getElementById('__search').checked") is False
    assert page.evaluate("document.querySelector('[data-podsite-search]').contains(document.activeElement)") is False
    assert page.evaluate("document.querySelector('.podsite-search .md-search__output').inert") is True
    page.keyboard.press("/")  # and it opens again as before
    expect(page.locator("[data-podsite-search-query]")).to_be_focused()
    assert page.evaluate("document.querySelector('.podsite-search .md-search__output').inert") is False


def test_escape_closes_and_s_opens_the_search(page, site_url):
    page.goto(site_url + "episodes/")
    page.keyboard.press("s")
    query = page.locator("[data-podsite-search-query]")
    expect(query).to_be_focused()
    assert page.evaluate("document.getElementById('__search').checked") is True
    page.keyboard.press("Escape")
    expect(query).not_to_be_focused()
    assert page.evaluate("document.getElementById('__search').checked") is False


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_search_with_results_has_no_accessibility_violations(browser, site_url, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url)
    search_for(page, "courage")
    expect(page.locator(".podsite-search__play").first).to_be_visible()
    page.locator("[data-podsite-search-filter-toggle]").click()
    expect(page.locator("[data-podsite-search-filter=virtue]")).to_be_visible()
    violations = axe_violations(page)
    context.close()
    assert violations == [], json.dumps(violations, indent=1)


def indexed_urls(site: Path) -> set[str]:
    """The pages in the site's Pagefind index, read from its fragment files (gzip, JSON)."""
    urls = set()
    for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        urls.add(json.loads(data[data.index(b"{"):])["url"])
    return urls


def test_only_the_sites_own_pages_are_indexed(show):
    site, _ = show
    urls = indexed_urls(site)
    assert "/404.html" not in urls
    redirect = site / "episodes" / "bouncing-back" / "index.html"
    assert "location.replace" in redirect.read_text()  # a former URL (content/urls.yml)...
    assert "/episodes/bouncing-back/" not in urls  # ...is not a result
    assert "/episodes/resilience-is-not-bouncing-back/" in urls
    assert {"/", "/about/", "/episodes/courage-is-a-small-step-taken-twice/",
            "/virtues/courage/", "/worksheets/courage/", "/people/tomas-ferreira/"} <= urls
    assert f"/{TRANSCRIPT}" not in urls  # its words are in its episode's record
    # the audio, relative to the episode page as its own player has it: "Play from here" works
    # wherever the site is served, not only at site_url
    records = [json.loads(data[data.index(b"{"):]) for data in
               (gzip.decompress(f.read_bytes()) for f in (site / "pagefind" / "fragment").glob("*.pf_fragment"))]
    record, = [r for r in records if r["url"] == "/episodes/courage-is-a-small-step-taken-twice/"]
    assert record["meta"]["audio"] == "../../media/sbs-002.mp3"
    assert record["meta"]["transcript"] == f"../../{TRANSCRIPT}"
    assert not any(site.parent.glob("*.podsite-src"))  # the pages Pagefind read are gone
    assert "/episodes/" not in urls  # a list of titles: each episode is its own result
    # one search, not two: the transcripts' own search file and its form are gone
    assert not (site / "transcripts" / "search.json").exists()
    assert "data-podsite-transcript-search" not in (site / "transcripts" / "index.html").read_text()
    assert not (site / "search").exists()  # nor Material's index
    assert not (site / "pagefind" / "pagefind-ui.js").exists()  # nor Pagefind's unused interfaces


def test_the_sites_pages_cut_before_their_content_give_the_records_the_whole_pages_give(show, tmp_path):
    # Pagefind reads each page from its data-pagefind-body element on (search_index._slim): on
    # the real Material pages, that gives the very records (fragments) and words of whole pages
    from test_search_merge import canonical, single_run
    whole, slim = single_run(show[0], tmp_path / "whole", slim=False), single_run(show[0], tmp_path / "slim")
    assert sorted(p.name for p in (whole / "fragment").iterdir()) == sorted(p.name for p in (slim / "fragment").iterdir())
    assert canonical(whole) == canonical(slim)
    page = next((tmp_path / "slim" / "source" / "pages-0" / "episodes").glob("*/index.html")).read_text()
    assert "md-header" not in page and "md-sidebar" not in page  # Material's header and navigation


def test_a_query_overtaken_by_typing_fetches_no_results(page, site_url, monkeypatch):
    # On a slow connection the listener pauses in "alliances", its query goes out, and they type
    # on before it comes back: the results of "alliances" are out of date, none of their pages
    # (fragments) is fetched; only those of what was finally typed ("loudly": episode 2's notes).
    monkeypatch.setattr(SlowChunks, "delay", 0.4)
    fragments = []
    page.on("response", lambda r: fragments.append(r) if "/pagefind/fragment/" in r.url else None)
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("alliances", delay=20)
    page.wait_for_timeout(250)  # typing paused: the query for "alliances" is on its way
    page.keyboard.press("Control+A")
    page.keyboard.type("loudly", delay=100)
    expect(page.locator("[data-podsite-searched='loudly']")).to_have_count(1, timeout=15000)
    urls = {json.loads(gzip.decompress(r.body()).split(b"pagefind_dcd", 1)[1])["url"] for r in fragments}
    assert urls == {"/episodes/courage-is-a-small-step-taken-twice/"}
