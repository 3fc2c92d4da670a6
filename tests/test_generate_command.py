"""`podsite generate` end to end: plain files in docs_dir that MkDocs without the plugin, the
plugin itself, and Zensical all build, with every episode page and every link."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import feedparser
import pytest
from conftest import BIN, ROOT, edit, mkdocs, search_pages, without_people_or_transcripts

from generator.commands.generate import MANIFEST
from generator.site.rawhtml import inline

GOLDEN = ROOT / "tests" / "golden" / "sample"


def podsite(project: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PODCAST_FEED"}
    return subprocess.run([str(BIN / "podsite"), *args], cwd=project, env=env,
                          capture_output=True, text=True, timeout=120)


def feed_titles(project: Path) -> set[str]:
    return {entry.title for entry in feedparser.parse(str(project / "content/feed.xml")).entries}


def test_generate_writes_the_plugins_pages_into_docs_dir(project):
    result = podsite(project, "generate")
    assert result.returncode == 0, result.stderr
    docs = project / "content/pages"
    owned = json.loads((docs / MANIFEST).read_text())["files"]
    assert result.stdout == (f"content/pages/: {len(owned)} written, 0 unchanged, 0 deleted "
                             f"({len(owned)} files listed in {MANIFEST})\n")
    golden = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md"))
    assert sorted(p for p in owned if p.endswith(".md")) == golden
    for path in golden:  # the very pages the plugin serves, raw HTML left inline (rawhtml.py)
        assert (docs / path).read_text(encoding="utf-8") == inline((GOLDEN / path).read_text(encoding="utf-8"))
    assert sorted(p for p in owned if p.endswith(".pdf")) == sorted(
        f"worksheets/{v}-{size}.pdf" for v in ("alliances", "courage", "curiosity", "resilience")
        for size in ("a4", "letter"))
    assert (docs / "about.md").read_bytes() == (ROOT / "content/pages/about.md").read_bytes()

    again = podsite(project, "generate")
    assert again.stdout == (f"content/pages/: 0 written, {len(owned)} unchanged, 0 deleted "
                            f"({len(owned)} files listed in {MANIFEST})\n")


def test_mkdocs_without_the_plugin_builds_the_generated_files_with_no_broken_link(project):
    assert podsite(project, "generate").returncode == 0
    config = (project / "mkdocs.yml").read_text()
    start, end = config.index("  - podsite:"), config.index("\n\n", config.index("  - podsite:")) + 1
    (project / "plain.yml").write_text(config[:start] + config[end:])
    assert "podsite" not in (project / "plain.yml").read_text().split("plugins:")[1].split("nav:")[0]

    result = mkdocs(project, "build", "--strict", "-f", "plain.yml")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    episodes = {p.parent.name for p in (project / "site/episodes").glob("*/index.html")}
    assert len(episodes) == len(feed_titles(project)) == 9


def test_the_plugin_still_builds_a_project_that_holds_generated_files(project):
    """The plugin serves its own fresh pages in place of `podsite generate`'s copies: no clash."""
    assert podsite(project, "generate").returncode == 0
    stale = project / "content/pages/episodes/speaking-up-in-the-meeting.md"
    edit(project / "content/episodes/003-speaking-up.md", "Raising a concern", "Voicing a concern")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    page = (project / "site/episodes/speaking-up-in-the-meeting/index.html").read_text()
    assert "Voicing a concern" in page and "Raising a concern" in stale.read_text()


def test_generate_refuses_on_content_errors_and_writes_nothing(project):
    edit(project / "content/episodes/007-building-alliances.md", "virtues: [alliances]",
         "virtues: [alliance]")
    result = podsite(project, "generate")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "error: content/episodes/007-building-alliances.md:3: unknown virtue 'alliance' "
        "(known: alliances, courage, curiosity, resilience)\n"
        "info: content/feed.xml:19: episode 'Questions worth asking your sceptics' has no show notes "
        "(`podsite new 9` starts them in content/episodes/009-questions-worth-asking-your-sceptics.md)\n"
        "nothing was written\n")
    assert sorted(os.listdir(project / "content/pages")) == ["about.md", "feed.xml", "media", "support.md"]


def test_generate_refuses_an_output_folder_among_the_sources(project):
    result = podsite(project, "generate", "--out", "content/episodes")
    assert result.returncode == 1
    assert result.stderr == (
        "error: content/episodes: output folder overlaps notes_dir (content/episodes); generated "
        "pages would mix with sources (choose another --out)\nnothing was written\n")


def test_zensical_builds_and_finds_every_episode(project):
    pytest.importorskip("zensical", reason="Zensical is not installed (pip install 'podsite[zensical]')")
    assert podsite(project, "generate").returncode == 0
    result = subprocess.run([str(BIN / "zensical"), "build", "--strict"], cwd=project,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr  # --strict: no broken link either

    # Zensical writes its search index to site/search.json: {"config": ..., "items": [...]}, one
    # item per page (level 1, location = the page's URL) and one per section.
    items = json.loads((project / "site/search.json").read_text())["items"]
    pages = {i["location"]: i["title"] for i in items if i["level"] == 1}
    episodes = {loc: title for loc, title in pages.items()
                if loc.startswith("episodes/") and loc != "episodes/"}
    assert sorted(episodes.values()) == sorted(feed_titles(project))
    generated = sorted(p.stem for p in (project / "content/pages/episodes").glob("*.md") if p.stem != "index")
    assert sorted(loc.split("/")[1] for loc in episodes) == generated
    for location in episodes:
        assert (project / "site" / location / "index.html").is_file()
    assert not list((project / "site").rglob(MANIFEST))  # Zensical skips dot files

    # Zensical runs no plugins: `podsite index` gives the site podsite's search (the header's box
    # comes from the theme override)
    indexed = podsite(project, "index", "site")
    assert indexed.returncode == 0, indexed.stderr
    assert indexed.stdout.startswith("site/pagefind/: search index: 26 pages, ")
    titles = {page["meta"]["title"] for url, page in search_pages(project / "site").items()
              if url.startswith("/episodes/")}
    assert titles == set(feed_titles(project))
    assert 'data-podsite-search' in (project / "site/index.html").read_text()


def test_generate_warns_of_nav_entries_for_sections_the_show_does_not_have(project):
    without_people_or_transcripts(project)
    result = podsite(project, "generate")
    assert result.returncode == 0, result.stderr
    assert not (project / "content/pages/people/index.md").exists()
    assert [line for line in result.stderr.splitlines() if line.startswith("warning:")] == [
        "warning: mkdocs.yml: nav entry 'People' points at people/index.md, which podsite writes once "
        "the show has hosts or guests (podcast:person in the feed, or people: in a note's front matter); "
        "other builders would show a broken link (take the entry out of the nav until then)",
        "warning: mkdocs.yml: nav entry 'Transcripts' points at transcripts/index.md, which podsite writes "
        "once the show has transcripts (podcast:transcript in the feed, or a transcript file beside a "
        "note); other builders would show a broken link (take the entry out of the nav until then)"]
    strict = podsite(project, "generate", "--strict")
    assert strict.returncode == 1 and strict.stderr.endswith(
        "error: content/pages: 2 warning(s) in strict mode; nothing was written (fix them, or leave "
        "out --strict)\nnothing was written\n")
    edit(project / "mkdocs.yml", "  - People: people/index.md\n", "")
    edit(project / "mkdocs.yml", "  - Transcripts: transcripts/index.md\n", "")
    assert "warning:" not in podsite(project, "generate").stderr
