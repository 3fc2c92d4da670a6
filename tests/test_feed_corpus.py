"""Every feed in ../shared/feeds/ either yields episodes or is rejected with our own error."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.errors import Report
from generator.ingest.feed import parse_feed

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "feeds"
NOT_FEEDS = {"README.md", "LICENSE", "MANIFEST", "MANIFEST.md"}


def corpus_folders() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if p.is_dir())


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"feed corpus not found at {CORPUS}")
@pytest.mark.parametrize("folder", corpus_folders(), ids=lambda p: p.name)
def test_every_feed_is_ingested_or_rejected_clearly(folder: Path):
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in NOT_FEEDS)
    assert files, f"{folder} holds no feeds"
    ingested, rejected = [], []
    for path in files:
        source = f"{folder.name}/{path.relative_to(folder)}"
        report = Report()
        feed = parse_feed(path.read_bytes(), source, report)  # any exception fails the test
        if feed is not None and feed.episodes:
            assert not report.errors, [str(p) for p in report.errors]
            ingested.append(source)
        else:
            assert report.errors, f"{source}: rejected without saying why"
            assert all(str(p).startswith(source) for p in report.errors)
            rejected.append((source, str(report.errors[0])))
    print(f"\n{folder.name}: {len(ingested)} ingested, {len(rejected)} rejected")
    for source, reason in rejected:
        print(f"  rejected {reason}")
