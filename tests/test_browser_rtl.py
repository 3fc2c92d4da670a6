"""An Arabic site in a real Chromium: the page and the player bar read right to left, the player
speaks Arabic, and axe-core finds nothing. A screenshot of the episode page with the player open is
kept in .cache/test-artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import json
import re
import threading
from functools import partial
from http.server import ThreadingHTTPServer

import pytest
from conftest import ROOT, copy_sample, mkdocs
from playwright.sync_api import expect, sync_playwright
from test_browser import CHROMIUM, FLAGS, RangeHandler, axe_violations

EPISODE = "episodes/courage-is-a-small-step-taken-twice/"
ARTIFACTS = ROOT / ".cache" / "test-artifacts"


@pytest.fixture(scope="module")
def arabic(tmp_path_factory, shared_cache):
    """The sample project with `theme.language: ar`, built and served on 127.0.0.1."""
    project = tmp_path_factory.mktemp("arabic") / "project"
    site = project / "site"
    copy_sample(project, shared_cache)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(site)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "  language: en\n" in config
    (project / "mkdocs.yml").write_text(config.replace("https://small-brave-steps.example/", url)
                                        .replace("  language: en\n", "  language: ar\n"))
    feed = project / "content" / "feed.xml"
    feed.write_text(re.sub(r"https://small-brave-steps\.example/media/sbs-(\d+)\.mp3",
                           rf"{url}media/sbs-\1.mp3", feed.read_text(encoding="utf-8")))  # the sample's own audio
    result = mkdocs(project, "build", "--strict", timeout=600)
    assert result.returncode == 0, result.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def page(arabic):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1200, "height": 800})
        tab = context.new_page()
        tab.goto(arabic + EPISODE)
        yield tab
        context.close()
        browser.close()


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_the_episode_page_and_its_player_bar_read_right_to_left(page):
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("getComputedStyle(document.querySelector('.md-content')).direction") == "rtl"
    play = page.locator("[data-podsite-play]")
    expect(play).to_have_text("تشغيل الحلقة")
    # chapters: the timestamp starts each line, on the right
    chapter, time = box(page, ".podsite-chapters li"), box(page, ".podsite-chapters li time")
    assert time["x"] + time["width"] > chapter["x"] + chapter["width"] - 40
    play.click()
    player = page.locator("[data-podsite-player]")
    expect(player).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('[data-podsite-player]')).direction") == "rtl"
    # the bar mirrors: back-15, play/pause, forward-30 from the right, close on the left
    toggle, close = box(page, "[data-podsite-toggle]"), box(page, "[data-podsite-close]")
    back, forward = box(page, "[data-podsite-skip='-15']"), box(page, "[data-podsite-skip='30']")
    assert back["x"] > toggle["x"] > forward["x"] > close["x"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "arabic-episode.png"), full_page=False)


def test_the_players_labels_are_in_the_pages_language(page):
    page.wait_for_function("!document.querySelector('[data-podsite-audio]').paused", timeout=15000)
    expect(page.locator("[data-podsite-toggle]")).to_have_attribute("aria-label", "إيقاف مؤقت")
    expect(page.locator("[data-podsite-play]")).to_have_text("إيقاف مؤقت")
    assert page.locator("[data-podsite-player]").get_attribute("aria-label") == "مشغّل الحلقة"
    assert page.locator("[data-podsite-skip='-15']").get_attribute("aria-label") == "رجوع 15 ثانية"
    assert " من " in page.locator("[data-podsite-position]").get_attribute("aria-valuetext")
    page.locator("[data-podsite-toggle]").click()
    expect(page.locator("[data-podsite-toggle]")).to_have_attribute("aria-label", "تشغيل")


@pytest.mark.parametrize("path", ["", EPISODE, "worksheets/courage/",
                                  "transcripts/courage-is-a-small-step-taken-twice/"])
def test_axe_finds_no_violations_in_the_arabic_site(page, arabic, path):
    page.goto(arabic + path)
    if path == EPISODE:
        page.locator("[data-podsite-play]").click()
        expect(page.locator("[data-podsite-player]")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)
