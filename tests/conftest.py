"""Shared fixtures: a throw-away copy of the sample project, and ways to run it for real."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files from the current output (review the diff!)")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory) -> Path:
    """One worksheet-PDF cache for every project copy of a test run (each PDF is rendered once)."""
    return tmp_path_factory.mktemp("podsite-cache")


@pytest.fixture
def project(tmp_path: Path, shared_cache: Path) -> Path:
    """A copy of the sample project (mkdocs.yml, content/, templates/) in a temp folder."""
    return copy_sample(tmp_path / "project", shared_cache)


def copy_sample(dest: Path, shared_cache: Path) -> Path:
    """The sample project (mkdocs.yml, content/, templates/) copied to `dest`, which must not exist
    yet, with the session's shared parse cache."""
    dest.mkdir()
    (dest / ".cache").mkdir()
    (dest / ".cache" / "podsite").symlink_to(shared_cache, target_is_directory=True)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("content", "templates"):
        shutil.copytree(ROOT / folder, dest / folder)
    return dest


def mkdocs(project: Path, *args: str, env: dict | None = None, timeout: int = 120):
    """Run the real `mkdocs` command in `project`; returns the CompletedProcess."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    full_env.pop("PODCAST_FEED", None) if "PODCAST_FEED" not in (env or {}) else None
    return subprocess.run([str(BIN / "mkdocs"), *args], cwd=project, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def without_people_or_transcripts(project: Path) -> None:
    """Take the people and transcripts out of the sample's notes, as most real shows have neither."""
    for note in (project / "content/episodes").glob("*.md"):
        text = note.read_text(encoding="utf-8")
        text = re.sub(r"^people:\n(?:  - .*\n)+", "", text, flags=re.M)
        note.write_text(re.sub(r"^transcript:.*\n", "", text, flags=re.M), encoding="utf-8")
    for transcript in (project / "content/episodes").glob("*.vtt"):
        transcript.unlink()


def search_pages(site: Path) -> dict[str, dict]:
    """url -> what the site search (Pagefind) keeps of that page: its `content` (the words),
    `meta` (title, kind...) and `filters`, read from the index's fragment files (gzip, JSON)."""
    import gzip
    import json
    pages = {}
    for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        page = json.loads(data[data.index(b"{"):])
        pages[page["url"]] = page
    return pages
