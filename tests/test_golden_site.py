"""Golden copy of every generated page for the sample content. Regenerate with --update-golden."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import Settings, generate

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "sample"


@pytest.fixture(scope="module")
def sample_pages() -> dict[str, str]:
    pages, report = generate(Settings(root=ROOT, feed="content/feed.xml"))
    assert not report.errors
    return pages


def test_generated_file_set_matches_golden(sample_pages, update_golden):
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
    assert not any(str(ROOT) in text for text in first.values()), "absolute paths leaked"
