"""The search index written by Pagefind in parts and merged (generator/site/search_merge.py): the
merged index says what Pagefind's own single run says, read back with an independent decoding
of the format, for sites of several languages, metadata fields that only some parts have,
filters, stemmed variants and transcripts; every word is in the chunk a browser loads for it;
the same pages give the same bytes; a part in a shape the merge does not know is indexed in
one run instead."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest

from generator.site import search_index, search_merge
from generator.site.search_places import KEPT, TranscriptStarts, cut_places, read

LANGUAGES = {"en": ("running", "runs", "ran", "courage"), "fr": ("courir", "courons", "couru", "courage"),
             "de": ("laufen", "läuft", "gelaufen", "Mut")}


def page(lang: str, title: str, body: str, head: str = "") -> str:
    return (f"<!doctype html><html lang={lang}><head><title>{title}</title>{head}</head><body>"
            f"<main data-pagefind-body><h1>{title}</h1>{body}</main></body></html>")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """40 pages in three languages: some with audio and transcript metadata (an episode with its
    transcript spliced in), some with a virtue filter, some with an image, the others plain;
    every page says a word many times, in several of its forms, and café or cafe."""
    root = tmp_path_factory.mktemp("merge") / "site"
    for number in range(40):
        lang = list(LANGUAGES)[number % 3]
        verb, *forms, virtue = LANGUAGES[lang]
        words = " ".join(f"{forms[i % 2] if i % 4 else verb} word{number}x{i} {virtue}" for i in range(12))
        head, body = "", f"<p>{words}</p><p>Common words everywhere, page {number}, {('cafe', 'café', 'Café')[number % 3]}.</p>"
        if number % 5 == 0:
            head += f'<meta data-pagefind-meta="audio[content]" content="/media/{number:03d}.mp3">'
            body += f'<div data-podsite-index-transcript="../t{number}/" hidden></div>'
            (root / f"t{number}").mkdir(parents=True)
            (root / f"t{number}" / "index.html").write_text(
                "<html><body><!-- podsite-transcript -->"
                + "".join(f'<p><a id="p-{i}">0:{i:02d}</a> {verb} {virtue} said {i}</p>' for i in range(9))
                + "<!-- /podsite-transcript --></body></html>", encoding="utf-8")
        if number % 4 == 1:
            body += f'<span data-pagefind-filter="virtue">{virtue}</span><span data-pagefind-filter="kind">Episode</span>'
        if number % 7 == 3:
            body += f'<img src="/i{number}.png" alt="a picture of {verb}" data-pagefind-meta="image[src], image_alt[alt]">'
        (root / f"p{number:02d}").mkdir(parents=True)
        (root / f"p{number:02d}" / "index.html").write_text(page(lang, f"Page {number} {virtue}", body, head),
                                                            encoding="utf-8")
    return root


def canonical(index: Path) -> dict:
    """What an index says, without its numbering or its files' names: per language, each page's
    word count, each word's places (cut to KEPT) and metadata places (by field name) per page
    (by fragment hash), its variants, and each filter value's pages."""
    entry = json.loads((index / "pagefind-entry.json").read_text(encoding="utf-8"))
    said = {}
    for language, info in entry["languages"].items():
        version, pages, chunks, filters, sorts, fields = read(index / f"pagefind.{info['hash']}.pf_meta")
        hashes = [p[0] for p in pages]
        starts = TranscriptStarts(index / "fragment", hashes)

        def per_page(entries):
            found, number = {}, 0
            for delta, places, meta_places in entries:
                number += delta
                found[hashes[number]] = (cut_places(places, number, starts),
                                         [fields[-v - 1] if v < 0 else v for v in meta_places])
            return found

        words = {}
        for _, _, name in chunks:
            for word, entries, variants in read(index / "index" / f"{name}.pf_index")[0]:
                assert word not in words
                words[word] = (per_page(entries), {form: per_page(e) for form, e in variants})
        values = {}
        for _, name in filters:
            filter_name, filter_values = read(index / "filter" / f"{name}.pf_filter")
            values[filter_name] = {value: sorted(hashes[n] for n in numbers) for value, numbers in filter_values}
        said[language] = {"pages": sorted(map(tuple, pages)), "words": words, "filters": values,
                          "sorts": sorts, "page_count": info["page_count"], "wasm": info["wasm"],
                          "version": version}
    return said


