"""Stable episode URLs: the pin file content/urls.yml, `podsite pin`, and redirects from former URLs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import BIN, edit, mkdocs

from generator.build import Settings, build_site
from generator.sources.files import Sources

ROOT = Path(__file__).resolve().parent.parent
FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Test cast</title><link>https://cast.example/</link>
<item><title>{first}</title><guid>ep-1</guid><pubDate>Mon, 05 Jan 2026 06:00:00 +0000</pubDate>
<enclosure url="https://cast.example/1.mp3" type="audio/mpeg" length="1"/></item>
<item><title>{second}</title><guid>ep-2</guid><pubDate>Mon, 12 Jan 2026 06:00:00 +0000</pubDate>
<enclosure url="https://cast.example/2.mp3" type="audio/mpeg" length="1"/></item>
</channel></rss>
"""
VIRTUES = (("content/virtues/courage.md", "---\ntitle: Courage\n---\nBrave.\n"),)
URLS = "content/urls.yml"


def run(urls: str | None, first="First steps", second="Second wind", notes=(), directory_urls=True):
    feed = FEED.format(first=first, second=second).encode()
    sources = Sources(feed, "content/feed.xml", tuple(notes), VIRTUES,
                      urls=(URLS, urls) if urls is not None else None)
    settings = Settings(root=ROOT, feed="content/feed.xml", notes_missing=None, worksheet_pdf=False,
                        cache_dir="", directory_urls=directory_urls)
    pages, report = build_site(sources, settings)
    return pages, [f"{p.severity.value}: {p}" for p in report.problems]


def episode_pages(pages) -> list[str]:
    return sorted(p for p in pages if re.fullmatch(r"episodes/(?!index)[^/]+\.md", p))


def test_a_pinned_url_survives_a_title_edit():
    pins = "ep-1: first-steps\nep-2: second-wind\n"
    pages, problems = run(pins, first="First steps, renamed", second="Second wind (re-edited)")
    assert problems == []
    assert episode_pages(pages) == ["episodes/first-steps.md", "episodes/second-wind.md"]


def test_without_a_pin_the_title_decides_and_the_build_says_how_to_pin():
    pages, problems = run("ep-1: first-steps\n", second="Second wind (re-edited)")
    assert episode_pages(pages) == ["episodes/first-steps.md", "episodes/second-wind-re-edited.md"]
    assert problems == ["info: content/urls.yml: 1 episode URL(s) not pinned yet: "
                        "'Second wind (re-edited)' -> second-wind-re-edited (run `podsite pin` and "
                        "commit the file, so later title edits keep these URLs)"]


def test_no_pin_file_means_no_pin_messages():
    pages, problems = run(None)
    assert problems == []
    assert episode_pages(pages) == ["episodes/first-steps.md", "episodes/second-wind.md"]


def test_former_slugs_redirect_to_the_current_url():
    pages, problems = run("ep-1: [first-steps, early-days, the-beginning]\nep-2: second-wind\n")
    assert problems == []
    assert "episodes/first-steps.md" in pages
    for old in ("early-days", "the-beginning"):
        page = pages[f"episodes/{old}/index.html"]
        assert '<meta http-equiv="refresh" content="0; url=../first-steps/">' in page
        assert '<link rel="canonical" href="../first-steps/">' in page
        assert 'location.replace("../first-steps/" + location.search + location.hash)' in page
        assert "<title>First steps - moved</title>" in page


def test_redirects_follow_use_directory_urls_false():
    pages, _ = run("ep-1: [first-steps, early-days]\n", directory_urls=False)
    assert 'url=first-steps.html"' in pages["episodes/early-days.html"]


def test_a_note_slug_wins_over_the_pin_and_the_pinned_slug_redirects():
    note = ("content/episodes/001.md", "---\nguid: ep-1\nslug: new-home\n---\nHi.\n")
    pages, problems = run("ep-1: first-steps\nep-2: second-wind\n", notes=[note])
    assert "episodes/new-home.md" in pages and "episodes/first-steps.md" not in pages
    assert "url=../new-home/" in pages["episodes/first-steps/index.html"]
    assert problems == ["info: content/urls.yml: 1 episode URL(s) not pinned yet: 'First steps' -> "
                        "new-home (run `podsite pin` and commit the file, so later title edits "
                        "keep these URLs)"]


def test_a_title_slug_never_takes_a_former_or_departed_url():
    # ep-2 is titled like ep-1's former URL; a guid that left the feed still holds its slug.
    pins = "ep-1: [first-steps, second-wind]\ngone-1: third-act\n"
    pages, _ = run(pins, second="Second wind")
    assert "episodes/second-wind-2.md" in pages
    assert "url=../first-steps/" in pages["episodes/second-wind/index.html"]
    pages, _ = run(pins, second="Third act")
    assert "episodes/third-act-2.md" in pages


