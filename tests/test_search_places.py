"""Pagefind's word chunks cut to the places a result can show (generator/site/search_places.py):
on indexes the real Pagefind writes, read back with the module's own reader and with an
independent decoding of Pagefind's format."""

from __future__ import annotations

import gzip
import json

import pytest

from generator.site import search_index, search_places
from generator.site.search_places import KEPT, _decode, _encode, _kept

WORD = "zanzibar"


def page(body: str) -> str:
    return f"<!doctype html><html lang=en><head><title>t</title></head><body><main data-pagefind-body>{body}</main></body></html>"


def places_of(index: search_places.Path, word: str) -> dict[str, list[int]]:
    """url -> the positions Pagefind's chunks keep of `word` on that page (weights ignored)."""
    meta = search_places.read(next(index.glob("pagefind.*.pf_meta")))
    urls = []
    for fragment_hash, _ in meta[1]:
        data = gzip.decompress((index / "fragment" / f"{fragment_hash}.pf_fragment").read_bytes())
        urls.append(json.loads(data[data.index(b"{"):])["url"])
    found = {}
    for _, _, name in meta[2]:
        for entry in search_places.read(index / "index" / f"{name}.pf_index")[0]:
            if entry[0] != word:
                continue
            number = 0
            for number_delta, places, _ in entry[1]:
                number += number_delta
                found[urls[number]] = sorted(p for _, group in _decode(places) for p in group)
    return found


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """A site of three pages, indexed by the real Pagefind: a page that says the word ten times,
    an episode that says it ten times in its notes and ten in its transcript (spliced in by
    search_index, after its #podsite-transcript anchor), and a page with a heading that says it."""
    site = tmp_path_factory.mktemp("places") / "site"
    words = " ".join(f"{WORD} filler{i}" for i in range(10))
    for path, body in (
            ("plain/index.html", page(f"<p>{words}</p>")),
            ("episode/index.html", page(f"<h1>Ep</h1><p>{words}</p>"
                                        '<div data-podsite-index-transcript="../transcript/" hidden></div>')),
            ("transcript/index.html", "<html><body><!-- podsite-transcript --><div class=podsite-transcript>"
                                      + "".join(f'<p><a id="p-{i}">0:{i:02d}</a> {WORD} said {i}</p>' for i in range(10))
                                      + "</div><!-- /podsite-transcript --></body></html>"),
            ("heading/index.html", page(f"<h2>{WORD} at the top</h2><p>{words}</p>")),
    ):
        (site / path).parent.mkdir(parents=True)
        (site / path).write_text(body)
    search_index.write_search_index(site)
    return site / "pagefind"


def test_a_page_keeps_the_first_places_of_a_word_and_the_first_in_its_transcript(index):
    places = places_of(index, WORD)
    assert set(places) == {"/plain/", "/episode/", "/heading/"}  # the transcript is its episode's
    assert places["/plain/"] == [0, 2, 4]  # ten in the text: the first KEPT
    notes, transcript = places["/episode/"][:KEPT], places["/episode/"][KEPT:]
    assert len(notes) == KEPT and len(transcript) == KEPT
    start = _anchor(index, "/episode/", "podsite-transcript")
    assert all(p < start for p in notes) and all(p >= start for p in transcript)
    assert transcript[0] == _anchor(index, "/episode/", "p-0") + 1  # the first moment is kept
    # a heading's place has a weight of its own, kept beside the text's first ones
    assert places["/heading/"] == [0, 4, 6, 8]


def _anchor(index, url: str, anchor_id: str) -> int:
    for fragment in (index / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).split(b"pagefind_dcd", 1)[1])
        if data["url"] == url:
            return next(a["location"] for a in data["anchors"] if a["id"] == anchor_id)
    raise AssertionError(url)


def test_the_encoding_is_pagefinds_own(index):
    # every place list of the real index decodes and encodes back to the same numbers
    meta = search_places.read(next(index.glob("pagefind.*.pf_meta")))
    lists = 0
    for _, _, name in meta[2]:
        for entry in search_places.read(index / "index" / f"{name}.pf_index")[0]:
            for pages in [entry[1], *(variant[1] for variant in entry[2])]:
                for _, places, _ in pages:
                    assert _encode(_decode(places)) == places
                    lists += 1
    assert lists > 20


@pytest.mark.parametrize(("places", "start", "kept"), [
    ([5, 1, 1, 1, 1], None, [5, 1, 1]),  # one weight, no transcript: the first KEPT
    ([5, 1, 1, 1, 1, 1, 1, 1], 8, [5, 1, 1, 1, 1, 1]),  # 5..12: 5 6 7 before, 8 9 10 in the transcript
    ([5, 1, 1, 1, 1], 0, [5, 1, 1]),  # all in the transcript
    ([5, 1, 1, 1, 1], 100, [5, 1, 1]),  # all before it
    ([1, 1], 1, [1, 1]),  # fewer than KEPT: as they were
    ([5, 1, 1, 1, 1], 7, [5, 1, 1, 1, 1]),  # 5 6 before, 7 8 9 in it: all kept
    ([2, 2, 2, 2, -8, 0, 10, 10, 10], None, [2, 2, 2, -8, 0, 10, 10]),  # weight 7 after the default
    ([-8, 3, 1, 1, 1], None, [-8, 3, 1, 1]),  # only weight 7
    ([-8, 3, 1, 1, 1], 4, [-8, 3, 1, 1, 1]),  # 3 before, 4 5 6 after: all four kept
])
def test_places_kept_per_weight_and_part(places, start, kept):
    assert KEPT == 3
    assert _kept(places, start) == kept
