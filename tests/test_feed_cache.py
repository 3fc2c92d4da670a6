"""The parsed-feed cache: a hit gives the same records, anything else is a quiet miss."""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

import jinja2
import pytest
from conftest import ROOT

from generator.build import Settings, build_site
from generator.errors import Report
from generator.ingest import cache
from generator.ingest.cache import Entry, cache_key, entry_path, parse_feed_cached
from generator.ingest.feed import parse_feed
from generator.sources.files import Sources

ROOT = Path(__file__).resolve().parent.parent
SOURCE = "content/feed.xml"
FEED = (ROOT / SOURCE).read_bytes()


def fresh(data: bytes = FEED):
    report = Report()
    return parse_feed(data, SOURCE, report), report.problems


def cached(data: bytes, cache_dir: Path):
    report = Report()
    return parse_feed_cached(data, SOURCE, report, cache_dir), report.problems


@pytest.fixture(params=["here", "apart"])
def where(request, monkeypatch):
    """Each parse test twice: parsed in this process, and in a child process (as a large feed is)."""
    monkeypatch.setattr(cache, "PARSE_APART_BYTES", 0 if request.param == "apart" else 1 << 40)
    return request.param


def test_hit_returns_the_records_of_a_fresh_parse_with_their_lines(tmp_path, where):
    first, _ = cached(FEED, tmp_path)
    assert entry_path(tmp_path, SOURCE).is_file()
    second, problems = cached(FEED, tmp_path)
    expected, _ = fresh()
    assert second == first == expected
    assert [e.origin for e in second.episodes] == [e.origin for e in expected.episodes]
    assert second.podcast.origin == expected.podcast.origin
    assert problems == []


def test_hit_is_served_from_the_cache_file(tmp_path, where):
    # Plant an entry for these exact bytes with a different title: a hit must return it.
    parsed, _ = fresh()
    planted = replace(parsed, podcast=replace(parsed.podcast, title="From the cache"))
    path = entry_path(tmp_path, SOURCE)
    path.write_bytes(pickle.dumps(Entry(cache_key(FEED, SOURCE), planted, ())))
    result, _ = cached(FEED, tmp_path)
    assert result.podcast.title == "From the cache"


def test_changed_bytes_miss_and_replace_the_entry(tmp_path, where):
    cached(FEED, tmp_path)
    changed = FEED.replace(b"Questions worth asking your sceptics", b"Questions for sceptics")
    result, _ = cached(changed, tmp_path)
    assert result == fresh(changed)[0]
    assert result.episodes[0].title == "Questions for sceptics"
    assert [p.name for p in tmp_path.iterdir()] == [entry_path(tmp_path, SOURCE).name]


def test_entry_of_another_parser_version_is_a_miss(tmp_path, where):
    parsed, _ = fresh()
    planted = replace(parsed, podcast=replace(parsed.podcast, title="Stale"))
    entry_path(tmp_path, SOURCE).write_bytes(pickle.dumps(Entry("an older key", planted, ())))
    result, _ = cached(FEED, tmp_path)
    assert result.podcast.title == "Small Brave Steps"


def test_corrupt_entries_are_ignored_and_rewritten(tmp_path, where):
    path = entry_path(tmp_path, SOURCE)
    for garbage in (b"", b"not a pickle", pickle.dumps({"feed": "a dict"}),
                    pickle.dumps(Entry(cache_key(FEED, SOURCE), "not a feed", ()))[:-1]):
        path.write_bytes(garbage)
        result, problems = cached(FEED, tmp_path)
        assert result == fresh()[0]
        assert problems == []
        assert cached(FEED, tmp_path)[0] == result  # the entry was rewritten and now hits


def test_problems_found_while_parsing_are_reported_again_on_a_hit(tmp_path, where):
    broken = FEED.replace(b"</channel>", b"<oops></channel>")
    _, first = cached(broken, tmp_path)
    _, again = cached(broken, tmp_path)
    assert first == fresh(broken)[1]
    assert [str(p) for p in first] and [str(p) for p in again] == [str(p) for p in first]


