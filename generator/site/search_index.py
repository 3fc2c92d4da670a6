"""The site's search index: Pagefind run over the finished HTML (I/O: reads the site folder, writes
its `pagefind/` folder).

[Pagefind](https://pagefind.app/) splits the index into small chunks, one file per range of words,
plus a fragment per page; a browser fetches the entry file, the chunks for the words typed and
the fragments of the results it shows, so the first query costs a few hundred kilobytes however
large the show is (bench/benchmark.py measures it). The binary ships in the `pagefind_bin` wheel
(the `pagefind[bin]` extra): nothing is downloaded at build time.

What is indexed is decided by the templates, not here:

- `data-pagefind-body` marks a page's content (the theme's `main.html`, on every page whose front
  matter does not say `search: exclude: true`); pages without it (404, redirect stubs, later pages
  of long lists) stay out of the index;
- `data-pagefind-ignore` leaves out a part of a page (players, find boxes);
- `data-pagefind-filter` and `data-pagefind-meta` (`templates/_search.md.j2`) give each page its
  kind, virtues, season and people, and an episode its audio and transcript page.

An episode and its transcript are one record of the index, at the episode's URL: the transcript
page is not indexed itself (its front matter says `search: exclude: true`); the episode page
names it in an empty `<div data-podsite-index-transcript="URL">`, which this module replaces by
the transcript's paragraphs (between `<!-- podsite-transcript -->` and `<!--
/podsite-transcript -->` on the transcript page) in the copy that Pagefind reads. Pagefind's
entry file lists every record (about 9 bytes each, gzipped), and a browser loads it whole on
the first query: one record per episode instead of two keeps that first query within a few
hundred kilobytes at 10,000 episodes; a result also names each episode once, with the moments
of its transcript that hold the words (search.js).

Pagefind reads a copy of the pages it indexes (`<site>.podsite-src/` beside the site folder,
each page from its data-pagefind-body element on (see _slim), removed when Pagefind is done),
laid out as the site is, so every result's URL is the page's. The copy is cut in parts of about
search_merge.WORDS_PER_PART words, Pagefind indexes one part after the other, and
search_merge.py makes one index of them: Pagefind holds all the words it reads in memory
(2.5 GB for 10,000 episodes in one run).

The index is written beside the site (`pagefind.podsite-new/`) and moved into place only when
Pagefind succeeded, so a failed run leaves the previous index as it was.

The same pages give the same bytes, so `podsite publish` has nothing to push when nothing
changed: Pagefind's own filter and meta files differ from run to run (its hash maps' order;
upstream, Pagefind/pagefind#638), but search_merge.py writes those files again, in order. The last
index is also kept in the cache folder under a hash of what it was built from (every HTML
page's bytes) and reused while that hash holds: a rebuild of an unchanged site skips Pagefind.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import time
import urllib.parse
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from ..errors import PodsiteError
from ..model import Origin
from . import search_merge, search_places, writer

INDEX_DIR = "pagefind"  # the folder of the site that holds the index and pagefind.js
SOURCE_SUFFIX = ".podsite-src"  # beside the site: the pages Pagefind reads (see above)
BODY = b"data-pagefind-body"
TRANSCRIPT_MARK = re.compile(rb'<div data-podsite-index-transcript="([^"<>]*)"[^>]*>\s*</div>')
TRANSCRIPT_START, TRANSCRIPT_END = b"<!-- podsite-transcript -->", b"<!-- /podsite-transcript -->"
# Left out of every page's words: the "¶" permalinks the toc extension adds to headings.
EXCLUDED = ".headerlink"
# Pagefind's ready-made interfaces, which podsite's search (search.js) does not use
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
          "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
FIX_INSTALL = "install it: pip install 'pagefind[bin]'; or turn site search off with 'search: false' " \
              "under the podsite plugin in mkdocs.yml"


@dataclass(frozen=True)
class IndexStats:
    pages: int  # pages in the index
    words: int
    bytes: int  # the index folder on disk, pagefind.js and its WebAssembly included
    seconds: float
    whole_pages: bool  # no page marked data-pagefind-body: Pagefind indexed every page whole
    peak_mb: float = 0.0  # the indexer's peak memory (max RSS), for bench/benchmark.py

    def __str__(self) -> str:
        return (f"search index: {self.pages:,} pages, {self.words:,} words, "
                f"{self.bytes / 1e6:.1f} MB, in {self.seconds:.1f} s")


def find_pagefind() -> Path:
    """The Pagefind binary of the `pagefind_bin` wheel; PodsiteError when it is not installed."""
    try:
        from pagefind_bin import get_executable
        return Path(get_executable())
    except (ImportError, FileNotFoundError) as exc:
        raise PodsiteError.single(Origin("pagefind"), f"the search indexer Pagefind is not installed "
                                  f"({exc}) ({FIX_INSTALL})") from None


def write_search_index(site_dir: Path, shown: str | None = None, cache_dir: Path | None = None,
                       previous: Path | None = None) -> IndexStats:
    """Index the HTML pages of `site_dir` into `site_dir/pagefind/`. Raises PodsiteError naming
    the cause when Pagefind fails; the previous index, if any, is then left as it was. With a
    `cache_dir`, an index of the very same pages is reused from there (see above); when the
    index folder `previous` (of the site this one replaces) holds that very index, it is moved
    here instead of linking the cache's files again (10,000 files at 10,000 episodes)."""
    shown = shown or str(site_dir)
    if not site_dir.is_dir():
        raise PodsiteError.single(Origin(shown), "cannot build the search index: no such folder "
                                  "(build the site first)")
    binary = find_pagefind()
    site_dir = site_dir.resolve()
    final = site_dir / INDEX_DIR
    staging = Path(writer.staging_dir_for(str(final)))
    writer.discard(str(staging))
    started = time.perf_counter()
    key = _input_key(site_dir) if cache_dir else ""
    cached = _cached_stats(cache_dir, key) if cache_dir else None
    if cached is not None:
        if not (previous and _same_files(previous, cache_dir / INDEX_DIR) and _moved(previous, staging)):
            shutil.copytree(cache_dir / INDEX_DIR, staging, copy_function=_link_or_copy)
        writer.swap_in(str(staging), str(final))
        return IndexStats(**{**cached, "seconds": time.perf_counter() - started})
    source = Path(str(site_dir) + SOURCE_SUFFIX)
    try:
        try:
            parts = _index_source(site_dir, source, search_merge.WORDS_PER_PART)
        except OSError as exc:
            raise PodsiteError.single(Origin(str(source)), f"cannot prepare the pages for the search "
                                      f"index: {exc} (check the free space and permissions beside "
                                      "the site folder)") from None
        outputs = [source / f"index-{number}" for number in range(len(parts))]
        peaks: list[float] = []
        said = [_pagefind(binary, part, output, shown, peaks) for part, output in zip(parts, outputs)]
        try:
            words = search_merge.merge(outputs, staging)
        except OSError as exc:
            raise _cannot_write(staging, exc) from None
        except search_merge.NotPagefind:  # another Pagefind's format: its own index, in one run
            writer.discard(str(staging))
            try:
                if len(parts) > 1:
                    parts = _index_source(site_dir, source, None)
                    said = [_pagefind(binary, parts[0], outputs[0], shown, peaks)]
                os.replace(outputs[0], staging)
            except OSError as exc:
                raise _cannot_write(staging, exc) from None
            words = _count(said[0], "word")
    finally:
        writer.discard(str(source))
    for name in UNUSED:
        (staging / name).unlink(missing_ok=True)
    seconds = time.perf_counter() - started
    stats = IndexStats(pages=sum(_count(out, "page") for out in said), words=words,
                       bytes=sum(f.stat().st_size for f in staging.rglob("*") if f.is_file()),
                       seconds=seconds,
                       whole_pages=any("Did not find a data-pagefind-body" in out for out in said),
                       peak_mb=max(peaks, default=0.0))
    if cache_dir:
        _keep(staging, cache_dir, key, stats)
    writer.swap_in(str(staging), str(final))
    return stats


