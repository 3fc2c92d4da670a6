"""Golden copy of every generated page for the sample content. Regenerate with --update-golden."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from mkdocs.config import load_config

from generator.build import Settings, generate
from generator.config import settings_from

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "sample"


@pytest.fixture(scope="module")
def sample_pages() -> dict[str, str]:
    """The pages of the sample project as its mkdocs.yml configures them (no caches)."""
    with pytest.MonkeyPatch.context() as env:
        for name in ("PODCAST_FEED", "PODCAST_OFFLINE", "PODCAST_FEED_FORCE"):
            env.delenv(name, raising=False)
        config = load_config(str(ROOT / "mkdocs.yml"))
        settings = settings_from(config.plugins["podsite"].config, config.config_file_path,
                                 config.use_directory_urls, site_url=config.site_url)
    pages, report = generate(replace(settings, cache_dir=""))
    assert not report.errors
    return pages


def test_generated_file_set_matches_golden(sample_pages, update_golden):
    # Golden copies are of the Markdown pages; the worksheet PDFs are read back in test_worksheet_pdf.py.
    sample_pages = {path: text for path, text in sample_pages.items() if path.endswith(".md")}
    if update_golden:
        for old in GOLDEN.rglob("*.md"):
            old.unlink()
        for path, text in sample_pages.items():
            target = GOLDEN / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    golden = sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md"))
    assert sorted(sample_pages) == golden


@pytest.mark.parametrize("path", sorted(p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")))
def test_generated_page_matches_golden(sample_pages, path):
    assert sample_pages.get(path) == (GOLDEN / path).read_text(encoding="utf-8")


def test_same_input_gives_same_output():
    first, _ = generate(Settings(root=ROOT, feed="content/feed.xml"))
    second, _ = generate(Settings(root=ROOT, feed="content/feed.xml"))
    assert first == second
    assert not any((str(ROOT) if isinstance(text, str) else str(ROOT).encode()) in text
                   for text in first.values()), "absolute paths leaked"


@pytest.mark.parametrize("path", ["../escape.md", "/abs.md", "a/../../b.md", "a//b.md", "a\\b.md",
                                  "c:/x.md", "dir/"])
def test_generated_paths_cannot_leave_the_site(path):
    from generator.site.render import PathError, SiteFiles
    with pytest.raises(PathError, match="not a plain relative path"):
        SiteFiles().add(path, "x")


def test_a_generated_path_cannot_be_written_twice():
    from generator.site.render import PathError, SiteFiles
    files = SiteFiles()
    files.add("episodes/a.md", "one")
    with pytest.raises(PathError, match="two generated files want the same path 'episodes/a.md'"):
        files.add("episodes/a.md", "two")