def test_unwritable_cache_folder_is_skipped(tmp_path, where):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    result, problems = cached(FEED, blocker / "cache")
    assert result == fresh()[0]
    assert problems == []


def test_a_feed_parsed_apart_is_read_from_the_entry_the_child_wrote(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "PARSE_APART_BYTES", len(FEED))

    def not_here(*args, **kwargs):
        raise AssertionError("parsed in the build's own process")

    monkeypatch.setattr(cache.feed, "parse_feed", not_here)  # the child has its own module
    result, problems = cached(FEED, tmp_path)
    monkeypatch.undo()
    assert result == fresh()[0] and problems == []
    assert [e.origin for e in result.episodes] == [e.origin for e in fresh()[0].episodes]


@pytest.mark.parametrize("data", [b"", b"<html><body>not a feed</body></html>", b"\xff\xfe\x00garbage",
                                  FEED.replace(b"</channel>", b"<oops></channel>")[:-200]])
def test_what_the_child_cannot_make_a_feed_of_is_reported_as_a_parse_here_would(tmp_path, monkeypatch, data):
    monkeypatch.setattr(cache, "PARSE_APART_BYTES", 0)
    result, problems = cached(data, tmp_path)
    expected, expected_problems = fresh(data)
    assert result == expected and [str(p) for p in problems] == [str(p) for p in expected_problems]
    assert problems  # each of them has something to say


@pytest.mark.parametrize("how", ["no executable", "executable fails", "cannot write the entry"])
def test_when_the_child_cannot_parse_the_build_parses_here(tmp_path, monkeypatch, how):
    monkeypatch.setattr(cache, "PARSE_APART_BYTES", 0)
    folder = tmp_path / "cache"
    if how == "no executable":
        monkeypatch.setattr(cache.sys, "executable", "")
    elif how == "executable fails":
        monkeypatch.setattr(cache.sys, "executable", str(tmp_path / "no-such-python"))
    else:
        folder = tmp_path / "file"
        folder.write_text("a file where the cache folder should be")
        assert not cache._parse_apart(FEED, SOURCE, "", entry_path(folder, SOURCE), cache_key(FEED, SOURCE))
    result, problems = cached(FEED, folder)
    assert result == fresh()[0] and problems == []


def test_build_uses_the_cache_dir_of_its_settings(tmp_path):
    sources = Sources(FEED, SOURCE, (), ())
    settings = Settings(root=tmp_path, feed=SOURCE, templates_dir=str(ROOT / "templates"),
                        cache_dir=".cache/podsite", notes_missing=None)
    pages, report = build_site(sources, settings)
    assert report.errors == [] and pages
    assert entry_path(tmp_path / ".cache/podsite/parsed", SOURCE).is_file()


# --- the generated-site cache ----------------------------------------------------------------------

from generator.build import build_from, generate, load_sources
from generator.site.cache import SITE_ENTRY
from generator.site.render import Utf8


def cached_project(project: Path) -> Settings:
    return Settings(root=project, feed=SOURCE, cache_dir=".cache/podsite")


def test_site_cache_hit_gives_the_same_pages_and_problems(project):
    settings = cached_project(project)
    first, first_report = generate(settings)
    assert (project / ".cache/podsite/parsed" / SITE_ENTRY).is_file()
    second, second_report = generate(settings)
    uncached, uncached_report = generate(replace(settings, cache_dir=""))
    assert second == first == uncached
    assert [str(p) for p in second_report.problems] == [str(p) for p in uncached_report.problems]
    assert second_report.problems  # the sample's newest episode has no notes: reported each time


