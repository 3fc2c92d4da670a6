"""The site search's index (Pagefind, generator/site/search_index.py) as a maintainer meets it:
built by every `mkdocs build` from what the site is now, a failure that stops the build and keeps
the old site, `search: false`, Material's search plugin left on, and `podsite index`."""

from __future__ import annotations

import gzip
import json
import logging
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import edit, mkdocs

from generator.commands.cli import main
from generator.site import search_index


def indexed(site: Path) -> dict[str, str]:
    """url -> the words Pagefind keeps of that page (its fragment files: gzip, JSON)."""
    pages = {}
    for fragment in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        page = json.loads(data[data.index(b"{"):])
        pages[page["url"]] = page["content"]
    return pages


NOTE = "content/episodes/003-speaking-up.md"
PAGE = "/episodes/speaking-up-in-the-meeting/"


def test_each_build_indexes_the_site_as_it_is_and_a_failed_index_keeps_the_old_site(
        project, monkeypatch, caplog, tmp_path):
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "podsite: search index: 26 pages" in result.stderr
    before = indexed(project / "site")
    assert "zanzibar" not in before[PAGE].lower()

    (project / NOTE).write_text((project / NOTE).read_text() + "\nWe once met in Zanzibar.\n")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    after = indexed(project / "site")
    assert "Zanzibar" in after[PAGE] and after.keys() == before.keys()

    # nothing changed: the same index (the last site's, moved into the new one), the cache whole
    def files(folder):
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    index_files = files(project / "site" / "pagefind")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert files(project / "site" / "pagefind") == index_files == files(project / ".cache/podsite/search/pagefind")
    assert indexed(project / "site") == after

    # An indexer that fails: the build stops, naming the cause, and site/ stays as it was.
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\necho 'Running Pagefind'\necho 'Error: No space left on device' >&2\nexit 1\n")
    failing.chmod(0o755)
    monkeypatch.setattr(search_index, "find_pagefind", lambda: failing)
    edit(project / NOTE, "Zanzibar", "Timbuktu")
    monkeypatch.chdir(project)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(load_config(str(project / "mkdocs.yml")))
    assert ("podsite: 1 problem stopped the build (site/ was left as it was):\nsite/: the search index "
            "could not be built; Pagefind says: Error: No space left on device (check that the folder "
            "holds the built site's HTML pages; or turn site search off with 'search: false' under "
            "the podsite plugin in mkdocs.yml)") in caplog.text
    assert "Zanzibar" in indexed(project / "site")[PAGE]
    assert "Zanzibar" in (project / "site" / PAGE.strip("/") / "index.html").read_text()
    assert not (project / "site.podsite-new").exists()


def test_search_false_and_materials_search_plugin(project):
    config = project / "mkdocs.yml"
    text = config.read_text()
    edit(config, "\nplugins:\n", "\nplugins:\n  - search\n")
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    assert ("WARNING -  podsite: mkdocs.yml: Material's search plugin is on beside podsite's site "
            "search, which replaces it (take '- search' out of 'plugins:'; or set 'search: false' "
            "under podsite to keep Material's)") in result.stderr
    assert result.stderr.count("Material's search plugin is on") == 1
    home = (project / "site" / "index.html").read_text()
    assert "data-podsite-search" in home and 'data-md-component="search"' not in home
    material = material_config(home)  # what only Material's search reads is left out
    assert "search" not in material and material["base"] == "." and material["features"]
    assert set(material["translations"]) == {"clipboard.copy", "clipboard.copied", "select.version"}

    config.write_text(text.replace("\nplugins:\n", "\nplugins:\n  - search\n").replace(
        "  - podsite:\n", "  - podsite:\n      search: false\n"))
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert not (site / "pagefind").exists() and (site / "search" / "search_index.json").is_file()
    home = (site / "index.html").read_text()
    assert "data-podsite-search" not in home and 'data-md-component="search"' in home
    assert "data-pagefind-body" not in home
    material = material_config(home)  # Material's search has what it reads
    assert material["search"].startswith("assets/javascripts/workers/search.")
    assert "search.result.none" in material["translations"]


