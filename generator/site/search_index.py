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
  kind, virtues, season and people, and a transcript its episode and audio.

The index is written beside the site (`pagefind.podsite-new/`) and moved into place only when
Pagefind succeeded, so a failed run leaves the previous index as it was.

Pagefind's filter and metadata files differ from run to run for the same pages (its hash maps'
order; upstream, Pagefind/pagefind#638). So that the same site gives the same bytes (and
`podsite publish` has nothing to push when nothing changed), the last index is kept in the
cache folder under a hash of what it was built from, every HTML page's bytes, and reused
while that hash holds; a rebuild of an unchanged site also skips Pagefind's run.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import time
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from ..errors import PodsiteError
from ..model import Origin
from . import writer

INDEX_DIR = "pagefind"  # the folder of the site that holds the index and pagefind.js
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


def write_search_index(site_dir: Path, shown: str | None = None,
                       cache_dir: Path | None = None) -> IndexStats:
    """Index the HTML pages of `site_dir` into `site_dir/pagefind/`. Raises PodsiteError naming
    the cause when Pagefind fails; the previous index, if any, is then left as it was. With a
    `cache_dir`, an index of the very same pages is reused from there (see above)."""
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
        shutil.copytree(cache_dir / INDEX_DIR, staging)
        writer.swap_in(str(staging), str(final))
        return IndexStats(**{**cached, "seconds": time.perf_counter() - started})
    try:
        run = subprocess.run([str(binary), "--site", str(site_dir), "--output-path", str(staging),
                              "--exclude-selectors", EXCLUDED],
                             capture_output=True, text=True, errors="replace", cwd=site_dir)
    except OSError as exc:
        raise PodsiteError.single(Origin(shown), f"cannot run the search indexer {binary}: {exc} "
                                  f"({FIX_INSTALL})") from None
    seconds = time.perf_counter() - started
    if run.returncode != 0:
        writer.discard(str(staging))
        said = _last_lines(run.stderr) or _last_lines(run.stdout) or f"exit status {run.returncode}"
        raise PodsiteError.single(Origin(shown), f"the search index could not be built; Pagefind "
                                  f"says: {said} (check that the folder holds the built site's "
                                  "HTML pages; or turn site search off with 'search: false' under "
                                  "the podsite plugin in mkdocs.yml)")
    for name in UNUSED:
        (staging / name).unlink(missing_ok=True)
    stats = IndexStats(pages=_count(run.stdout, "page"), words=_count(run.stdout, "word"),
                       bytes=sum(f.stat().st_size for f in staging.rglob("*") if f.is_file()),
                       seconds=seconds,
                       whole_pages="Did not find a data-pagefind-body" in run.stdout)
    if cache_dir:
        _keep(staging, cache_dir, key, stats)
    writer.swap_in(str(staging), str(final))
    return stats


STAMP = "podsite-index.json"  # in the cache folder: the key and the figures of the index kept there


def _input_key(site_dir: Path) -> str:
    """Every HTML page of the site (path and bytes), Pagefind's version and podsite's options."""
    digest = hashlib.sha256(f"{_pagefind_version()} {EXCLUDED} {UNUSED}".encode())
    for page in sorted(site_dir.rglob("*.html")):
        relative = page.relative_to(site_dir).as_posix()
        if relative.split("/")[0] in (INDEX_DIR, INDEX_DIR + writer.STAGING_SUFFIX):
            continue
        digest.update(relative.encode() + b"\0" + page.read_bytes() + b"\0")
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
        shutil.copytree(index, cache_dir / INDEX_DIR)
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