def _cannot_write(staging: Path, exc: OSError) -> PodsiteError:
    writer.discard(str(staging))
    return PodsiteError.single(Origin(str(staging)), f"cannot write the search index: {exc} "
                               "(check the free space and permissions in the site folder)")


def _same_files(folder: Path, other: Path) -> bool:
    """The same entry file and the same file names (the others are named by their bytes' hash)."""
    def names(root: Path) -> set[str]:
        return {os.path.join(os.path.relpath(path, root), name) for path, _, files in os.walk(root) for name in files}
    try:
        return (folder / search_merge.ENTRY).read_bytes() == (other / search_merge.ENTRY).read_bytes() \
            and names(folder) == names(other)
    except OSError:
        return False


def _moved(folder: Path, target: Path) -> bool:
    try:
        os.replace(folder, target)
        return True
    except OSError:  # another file system
        return False


def _pagefind(binary: Path, pages: Path, output: Path, shown: str, peaks: list[float] | None = None) -> str:
    """Pagefind over the folder `pages`, its index into `output`; what it printed. Its peak
    memory (MB, read from /proc while it runs, where there is one) is added to `peaks`."""
    try:
        run = subprocess.Popen([str(binary), "--site", str(pages), "--output-path", str(output),
                                "--exclude-selectors", EXCLUDED], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, errors="replace", cwd=pages)
    except OSError as exc:
        raise PodsiteError.single(Origin(shown), f"cannot run the search indexer {binary}: {exc} "
                                  f"({FIX_INSTALL})") from None
    peak = 0.0
    while True:
        try:
            stdout, stderr = run.communicate(timeout=0.05)
            break
        except subprocess.TimeoutExpired:
            peak = max(peak, _peak_mb(run.pid))
    if peaks is not None:
        peaks.append(peak)
    if run.returncode != 0:
        said = _last_lines(stderr) or _last_lines(stdout) or f"exit status {run.returncode}"
        raise PodsiteError.single(Origin(shown), f"the search index could not be built; Pagefind "
                                  f"says: {said} (check that the folder holds the built site's "
                                  "HTML pages; or turn site search off with 'search: false' under "
                                  "the podsite plugin in mkdocs.yml)")
    return stdout


