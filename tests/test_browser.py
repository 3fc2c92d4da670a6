"""What a listener sees and clicks, in a real headless Chromium (Debian's /usr/bin/chromium,
driven by Playwright) against the built sample site served over HTTP on 127.0.0.1.

One build of the sample as it is, one server and one browser for the whole module. The browser
asks for the site at its own address (site_url) and every such request is answered by the local
server, so Material's instant navigation is on and the sample's own media play, as on the real
site; any other host fails. axe-core comes from npm into .cache/test-tools/ (see `axe_violations`).
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
from conftest import ROOT, copy_sample, mkdocs
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_VERSION = "4.10.3"
VNU_VERSION = "26.9.27"
TOOLS = ROOT / ".cache" / "test-tools"

EPISODE = "episodes/courage-is-a-small-step-taken-twice/"
SCEPTICS = "episodes/questions-worth-asking-your-sceptics/"  # soundbites, another format
# its earliest soundbite (start, end), in seconds: the first the page lists
CLIP = min((float(start), float(start) + float(length)) for start, length in re.findall(
    r'<podcast:soundbite startTime="([\d.]+)" duration="([\d.]+)"', (ROOT / "content/feed.xml").read_text()))
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


SITE_URL = re.search(r"^site_url: (\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M).group(1)


@pytest.fixture(scope="module")
def built(tmp_path_factory, shared_cache):
    """(site folder, local URL): the sample project as it is, built once and served on 127.0.0.1."""
    root = tmp_path_factory.mktemp("browser")
    site = root / "project" / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(RangeHandler, directory=str(site)))
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    project = root / "project"
    copy_sample(project, shared_cache)
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def base_url(built) -> str:
    """The site's own address (site_url): the browser is routed to the local server for it, so
    Material's instant navigation is on, as on the real site."""
    return SITE_URL


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def new_context(browser, built):
    """A browser context whose requests for site_url go to the local server (any other host fails)."""
    local = built[1]

    def serve_locally(route):
        try:
            route.fulfill(response=route.fetch(url=local + route.request.url[len(SITE_URL):]))
        except PlaywrightError:  # the page went away while the request was under way
            pass

    def make(**options):
        context = browser.new_context(**options)
        context.route(re.compile("^" + re.escape(SITE_URL)), serve_locally)
        return context
    return make


@pytest.fixture
def page(new_context):
    context = new_context()
    tab = context.new_page()
    yield tab
    context.close()


