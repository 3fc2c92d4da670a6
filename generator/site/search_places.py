"""Pagefind's word index, cut to the places of a word that a result can show (I/O: rewrites the
`index/*.pf_index` files of an index folder that Pagefind has just written).

Pagefind keeps every place (word position) of every word on every page. A browser loads the
chunk file of the word it searches for whole, and chunks are cut by their count of places, so on
a show with long transcripts a chunk holds one common word's tens of thousands of places, and the
rare words next to it in the alphabet pay for them: at 2000 episodes with an 8000-word
transcript each, searching "alliances" loaded 783 kB of chunks (one of them the 688 kB chunk of
"a"), "irritation" the 439 kB chunk of "is" (bench/benchmark.py).

A result shows at most MOMENTS moments of a transcript and one excerpt of the rest of the page
(templates/theme/assets/podsite/search.js), so this keeps, for each word and page, its first
KEPT places before the page's transcript and its first KEPT places in it (the transcript starts
at the record's `#podsite-transcript` anchor: search_index.py), for every weight (headings,
titles) alike, and drops the rest. What that changes for a listener: a page with the word more
than KEPT times in a part ranks as if it had it KEPT times there (Pagefind's ranking, BM25,
weighs the fourth and later ones little anyway), and an exact phrase ("...") is found only
where its words are among those places. The same chunks at 2000 x 8000 words: "alliances"
loads 34 kB, "a" is 14 kB.

Format, as Pagefind 1.5 writes it (pagefind/src/index/): a gzip file of b"pagefind_dcd" and CBOR;
a chunk is [[word, pages, variants], ...] with pages [[page number - previous page's, places,
meta places], ...] and variants [[form, pages], ...]; places are ascending positions as the
difference from the previous one, where a negative number -(w + 1) starts the positions of
weight w, given next as an absolute position. The entry's meta file lists the pages ([fragment
hash, word count] in page-number order) and the chunks ([from, to, hash]). A file not in that
shape is left as Pagefind wrote it (every chunk file stands alone).
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import json
import re
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"
KEPT = 3  # places kept per word, page and part (before the transcript, in it): search.js MOMENTS
DEFAULT_WEIGHT = 25  # Pagefind's code for weight 1, the weight places start with
TRANSCRIPT_ANCHOR = re.compile(rb'"id":"podsite-transcript"')


class NotPagefind(ValueError):
    """A file not in the shape this module knows (another Pagefind version)."""


def keep_first_places(index_dir: Path) -> int:
    """Rewrite the chunks of the index in `index_dir` to KEPT places per word, page and part;
    returns how many chunk files were rewritten."""
    rewritten = 0
    for meta_file in sorted(index_dir.glob("pagefind.*.pf_meta")):  # one per language
        try:
            meta = _read(meta_file)
            pages, chunks = meta[1], meta[2]
            hashes = [page[0] for page in pages]
            names = [chunk[2] for chunk in chunks]
        except (NotPagefind, IndexError, TypeError):
            continue
        starts = _TranscriptStarts(index_dir / "fragment", hashes)
        for name in names:
            chunk = index_dir / "index" / f"{name}.pf_index"
            try:
                words = _read(chunk)
                if _trim(words, starts):
                    chunk.write_bytes(gzip.compress(SIGNATURE + cbor2.dumps(words), 6, mtime=0))
                    rewritten += 1
            except (OSError, NotPagefind, IndexError, TypeError, ValueError):
                continue  # left as Pagefind wrote it: still a valid chunk
    return rewritten


def _read(path: Path) -> list:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise NotPagefind(path)
    value = cbor2.loads(data[len(SIGNATURE):])
    if not isinstance(value, list):
        raise NotPagefind(path)
    return value


class _TranscriptStarts:
    """Page number -> where its transcript starts (a word position), or None; read from the
    page's fragment file when first asked."""

    def __init__(self, folder: Path, hashes: list[str]) -> None:
        self.folder, self.hashes, self.known = folder, hashes, {}

    def __call__(self, number: int) -> int | None:
        if number not in self.known:
            self.known[number] = self._read(number)
        return self.known[number]

    def _read(self, number: int) -> int | None:
        try:
            data = gzip.decompress((self.folder / f"{self.hashes[number]}.pf_fragment").read_bytes())
        except (OSError, IndexError, EOFError, gzip.BadGzipFile):
            return None
        if not TRANSCRIPT_ANCHOR.search(data):
            return None
        try:
            fragment = json.loads(data[data.index(b"{"):])
            return next(a["location"] for a in fragment["anchors"] if a.get("id") == "podsite-transcript")
        except (ValueError, KeyError, TypeError, StopIteration):
            return None


def _trim(words: list, starts: _TranscriptStarts) -> bool:
    """Cut every page's places in a chunk's words; True if anything was cut."""
    cut = False
    for word in words[0]:
        for pages in [word[1], *(variant[1] for variant in word[2])]:
            number = 0
            for page in pages:
                number += page[0]
                places = page[1]
                if len(places) <= KEPT:
                    continue
                kept = _kept(places, starts(number))
                if len(kept) != len(places):
                    page[1] = kept
                    cut = True
    return cut


def _kept(places: list[int], start: int | None) -> list[int]:
    """`places` (Pagefind's encoding) with KEPT positions per weight before `start` and KEPT
    from it on (KEPT per weight in all, without a transcript)."""
    # the usual cases, at C speed: one weight, the default or one marked first
    if places[0] >= 0 and min(places) >= 0:
        return _encode([(DEFAULT_WEIGHT, _cut(list(itertools.accumulate(places)), start))])
    if places[0] < 0 and min(places[1:]) >= 0:
        return _encode([(-places[0] - 1, _cut(list(itertools.accumulate(places[1:])), start))])
    return _encode([(weight, _cut(positions, start)) for weight, positions in _decode(places)])


def _cut(positions: list[int], start: int | None) -> list[int]:
    if start is None:
        return positions[:KEPT]
    middle = bisect.bisect_left(positions, start)
    return positions[:min(middle, KEPT)] + positions[middle:middle + KEPT]


def _decode(places: list[int]) -> list[tuple[int, list[int]]]:
    groups: list[tuple[int, list[int]]] = [(DEFAULT_WEIGHT, [])]
    last, i = 0, 0
    while i < len(places):
        value = places[i]
        if value < 0:
            last = places[i + 1]
            groups.append((-value - 1, [last]))
            i += 2
        else:
            last += value
            groups[-1][1].append(last)
            i += 1
    return [group for group in groups if group[1]]


def _encode(groups: list[tuple[int, list[int]]]) -> list[int]:
    """Pagefind's own encoding (positions_to_packed_page): a change of weight is its marker and
    an absolute position, everything else the difference from the position before."""
    out: list[int] = []
    weight, last = DEFAULT_WEIGHT, 0
    for group_weight, positions in groups:
        for position in positions:
            if group_weight != weight:
                out += [-group_weight - 1, position]
                weight = group_weight
            else:
                out.append(position - last)
            last = position
    return out
