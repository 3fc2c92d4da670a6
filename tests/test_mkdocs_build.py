"""The real `mkdocs build` over a copy of the sample project."""

from __future__ import annotations

import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import BIN, edit, mkdocs, search_pages, without_people_or_transcripts

SAMPLE_TITLES = re.findall(r"<item>\s*<title>([^<]+)</title>",
                           (Path(__file__).parent.parent / "content/feed.xml").read_text())


@pytest.fixture
def built(project: Path) -> Path:
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    return project


def episode_pages(site: Path) -> list[Path]:
    return sorted(p for p in (site / "episodes").glob("*/index.html") if p.parent.name != "page")


def test_every_episode_page_has_an_audio_player(built):
    pages = episode_pages(built / "site")
    assert len(pages) == len(SAMPLE_TITLES) == 9
    for page in pages:
        html = page.read_text()
        # the sample's audio lies under its site_url: written relative, it plays wherever the site is served
        assert re.search(r'<audio controls preload="none" src="\.\./\.\./media/sbs-\d{3}\.mp3">', html), page


def test_search_index_has_every_episode_title(built):
    pages = search_pages(built / "site")
    titles = {page["meta"]["title"] for url, page in pages.items() if url.startswith("/episodes/")}
    assert set(SAMPLE_TITLES) <= titles


def test_a_word_only_in_show_notes_is_in_the_search_index(built):
    hits = {url for url, page in search_pages(built / "site").items() if "walk-and-talk" in page["content"]}
    assert "/episodes/building-alliances-the-four-packs/" in hits


def test_the_players_buttons_are_not_in_the_search_index(built):
    # "download" must not match every episode: the audio block is excluded from search
    pages = search_pages(built / "site")
    assert pages["/episodes/auditing-your-alliances/"]["content"].startswith(
        "Auditing your alliances. Bonus · April 22, 2026 · 11 s · Season 2 · Episode 8")
    assert [url for url, page in pages.items()
            if re.search(r"Download the episode|Play episode", page["content"])] == []


def test_episodes_are_not_listed_in_the_sidebar(built):
    html = (built / "site/index.html").read_text()
    assert "episodes/building-alliances-the-four-packs/" in html  # linked from "latest"
    nav = html[html.index('md-nav--primary'):]
    nav = nav[: nav.index("</nav>")]
    assert "building-alliances-the-four-packs" not in nav


def test_episode_links_to_its_virtue_and_back(built):
    episode = (built / "site/episodes/building-alliances-the-four-packs/index.html").read_text()
    assert 'href="../../virtues/alliances/"' in episode
    virtue = (built / "site/virtues/alliances/index.html").read_text()
    assert 'href="../../episodes/building-alliances-the-four-packs/"' in virtue


def test_nothing_is_written_into_the_content_folder(project):
    before = sorted(p.relative_to(project) for p in (project / "content").rglob("*"))
    assert mkdocs(project, "build").returncode == 0
    assert sorted(p.relative_to(project) for p in (project / "content").rglob("*")) == before