def test_site_cache_misses_when_a_note_a_template_or_a_setting_changes(project):
    settings = cached_project(project)
    generate(settings)
    note = next((project / "content/episodes").glob("*.md"))
    note.write_text(note.read_text(encoding="utf-8") + "\nA new closing line.\n", encoding="utf-8")
    pages, _ = generate(settings)
    assert any("A new closing line." in text for text in pages.values())
    macros = project / "templates" / "_macros.md.j2"
    macros.write_text(macros.read_text(encoding="utf-8").replace(" · ", " | "), encoding="utf-8")
    pages, _ = generate(settings)
    assert " | " in pages["index.md"] and " · " not in pages["index.md"]
    pages, _ = generate(replace(settings, episodes_per_page=1))
    assert "episodes/page/2.md" in pages


def test_corrupt_site_cache_is_ignored(project):
    settings = cached_project(project)
    expected, _ = generate(settings)
    (project / ".cache/podsite/parsed" / SITE_ENTRY).write_bytes(b"\x80\x05garbage")
    pages, report = generate(settings)
    assert pages == expected and not report.errors


def rendered_templates(monkeypatch) -> list[str]:
    """The names of the templates that render a page from here on (not taken from the cache)."""
    names: list[str] = []
    render = jinja2.Template.render

    def spy(self, *args, **kwargs):
        if self.name != "worksheet.html.j2":  # a worksheet PDF's HTML: its PDF comes from the PDF cache
            names.append(self.name)
        return render(self, *args, **kwargs)
    monkeypatch.setattr(jinja2.Template, "render", spy)
    return names


def uncached(settings: Settings) -> dict:
    return generate(replace(settings, cache_dir=""))[0]


def test_a_template_edit_renders_only_the_pages_of_that_template(project, monkeypatch):
    settings = cached_project(project)
    generate(settings)
    home = project / "templates" / "home.md.j2"
    home.write_text(home.read_text(encoding="utf-8") + "\nEdited home.\n", encoding="utf-8")
    names = rendered_templates(monkeypatch)
    pages, report = generate(settings)
    assert set(names) == {"home.md.j2"} and len(names) == 1
    assert "Edited home." in pages["index.md"]
    assert pages == uncached(settings) and not report.errors


@pytest.mark.parametrize(("name", "edit", "rendered"), [
    # an imported macro file: every page of every template that imports it
    ("_macros.md.j2", lambda text: text.replace(" · ", " | "),
     {"home.md.j2", "episode.md.j2", "episodes.md.j2", "people.md.j2", "person.md.j2", "transcripts.md.j2",
      "virtue.md.j2"}),
    # a template that includes another by a name known only when rendering: any edit counts
    ("_dynamic.md.j2", lambda text: "Changed part.\n", {"home.md.j2"}),
    # a new template file that nothing uses: nothing is rendered
    ("unused.md.j2", lambda text: "Nobody includes me.\n", set()),
])
def test_a_page_is_rendered_again_when_a_template_it_uses_changed(project, monkeypatch, name, edit, rendered):
    settings = cached_project(project)
    if name == "_dynamic.md.j2":
        home = project / "templates" / "home.md.j2"
        home.write_text(home.read_text(encoding="utf-8")
                        + '\n{% set part = "_dyn" ~ "amic.md.j2" %}{% include part %}\n', encoding="utf-8")
        (project / "templates" / name).write_text("Part.\n", encoding="utf-8")
    generate(settings)
    path = project / "templates" / name
    path.write_text(edit(path.read_text(encoding="utf-8") if path.exists() else ""), encoding="utf-8")
    names = rendered_templates(monkeypatch)
    pages, _ = generate(settings)
    assert set(names) == rendered
    assert pages == uncached(settings)


