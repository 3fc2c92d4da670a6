"""The places of a word that the index keeps: those a result can show (I/O: reads the fragment
files of an index folder, for where each page's transcript starts).

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

search_merge.py applies this to every word while it writes the chunks (the format is described
there). A word's places on a page, as Pagefind 1.5 writes them: ascending positions as the
difference from the previous one, where a negative number -(w + 1) starts the positions of
weight w, given next as an absolute position.
"""

from __future__ import annotations

import bisect
import gzip
import io
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


def read(path: Path) -> list:
    """A file of the index (gzip, SIGNATURE, CBOR) that holds a list; NotPagefind if it does not."""
    try:
        value = cbor2.loads(_cbor(path))
    except cbor2.CBORDecodeError:
        raise NotPagefind(path) from None
    if not isinstance(value, list):
        raise NotPagefind(path)
    return value


def read_entries(path: Path):
    """The entries of a word chunk (CBOR `[[entry, ...]]` in a file as `read` takes), decoded one
    at a time: a merge holds a chunk of every part at once, and decoded whole they took 52 MB at
    10,000 episodes. NotPagefind for a file of another shape."""
    stream = io.BytesIO(_cbor(path))
    if _array_length(stream, path) != 1:
        raise NotPagefind(path)
    count = _array_length(stream, path)
    decoder = cbor2.CBORDecoder(stream)
    try:
        for _ in range(count):
            yield decoder.decode()
    except (cbor2.CBORDecodeError, EOFError):
        raise NotPagefind(path) from None


def _cbor(path: Path) -> bytes:
    """The CBOR of a file of the index: gunzipped, after SIGNATURE; NotPagefind otherwise."""
    try:
        data = gzip.decompress(path.read_bytes())
    except (OSError, EOFError, gzip.BadGzipFile):
        raise NotPagefind(path) from None
    if not data.startswith(SIGNATURE):
        raise NotPagefind(path)
    return data[len(SIGNATURE):]


def _array_length(stream, path: Path) -> int:
    """The length of the definite-length CBOR array that starts here; NotPagefind otherwise
    (indefinite lengths too: Pagefind does not write them)."""
    head = stream.read(1)
    if not head or head[0] >> 5 != 4 or head[0] & 0x1F > 27:
        raise NotPagefind(path)
    info = head[0] & 0x1F
    if info < 24:
        return info
    size = 1 << (info - 24)
    data = stream.read(size)
    if len(data) != size:
        raise NotPagefind(path)
    return int.from_bytes(data, "big")


class TranscriptStarts:
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


def cut_places(places: list[int], number: int, starts: TranscriptStarts) -> list[int]:
    """The places of a word on page `number` that are kept (see above)."""
    return places if len(places) <= KEPT else _kept(places, starts(number))


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
