"""Pagefind's index written in parts, merged into one (I/O: reads the parts' folders, writes the
index folder).

Pagefind holds about 650 bytes per indexed word until it has written its index: 2.5 GB for 10,000
episodes with the benchmark's transcripts, 5 GB for 2000 episodes with 8000-word transcripts
(bench/benchmark.py). search_index.py therefore runs it once per part of the pages, a part being
about WORDS_PER_PART words, one part after the other, and this module makes one index of what
the runs wrote, as Pagefind would have written it for all the pages in one run. A listener's
browser sees one index: each word is looked up once, in one chunk (an index a browser merges
from parts, Pagefind's `mergeIndex`, costs a chunk per part and word, and finds pages for words
that are not in the site: a part without the word answers with its longest indexed prefix).

Merging is exact because everything Pagefind computes is per page (its words, their stems and
places, the page's fragment) except the numbers of the pages and the files that list them; here
the pages of part N are numbered after those of parts 0..N-1, and the word chunks, the filter
files and the meta file are written again. While merging, each word's places are cut to those a
result can show (search_places.py).

The format (Pagefind 1.5, pagefind/src/index/ and pagefind_web/src/): every file but the entry
JSON and the WebAssembly is a gzip of b"pagefind_dcd" and CBOR.
- the entry (`pagefind-entry.json`): per language, the meta file's hash, the WebAssembly's
  language and the page count;
- a language's meta (`pagefind.<hash>.pf_meta`): [version, pages ([fragment hash, word count,
  ...] by page number), word chunks ([first word, last word, hash]: a browser loads the chunks
  whose range holds a query's word; here the last "word" reaches to the next chunk's first),
  filters ([name, hash]), sorts, metadata field names];
- a word chunk (`index/<hash>.pf_index`): [[word, pages, variants], ...], words in order, pages
  [[page number - previous page's number, places, metadata places], ...] where a metadata
  place's field is a negative number -(field + 1);
- a filter (`filter/<hash>.pf_filter`): [name, [[value, [page number, ...]], ...]].
A part in any other shape raises NotPagefind; search_index.py then indexes the site in one run.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import heapq
import itertools
import json
import os
import shutil
from pathlib import Path

import cbor2

from .search_places import KEPT, SIGNATURE, NotPagefind, TranscriptStarts, cut_places, read, read_entries

ENTRY = "pagefind-entry.json"
WORDS_PER_PART = 400_000  # words Pagefind indexes in one run: about 260 MB of its memory
CHUNK_BYTES = 48_000  # a word chunk's CBOR before gzip: smaller chunks lengthen the meta file every query loads


def merge(parts: list[Path], out: Path) -> int:
    """One index in the new folder `out` from the index folders `parts` (each written by one
    Pagefind run over its own pages); returns the number of words indexed."""
    collecting = gc.isenabled()
    gc.disable()  # millions of small lists, none in a cycle: collecting would take 60% of the time
    try:
        return _merge(parts, out)
    finally:
        if collecting:
            gc.enable()


def _merge(parts: list[Path], out: Path) -> int:
    entries = [_entry(part) for part in parts]
    out.mkdir(parents=True)
    for part in parts:  # pagefind.js, the WebAssembly, the fragments: as Pagefind wrote them
        _link_files(part, out, skip=lambda p: p.name == ENTRY or p.suffix == ".pf_meta"
                    or p.parent.name in ("index", "filter"))
    languages, words = {}, 0
    for language in sorted({lang for entry in entries for lang in entry["languages"]}):
        having = [(part, entry["languages"][language]) for part, entry in zip(parts, entries)
                  if language in entry["languages"]]
        name, count, pages = _merge_language(language, [(part, info["hash"]) for part, info in having], out)
        languages[language] = {"hash": name, "wasm": having[0][1].get("wasm"), "page_count": pages}
        words += count
    entry = {**entries[0], "languages": languages}
    (out / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return words


def _entry(part: Path) -> dict:
    try:
        entry = json.loads((part / ENTRY).read_text(encoding="utf-8"))
        if not isinstance(entry, dict) or not all(isinstance(info, dict) and isinstance(info.get("hash"), str)
                                                  for info in entry["languages"].values()):
            raise NotPagefind(part / ENTRY)
        return entry
    except (OSError, ValueError, KeyError, AttributeError):
        raise NotPagefind(part / ENTRY) from None


def _link_files(source: Path, target: Path, skip) -> None:
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_dir() or skip(relative):
            continue
        destination = target / relative
        if destination.exists():
            continue  # the same file from another part (names are hashes of the bytes)
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, destination)
        except OSError:
            shutil.copyfile(path, destination)


class _Part:
    """One part's meta file for a language, with its pages' numbers in the merged index."""

    def __init__(self, folder: Path, meta_hash: str, first_page: int) -> None:
        self.folder, self.first_page = folder, first_page
        meta = read(folder / f"pagefind.{meta_hash}.pf_meta")
        try:
            self.version, self.pages, self.chunks, self.filters, sorts, self.fields = meta[:6]
            if sorts or not all(isinstance(x, list) for x in (self.pages, self.chunks, self.filters, self.fields)):
                raise NotPagefind(folder)  # data-pagefind-sort: its orders cannot be merged here
            self.chunks = sorted(self.chunks, key=lambda chunk: chunk[0])
        except (ValueError, TypeError, IndexError):
            raise NotPagefind(folder) from None
        self.field_map: list[int] | None = None  # this part's metadata field number -> the merged one

    def words(self, starts: TranscriptStarts):
        """(word, this part, its entry [word, pages, variants]) for every word, in order, the
        places cut; each entry is decoded when the merge comes to it (read_entries)."""
        for _, _, name in self.chunks:
            path = self.folder / "index" / f"{name}.pf_index"
            for entry in read_entries(path):
                try:
                    _, pages, variants = entry
                    self._cut(pages, starts)
                    for _, form_pages in variants:
                        self._cut(form_pages, starts)
                except (ValueError, TypeError, IndexError, KeyError):
                    raise NotPagefind(path) from None
                yield entry[0], self, entry

    def _cut(self, pages: list, starts: TranscriptStarts) -> None:
        """A word's pages ([[page number - previous page's, places, metadata places], ...]),
        their places cut (search_places.py), in place: millions of lists at 10,000 episodes."""
        number = self.first_page
        for page in pages:
            number += page[0]
            if len(page[1]) > KEPT:
                page[1] = cut_places(page[1], number, starts)


def _merge_language(language: str, metas: list[tuple[Path, str]], out: Path) -> tuple[str, int, int]:
    """Merge one language's parts into `out`; (the meta file's hash, words, pages)."""
    parts, first = [], 0
    for folder, meta_hash in metas:
        parts.append(_Part(folder, meta_hash, first))
        first += len(parts[-1].pages)
    if len({part.version for part in parts}) != 1:
        raise NotPagefind(f"parts written by different Pagefind versions: {sorted({p.version for p in parts})}")
    fields = sorted({field for part in parts for field in part.fields})
    for part in parts:
        mapping = [fields.index(field) for field in part.fields]
        part.field_map = None if mapping == list(range(len(mapping))) else mapping
    pages = [page for part in parts for page in part.pages]
    starts = TranscriptStarts(out / "fragment", [page[0] for page in pages])
    chunks, words = _write_words(language, parts, starts, out / "index")
    filters = _write_filters(language, parts, out / "filter")
    meta = [parts[0].version, pages, chunks, filters, [], fields]
    name = _write(out, "pagefind.{}.pf_meta", language, cbor2.dumps(meta), digits=10)
    return name, words, len(pages)


def _write_words(language: str, parts: list[_Part], starts: TranscriptStarts, folder: Path) -> tuple[list, int]:
    folder.mkdir(parents=True, exist_ok=True)
    streams = [part.words(starts) for part in parts]
    chunks, encoded, size, count, last = [], [], 0, 0, None
    for word, group in itertools.groupby(heapq.merge(*streams, key=lambda item: item[0]), key=lambda item: item[0]):
        if not isinstance(word, str) or (last is not None and word <= last):
            raise NotPagefind(f"the words of a part are not in order ({last!r}, {word!r})")
        entry = _merged_word(word, [(part, item) for _, part, item in group])
        data = cbor2.dumps(entry)
        if encoded and size + len(data) > CHUNK_BYTES:
            chunks.append(_write_chunk(language, folder, encoded))
            encoded, size = [], 0
        encoded.append((word, data))
        size += len(data)
        count, last = count + 1, word
    if encoded:
        chunks.append(_write_chunk(language, folder, encoded))
    for chunk, following in zip(chunks, chunks[1:]):  # no gaps between the chunks' ranges
        chunk[1] = _just_before(following[0], chunk[1])
    return chunks, count


def _just_before(word: str, floor: str) -> str:
    """A chunk's last word for pagefind_web, which loads the chunks whose [first, last] holds a
    query's word: a string before `word` (the next chunk's first) and after every word that
    sorts before it, so that a word the index lacks (a query's unstemmed "alliances" beside
    "allianc") also falls in one chunk. Without it, pagefind_web loads every chunk whose
    words start like it (two or three more chunks of a common word). `floor` (the chunk's own
    last word) when there is no such string."""
    code = ord(word[-1]) - 1
    if code < 0:
        return floor
    if 0xD800 <= code <= 0xDFFF:  # not a character of its own in UTF-8
        code = 0xD7FF
    candidate = word[:-1] + chr(code) + "\U0010ffff" * 4
    return candidate if floor <= candidate < word else floor


def _merged_word(word: str, found: list) -> list:
    """One word's entry from the parts that have it (in part order): its pages and its variants'
    (the forms a stem was written in) numbered anew."""
    pages: list = []
    variants: dict[str, tuple[list, list[int]]] = {}
    last = 0
    for part, entry in found:
        try:
            _, part_pages, part_variants = entry
            last = _append(part, part_pages, pages, last)
            for form, form_pages in part_variants:
                into, form_last = variants.setdefault(form, ([], [0]))
                form_last[0] = _append(part, form_pages, into, form_last[0])
        except (ValueError, TypeError, IndexError, KeyError):
            raise NotPagefind(f"word {word!r} in {part.folder}") from None
    return [word, pages, [[form, into] for form, (into, _) in variants.items()]]


def _append(part: _Part, pages: list, into: list, last: int) -> int:
    """Add a part's pages of a word (places already cut: _Part.words) to the merged list `into`,
    whose last page is number `last`: numbered after the pages of the parts before, metadata
    fields renumbered. Returns the new last page."""
    if not pages:
        return last
    number, fields = part.first_page, part.field_map
    for page in pages:  # the lists as decoded, changed in place
        number += page[0]
        if fields is not None and page[2]:
            page[2] = [-(fields[-value - 1] + 1) if value < 0 else value for value in page[2]]
    pages[0][0] += part.first_page - last
    into.extend(pages)
    return number


def _write_chunk(language: str, folder: Path, encoded: list[tuple[str, bytes]]) -> list[str]:
    body = _array_head(1) + _array_head(len(encoded)) + b"".join(data for _, data in encoded)
    name = _write(folder, "{}.pf_index", language, body)
    return [encoded[0][0], encoded[-1][0], name]


def _array_head(length: int) -> bytes:
    """CBOR's head of an array of `length` items (major type 4)."""
    if length < 24:
        return bytes([0x80 + length])
    for code, size in ((0x98, 1), (0x99, 2), (0x9A, 4), (0x9B, 8)):
        if length < 1 << (8 * size):
            return bytes([code]) + length.to_bytes(size, "big")
    raise ValueError(length)


