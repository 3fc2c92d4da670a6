"""The reference tables in README.md are the ones the code makes (generator/commands/configdoc.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.commands import configdoc
from generator.config import PodsiteConfig
from generator.sources import notes, worksheets

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_tables_are_up_to_date():
    text = README.read_text(encoding="utf-8")
    assert text == configdoc.with_tables(text), \
        "README.md is out of date: run .venv/bin/python -m generator.commands.configdoc README.md"


@pytest.mark.parametrize("block, keys", [
    ("config", [name for name, _ in PodsiteConfig._schema]),
    ("front-matter", notes.NOTE_KEYS),
    ("worksheet", worksheets.WORKSHEET_KEYS),
])
def test_every_key_has_a_row(block, keys):
    table = configdoc.BLOCKS[block]()
    rows = {line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| `")}
    assert {f"`{key}`" for key in keys} <= rows


def test_a_changed_docstring_shows_in_the_table(tmp_path):
    stale = README.read_text(encoding="utf-8").replace(
        "Episodes per page of the episode list", "Episodes per list page")
    assert "Episodes per list page" not in configdoc.with_tables(stale)


def test_the_command_rewrites_a_file(tmp_path):
    path = tmp_path / "README.md"
    path.write_text("intro\n" + "".join(f"{configdoc.start_marker(n)}\nOLD-TEXT\n{configdoc.end_marker(n)}\n"
                                        for n in configdoc.BLOCKS))
    assert configdoc.main([str(path)]) == 0
    text = path.read_text()
    assert "OLD-TEXT" not in text and "| `feed_url` | text | `content/feed.xml` |" in text