def record_errors(page) -> list[str]:
    """Console errors and uncaught exceptions of `page`, as they happen."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(f"console: {message.text} {message.location}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))
    return errors


def navigate_instantly(page, url: str) -> None:
    """Follow a link to `url` as a listener does: a click that instant navigation takes over (no new
    document is loaded)."""
    page.evaluate("window.podsiteSamePage = true")
    page.evaluate("""url => { const a = document.createElement('a'); a.href = url; a.textContent = 'go';
        a.id = 'podsite-test-link'; document.querySelector('.md-content').append(a); }""", url)
    page.locator("#podsite-test-link").click()
    page.wait_for_function("url => location.href === url", arg=url)
    page.wait_for_load_state()
    assert page.evaluate("window.podsiteSamePage") is True, f"{url}: loaded as a new document"


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
    assert state["src"] == base_url + "media/sbs-002.mp3"
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
    page.locator(".podsite-chapters li", has_text="Noticing").locator("a").click()  # 0:22
    wait_playing_past(page, 22)
    page.locator("[data-podsite-toggle]").click()  # pause: keyboard-reachable native button
    page.wait_for_function("document.querySelector('[data-podsite-audio]').paused")
    saved = audio_state(page)["time"]
    page.reload()
    # after a full reload the player comes back with the same episode, where it was left
    expect(page.locator("[data-podsite-player]")).to_be_visible()
    page.wait_for_function("document.querySelector('[data-podsite-audio]').currentTime > 21",
                           timeout=15000)
    assert abs(audio_state(page)["time"] - saved) < 3
    assert audio_state(page)["paused"] is True


def test_a_soundbite_plays_its_range_and_stops(page, base_url):
    page.goto(base_url + SCEPTICS)
    page.locator(".podsite-soundbite").first.click()
    wait_playing_past(page, CLIP[0])
    page.wait_for_function("() => document.querySelector('[data-podsite-audio]').paused", timeout=15000)
    state = audio_state(page)
    assert state["src"] == base_url + "media/sbs-009.mp3"
    assert CLIP[1] - 0.1 <= state["time"] <= CLIP[1] + 0.75, state


def test_a_clip_link_opens_the_player_at_its_start(page, base_url):
    page.goto(base_url + SCEPTICS + "#t=0:04,0:06")
    page.wait_for_function("() => !document.querySelector('[data-podsite-player]').hidden", timeout=15000)
    page.wait_for_function("() => document.querySelector('[data-podsite-audio]').currentTime >= 4",
                           timeout=15000)
    assert audio_state(page)["paused"]  # opened at the clip, waiting for the listener


def test_the_format_chooser_switches_the_source(page, base_url):
    page.goto(base_url + SCEPTICS)
    page.locator("[data-podsite-play]").click()
    wait_playing_past(page, 1.0)
    page.locator("[data-podsite-format]").select_option(label="Low bandwidth · 8 kbps · 22 kB")
    wait_playing_past(page, 1.0)
    state = audio_state(page)
    assert state["src"] == base_url + "media/sbs-009-low.mp3"
    assert page.locator("[data-podsite-episode]").get_attribute("data-src").endswith("media/sbs-009-low.mp3")


def test_speed_control_changes_the_playback_rate_and_is_kept(page, base_url):
    page.goto(base_url + EPISODE)
    page.locator("[data-podsite-play]").click()
    page.locator("[data-podsite-speed]").select_option("1.5")
    assert page.evaluate("document.querySelector('[data-podsite-audio]').playbackRate") == 1.5
    page.reload()
    expect(page.locator("[data-podsite-speed]")).to_have_value("1.5")
    page.locator("[data-podsite-play]").click()
    page.wait_for_function("document.querySelector('[data-podsite-audio]').playbackRate === 1.5")


def test_without_javascript_the_episode_page_has_a_plain_audio_player(new_context, base_url):
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + EPISODE)
    audio = page.locator(".podsite-audio audio")
    expect(audio).to_be_visible()
    assert audio.get_attribute("controls") is not None
    assert audio.get_attribute("src") == "../../media/sbs-002.mp3"
    expect(page.locator("[data-podsite-play]")).to_be_hidden()
    assert page.locator(".podsite-chapters a").first.get_attribute("href").endswith("#t=0")
    context.close()


def test_a_transcript_timestamp_seeks_the_player(page, base_url):
    page.goto(base_url + "transcripts/courage-is-a-small-step-taken-twice/")
    expect(page.locator(".podsite-speaker").first).to_have_text("Maren Holt:")
    page.locator("a.podsite-time", has_text="0:12").click()
    wait_playing_past(page, 12.3)
    page.locator("#podsite-find").fill("noticing")
    expect(page.locator("[data-podsite-find-status]")).to_have_text(re.compile(r"^1 of \d+ paragraphs$"))
    expect(page.locator(".podsite-transcript p:visible")).to_have_count(1)


def test_the_transcript_find_box_has_a_visible_border(page, base_url):
    page.goto(base_url + "transcripts/courage-is-a-small-step-taken-twice/")
    box = page.locator("#podsite-find")
    expect(box).to_be_visible()
    style = box.evaluate("""e => { const s = getComputedStyle(e);
        return {width: parseFloat(s.borderTopWidth), color: s.borderTopColor,
                background: getComputedStyle(document.body).backgroundColor}; }""")
    assert style["width"] >= 1 and style["color"] != style["background"], style


@pytest.mark.parametrize("src", ["media/no-such-episode.mp3", "https://no-such-host.invalid/episode.mp3"],
                         ids=["404", "unresolvable-host"])
def test_audio_that_cannot_load_says_so_with_the_download_link(page, base_url, src):
    page.goto(base_url + EPISODE)
    url = src if src.startswith("https:") else base_url + src
    page.evaluate("url => document.querySelector('[data-podsite-episode]').setAttribute('data-src', url)", url)
    page.locator("[data-podsite-play]").click()
    error = page.locator("[data-podsite-error]")
    expect(error).to_be_visible(timeout=15000)
    expect(error).to_contain_text("This episode could not be loaded.")
    assert error.locator("a").get_attribute("href") == url
    expect(page.locator("[data-podsite-track]")).to_be_hidden()
    # another episode that loads takes the message away
    page.goto(base_url + "episodes/")
    navigate_instantly(page, base_url + EPISODE.replace("courage-is-a-small-step-taken-twice", "building-alliances-the-four-packs"))
    page.locator("[data-podsite-play]").click()
    wait_playing_past(page, 0.2)
    expect(error).to_be_hidden()


def test_a_worksheet_keeps_its_answers_after_a_reload(page, base_url):
    page.goto(base_url + "worksheets/courage/")
    field = page.locator("form[data-podsite-worksheet] input[type=text]").first
    field.fill("Mention the handoff on Monday")
    page.reload()
    expect(page.locator("form[data-podsite-worksheet] input[type=text]").first).to_have_value(
        "Mention the handoff on Monday")


NPM_TOOLS = {"axe-core": AXE_VERSION, "vnu-jar": VNU_VERSION}


def npm_tool(package: str, version: str, file: str) -> Path:
    """A file of an npm package, installed once into .cache/test-tools/ (never committed). All the
    tools are installed in one go: `npm install` of one package removes the others it did not name."""
    path = TOOLS / "node_modules" / package / file
    if not path.is_file():
        npm = shutil.which("npm")
        assert npm, f"npm is needed for {package} (scripts/install-system-deps installs it)"
        TOOLS.mkdir(parents=True, exist_ok=True)
        wanted = [f"{name}@{v}" for name, v in {**NPM_TOOLS, package: version}.items()]
        subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix",
                        str(TOOLS), *wanted], check=True, capture_output=True,
                       timeout=300, env={**os.environ, "npm_config_update_notifier": "false"})
    return path


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA and best-practice violations on the page as it is now."""
    page.add_script_tag(path=str(npm_tool("axe-core", AXE_VERSION, "axe.min.js")))
    return page.evaluate("""async () => (await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}
      })).violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))""")