def _write_filters(language: str, parts: list[_Part], folder: Path) -> list[list[str]]:
    merged: dict[str, dict[str, list[int]]] = {}
    for part in parts:
        for _, name in part.filters:
            try:
                filter_name, values = read(part.folder / "filter" / f"{name}.pf_filter")
                for value, numbers in values:
                    merged.setdefault(filter_name, {}).setdefault(value, []).extend(
                        part.first_page + number for number in numbers)
            except (ValueError, TypeError):  # read() refuses what is not gzip and CBOR
                raise NotPagefind(part.folder / "filter" / f"{name}.pf_filter") from None
    if not merged:
        return []
    folder.mkdir(parents=True, exist_ok=True)
    return [[name, _write(folder, "{}.pf_filter", language,
                          cbor2.dumps([name, [[value, sorted(numbers)] for value, numbers in sorted(values.items())]]))]
            for name, values in sorted(merged.items())]


def _write(folder: Path, pattern: str, language: str, body: bytes, digits: int = 7) -> str:
    """A file of the index, named by a hash of its bytes as Pagefind names them ("en_1a2b3c4")."""
    name = f"{language}_{hashlib.sha256(body).hexdigest()[:digits]}"
    (folder / pattern.format(name)).write_bytes(gzip.compress(SIGNATURE + body, 6, mtime=0))
    return name