def _peak_mb(pid: int) -> float:
    """A process's peak memory so far (VmHWM: its own, unlike the max RSS that the kernel
    reports for a child, which starts at the parent's when it forks)."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def _index_source(site_dir: Path, source: Path, words_per_part: int | None, slim: bool = True) -> list[Path]:
    """The pages Pagefind is to read, into folders `source/pages-N` (each laid out as the site),
    about `words_per_part` words in each (all in one with None): the pages marked
    data-pagefind-body (every page when none is, as Pagefind then does), each episode with its
    transcript's paragraphs in place of its data-podsite-index-transcript mark, and each `slim`
    (see _slim)."""
    writer.discard(str(source))
    pages = _html_pages(site_dir)
    any_marked = any(BODY in Path(page).read_bytes() for _, page in pages)  # stops at the first
    parts, words = [source / "pages-0"], 0
    parts[0].mkdir(parents=True)
    for relative, name in pages:
        page = Path(name)
        data = page.read_bytes()
        if any_marked and BODY not in data:
            continue
        spliced = any_marked and TRANSCRIPT_MARK.search(data)
        if spliced:
            data = TRANSCRIPT_MARK.sub(lambda m: _transcript(site_dir, page, m.group(1)), data)
        if any_marked and slim:
            slimmed = _slim(data)
            spliced, data = spliced or slimmed is not data, slimmed
        page_words = data.count(b" ", max(data.find(BODY), 0))  # about its words, and fast
        if words_per_part and words and words + page_words > words_per_part:
            parts.append(source / f"pages-{len(parts)}")
            words = 0
        words += page_words
        target = parts[-1] / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if spliced:
            target.write_bytes(data)
        else:
            _link_or_copy(page, target)
    return parts


HTML_TAG, TITLE = re.compile(rb"<html\b[^>]*>", re.I), re.compile(rb"<title>.*?</title>", re.I | re.S)


def _slim(page: bytes) -> bytes:
    """The page as Pagefind reads it, without what comes before its data-pagefind-body element
    (Material's head, header, navigation and sidebars: 19 of an episode page's 30 kB) but the
    <html> tag (its lang) and the <title>: Pagefind then indexes the same records, 30% faster.
    The page as it is when anything in that part is for Pagefind (a data-pagefind- attribute)."""
    start = page.rfind(b"<", 0, page.find(BODY))
    before = page[:start] if start > 0 else b""
    html_tag = HTML_TAG.search(before)
    if not html_tag or b"data-pagefind-" in before:
        return page
    title = TITLE.search(before, html_tag.end())
    return (b'<!DOCTYPE html>\n' + html_tag.group(0) + b'<head><meta charset="utf-8">'
            + (title.group(0) if title else b"") + b"</head><body>\n" + page[start:])


def _link_or_copy(source: Path | str, target: Path | str) -> None:
    """A hard link (no bytes copied: nothing rewrites these files in place), else a copy."""
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed
        shutil.copyfile(source, target)


def _html_pages(site_dir: Path) -> list[tuple[str, str]]:
    """(path in the site, path on disk) of every HTML file of the site, in order of the former;
    not the index's own folders (nor their staging copies). os.walk: pathlib's rglob and Path
    objects took 2 s of a rebuild at 10,000 episodes."""
    pages = []
    for folder, subfolders, names in os.walk(site_dir):
        if folder == str(site_dir):
            subfolders[:] = [d for d in subfolders if d not in (INDEX_DIR, INDEX_DIR + writer.STAGING_SUFFIX)]
        relative = os.path.relpath(folder, site_dir).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        pages += [(prefix + name, os.path.join(folder, name)) for name in names if name.endswith(".html")]
    return sorted(pages)


def _transcript(site_dir: Path, page: Path, url: bytes) -> bytes:
    """The paragraphs of the transcript page at `url` (relative to `page`), as the part of the
    episode's record that search.js finds moments in; nothing when the page cannot be read."""
    address = html.unescape(url.decode("utf-8", "replace")).split("#")[0].split("?")[0]
    if not address or "://" in address or address.startswith("/"):
        return b""
    target = (page.parent / urllib.parse.unquote(address)).resolve()
    if address.endswith("/") or target.is_dir():
        target = target / "index.html"
    if not target.is_relative_to(site_dir):
        return b""
    try:
        data = target.read_bytes()
    except OSError:
        return b""
    start, end = data.find(TRANSCRIPT_START), data.rfind(TRANSCRIPT_END)
    if start < 0 or end < start:
        return b""
    return (b'<div data-podsite-transcript><span id="podsite-transcript"></span>'
            + data[start + len(TRANSCRIPT_START):end] + b"</div>")