def material_config(page: str) -> dict:
    found = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def test_podsite_index_indexes_a_built_site(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text('<html lang="en"><body><main data-pagefind-body>'
                                           '<h1>Walk and talk</h1></main></body></html>')
    (site / "404.html").write_text('<html lang="en"><body><h1>Not found</h1></body></html>')
    runner = CliRunner()
    result = runner.invoke(main, ["index", str(site)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"{site}/pagefind/: search index: 1 pages, ")
    assert set(indexed(site)) == {"/a/"}  # the 404 page has no data-pagefind-body

    (site / "a" / "index.html").write_text('<html lang="en"><body><main data-pagefind-body>'
                                           '<h1>Sit and think</h1></main></body></html>')
    assert runner.invoke(main, ["index", str(site)]).exit_code == 0
    assert list(indexed(site).values()) == ["Sit and think."]  # rebuilt, nothing stale kept

    result = runner.invoke(main, ["index", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert result.stderr == (f"error: {tmp_path}/nothing/: cannot build the search index: no such "
                             "folder (build the site first)\n")


def page_html(body: str, marked: bool = True) -> str:
    attribute = " data-pagefind-body" if marked else ""
    return f"<!doctype html><html lang=en><body><div{attribute}>{body}</div></body></html>"


TRANSCRIPT_PAGE = ("<p>Back to the episode</p><!-- podsite-transcript --><div class=podsite-transcript>"
                   "<p><a id=p-1>0:00</a> Said {word}.</p></div><!-- /podsite-transcript --><p>After</p>")


@pytest.mark.parametrize(("episode", "transcript", "url", "found"), [
    # the mark names the transcript page as the templates write it...
    ("episodes/a/index.html", "transcripts/a/index.html", "../../transcripts/a/", True),
    ("episodes/a.html", "transcripts/a.html", "../transcripts/a.html", True),  # use_directory_urls: false
    ("episodes/a/index.html", "transcripts/a/index.html", "../../transcripts/a/#top", True),
    ("episodes/a/index.html", "transcripts/a b/index.html", "../../transcripts/a%20b/", True),
    ("episodes/a/index.html", "transcripts/a&b/index.html", "../../transcripts/a&amp;b/", True),
    # ...or anything else, which adds nothing and never fails the index
    ("episodes/a/index.html", "transcripts/a/index.html", "../../transcripts/missing/", False),
    ("episodes/a/index.html", "transcripts/a/index.html", "", False),
    ("episodes/a/index.html", "transcripts/a/index.html", "/transcripts/a/", False),
    ("episodes/a/index.html", "transcripts/a/index.html", "https://example.org/transcripts/a/", False),
    ("episodes/a/index.html", "transcripts/a/index.html", "../../../outside/", False),
])
def test_an_episode_record_holds_its_transcripts_paragraphs(tmp_path, episode, transcript, url, found):
    site = tmp_path / "site"
    for path, text in ((episode, page_html(f'<h1>Ep</h1><div data-podsite-index-transcript="{url}" hidden></div>')),
                       (transcript, page_html(TRANSCRIPT_PAGE.format(word="heroic"), marked=False)),
                       ("about/index.html", page_html("About us")),
                       ("404.html", page_html("Not found", marked=False))):
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "index.html").write_text(TRANSCRIPT_PAGE.format(word="secret"))
    source = tmp_path / "src" / "pages-0"
    assert search_index._index_source(site.resolve(), tmp_path / "src", None) == [source]
    # only the pages marked for the index, laid out as in the site
    assert sorted(p.relative_to(source).as_posix() for p in source.rglob("*.html")) == sorted(
        ["about/index.html", episode])
    record = (source / episode).read_text()
    assert "data-podsite-index-transcript" not in record
    assert ("Said heroic." in record) is found and '<span id="podsite-transcript">' in record or not found
    assert "Back to the episode" not in record and "After" not in record and "secret" not in record
    # what comes before the marked element is left out, but the language
    assert (source / "about" / "index.html").read_text() == (
        '<!DOCTYPE html>\n<html lang=en><head><meta charset="utf-8"></head><body>\n'
        '<div data-pagefind-body>About us</div></body></html>')


def test_a_site_without_marked_pages_is_indexed_whole(tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text(page_html("A", marked=False))
    (site / "index.html").write_text(page_html("Home", marked=False))
    (site / "pagefind").mkdir()
    (site / "pagefind" / "x.html").write_text("the index's own")
    [part] = search_index._index_source(site, tmp_path / "src", None)
    assert sorted(p.relative_to(part).as_posix() for p in part.rglob("*.html")) == ["a/index.html", "index.html"]