def single_run(site: Path, out: Path, slim: bool = True) -> Path:
    """Pagefind's own index of the site, in one run, as Pagefind wrote it."""
    source = out / "source"
    parts = search_index._index_source(site.resolve(), source, None, slim)
    search_index._pagefind(search_index.find_pagefind(), parts[0], out / "index", "test")
    return out / "index"


def indexed(site: Path, where: Path, words_per_part: int, monkeypatch) -> Path:
    copy = where / "site"
    shutil.copytree(site, copy)
    monkeypatch.setattr(search_merge, "WORDS_PER_PART", words_per_part)
    search_index.write_search_index(copy)
    return copy / "pagefind"


@pytest.fixture(scope="module")
def pagefinds_own(site, tmp_path_factory) -> dict:
    return canonical(single_run(site, tmp_path_factory.mktemp("own")))


def test_pages_without_what_comes_before_their_content_give_the_same_records(site, tmp_path, pagefinds_own):
    whole = single_run(site, tmp_path / "whole", slim=False)
    assert canonical(whole) == pagefinds_own
    fragments = sorted(p.name for p in (whole / "fragment").iterdir())
    assert fragments == sorted(p.name for p in (single_run(site, tmp_path / "slim") / "fragment").iterdir())
    # a page with a data-pagefind- attribute before its content (here: in its head) is kept whole
    slimmed = search_index._index_source(site.resolve(), tmp_path / "source", None)[0]
    kinds = set()
    for copy in slimmed.glob("p*/index.html"):
        original, text = (site / copy.relative_to(slimmed)).read_text(), copy.read_text()
        head = original[:original.index("<body")]
        kinds.add(whole := "data-pagefind-meta" in head)
        assert text.startswith(head) if whole else text.startswith(
            '<!DOCTYPE html>\n<html lang=') and "<title>" in text
    assert kinds == {True, False}


@pytest.mark.parametrize("words_per_part", [10**9, 900, 300, 1])
def test_an_index_merged_from_parts_says_what_pagefinds_own_says(site, tmp_path, monkeypatch, pagefinds_own,
                                                                words_per_part):
    parts = search_index._index_source(site.resolve(), tmp_path / "count", words_per_part)
    assert len(parts) == 1 if words_per_part == 10**9 else 40 if words_per_part == 1 else 1 < len(parts) < 40
    merged = canonical(indexed(site, tmp_path, words_per_part, monkeypatch))
    assert set(merged) == {"en", "fr", "de"}
    assert merged == pagefinds_own
    english = merged["en"]
    assert english["filters"]["virtue"] and english["filters"]["kind"]
    assert set(merged["de"]["words"]["lauft"][1]) == {"läuft"}  # a form with diacritics: a variant
    cut = [places for pages, _ in english["words"].values() for places, _ in pages.values()]
    assert max(len(p) for p in cut) <= 2 * KEPT + 4 and any(len(p) > KEPT for p in cut)