def test_the_projects_own_catalog_is_part_of_the_cache_key(project):
    catalog = project / "locale" / "de" / "LC_MESSAGES" / "podsite.po"
    catalog.parent.mkdir(parents=True)
    shipped = (ROOT / "generator/locale/de/LC_MESSAGES/podsite.po").read_text(encoding="utf-8")
    catalog.write_text(shipped, encoding="utf-8")
    settings = replace(cached_project(project), language="de", locale_dir="locale")
    generate(settings)
    start = shipped.index('msgid "Subscribe"')
    translated = shipped[start:].split("msgstr ", 1)[1].split("\n", 1)[0].strip('"')
    catalog.write_text(shipped.replace(f'msgid "Subscribe"\nmsgstr "{translated}"',
                                       'msgid "Subscribe"\nmsgstr "Abo"'), encoding="utf-8")
    pages, _ = generate(settings)
    assert "## Abo" in pages["index.md"] and f"## {translated}" not in pages["index.md"]


def packed_generate(settings: Settings) -> tuple[dict, Report]:
    """What the plugin builds from: text pages as UTF-8 bytes (render.Utf8)."""
    return build_from(load_sources(settings), settings, packed=True)


def test_packed_pages_are_the_pages_as_utf8_however_they_were_made(project, monkeypatch):
    # packed is how the plugin keeps a large show's pages; fresh, from the cache, and after a
    # template edit (some pages rendered, the others taken from the cache) they are the same
    settings = cached_project(project)
    expected = uncached(settings)
    assert any(isinstance(c, bytes) for c in expected.values())  # the worksheet PDFs
    assert any(any(ord(ch) > 255 for ch in c) for c in expected.values() if isinstance(c, str))

    def same(pages: dict) -> None:
        assert set(pages) == set(expected)
        for path, content in pages.items():
            if isinstance(expected[path], str):
                assert type(content) is Utf8 and content.decode("utf-8") == expected[path], path
            else:
                assert type(content) is bytes and content == expected[path], path

    same(packed_generate(replace(settings, cache_dir=""))[0])  # no cache at all
    same(packed_generate(settings)[0])  # a miss, stored
    same(packed_generate(settings)[0])  # a hit
    assert generate(settings)[0] == expected  # the same entry read unpacked
    home = project / "templates" / "home.md.j2"
    home.write_text(home.read_text(encoding="utf-8") + "\nEdited home.\n", encoding="utf-8")
    names = rendered_templates(monkeypatch)
    pages, _ = packed_generate(settings)
    assert names == ["home.md.j2"]
    expected = uncached(settings)
    same(pages)


def test_transcripts_are_parsed_for_their_pages_and_not_kept(project, monkeypatch):
    # listener_infos parses each transcript once (is it readable? what does it report?); its
    # page parses it again when rendered and lets go of it after; a page taken from the cache
    # parses nothing more
    from generator.site import listening_pages
    parsed: list[str] = []
    real = listening_pages.parse_transcript

    def counting(data, kind, source, report):
        parsed.append(source)
        return real(data, kind, source, report)
    monkeypatch.setattr(listening_pages, "parse_transcript", counting)
    kept: list = []
    render = listening_pages.render_listener_pages

    def rendering(catalog, infos, *args, **kwargs):
        pages = render(catalog, infos, *args, **kwargs)
        kept.extend(info for info in infos.values() if info._parsed)
        return pages
    monkeypatch.setattr(listening_pages, "render_listener_pages", rendering)
    settings = cached_project(project)
    pages, _ = generate(settings)
    transcripts = [path for path in pages if path.startswith("transcripts/") and path != "transcripts/index.md"]
    assert transcripts  # the sample has a transcript beside a note
    assert len(parsed) == 2 * len(transcripts) == 2 * len(set(parsed))  # each twice, no more
    assert kept == []  # none held once the pages are made
    home = project / "templates" / "home.md.j2"
    home.write_text(home.read_text(encoding="utf-8") + "\nEdited home.\n", encoding="utf-8")
    parsed.clear()
    edited, _ = generate(settings)
    assert sorted(parsed) == sorted(set(parsed)) and len(parsed) == len(transcripts)  # pages reused
    assert edited == uncached(settings)
