"""The real `mkdocs build` over a copy of the sample project."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import edit, mkdocs, search_pages, without_people_or_transcripts

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
        assert re.search(r'<audio controls preload="none" src="https://[^"]+\.mp3">', html), page


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
        "Auditing your alliances. Bonus · April 22, 2026 · 28 min · Season 2 · Episode 8")
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
    edit(built / "templates/episode.md.j2", "{{ episode.title | md }}", "{{ episode.titel | md }}")
    result = mkdocs(built, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert ("templates/episode.md.j2:23: template error: 'generator.model.Episode object' has no "
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


def test_missing_feed_file_is_a_clear_error(project):
    result = mkdocs(project, "build", env={"PODCAST_FEED": "content/nope.xml"})
    assert result.returncode == 1
    assert ("content/nope.xml: feed file not found (set feed_url in mkdocs.yml or PODCAST_FEED "
            "to the podcast's feed)") in result.stderr
    assert "Traceback" not in result.stderr


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
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and (name == "href" and tag in ("a", "link") or name == "src"):
                self.urls.append(value)


def broken_links(site: Path) -> list[str]:
    """Every site-relative link and source of every page whose target file does not exist."""
    broken = []
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for url in parser.urls:
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path:
                continue  # another site, or an anchor on this page
            base = site if parts.path.startswith("/") else page.parent  # site_url's path is /
            target = (base / unquote(parts.path).lstrip("/")).resolve()
            if url.endswith("/") or target.is_dir():
                target = target / "index.html"
            if site.resolve() not in target.parents or not target.is_file():
                broken.append(f"{page.relative_to(site)}: {url}")
    return broken


@pytest.mark.parametrize("directory_urls", [True, False])
def test_no_page_links_to_a_file_the_site_does_not_have(project, directory_urls):
    # MkDocs checks the Markdown links; this checks every link of the built site, including the
    # ones podsite writes as HTML (episode lists, player, chapters, transcripts)
    if not directory_urls:
        with open(project / "mkdocs.yml", "a", encoding="utf-8") as config:
            config.write("\nuse_directory_urls: false\n")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert len(list(site.rglob("*.html"))) > 20
    assert broken_links(site) == []
    (site / ("virtues/courage/index.html" if directory_urls else "virtues/courage.html")).unlink()
    assert any(link.endswith(("virtues/courage/", "virtues/courage.html")) for link in broken_links(site))


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
    assert about["og:title"] == about["twitter:title"] == 'About "the show" & us - Small Brave Steps'
    episode = sharing_tags(project / "site/episodes/building-alliances-the-four-packs/index.html")
    assert episode["og:title"] == 'Allies "&" <friends> - Small Brave Steps'
    assert episode["og:type"] == "website" and episode["og:audio"].endswith(".mp3")