def test_every_word_is_in_the_one_chunk_a_browser_loads_for_it(site, tmp_path, monkeypatch):
    monkeypatch.setattr(search_merge, "CHUNK_BYTES", 500)  # many chunks
    index = indexed(site, tmp_path, 300, monkeypatch)
    for language in json.loads((index / "pagefind-entry.json").read_text())["languages"].values():
        chunks = read(index / f"pagefind.{language['hash']}.pf_meta")[2]
        assert len(chunks) > 3
        for first, last, name in chunks:
            words = [entry[0] for entry in read(index / "index" / f"{name}.pf_index")[0]]
            assert words == sorted(words) and first == words[0] and last >= words[-1]
            # pagefind_web's rule: the chunks with from <= word <= to; also for words the index
            # lacks that sort among its words (a query's unstemmed "runs" beside "run")
            for word in words + [w + suffix for w in words for suffix in ("s", "ing", "zz")]:
                if chunks[0][0] <= word <= chunks[-1][1]:
                    assert len([c for c in chunks if c[0] <= word <= c[1]]) == 1, word
            for word in words:
                assert [c[2] for c in chunks if c[0] <= word <= c[1]] == [name]


def test_the_same_pages_give_the_same_bytes(site, tmp_path, monkeypatch):
    def files(index: Path) -> dict[str, bytes]:
        return {p.relative_to(index).as_posix(): p.read_bytes() for p in sorted(index.rglob("*")) if p.is_file()}
    first = files(indexed(site, tmp_path / "a", 300, monkeypatch))
    assert first == files(indexed(site, tmp_path / "b", 300, monkeypatch))
    assert any(name.startswith("filter/") for name in first)


@pytest.mark.parametrize("words_per_part", [300, 10**9])
def test_a_site_with_sorts_is_indexed_in_one_run(site, tmp_path, monkeypatch, words_per_part):
    # data-pagefind-sort gives each page a place in an order that parts cannot merge
    copy = tmp_path / "sorted"
    shutil.copytree(site, copy)
    for number, path in enumerate(sorted(copy.glob("p*/index.html"))):
        path.write_text(path.read_text().replace("<h1>", f'<h1 data-pagefind-sort="date:{2000 + number}">'))
    monkeypatch.setattr(search_merge, "WORDS_PER_PART", words_per_part)
    stats = search_index.write_search_index(copy)
    assert stats.pages == 40
    for language in json.loads((copy / "pagefind" / "pagefind-entry.json").read_text())["languages"].values():
        sorts = read(copy / "pagefind" / f"pagefind.{language['hash']}.pf_meta")[4]
        assert [name for name, _ in sorts] == ["date"]
    assert not list(tmp_path.glob("*.podsite-src"))


ENTRY = search_merge.cbor2.dumps(["word", [[0, [1, 2], []]], []])


@pytest.mark.parametrize("damage", ["not gzip", "no signature", "not a list", "odd shape", "missing",
                                    "two lists", "indefinite length", "fewer words than it says",
                                    "length cut off", "not CBOR inside", "empty"])
def test_a_part_in_another_shape_is_refused(site, tmp_path, damage):
    # the word chunks are decoded a word at a time (search_places.read_entries): every way a
    # file can differ from [[entry, ...]] is refused, never read as something else
    index = single_run(site, tmp_path)
    chunk = next((index / "index").glob("*.pf_index"))
    signed = search_merge.SIGNATURE
    data = {"not gzip": b"garbage",
            "no signature": gzip.compress(b"something else"),
            "not a list": gzip.compress(signed + search_merge.cbor2.dumps({"a": 1})),
            "odd shape": gzip.compress(signed + search_merge.cbor2.dumps([[["w", "x", []]]])),
            "missing": None,
            "two lists": gzip.compress(signed + search_merge.cbor2.dumps([[], []])),
            "indefinite length": gzip.compress(signed + b"\x81\x9f" + ENTRY + b"\xff"),
            "fewer words than it says": gzip.compress(signed + b"\x81\x83" + ENTRY + ENTRY),
            "length cut off": gzip.compress(signed + b"\x81\x99\x01"),
            "not CBOR inside": gzip.compress(signed + b"\x81\x81\xff\xff"),
            "empty": gzip.compress(signed)}[damage]
    if data is None:
        chunk.unlink()
    else:
        chunk.write_bytes(data)
    with pytest.raises(search_merge.NotPagefind):
        search_merge.merge([index], tmp_path / "merged")