def test_a_content_mistake_fails_cleanly_and_keeps_the_last_good_site(built):
    good = (built / "site/index.html").read_bytes()
    edit(built / "content/episodes/007-building-alliances.md", "virtues: [alliances]",
         "virtues: [alliance]")
    result = mkdocs(built, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ("ERROR   -  podsite: 1 problem stopped the build (site/ was left as it was):\n"
            "content/episodes/007-building-alliances.md:3: unknown virtue 'alliance' "
            "(known: alliances, courage, curiosity, resilience)") in result.stderr
    assert (built / "site/index.html").read_bytes() == good
    assert not (built / "site.podsite-new").exists()


def test_a_template_mistake_names_the_template_line(built):
    template = built / "templates/episode.md.j2"
    line = template.read_text().splitlines().index(next(
        l for l in template.read_text().splitlines() if "{{ episode.title | md }}" in l)) + 1
    edit(template, "{{ episode.title | md }}", "{{ episode.titel | md }}")
    result = mkdocs(built, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert (f"templates/episode.md.j2:{line}: template error: 'generator.model.Episode object' has no "
            "attribute 'titel' (fix the template, or restore it from git)") in result.stderr
    assert (built / "site/index.html").exists()


def test_strict_mode_fails_on_missing_notes_without_touching_the_site(built):
    good = (built / "site/index.html").read_bytes()
    edit(built / "mkdocs.yml", "notes_missing: info", "notes_missing: warn")
    result = mkdocs(built, "build", "--strict")
    assert result.returncode == 1
    assert ("WARNING -  podsite: content/feed.xml:19: episode 'Questions worth asking your sceptics' "
            "has no show notes") in result.stderr
    assert "1 content warning(s) in strict mode" in result.stderr
    assert (built / "site/index.html").read_bytes() == good
    # without --strict the same content builds, with the warning
    assert mkdocs(built, "build").returncode == 0


def test_strict_mode_keeps_the_old_site_when_mkdocs_itself_warns(built):
    good = (built / "site/index.html").read_bytes()
    (built / "content/pages/about.md").write_text("# About\n\n[broken](nowhere.md)\n")
    result = mkdocs(built, "build", "--strict")
    assert result.returncode == 1
    assert "Aborted with 1 warnings in strict mode!" in result.stdout + result.stderr
    assert (built / "site/index.html").read_bytes() == good
    assert not (built / "site.podsite-new").exists()


def test_podcast_feed_environment_variable_overrides_mkdocs_yml(project, tmp_path):
    other = tmp_path / "other.xml"
    other.write_text((project / "content/feed.xml").read_text().replace(
        "Questions worth asking your sceptics", "A title only the other feed has"))
    result = mkdocs(project, "build", env={"PODCAST_FEED": str(other)})
    assert result.returncode == 0, result.stderr
    # The episode keeps its pinned URL (content/urls.yml); the page shows the other feed's title.
    page = project / "site/episodes/questions-worth-asking-your-sceptics/index.html"
    assert "A title only the other feed has" in page.read_text()


def _mkdocs_in(cwd, *args, env):
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run([str(BIN / "mkdocs"), *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=120)


def test_podcast_feed_is_read_from_the_current_folder(project, tmp_path):
    """As a shell user expects: `PODCAST_FEED=feed.xml mkdocs build -f project/mkdocs.yml`."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "feed.xml").write_text((project / "content/feed.xml").read_text().replace(
        "Questions worth asking your sceptics", "A title only the other feed has"))
    result = _mkdocs_in(elsewhere, "build", "-f", str(project / "mkdocs.yml"),
                        env={"PODCAST_FEED": "feed.xml"})
    assert result.returncode == 0, result.stderr
    page = project / "site/episodes/questions-worth-asking-your-sceptics/index.html"
    assert "A title only the other feed has" in page.read_text()


@pytest.mark.parametrize("value", ["nope.xml", "../nope.xml", "content"])
def test_missing_feed_file_from_podcast_feed_says_where_it_looked(project, value):
    result = mkdocs(project, "build", env={"PODCAST_FEED": value})
    assert result.returncode == 1
    looked = (project / value).resolve()
    shown = value if not value.startswith("..") else str(looked)
    what = "is a folder, not a feed file" if value == "content" else "not found"
    assert (f"{shown}: feed file {what}: looked for {looked} (from PODCAST_FEED={value}, read "
            "relative to the current folder; set PODCAST_FEED to the feed's path or URL, or unset "
            "it to use feed_url in mkdocs.yml)") in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_feed_file_from_mkdocs_yml_says_where_it_looked(project):
    edit(project / "mkdocs.yml", "feed_url: content/feed.xml", "feed_url: content/fed.xml")
    result = mkdocs(project, "build")
    assert result.returncode == 1
    assert (f"content/fed.xml: feed file not found: looked for {project.resolve()}/content/fed.xml "
            "(from feed_url in mkdocs.yml, relative to mkdocs.yml; set it, or PODCAST_FEED, to the "
            "podcast's feed)") in result.stderr


def test_hand_written_page_clashing_with_a_generated_one(project):
    (project / "content/pages/episodes").mkdir()
    (project / "content/pages/episodes/index.md").write_text("# Mine\n")
    result = mkdocs(project, "build")
    assert result.returncode == 1
    assert ("content/pages/episodes/index.md: clashes with a page the generator makes "
            "(rename or delete the hand-written file)") in result.stderr


def test_a_show_without_people_or_transcripts_builds_strict_without_those_tabs(project):
    # most feeds have neither podcast:person nor podcast:transcript: the sample mkdocs.yml's nav
    # entries for them must not break `mkdocs build --strict` (MkDocs warns of a missing nav page)
    without_people_or_transcripts(project)
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert ("INFO    -  podsite: mkdocs.yml: nav entry 'People' left out until the show has hosts or "
            "guests (podcast:person in the feed, or people: in a note's front matter)") in result.stderr
    assert ("INFO    -  podsite: mkdocs.yml: nav entry 'Transcripts' left out until the show has "
            "transcripts (podcast:transcript in the feed, or a transcript file beside a note)") in result.stderr
    tabs = re.findall(r'md-tabs__link[^>]*>\s*([^<]+?)\s*<', (project / "site/index.html").read_text())
    assert tabs == ["Home", "Episodes", "Virtues", "About"]


def test_nav_pruning_keeps_everything_else_and_drops_emptied_sections():
    from generator.site import nav as navs
    nav = [{"Home": "index.md"}, {"People": "people/index.md"},
           {"More": [{"Transcripts": "transcripts/index.md"}]},
           {"Virtues": ["virtues/index.md", {"Courage": "virtues/courage.md"}]}, "about.md"]
    dropped = []
    assert navs.prune(nav, {"people/index.md", "transcripts/index.md"},
                      lambda title, path: dropped.append((title, path))) == [
        {"Home": "index.md"}, {"Virtues": ["virtues/index.md", {"Courage": "virtues/courage.md"}]},
        "about.md"]
    assert dropped == [("People", "people/index.md"), ("Transcripts", "transcripts/index.md")]
    assert navs.prune(nav, set()) == nav
    assert navs.entries(nav, {"transcripts/index.md", "virtues/courage.md"}) == [
        ("Transcripts", "transcripts/index.md"), ("Courage", "virtues/courage.md")]


class _Links(HTMLParser):
    """Every URL a page makes the browser load or offers to follow, and its sharing tags' URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if value and (name in ("href", "src", "data-src", "action") or
                          name == "content" and (attrs.get("property") or "").startswith("og:")
                          and value.startswith("http")):
                self.urls.append(value)


# Hosts the sample links to on purpose (subscribe links, a chapter's and a guest's page, the
# theme's credit), and schemes that are no address. Anything else is a mistake or a third party.
SAMPLE_HOSTS = {"podcasts.apple.com", "pca.st", "example.org", "squidfunk.github.io", "www.mkdocs.org",
                "creativecommons.org"}
SITE_URL = "https://small-brave-steps.example/"


def broken_links(site: Path, site_url: str = SITE_URL, hosts: frozenset | set = SAMPLE_HOSTS) -> list[str]:
    """Every link and source of every page whose target the site does not have: relative ones,
    and absolute ones under site_url; absolute ones elsewhere only to `hosts` (SAMPLE_HOSTS). (The feed's
    own page URLs, such as its funding link, are folders: with use_directory_urls: false MkDocs
    writes `support.html` for them.)"""
    broken = []
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            if url.startswith(site_url):
                url = "/" + url[len(site_url):]
            parts = urlsplit(url)
            if parts.scheme in ("mailto", "tel") or (not parts.scheme and not parts.netloc and not parts.path):
                continue  # an address, or an anchor on this page
            if parts.scheme or parts.netloc:
                if parts.hostname not in hosts:
                    broken.append(f"{page.relative_to(site)}: {url} (a host the sample does not name)")
                continue
            base = site if parts.path.startswith("/") else page.parent  # site_url's path is /
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if url.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file() and url.startswith("/") and url.endswith("/"):
                target = target.parent.with_suffix(".html")
            if site.resolve() not in target.parents or not target.is_file():
                broken.append(f"{page.relative_to(site)}: {url}")
    return broken


@pytest.mark.parametrize("directory_urls", [True, False])
def test_no_page_links_to_a_file_the_site_does_not_have(project, directory_urls):
    # MkDocs checks the Markdown links; this checks every link and source of the built site,
    # including the ones podsite writes as HTML (episode lists, player, chapters, transcripts), the
    # sample's own cover art, audio and feed, and the sharing tags' absolute URLs
    if not directory_urls:
        with open(project / "mkdocs.yml", "a", encoding="utf-8") as config:
            config.write("\nuse_directory_urls: false\n")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert len(list(site.rglob("*.html"))) > 20
    assert broken_links(site) == []
    (site / ("virtues/courage/index.html" if directory_urls else "virtues/courage.html")).unlink()
    (site / "media/sbs-002.mp3").unlink()
    broken = broken_links(site)
    assert any(link.endswith(("virtues/courage/", "virtues/courage.html")) for link in broken)
    assert any(link.endswith("media/sbs-002.mp3") for link in broken)


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (key := attrs.get("property") or attrs.get("name")):
            self.meta[key] = attrs.get("content")


def sharing_tags(page: Path) -> dict[str, str]:
    parser = _Meta()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.meta


def test_sharing_tags_hold_titles_with_quotes_and_ampersands_as_written(project):
    # generated pages' titles arrive escaped, hand-written ones raw: both must come out right
    edit(project / "mkdocs.yml", "  - About: about.md", """  - 'About "the show" & us': about.md""")
    edit(project / "content/feed.xml", "<title>Building alliances: the four packs</title>",
         '<title>Allies "&amp;" &lt;friends&gt;</title>')
    assert mkdocs(project, "build", "--strict").returncode == 0
    about = sharing_tags(project / "site/about/index.html")
    assert about["og:title"] == 'About "the show" & us - Small Brave Steps'
    # X reads title, description and image from og:, so the page does not say them twice
    assert about["twitter:card"] == "summary" and "twitter:title" not in about
    assert "twitter:description" not in about
    episode = sharing_tags(project / "site/episodes/building-alliances-the-four-packs/index.html")
    assert episode["og:title"] == 'Allies "&" <friends> - Small Brave Steps'
    assert episode["og:type"] == "website" and episode["og:audio"].endswith(".mp3")


class _Head(HTMLParser):
    """Where each JSON-LD block and feed link is (head or body), and the canonical URL."""

    def __init__(self) -> None:
        super().__init__()
        self.in_head, self.in_json = False, False
        self.json_ld: list[tuple[bool, str]] = []  # (in <head>, text)
        self.feeds: list[tuple[bool, str]] = []
        self.canonical = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        self.in_json = tag == "script" and attrs.get("type") == "application/ld+json"
        if tag == "link" and "alternate" in (attrs.get("rel") or "").split() and attrs.get("type") == "application/rss+xml":
            self.feeds.append((self.in_head, attrs.get("href")))
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs.get("href")

    def handle_endtag(self, tag):
        self.in_json = False
        if tag == "head":
            self.in_head = False

    def handle_data(self, data):
        if self.in_json:
            self.json_ld.append((self.in_head, data))


def head_of(page: Path) -> _Head:
    parser = _Head()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_structured_data_and_the_feed_link_are_in_every_pages_head(project):
    # Material's instant navigation re-runs scripts of the body as JavaScript: JSON-LD there
    # threw "Unexpected token ':'". In <head>, with the page's canonical URL, the feed <link> as sameAs.
    edit(project / "content/feed.xml", "<title>Building alliances: the four packs</title>",
         "<title>Allies \U0001f91d &lt;/script&gt; \u2028 &amp; friends</title>")
    assert mkdocs(project, "build", "--strict").returncode == 0
    site = project / "site"
    pages = sorted(p for p in site.rglob("*.html") if "http-equiv=\"refresh\"" not in p.read_text()
                   and p.parent.name != "embed")  # the embeddable player is a widget, not a page
    assert len(pages) > 20
    for page in pages:
        head = head_of(page)
        assert head.feeds == [(True, "https://small-brave-steps.example/feed.xml")], page
        assert all(in_head for in_head, _ in head.json_ld), page
    home = head_of(site / "index.html")
    series = json.loads(home.json_ld[0][1])
    assert series["@type"] == "PodcastSeries" and series["url"] == home.canonical == "https://small-brave-steps.example/"
    for page in episode_pages(site):
        head = head_of(page)
        [(_, text)] = head.json_ld
        data = json.loads(text)
        assert data["url"] == head.canonical and data["url"].startswith("https://small-brave-steps.example/episodes/")
        assert re.fullmatch(r"https://small-brave-steps\.example/episodes/\d+", data["sameAs"])
        assert "<" not in text
    allies = json.loads(head_of(site / "episodes/building-alliances-the-four-packs/index.html").json_ld[0][1])
    assert allies["name"] == "Allies \U0001f91d </script> & friends"  # U+2028 is whitespace


def test_podsite_worksheet_pdf_false_builds_without_pdfs(project):
    """What `make site` does on a machine without Pango (and no root to install it)."""
    result = mkdocs(project, "build", "--strict", env={"PODSITE_WORKSHEET_PDF": "false"})
    assert result.returncode == 0, result.stderr
    assert (project / "site/worksheets/alliances/index.html").is_file()
    assert list((project / "site").rglob("*.pdf")) == []
    assert "alliances-a4.pdf" not in (project / "site/worksheets/alliances/index.html").read_text()


def test_make_site_installs_only_what_the_site_needs():
    """`make site` asks install-system-deps for Pango alone; `make test` for the rest as well."""
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    assert "scripts/install-system-deps site" in makefile
    assert "PODSITE_WORKSHEET_PDF=false $(VENV)/bin/mkdocs build --strict" in makefile
    script = Path(__file__).resolve().parent.parent / "scripts/install-system-deps"
    assert subprocess.run(["bash", "-n", str(script)]).returncode == 0
    wrong = subprocess.run([str(script), "everything"], capture_output=True, text=True)
    assert (wrong.returncode, wrong.stderr) == (2, f"usage: {script} [site|test]\n")


BROKEN_LINK = ("content/episodes/008-auditing-alliances.md:6: link to '007-building-aliances.md' "
               "leads nowhere: no show notes, virtue or page is at "
               "content/episodes/007-building-aliances.md (did you mean '007-building-alliances.md'?)")


def test_a_link_that_leads_nowhere_names_the_notes_file_and_line(project):
    """Not the generated page (episodes/auditing-your-alliances.md) MkDocs would name."""
    note = project / "content/episodes/008-auditing-alliances.md"
    edit(note, "(007-building-alliances.md)", "(007-building-aliances.md)")
    (project / "site").mkdir()
    (project / "site/index.html").write_text("the last good site")
    strict = mkdocs(project, "build", "--strict")
    assert strict.returncode == 1
    assert f"WARNING -  podsite: {BROKEN_LINK}" in strict.stderr
    assert "Doc file 'episodes/auditing-your-alliances.md' contains a link" not in strict.stderr
    assert (project / "site/index.html").read_text() == "the last good site"

    relaxed = mkdocs(project, "build")
    assert relaxed.returncode == 0, relaxed.stderr
    assert relaxed.stderr.count("leads nowhere") == 1  # once, at the notes' line
    assert "contains a link '007-building-aliances.md'" not in relaxed.stderr
    assert f"WARNING -  podsite: {BROKEN_LINK}" in relaxed.stderr
