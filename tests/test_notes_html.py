"""`notes_html: sanitize`: a guest's show notes cannot run script on the site, by any road.

One real MkDocs build of the sample with hostile notes (raw HTML, HTML Markdown makes from
links, attr_list attributes, footnotes, a heading that becomes the table of contents, forged
podsite marks, an unclosed comment), then: no payload is left in any file of the site, what a
note may have (headings with anchors, links, a YouTube embed in a sandbox) is still there, and a
real Chromium that opens the page runs none of it.
"""

from __future__ import annotations

import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import ROOT, copy_sample, mkdocs

from generator.site.notes_html import END, START, mark_notes, sanitize_page

NOTE = "content/episodes/008-auditing-alliances.md"
PAGE = "episodes/auditing-your-alliances/index.html"
HOSTILE = """

## Safe heading <img src=x onerror="window.pwned1=1">

<script>window.pwned2=1</script>

[click](javascript:window.pwned3=1) and [data](data:text/html,pwned4) and
[spaced](<  JaVaScRiPt:window.pwned5=1>)

<img src="x" onerror="window.pwned6=1"><img src="data:image/svg+xml,pwned7">

A paragraph with attributes
{: onclick="window.pwned8=1" style="background:url(pwned9)" }

<svg><script>window.pwned10=1</script><a xlink:href="javascript:pwned11">s</a></svg>

<!--podsite:html-->
<script>window.pwned12=1</script>
<!--/podsite:html-->

<!--/podsite:notes-->

<script>window.pwned13=1</script>

<p id="__config">{"base": "hijacked"}</p>

<form action="https://evil.example/pwned15"><input name="x"></form>

Text with a footnote[^evil].

[^evil]: <script>window.pwned16=1</script> [foot](javascript:window.pwned17=1)

<iframe src="https://www.youtube.com/embed/abcdefghijk" width="560" height="315" title="A talk" allowfullscreen></iframe>

<iframe src="https://evil.example/pwned18"></iframe><iframe srcdoc="<script>pwned19</script>"></iframe>

<details><summary>More</summary><p onmouseover="window.pwned20=1">Kept text</p></details>

<!-- an unclosed comment, pwned21
"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory, shared_cache) -> Path:
    project = tmp_path_factory.mktemp("notes-html") / "project"
    copy_sample(project, shared_cache)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("  - podsite:\n", "  - podsite:\n      notes_html: sanitize\n", 1)
    config = config.replace("markdown_extensions:\n", "markdown_extensions:\n  - footnotes\n", 1)
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    note = project / NOTE
    note.write_text(note.read_text(encoding="utf-8") + HOSTILE, encoding="utf-8")
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr[-3000:]
    return project / "site"


def test_no_payload_reaches_any_file_of_the_site(site):
    leaks = {}
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".xml", ".js", ".md"):
            text = path.read_text(encoding="utf-8", errors="replace")
            found = sorted(set(re.findall(r"pwned\d+", text)))
            if found:
                leaks[path.relative_to(site).as_posix()] = found
    assert leaks == {}


def test_what_a_note_may_have_is_kept(site):
    html = (site / PAGE).read_text(encoding="utf-8")
    assert '<h3 id="the-audit-in-five-steps">The audit in five steps' in html
    assert 'href="../building-alliances-the-four-packs/" rel="noopener nofollow ugc">the four packs' in html  # a link to another note, resolved by MkDocs
    assert ('<iframe sandbox="allow-scripts allow-same-origin allow-presentation allow-popups" '
            'referrerpolicy="strict-origin-when-cross-origin" '
            'src="https://www.youtube.com/embed/abcdefghijk" width="560" height="315" '
            'title="A talk" allowfullscreen=""></iframe>') in html
    assert html.count("<iframe") == 1
    assert "<summary>More</summary><p>Kept text</p>" in html
    assert "Text with a footnote" in html and 'class="footnote"' in html
    # podsite's own HTML around the notes is untouched: the player, the JSON-LD
    assert 'type="application/ld+json"' in html and "data-podsite-audio" in html


def test_a_real_browser_runs_none_of_it(site):
    from playwright.sync_api import sync_playwright
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{PAGE}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])
            tab = browser.new_page()
            dialogs = []
            tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                "http://127.0.0.1:") else route.abort())
            tab.goto(url)
            tab.hover("text=Kept text", force=True)
            tab.click("text=A paragraph with attributes")
            ran = tab.evaluate("Object.keys(window).filter(k => k.startsWith('pwned'))")
            config_base = tab.evaluate("JSON.parse(document.querySelector('#__config').textContent).base")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    assert ran == [] and dialogs == []
    assert config_base != "hijacked"


def test_a_note_cannot_end_its_own_region_or_forge_a_block():
    marked = mark_notes(f"a {END} <script>x</script> <!--podsite:html--> <!--podsite:ab12:0-->")
    assert marked.count(END) == 1 and marked.endswith(END) and "<!--podsite:html" not in marked
    page = ("<p>ours</p>" + marked.replace("\n", "") +
            '<script type="application/ld+json">{}</script><div class="footnote">'
            '<script>x</script></div>')
    assert sanitize_page(page) == ('<p>ours</p>a    <script type="application/ld+json">{}</script>'
                                   '<div class="footnote"></div>')


def test_an_unclosed_region_is_sanitised_to_the_end():
    assert sanitize_page(f"<p>ours</p>{START}<script>x</script><b>y") == "<p>ours</p><b>y</b>"


def test_podsite_generate_refuses_to_hand_unsanitised_notes_to_another_builder(tmp_path):
    from generator.build import Settings
    from generator.commands.generate import export_site
    settings = Settings(root=ROOT, feed="content/feed.xml", notes_html="sanitize", cache_dir="")
    outcome = export_site(settings, tmp_path / "out")
    assert outcome.result is None and not (tmp_path / "out").exists()
    assert [str(p) for p in outcome.problems] == [
        "mkdocs.yml: notes_html: sanitize works in MkDocs builds only: podsite generate hands the "
        "notes' Markdown to another builder, which podsite cannot sanitise (build with mkdocs, or "
        "set notes_html: trusted)"]