AXE_PAGES = ["", "episodes/", EPISODE, "virtues/courage/", "people/tomas-ferreira/",
             "worksheets/courage/", "transcripts/courage-is-a-small-step-taken-twice/", "transcripts/",
             EPISODE + "embed/"]


# One page of every kind the site has (and the 404 page).
PAGE_KINDS = AXE_PAGES + ["virtues/", "people/", "about/", "episodes/a-page-that-does-not-exist/"]


def test_no_page_logs_an_error_on_load_or_after_instant_navigation(page, base_url):
    # Material re-inserts the body's scripts on instant navigation: a JSON-LD block in the body
    # was run as JavaScript ("Unexpected token ':'").
    errors = record_errors(page)
    for path in PAGE_KINDS:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        expected_404 = "does-not-exist" in path and "404" in "".join(errors)
        assert errors == [] or (expected_404 and len(errors) == 1), (path, errors)
        errors.clear()
    page.goto(base_url)
    for path in [p for p in PAGE_KINDS[:-1] if not p.endswith("embed/")] + [""]:  # the embed: not a site page
        navigate_instantly(page, base_url + path)
        expect(page.locator("h1").first).to_be_visible()
        page.wait_for_timeout(100)
        assert errors == [], f"after instant navigation to /{path}"
        # instant navigation re-creates the body's inline scripts as JavaScript, whatever their type
        assert page.evaluate("""() => [...document.querySelectorAll('.md-content script:not([src])')]
            .filter(s => s.textContent.trim().startsWith('{')).length""") == 0, path
    for path in ("", EPISODE):  # structured data lives in <head>, which a navigation does not re-run
        page.goto(base_url + path)
        assert page.locator('head script[type="application/ld+json"]').count() == 1


def test_the_sample_asks_no_host_but_its_own(page, base_url):
    # no fonts from Google, no cover art or audio from elsewhere: a listener's address goes nowhere else
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in PAGE_KINDS:
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
    page.goto(base_url + EPISODE)
    page.locator("[data-podsite-play]").click()
    wait_playing_past(page, 0.2)
    assert base_url + "media/sbs-002.mp3" in requested and base_url + "media/cover.png" in requested
    assert len(requested) > 30
    assert [url for url in requested if not url.startswith(base_url)] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", AXE_PAGES, ids=lambda p: p.strip("/") or "home")
def test_axe_finds_no_accessibility_violations(new_context, base_url, path, scheme):
    # the palette follows the system setting: dark is Material's "slate" scheme
    context = new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(base_url + path)
    if not path.endswith("embed/"):  # the embed page has no theme: its colours follow the system's
        expected = "slate" if scheme == "dark" else "default"
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == expected
    if path == EPISODE:  # with the player bar open too
        page.locator("[data-podsite-play]").click()
        expect(page.locator("[data-podsite-player]")).to_be_visible()
    violations = axe_violations(page)
    context.close()
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


def test_media_session_gets_the_episode_and_its_controls_after_play(page, base_url):
    page.goto(base_url + EPISODE)
    page.locator("[data-podsite-play]").click()
    wait_playing_past(page, 0.3)
    session = page.evaluate("""() => { const m = navigator.mediaSession.metadata;
        return {title: m.title, artist: m.artist, album: m.album, artwork: m.artwork.map(a => a.src),
                state: navigator.mediaSession.playbackState}; }""")
    assert session == {"title": TITLE, "artist": "Small Brave Steps", "album": "Small Brave Steps",
                       "artwork": [base_url + "media/cover.png"], "state": "playing"}
    # the lock screen's "next track" is the next chapter
    chapters = page.locator(".podsite-chapters li")
    page.evaluate("document.querySelector('[data-podsite-audio]').currentTime = 23")
    expect(page.locator("[data-podsite-chapter]")).to_have_text("Noticing")
    expect(chapters.nth(1)).to_have_attribute("aria-current", "true")
    expect(chapters.nth(0)).not_to_have_attribute("aria-current", "true")
    page.locator("[data-podsite-skip='30']").click()  # 53 s: the fourth chapter, "Following up"
    expect(page.locator("[data-podsite-chapter]")).to_have_text("Following up")
    expect(chapters.nth(3)).to_have_class(re.compile("podsite-chapter--current"))
    page.locator("[data-podsite-skip='-15']").click()  # 38 s: "Naming"
    expect(page.locator("[data-podsite-chapter]")).to_have_text("Naming")
    expect(chapters.nth(2)).to_have_attribute("aria-current", "true")