STAMP = "podsite-index.json"  # in the cache folder: the key and the figures of the index kept there


def _input_key(site_dir: Path) -> str:
    """Every HTML page of the site (path and bytes), Pagefind's version and podsite's options."""
    digest = hashlib.sha256(f"{_pagefind_version()} {EXCLUDED} {UNUSED} {search_places.KEPT} "
                            f"merged {search_merge.CHUNK_BYTES}".encode())
    for relative, page in _html_pages(site_dir):
        with open(page, "rb") as file:
            digest.update(relative.encode() + b"\0" + file.read() + b"\0")
    return digest.hexdigest()


def _pagefind_version() -> str:
    try:
        return metadata.version("pagefind_bin")
    except metadata.PackageNotFoundError:
        return "?"


def _cached_stats(cache_dir: Path, key: str) -> dict | None:
    try:
        stamp = json.loads((cache_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if stamp.get("key") != key or not (cache_dir / INDEX_DIR).is_dir():
        return None
    stats = stamp.get("stats")
    return stats if isinstance(stats, dict) and set(stats) == set(IndexStats.__annotations__) else None


def _keep(index: Path, cache_dir: Path, key: str, stats: IndexStats) -> None:
    """A copy of the index for the next build; a cache that cannot be written is only slower."""
    try:
        (cache_dir / STAMP).unlink(missing_ok=True)
        writer.discard(str(cache_dir / INDEX_DIR))
        cache_dir.mkdir(parents=True, exist_ok=True)
        shutil.copytree(index, cache_dir / INDEX_DIR, copy_function=_link_or_copy)
        writer.write_file_atomic(cache_dir / STAMP, json.dumps(
            {"key": key, "stats": asdict(stats)}, sort_keys=True).encode("utf-8"))
    except OSError:
        pass


def _count(output: str, what: str) -> int:
    match = re.search(rf"Indexed (\d+) {what}s?\b", output)
    return int(match.group(1)) if match else 0


def _last_lines(text: str, count: int = 3) -> str:
    lines = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    errors = [line for line in lines if line.lower().startswith("error")]
    return " ".join((errors or lines)[-count:])