@pytest.mark.parametrize("urls, expected", [
    ("ep-1: [first-steps\n", "content/urls.yml:1: the file has a '[' on this line that is never "
     "closed (end the list with ']')"),
    ("- first-steps\n", "content/urls.yml:1: must be a list of 'guid: slug' lines (found something else)"),
    ("ep-1: First Steps!\n", "content/urls.yml:1: 'First Steps!' is not a slug (use lower-case "
     "letters, digits and single hyphens, e.g. 'building-alliances')"),
    ("ep-1: first-steps\nep-2: first-steps\n", "content/urls.yml:2: slug 'first-steps' is also "
     "pinned for 'ep-1' on line 1 (a URL belongs to one episode)"),
    ("ep-1: first-steps\nep-1: other\n", "content/urls.yml:2: guid 'ep-1' is pinned twice (also on "
     "line 1; keep one entry)"),
    ("ep-1: []\n", "content/urls.yml:1: guid 'ep-1': give a slug, or a list of slugs with the "
     "current one first"),
    ("ep-1: index\n", "content/urls.yml:1: slug 'index' is the URL of the episode list (choose another)"),
    ("ep-1: [first-steps, second-wind]\nep-2: [second-wind-x]\n", None),
])
def test_pin_file_mistakes_name_the_line(urls, expected):
    pages, problems = run(urls)
    errors = [p for p in problems if p.startswith("error:")]
    if expected is None:
        assert errors == []
    else:
        assert errors == ["error: " + expected]
        assert pages == {}


def test_a_former_url_that_is_another_episodes_url_is_an_error():
    note = ("content/episodes/002.md", "---\nguid: ep-2\nslug: early-days\n---\nHi.\n")
    pages, problems = run("ep-1: [first-steps, early-days]\n", notes=[note])
    assert [p for p in problems if p.startswith("error")] == [
        "error: content/urls.yml:1: 'early-days', a URL pinned for 'ep-1', is now the URL of "
        "episode 'Second wind' (remove it from one of them)"]
    assert pages == {}


def test_a_pin_that_is_another_notes_slug_is_an_error():
    note = ("content/episodes/002.md", "---\nguid: ep-2\nslug: first-steps\n---\nHi.\n")
    pages, problems = run("ep-1: first-steps\n", notes=[note])
    assert [p for p in problems if p.startswith("error")] == [
        "error: content/urls.yml:1: slug 'first-steps' pinned for 'ep-1' is the slug of "
        "content/episodes/002.md (rename one of them)"]


def podsite(project: Path, *args: str):
    return subprocess.run([str(BIN / "podsite"), *args, "-f", str(project / "mkdocs.yml")],
                          capture_output=True, text=True, timeout=120)


def test_pin_then_rename_end_to_end(project):
    """The maintainer's path: pin, edit a title, rename a URL; old links keep working."""
    (project / URLS).unlink()
    result = podsite(project, "pin")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("content/urls.yml: 9 episode URL(s) pinned, 0 renamed (the old URL "
                             "redirects), 0 unchanged\n")
    assert "sbs-2026-003: speaking-up-in-the-meeting\n" in (project / URLS).read_text()
    assert podsite(project, "pin").stdout == ("content/urls.yml: all 9 episode URLs already pinned; "
                                              "nothing to do\n")

    edit(project / "content/feed.xml", "<title>Speaking up in the meeting</title>",
         "<title>Speaking up when it matters</title>")
    edit(project / "content/episodes/004-resilience.md", "episode: 4\n",
         "episode: 4\nslug: bouncing-forward\n")
    result = podsite(project, "pin")
    assert result.stdout == ("content/urls.yml: 0 episode URL(s) pinned, 1 renamed (the old URL "
                             "redirects), 8 unchanged\n")
    pins = (project / URLS).read_text()
    assert "sbs-2026-004: [bouncing-forward, resilience-is-not-bouncing-back]\n" in pins
    assert "sbs-2026-003: speaking-up-in-the-meeting\n" in pins

    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert "Speaking up when it matters" in (site / "episodes/speaking-up-in-the-meeting/index.html").read_text()
    assert (site / "episodes/bouncing-forward/index.html").is_file()
    moved = (site / "episodes/resilience-is-not-bouncing-back/index.html").read_text()
    target = re.search(r'content="0; url=([^"]+)"', moved).group(1)
    assert (site / "episodes/resilience-is-not-bouncing-back" / target / "index.html").resolve() == \
        (site / "episodes/bouncing-forward/index.html").resolve()


def test_pin_refuses_while_content_has_errors(project):
    edit(project / URLS, "sbs-2026-001: why-a-change-journey-needs-virtues",
         "sbs-2026-001: Why Virtues")
    before = (project / URLS).read_text()
    result = podsite(project, "pin")
    assert result.returncode == 1
    assert result.stderr == ("error: content/urls.yml:6: 'Why Virtues' is not a slug (use lower-case "
                             "letters, digits and single hyphens, e.g. 'building-alliances')\n"
                             "Error: nothing pinned: fix the error(s) above first (content/urls.yml "
                             "was left as it was)\n")
    assert (project / URLS).read_text() == before

