"""`podsite generate`'s writer: only changed files, its own stale files deleted, nobody else's touched."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from generator.commands.generate import MANIFEST, export_pages
from generator.errors import Report

PAGES = {
    "index.md": "# Home\n",
    "episodes/one.md": "# One\n",
    "episodes/two.md": "# Two\n",
    "worksheets/one-a4.pdf": b"%PDF-1.7\n\x00\xff binary\r\n",
}


def run(out: Path, pages=PAGES):
    report = Report()
    result = export_pages(pages, out, "docs", report)
    return result, [str(p) for p in report.problems]


def snapshot(out: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `out` with its bytes and modification time (ns)."""
    return {p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(out.rglob("*")) if p.is_file()}


def manifest(out: Path) -> dict[str, str]:
    return json.loads((out / MANIFEST).read_text())["files"]


def test_first_run_writes_every_page_byte_for_byte_and_lists_it(tmp_path):
    result, problems = run(tmp_path)
    assert problems == []
    assert result.written == tuple(PAGES) and result.unchanged == () and result.deleted == ()
    assert (tmp_path / "episodes/one.md").read_bytes() == b"# One\n"
    assert (tmp_path / "worksheets/one-a4.pdf").read_bytes() == PAGES["worksheets/one-a4.pdf"]
    assert sorted(manifest(tmp_path)) == sorted(PAGES)
    assert not [p for p in tmp_path.rglob("*podsite-tmp*")]
    assert result.summary() == f"docs/: 4 written, 0 unchanged, 0 deleted (4 files listed in {MANIFEST})"


def test_second_run_writes_nothing(tmp_path):
    run(tmp_path)
    before = snapshot(tmp_path)
    result, problems = run(tmp_path)
    assert problems == []
    assert result.written == () and result.deleted == () and result.unchanged == tuple(PAGES)
    assert snapshot(tmp_path) == before  # same bytes, same time stamps, manifest included


def test_changed_page_is_rewritten_and_only_it(tmp_path):
    run(tmp_path)
    before = snapshot(tmp_path)
    result, problems = run(tmp_path, {**PAGES, "episodes/two.md": "# Two, corrected\n"})
    assert problems == []
    assert result.written == ("episodes/two.md",)
    after = snapshot(tmp_path)
    assert after["episodes/two.md"][0] == b"# Two, corrected\n"
    assert {p: v for p, v in after.items() if p not in ("episodes/two.md", MANIFEST)} == \
        {p: v for p, v in before.items() if p not in ("episodes/two.md", MANIFEST)}


def test_removed_pages_files_are_deleted_with_their_empty_folder(tmp_path):
    run(tmp_path)
    pages = {p: c for p, c in PAGES.items() if p not in ("episodes/two.md", "worksheets/one-a4.pdf")}
    result, problems = run(tmp_path, pages)
    assert problems == []
    assert result.deleted == ("episodes/two.md", "worksheets/one-a4.pdf")
    assert not (tmp_path / "episodes/two.md").exists()
    assert not (tmp_path / "worksheets").exists()  # emptied by podsite: removed
    assert sorted(manifest(tmp_path)) == ["episodes/one.md", "index.md"]
    result, _ = run(tmp_path, pages)
    assert result.deleted == () and result.written == ()


def test_foreign_files_are_never_touched(tmp_path):
    (tmp_path / "episodes").mkdir()
    (tmp_path / "about.md").write_text("# About, by hand\n")
    (tmp_path / "episodes/extra.md").write_text("# Mine\n")
    run(tmp_path)
    foreign = {p: v for p, v in snapshot(tmp_path).items() if p in ("about.md", "episodes/extra.md")}
    run(tmp_path, {**PAGES, "episodes/one.md": "# One, changed\n"})
    result, problems = run(tmp_path, {"index.md": "# Home\n"})  # every episode removed
    assert problems == []
    assert "episodes/extra.md" not in result.deleted
    after = snapshot(tmp_path)
    assert {p: after[p] for p in foreign} == foreign
    assert sorted(after) == [MANIFEST, "about.md", "episodes/extra.md", "index.md"]
    assert "about.md" not in manifest(tmp_path)


def test_a_file_podsite_did_not_write_blocks_the_run_and_nothing_is_written(tmp_path):
    (tmp_path / "episodes").mkdir()
    (tmp_path / "episodes/two.md").write_text("# Two, written by a person\n")
    result, problems = run(tmp_path)
    assert result is None
    assert problems == ["docs/episodes/two.md: exists and was not written by podsite generate; "
                        "refusing to overwrite it (move or rename it, or choose another --out)"]
    assert sorted(snapshot(tmp_path)) == ["episodes/two.md"]  # no other page, no manifest
    assert (tmp_path / "episodes/two.md").read_text() == "# Two, written by a person\n"


def test_a_file_that_already_holds_the_page_is_adopted(tmp_path):
    """How a run that stopped before writing its manifest recovers."""
    (tmp_path / "episodes").mkdir()
    (tmp_path / "episodes/two.md").write_text("# Two\n")
    result, problems = run(tmp_path)
    assert problems == []
    assert "episodes/two.md" in result.unchanged and "episodes/two.md" in manifest(tmp_path)


def test_hand_edited_generated_file_is_neither_overwritten_nor_deleted(tmp_path):
    run(tmp_path)
    (tmp_path / "episodes/one.md").write_text("# One, improved by hand\n")
    (tmp_path / "episodes/two.md").write_text("# Two, improved by hand\n")
    pages = {**{p: c for p, c in PAGES.items() if p != "episodes/two.md"},
             "episodes/one.md": "# One, from a new feed\n"}
    before = snapshot(tmp_path)
    result, problems = run(tmp_path, pages)
    assert result is None
    assert problems == [
        "docs/episodes/one.md: changed since podsite generate wrote it; refusing to overwrite the "
        "change (put it in the sources under content/ or templates/, then delete this file)",
        "docs/episodes/two.md: is no longer generated but changed since podsite generate wrote it; "
        "refusing to delete it (keep it by moving it elsewhere, or delete it yourself)",
    ]
    assert snapshot(tmp_path) == before


def test_a_file_where_a_folder_is_needed_blocks_the_run(tmp_path):
    (tmp_path / "episodes").write_text("not a folder")
    result, problems = run(tmp_path)
    assert result is None
    assert problems == [
        f"docs/episodes/{name}.md: docs/episodes is a file or a symlink, not a folder "
        "(move it away, or choose another --out)" for name in ("one", "two")]
    assert sorted(snapshot(tmp_path)) == ["episodes"]


@pytest.mark.parametrize("text", [
    "{not json",
    json.dumps({"format": 1, "files": {"../outside.md": "0" * 64}}),
    json.dumps({"format": 1, "files": {"/etc/passwd": "0" * 64}}),
    json.dumps({"format": 99, "files": {}}),
])
def test_a_damaged_or_hostile_manifest_stops_the_run_before_any_deletion(tmp_path, text):
    out = tmp_path / "docs"
    out.mkdir()
    (tmp_path / "outside.md").write_text("keep me")
    (out / MANIFEST).write_text(text)
    result, problems = run(out)
    assert result is None
    assert len(problems) == 1 and problems[0].startswith(f"docs/{MANIFEST}: ")
    assert problems[0].endswith("(delete the files podsite generated and this manifest, then run again)")
    assert (tmp_path / "outside.md").read_text() == "keep me"
    assert sorted(os.listdir(out)) == [MANIFEST]
