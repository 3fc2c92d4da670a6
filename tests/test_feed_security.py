"""Every feed field that reaches a page is escaped or sanitised; hostile XML is harmless."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import mkdocs, search_pages

from generator.build import Settings, build_site
from generator.errors import Report
from generator.ingest.feed import parse_feed
from generator.sources.files import Sources

HERE = Path(__file__).parent
HOSTILE = (HERE / "feeds/hostile.xml").read_bytes()
GOLDEN = HERE / "golden/hostile"
TITLE_TEXT = '</title><script>alert("title")</script> "quoted" [link](javascript:x) *bold* {: onclick=x}'
VIRTUES = (("content/virtues/courage.md", "---\ntitle: Courage\n---\nBrave.\n"),)


@pytest.fixture(scope="module")
def hostile_pages() -> dict:
    sources = Sources(HOSTILE, "feed.xml", (), VIRTUES)
    pages, report = build_site(sources, Settings(root=HERE.parent, feed="feed.xml", worksheet_pdf=False))
    assert not report.errors, [str(p) for p in report.errors]
    return pages


@pytest.mark.parametrize("page", ["index.md", "episodes/titlescriptalerttitlescript-quoted-linkjavascriptx-bold-onclickx.md",
                                  "episodes/a-fine-normal-episode.md"])
def test_hostile_fields_golden(hostile_pages, page, update_golden):
    target = GOLDEN / page
    if update_golden:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(hostile_pages[page], encoding="utf-8")
    assert hostile_pages[page] == target.read_text(encoding="utf-8")




def test_dangerous_urls_never_become_links(hostile_pages):
    # Page bodies only: the front matter holds the title as YAML text, never as Markdown.
    text = "\n".join(v.split("\n---\n", 1)[-1] for p, v in hostile_pages.items()
                     if isinstance(v, str) and not p.endswith("/embed/index.html"))
    # the embed pages (templates/embed.html.j2) have the template's own <style> and <script>, once
    embeds = [v for p, v in hostile_pages.items() if p.endswith("/embed/index.html")]
    assert embeds and all(len(re.findall(r"<(script|style|iframe)", v, re.I)) == 2 for v in embeds)
    for v in embeds:
        assert not re.search(r"<[a-z][^>]*\son\w+\s*=", v, re.I)
    # JSON-LD (front matter, for <head>) holds feed text as JSON data, where nothing can close the
    # element early
    blocks = [yaml.safe_load(v.split("\n---\n", 1)[0].removeprefix("---\n"))["podsite_jsonld"]
              for path, v in hostile_pages.items() if path == "index.md" or path.startswith("episodes/")
              and isinstance(v, str) and "podsite_jsonld" in v]
    assert len(blocks) >= 3 and all(json.loads(b) and "<" not in b for b in blocks)
    assert not re.search(r"(?:href|src)=\"?\s*(?:javascript|data):", text, re.I)
    # Markdown links, outside the raw HTML blocks (where `[x](javascript:)` is only text)
    markdown = re.sub(r"<!--podsite:html-->.*?<!--/podsite:html-->", "", text, flags=re.S)
    assert not re.search(r"\]\(\s*(?:javascript|data):", markdown, re.I)
    assert not re.search(r"<[a-z][^>]*\son\w+\s*=", text, re.I)  # event handlers in a tag
    assert not re.search(r"<(?:script|iframe|style)", text, re.I)


def test_built_site_has_no_script_from_the_feed(project):
    (project / "content/feed.xml").write_bytes(HOSTILE)
    for note in (project / "content/episodes").glob("*.md"):
        note.unlink()
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    for page in site.rglob("*.html"):
        parsed = _Attributes()
        parsed.feed(page.read_text())
        assert not [s for s in parsed.scripts if "alert(" in s], page
        assert all(json.loads(data) and "<" not in data for data in parsed.json_ld), page
        assert not [a for a in parsed.attributes if a[1].startswith("on")], page
        assert not [a for a in parsed.attributes if a[1] in ("href", "src", "srcset", "content")
                    and a[2].strip().lower().startswith(("javascript:", "data:"))], page
    episode = (site / "episodes/titlescriptalerttitlescript-quoted-linkjavascriptx-bold-onclickx/index.html").read_text()
    assert "&lt;/title&gt;&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in episode.split("<title>")[1]
    # the search index holds the title as text (search.js only ever sets it as text)
    titles = [page["meta"]["title"] for url, page in search_pages(site).items()
              if url.startswith("/episodes/titlescript")]
    assert titles == [TITLE_TEXT]


class _Attributes(HTMLParser):
    """Every (tag, attribute, value) in a page, and the text of its inline scripts."""

    def __init__(self):
        super().__init__()
        self.attributes: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []
        self.json_ld: list[str] = []  # structured data: JSON, never run
        self._in_script = False
        self._in_json = False

    def handle_starttag(self, tag, attrs):
        self.attributes += [(tag, name.lower(), value or "") for name, value in attrs]
        self._in_json = tag == "script" and ("type", "application/ld+json") in attrs
        self._in_script = tag == "script" and not self._in_json

    def handle_endtag(self, tag):
        self._in_script = self._in_json = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)
        elif self._in_json:
            self.json_ld.append(data)


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-TOKEN")
    xml = (f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           '<rss version="2.0"><channel><title>T &xxe;</title><item><title>E &xxe;</title>'
           '<guid>1</guid><description>&xxe;</description></item></channel></rss>').encode()
    feed = parse_feed(xml, "xxe.xml", Report())
    assert feed is not None
    assert "TOP-SECRET" not in repr(feed)


def test_entity_expansion_is_refused_or_harmless():
    entities = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10 if i else "lol"}">'
                       for i in range(10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE r [{entities}]><rss version="2.0"><channel>'
           '<title>&l9;</title><item><title>x</title><guid>1</guid></item></channel></rss>').encode()
    report = Report()
    feed = parse_feed(xml, "lol.xml", report)
    assert feed is None or len(repr(feed)) < 10_000  # a billion 'lol's would be gigabytes