def test_a_link_with_a_moment_starts_the_episode_there(page, base_url):
    for moment in ("#t=0:42", "?t=42"):
        page.goto(base_url + EPISODE + moment)
        expect(page.locator("[data-podsite-player]")).to_be_visible()
        page.wait_for_function("document.querySelector('[data-podsite-audio]').currentTime >= 42")
        assert audio_state(page)["paused"] is True  # nothing plays before the listener asks
        page.locator("[data-podsite-play]").click()
        wait_playing_past(page, 42.2)
        assert audio_state(page)["time"] < 47
        expect(page.locator("[data-podsite-chapter]")).to_have_text("Following up")
        page.locator("[data-podsite-close]").click()


def test_the_bar_copies_a_link_to_the_moment_being_heard(new_context, base_url):
    context = new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    page = context.new_page()
    page.goto(base_url + EPISODE + "#t=0:22")
    page.locator("[data-podsite-play]").click()
    wait_playing_past(page, 22.5)
    page.locator("[data-podsite-toggle]").click()
    page.wait_for_function("document.querySelector('[data-podsite-audio]').paused")
    share = page.get_by_role("button", name="Copy a link to this moment")
    share.click()
    expect(page.locator("[data-podsite-status]")).to_have_text(re.compile(r"^Link to 0:2\d copied$"))
    link = page.evaluate("navigator.clipboard.readText()")
    assert re.fullmatch(re.escape(base_url + EPISODE) + r"#t=0:2\d", link), link
    # the friend who opens it starts there
    friend = context.new_page()
    friend.goto(link)
    friend.locator("[data-podsite-play]").click()
    wait_playing_past(friend, 22)
    context.close()


def test_keys_play_pause_and_skip_but_not_while_typing(page, base_url):
    page.goto(base_url + EPISODE)
    page.locator("h1").click()
    page.keyboard.press("k")
    wait_playing_past(page, 0.3)
    page.keyboard.press("l")
    wait_playing_past(page, 30)
    page.keyboard.press("j")
    page.wait_for_function("document.querySelector('[data-podsite-audio]').currentTime < 25")
    page.keyboard.press("k")
    page.wait_for_function("document.querySelector('[data-podsite-audio]').paused")
    page.locator("input.md-search__input").click()
    page.keyboard.type("k")  # typing in the search box is typing, not a shortcut
    assert audio_state(page)["paused"] is True


def test_the_transcript_marks_the_paragraph_being_spoken_and_can_follow_it(page, base_url):
    page.emulate_media(reduced_motion="reduce")
    page.goto(base_url + "transcripts/courage-is-a-small-step-taken-twice/")
    follow = page.get_by_role("checkbox", name=re.compile("Follow along"))
    expect(follow).not_to_be_checked()  # off by default
    page.locator("a.podsite-time", has_text="0:12").click()
    wait_playing_past(page, 12.3)
    spoken = page.locator(".podsite-transcript p.podsite-spoken")
    expect(spoken).to_have_count(1)
    expect(spoken).to_contain_text("rarely looks heroic")
    expect(spoken).to_have_attribute("aria-current", "true")
    follow.check()
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate("document.querySelector('[data-podsite-audio]').currentTime = 56")
    expect(spoken).to_contain_text("Your experiment for this week")
    expect(spoken).to_be_in_viewport()


def test_the_embed_page_plays_the_episode_and_its_chapters(page, base_url, built):
    page.goto(base_url + EPISODE)
    code = page.locator(".podsite-embed textarea")
    page.locator(".podsite-embed summary").click()
    snippet = code.input_value()
    embed = base_url + EPISODE + "embed/"
    assert snippet.startswith(f'<iframe src="{embed}" title="{TITLE}"'), snippet
    page.set_content(f"<!doctype html><title>Another site</title><main>{snippet}</main>")
    frame = page.frame_locator("iframe")
    expect(frame.locator("h1")).to_have_text(TITLE)
    expect(frame.locator(".md-header")).to_have_count(0)  # no site chrome
    frame.get_by_role("button", name="0:22").click()
    frame.locator("li[aria-current]").filter(has_text="Noticing").wait_for()
    inner = page.frames[1]
    inner.wait_for_function("document.querySelector('audio').currentTime > 22.5 && !document.querySelector('audio').paused")
