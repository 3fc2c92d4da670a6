"""What a listener sees and clicks, in a real headless Chromium (Debian's /usr/bin/chromium,
driven by Playwright) against the built sample site served over HTTP on 127.0.0.1.

One build, one server and one browser for the whole module. The sample feed's enclosures are
pointed at the 30 s silent MP3 in content/pages/media/ (one URL per episode), so playback works
offline. axe-core comes from npm into .cache/test-tools/ (see `axe_script`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOT, mkdocs
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_VERSION = "4.10.3"
VNU_VERSION = "26.9.27"
TOOLS = ROOT / ".cache" / "test-tools"

EPISODE = "episodes/courage-is-a-small-step-taken-twice/"
SCEPTICS = "episodes/questions-worth-asking-your-sceptics/"  # soundbites, another format
CLIP = (3, 5)  # its first soundbite, in seconds
TITLE = "Courage is a small step, taken twice"


class RangeHandler(SimpleHTTPRequestHandler):
    """Static files with single-range requests, as any web host serves audio (seeking needs it)."""

    def log_message(self, *args) -> None:
        pass

    def send_head(self):
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if not match or not path.is_file():
            return super().send_head()
        data = path.read_bytes()
        start = int(match.group(1))
        end = min(int(match.group(2)) if match.group(2) else len(data) - 1, len(data) - 1)
        if start > end:
            self.send_error(416)
            return None
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        import io
        return io.BytesIO(data[start:end + 1])


@pytest.fixture(scope="module")
def built(tmp_path_factory, shared_cache):
    """(site folder, its URL): the sample project built once, its audio on 127.0.0.1."""
    root = tmp_path_factory.mktemp("browser")
    site = root / "project" / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(site)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    project = root / "project"
    project.mkdir()
    (project / ".cache").mkdir()
    (project / ".cache" / "podsite").symlink_to(shared_cache, target_is_directory=True)
    for folder in ("content", "templates"):
        shutil.copytree(ROOT / folder, project / folder)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    # Material's instant navigation only follows links of its own site_url
    (project / "mkdocs.yml").write_text(config.replace("https://small-brave-steps.example/", url))
    feed = project / "content" / "feed.xml"
    text = re.sub(r"https://small-brave-steps\.example/media/sbs-([\w-]+)\.mp3",
                  rf"{url}media/silence.mp3?episode=\1", feed.read_text(encoding="utf-8"))
    # the first soundbite of episode 9, moved inside the 30 s of silence
    text = text.replace('startTime="760" duration="30"', f'startTime="{CLIP[0]}" duration="{CLIP[1] - CLIP[0]}"')
    feed.write_text(text, encoding="utf-8")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def base_url(built) -> str:
    return built[1]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()


def audio_state(page) -> dict:
    return page.evaluate("""() => { const a = document.querySelector('[data-podsite-audio]');
        return {src: a.currentSrc, time: a.currentTime, paused: a.paused}; }""")


def wait_playing_past(page, seconds: float) -> None:
    page.wait_for_function(f"""() => {{ const a = document.querySelector('[data-podsite-audio]');
        return !a.paused && a.currentTime > {seconds}; }}""", timeout=15000)


def test_play_starts_audio_and_keeps_playing_on_another_page(page, base_url):
    page.goto(base_url + EPISODE)
    page.locator("[data-podsite-play]").click()
    wait_playing_past(page, 0.3)
    state = audio_state(page)
    assert state["src"].endswith("silence.mp3?episode=002")
    page.evaluate("window.podsiteSamePage = true")  # gone if the browser loads a new document
    page.locator(".md-tabs__link", has_text="Virtues").click()
    expect(page).to_have_url(re.compile(r"/virtues/$"))
    expect(page.locator("h1")).to_contain_text("Virtues")
    assert page.evaluate("window.podsiteSamePage") is True
    wait_playing_past(page, state["time"] + 0.5)
    assert audio_state(page)["src"] == state["src"]
    expect(page.locator("[data-podsite-now]")).to_have_text(TITLE)


def test_a_chapter_click_seeks_and_the_position_is_remembered(page, base_url):
    page.goto(base_url + EPISODE)
    page.locator(".podsite-chapters a", has_text="0:20").click()
    wait_playing_past(page, 20)
    page.locator("[data-podsite-toggle]").click()  # pause: keyboard-reachable native button
    page.wait_for_function("document.querySelector('[data-podsite-audio]').paused")
    saved = audio_state(page)["time"]
    page.reload()
    # after a full reload the player comes back with the same episode, where it was left
    expect(page.locator("[data-podsite-player]")).to_be_visible()
    page.wait_for_function("document.querySelector('[data-podsite-audio]').currentTime > 19",
                           timeout=15000)
    assert abs(audio_state(page)["time"] - saved) < 3
    assert audio_state(page)["paused"] is True


def test_a_soundbite_plays_its_range_and_stops(page, base_url):
    page.goto(base_url + SCEPTICS)
    page.locator(".podsite-soundbite").first.click()
    wait_playing_past(page, CLIP[0])
    page.wait_for_function("() => document.querySelector('[data-podsite-audio]').paused", timeout=15000)
    state = audio_state(page)
    assert state["src"].endswith("episode=009")
    assert CLIP[1] - 0.1 <= state["time"] <= CLIP[1] + 0.75, state


def test_a_clip_link_opens_the_player_at_its_start(page, base_url):
    page.goto(base_url + SCEPTICS + "#t=0:04,0:05")
    page.wait_for_function("() => !document.querySelector('[data-podsite-player]').hidden", timeout=15000)
    page.wait_for_function("() => document.querySelector('[data-podsite-audio]').currentTime >= 4",
                           timeout=15000)
    assert audio_state(page)["paused"]  # opened at the clip, waiting for the listener


def test_the_format_chooser_switches_the_source(page, base_url):
    page.goto(base_url + SCEPTICS)
    page.locator("[data-podsite-play]").click()
    wait_playing_past(page, 1.0)
    page.locator("[data-podsite-format]").select_option(label="Low bandwidth · 32 kbps · 7.3 MB")
    wait_playing_past(page, 1.0)
    state = audio_state(page)
    assert state["src"].endswith("episode=009-low")
    assert page.locator("[data-podsite-episode]").get_attribute("data-src").endswith("episode=009-low")


def test_speed_control_changes_the_playback_rate_and_is_kept(page, base_url):
    page.goto(base_url + EPISODE)
    page.locator("[data-podsite-play]").click()
    page.locator("[data-podsite-speed]").select_option("1.5")
    assert page.evaluate("document.querySelector('[data-podsite-audio]').playbackRate") == 1.5
    page.reload()
    expect(page.locator("[data-podsite-speed]")).to_have_value("1.5")
    page.locator("[data-podsite-play]").click()
    page.wait_for_function("document.querySelector('[data-podsite-audio]').playbackRate === 1.5")


def test_without_javascript_the_episode_page_has_a_plain_audio_player(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + EPISODE)
    audio = page.locator(".podsite-audio audio")
    expect(audio).to_be_visible()
    assert audio.get_attribute("controls") is not None
    assert audio.get_attribute("src").endswith("silence.mp3?episode=002")
    expect(page.locator("[data-podsite-play]")).to_be_hidden()
    assert page.locator(".podsite-chapters a").first.get_attribute("href").endswith("#t=0")
    context.close()


def test_a_transcript_timestamp_seeks_the_player(page, base_url):
    page.goto(base_url + "transcripts/courage-is-a-small-step-taken-twice/")
    expect(page.locator(".podsite-speaker").first).to_have_text("Maren Holt:")
    page.locator("a.podsite-time", has_text="0:12").click()
    wait_playing_past(page, 12)
    page.locator("#podsite-find").fill("noticing")
    expect(page.locator("[data-podsite-find-status]")).to_have_text(re.compile(r"^1 of \d+ paragraphs$"))
    expect(page.locator(".podsite-transcript p:visible")).to_have_count(1)


def test_a_worksheet_keeps_its_answers_after_a_reload(page, base_url):
    page.goto(base_url + "worksheets/courage/")
    field = page.locator("form[data-podsite-worksheet] input[type=text]").first
    field.fill("Mention the handoff on Monday")
    page.reload()
    expect(page.locator("form[data-podsite-worksheet] input[type=text]").first).to_have_value(
        "Mention the handoff on Monday")


@pytest.fixture(scope="module")
def axe_script() -> Path:
    return npm_tool("axe-core", AXE_VERSION, "axe.min.js")


def npm_tool(package: str, version: str, file: str) -> Path:
    """A file of an npm package, installed once into .cache/test-tools/ (never committed)."""
    path = TOOLS / "node_modules" / package / file
    if not path.is_file():
        npm = shutil.which("npm")
        assert npm, f"npm is needed for {package} (scripts/install-system-deps installs it)"
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                        str(TOOLS), f"{package}@{version}"], check=True, capture_output=True,
                       timeout=300, env={**os.environ, "npm_config_update_notifier": "false"})
    return path


AXE_PAGES = ["", "episodes/", EPISODE, "virtues/courage/", "people/tomas-ferreira/",
             "worksheets/courage/", "transcripts/courage-is-a-small-step-taken-twice/", "transcripts/"]


@pytest.mark.parametrize("path", AXE_PAGES, ids=lambda p: p.strip("/") or "home")
def test_axe_finds_no_accessibility_violations(page, base_url, axe_script, path):
    page.goto(base_url + path)
    if path == EPISODE:  # with the player bar open too
        page.locator("[data-podsite-play]").click()
        expect(page.locator("[data-podsite-player]")).to_be_visible()
    page.add_script_tag(path=str(axe_script))
    violations = page.evaluate("""async () => (await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
      })).violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))""")
    assert violations == [], json.dumps(violations, indent=1)


# Errors in Material for MkDocs' own markup (base.html and partials/nav.html), which the theme
# writes on every page whatever the content; everything else must be valid.
MATERIAL_MARKUP = [
    ("Attribute \u201cautocomplete\u201d is only allowed when the input type is", 'class="md-toggle"'),
    ("The value of the \u201cfor\u201d attribute of the \u201clabel\u201d element must be the ID of a "
     "non-hidden form control.", 'for="__toc"'),
    ("Bad value \u201c\u201d for attribute \u201ctabindex\u201d on element \u201clabel\u201d", 'class="md-nav__link"'),
]


def test_the_nu_html_checker_finds_no_errors_in_what_podsite_writes(built):
    site, _ = built
    vnu = npm_tool("vnu-jar", VNU_VERSION, "build/dist/vnu.jar")
    java = shutil.which("java")
    assert java, "the Nu HTML checker needs Java (scripts/install-system-deps installs it)"
    result = subprocess.run([java, "-jar", str(vnu), "--errors-only", "--format", "json", "--verbose",
                             "--skip-non-html", str(site)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode in (0, 1), result.stderr  # 1: it found errors (Material's, below)
    messages = json.loads(result.stderr)["messages"]
    # --verbose names every file it checked: all the site's pages, not just the ones with errors
    checked = {Path(line).resolve() for line in result.stdout.splitlines() if line.endswith(".html")}
    assert checked == {p.resolve() for p in site.rglob("*.html")} and len(checked) > 20
    errors = [m for m in messages if not any(m["message"].startswith(text) and known in m.get("extract", "")
                                             for text, known in MATERIAL_MARKUP)]
    assert errors == [], json.dumps(errors[:10], indent=1, ensure_ascii=False)
