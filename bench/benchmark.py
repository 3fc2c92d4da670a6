#!/usr/bin/env python3
"""Benchmark podsite against the tools it rides on, and print the figures.

    .venv/bin/python bench/benchmark.py            # 200, 2000 and 10,000 episodes (~17 min)
    .venv/bin/python bench/benchmark.py --quick    # 200 and 1000 episodes (~3 min)
    .venv/bin/python bench/benchmark.py --sizes 500 --keep /tmp/bench
    .venv/bin/python bench/benchmark.py --sizes 200 2000 --transcript-words 8000 --repeat 1

For each size it writes a synthetic feed with ../shared/bench/make_feed.py (or --make-feed), then
in one run on one machine measures:

1. `mkdocs build` of a podsite project on that feed (first build, then rebuilds with the feed
   unchanged) against `mkdocs build` of MkDocs + Material on the same number of plain Markdown
   pages (same text, kept out of the nav, same theme and search plugin), and the ratio;
2. bytes of an episode page and of a plain page (median), the largest page, the whole site;
3. feed ingest: cold (feedparser), warm (unchanged feed, served by the parsed-feed cache), and the
   floor: the same bytes parsed by the standard library's ElementTree;
4. site search (Pagefind): the index on disk and its build time, and in headless Chromium the
   bytes a browser transfers for a first query (pagefind.js, its WebAssembly, the index chunks and
   the fragments of the first page of results) and the time from the last keystroke to the
   results, beside the whole index Material's search downloads on a first query of the plain
   site (`--transcript-words N`: transcripts of N words, so that it is there to search);
5. peak memory (max RSS) of each `mkdocs build` process.

Times are wall clock and CPU (user + sys of the child, from wait4): with other work on the machine
the CPU time is the steadier figure, and the target ratios are checked on it. Rebuild times are
the best of `--repeat` runs (3; 1 at 10,000 episodes), interleaved with the plain builds.
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import metadata
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
MAKE_FEED = REPO.parent / "shared" / "bench" / "make_feed.py"
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO))

from generator.errors import Report
from generator.ingest.cache import parse_feed_cached
from generator.ingest.feed import parse_feed

# against the plain-pages build (CPU time), at 2000 and 10,000 episodes
TARGET_REBUILD_RATIO = 1.10  # nothing changed
TARGET_EDIT_RATIO = 1.20  # after a template edit
TARGET_FIRST_RATIO = 1.5  # from an empty cache, chapter and transcript files downloaded
TARGET_MEMORY_RATIO = 1.5  # peak memory at the largest size
TARGET_INGEST_RATIO = 3.0
TARGET_PAGE_RATIO = 1.5
TARGET_QUERY_BYTES = 300_000
TARGET_QUERY_MS = 300


@dataclass
class Run:
    wall: float
    cpu: float
    max_rss_mb: float


def run_mkdocs(project: Path, env: dict) -> Run:
    """`mkdocs build` in `project`; time and peak memory of that one child process (wait4)."""
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    start = time.perf_counter()
    child = subprocess.Popen([str(BIN / "mkdocs"), "build", "--quiet"], cwd=project, env=full_env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"mkdocs build failed in {project}:\n{output.decode(errors='replace')}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def best(runs: list[Run]) -> Run:
    return Run(min(r.wall for r in runs), min(r.cpu for r in runs), max(r.max_rss_mb for r in runs))


# --- projects -------------------------------------------------------------------------------------


# What each synthetic transcript says, as the two speakers' turns: served as WebVTT to podsite,
# written as the same Markdown turns for the plain build, so both build the same text.
TURNS = (("Host", "Episode {number}, the opening words."), ("Guest", "And the answer."))
TURN_WORDS = 40  # words per turn of a long transcript (--transcript-words)
VOCABULARY_SIZE = 30000


def vocabulary() -> list[str]:
    """Words for long synthetic transcripts, most frequent first (drawn with Zipf's law): the
    sample show's own words in the order of how often its notes and transcripts use them (so
    "the", "and", "you" lead, as in any English text, and "courage" comes later), then made-up
    ones, so the index has a real language's spread."""
    import collections
    import random
    counts: collections.Counter[str] = collections.Counter()
    for path in sorted((REPO / "content").rglob("*.md")) + sorted((REPO / "content").rglob("*.vtt")):
        text = path.read_text(encoding="utf-8").lower()
        if path.suffix == ".md" and text.startswith("---"):  # the front matter's keys are no words
            text = text.split("\n---", 1)[-1]
        text = re.sub(r"<[^>]*>|\{[^}]*\}|\]\([^)]*\)", " ", text)  # markup and link targets
        counts.update(re.findall(r"[a-z]+(?:'[a-z]+)?", text))
    seen = [word for word, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    known = set(seen)
    rng = random.Random(7)
    syllables = ["ka", "lo", "mi", "ne", "ru", "sta", "ven", "dor", "pli", "tha", "gre", "son",
                 "bu", "fe", "ji", "wo", "zan", "quel", "pra", "ist"]  # 20**2 + 20**3 + 20**4 words
    while len(seen) < VOCABULARY_SIZE:
        made = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        if made not in known:
            known.add(made)
            seen.append(made)
    return seen[:VOCABULARY_SIZE]


def transcript_turns(number: str, words: int) -> list[tuple[str, str]]:
    """The turns of episode `number`'s transcript: the two of TURNS, or `words` words of text."""
    if not words:
        return [(who, said.format(number=number)) for who, said in TURNS]
    import random
    rng = random.Random(int(number) if number.isdigit() else number)
    vocab = WORDS or WORDS.extend(vocabulary()) or WORDS
    weights = CUMULATIVE or CUMULATIVE.extend(_zipf(len(vocab))) or CUMULATIVE
    drawn = rng.choices(vocab, cum_weights=weights, k=words)
    return [(TURNS[i % 2][0], " ".join(drawn[start:start + TURN_WORDS]).capitalize() + ".")
            for i, start in enumerate(range(0, words, TURN_WORDS))]


def _zipf(n: int) -> list[float]:
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank
        out.append(total)
    return out


WORDS: list[str] = []
CUMULATIVE: list[float] = []


class Attachments(BaseHTTPRequestHandler):
    """The synthetic feed's chapter (.json) and transcript (.vtt) files, on 127.0.0.1: a first
    build downloads them all, as it would from a show's host; rebuilds use the copies."""

    words = 0  # --transcript-words

    def do_GET(self):
        name = self.path.rsplit("/", 1)[-1]
        number = name.split(".")[0]
        if name.endswith(".vtt"):
            cues = [f"00:{i // 6:02d}:{i % 6 * 10:02d}.000 --> 00:{i // 6:02d}:{i % 6 * 10 + 9:02d}.000\n"
                    f"<v {who}>{said}" for i, (who, said) in enumerate(transcript_turns(number, self.words))]
            body = ("WEBVTT\n\n" + "\n\n".join(cues) + "\n").encode()
        elif name.endswith(".json"):
            body = (b'{"version": "1.2.0", "chapters": [{"startTime": 0, "title": "Opening"}, '
                    b'{"startTime": 300, "title": "The story"}, {"startTime": 1500, "title": "Try this"}]}')
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", "Mon, 05 Jan 2026 06:00:00 GMT")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def serve_attachments(words: int = 0) -> str:
    Attachments.words = words
    server = ThreadingHTTPServer(("127.0.0.1", 0), Attachments)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def make_feed(make_feed_script: Path, episodes: int, out: Path) -> None:
    subprocess.run([sys.executable, str(make_feed_script), str(episodes), str(out)], check=True)


def podsite_project(where: Path) -> Path:
    """The sample project with no show notes: every page comes from the feed."""
    where.mkdir()
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    # the attachments are served on 127.0.0.1, which a feed may only name when allowed
    (where / "mkdocs.yml").write_text(config.replace("  - podsite:\n", "  - podsite:\n"
                                                     "      fetch_allow_hosts: [127.0.0.1]\n", 1))
    shutil.copytree(REPO / "templates", where / "templates")
    for folder in ("virtues", "pages"):
        shutil.copytree(REPO / "content" / folder, where / "content" / folder)
    (where / "content" / "episodes").mkdir()
    return where


def plain_project(where: Path, feed: Path, words: int = 0) -> Path:
    """MkDocs + Material, same config without podsite, one plain page per feed item."""
    where.mkdir()
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = ["search"]  # Material's own search, as before podsite had one
    config["docs_dir"] = "docs"
    config.pop("watch", None)
    config["theme"].pop("custom_dir", None)  # plain Material: no podsite player bar or tags
    (where / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    docs = where / "docs"
    for page in ("index.md", "about.md", "episodes/index.md", "virtues/index.md", "people/index.md",
                 "transcripts/index.md",
                 *(f"virtues/{v.name}" for v in (REPO / "content" / "virtues").glob("*.md"))):
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        (docs / page).write_text(f"# {Path(page).stem.title()}\n\nA page of the nav.\n", encoding="utf-8")
    (docs / "plain").mkdir()
    (docs / "plain-transcripts").mkdir()
    transcript = "{https://podcastindex.org/namespace/1.0}transcript"
    for number, item in enumerate(ET.parse(feed).getroot().iter("item"), start=1):
        title = item.findtext("title") or ""
        text = html.unescape(re.sub(r"<[^>]+>", " ", item.findtext("description") or ""))
        (docs / "plain" / f"p{number:05d}.md").write_text(
            f"# {title}\n\n{' '.join(text.split())}\n", encoding="utf-8")
        if item.find(transcript) is not None:  # podsite makes a transcript page: so does this
            (docs / "plain-transcripts" / f"t{number:05d}.md").write_text(
                f"---\nsearch:\n  exclude: true\n---\n# Transcript: {title}\n\n"
                + "\n\n".join(f"**{who}:** {said}" for who, said in transcript_turns(str(number), words))
                + "\n", encoding="utf-8")
    return where


def attachments_cached(project: Path) -> int:
    return sum(1 for _ in (project / ".cache" / "podsite" / "feeds" / "attachments").glob("*/feed.xml"))


def attachments_named(feed: Path) -> int:
    data = feed.read_bytes()
    return data.count(b"<podcast:transcript ") + data.count(b"<podcast:chapters ")


# --- measurements ---------------------------------------------------------------------------------


def timed(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def ingest(feed: Path, cache_dir: Path, repeat: int) -> dict[str, float]:
    source = "content/feed.xml"

    def cold():
        parse_feed(feed.read_bytes(), source, Report())

    def fill():
        parse_feed_cached(feed.read_bytes(), source, Report(), cache_dir)

    def warm():
        assert parse_feed_cached(feed.read_bytes(), source, Report(), cache_dir) is not None

    def floor():
        ET.fromstring(feed.read_bytes())

    figures = {"cold": timed(cold, 1)}
    fill()
    figures["warm"] = timed(warm, max(repeat, 3))
    figures["floor"] = timed(floor, max(repeat, 3))
    return figures


def html_sizes(folder: Path) -> list[int]:
    return [p.stat().st_size for p in folder.glob("*/index.html")]


def largest_page(site: Path) -> tuple[int, str]:
    return max((p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html"))


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def mb(size: float) -> str:
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.1f} kB"


QUERIES = ("alliances", "courage")  # the first query, then a second one (both words of the sample)
CHROMIUM = "/usr/bin/chromium"


def search_in_browser(site: Path) -> dict:
    """Serve `site` on 127.0.0.1, open it in headless Chromium, and search from the header box as
    a listener does: the bytes each query makes the browser fetch (as sent, and as a server that
    gzips JavaScript would send them; the index files are gzipped already) and the time from the
    last keystroke to the results on screen."""
    from functools import partial
    from http.server import SimpleHTTPRequestHandler

    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    figures = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
            page = browser.new_page()
            fetched: list[tuple[str, int, int]] = []

            def count(response) -> None:
                if "/pagefind/" in response.url:
                    body = response.body()
                    packed = len(body) if response.url.endswith((".pf_fragment", ".pf_index", ".pf_meta",
                                                                ".pf_filter", ".pagefind")) \
                        else len(gzip.compress(body, 6))
                    fetched.append((response.url, len(body), packed))

            page.on("response", count)
            page.goto(url)
            page.evaluate("""() => { window.lastKey = 0;
                document.addEventListener('keydown', () => { window.lastKey = performance.now(); }, true);
                document.addEventListener('podsite:search-results', () => { window.shown = performance.now(); }); }""")
            for n, query in enumerate(QUERIES):
                fetched.clear()
                page.keyboard.press("/")
                if n:
                    page.keyboard.press("Control+A")
                    page.keyboard.press("Backspace")
                page.keyboard.type(query, delay=80)
                page.wait_for_selector(f"[data-podsite-searched='{query}']", state="attached", timeout=120000)
                page.wait_for_timeout(300)  # responses still being read
                results = page.locator(".md-search-result__item").count()
                took = page.evaluate("window.shown - window.lastKey")
                parts: dict[str, int] = {}
                for address, _, sent in fetched:
                    parts[part_of(address)] = parts.get(part_of(address), 0) + sent
                figures["first" if n == 0 else "next"] = {
                    "query": query, "results": results, "ms": took, "files": len(fetched),
                    "raw": sum(f[1] for f in fetched), "sent": sum(f[2] for f in fetched),
                    "parts": parts}
                page.keyboard.press("Escape")
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return figures


PARTS = (("code", (".js", ".wasm", "wasm.", ".pagefind")), ("entry", ("pagefind-entry.json", ".pf_meta")),
         ("chunks", (".pf_index",)), ("filters", (".pf_filter",)), ("fragments", (".pf_fragment",)))


def part_of(address: str) -> str:
    """What a file of Pagefind's is for: its code, the index's entry, word chunks, filters or
    the fragments (one per result shown)."""
    name = address.rsplit("/", 1)[-1].split("?")[0]
    for part, marks in PARTS:
        if any(name.endswith(m) or name.startswith(m) for m in marks):
            return part
    return "other"


def index_stats(project: Path) -> dict:
    """The figures of the last search index the project's builds made (its build time, and the
    peak memory of Pagefind's process, which the build's peak includes)."""
    stamp = project / ".cache" / "podsite" / "search" / "podsite-index.json"
    return json.loads(stamp.read_text())["stats"]


def measure(episodes: int, work: Path, make_feed_script: Path, repeat: int, attachments: str,
            words: int = 0) -> dict:
    folder = work / str(episodes)
    folder.mkdir(parents=True)
    feed = folder / "feed.xml"
    make_feed(make_feed_script, episodes, feed)
    # chapter and transcript links point at example.org: serve them here instead
    data = feed.read_bytes()
    for tag in (b"podcast:transcript", b"podcast:chapters"):
        data = data.replace(tag + b' url="https://example.org/', tag + b' url="' + attachments.encode())
    feed.write_bytes(data)
    ours = podsite_project(folder / "podsite")
    plain = plain_project(folder / "plain", feed, words)
    env = {"PODCAST_FEED": str(feed)}
    print(f"  {episodes} episodes: feed {mb(feed.stat().st_size)}; building...", flush=True)

    first = run_mkdocs(ours, env)
    # A build spends at most a minute downloading chapter and transcript files; at 10,000
    # episodes the first build leaves some for the next ones. Settle before timing rebuilds.
    while attachments_cached(ours) < attachments_named(feed):
        before = attachments_cached(ours)
        run_mkdocs(ours, env)
        if attachments_cached(ours) == before:
            sys.exit(f"chapter and transcript downloads make no progress in {ours}")
    plains = [run_mkdocs(plain, {})]  # warms the file cache like `first` did; not counted
    rebuilds, edits = [], []
    for number in range(repeat):  # interleaved, so a change in the machine's load hits all three
        rebuilds.append(run_mkdocs(ours, env))
        # a template edit: the site is rendered again, the feed is not parsed again
        with open(ours / "templates" / "home.md.j2", "a", encoding="utf-8") as template:
            template.write(f"{{# benchmark edit {number} #}}\n")
        edits.append(run_mkdocs(ours, env))
        plains.append(run_mkdocs(plain, {}))
    our_site, plain_site = ours / "site", plain / "site"
    index_bytes = (plain_site / "search" / "search_index.json").read_bytes()  # Material's, whole
    index = index_stats(ours)
    return {
        "episodes": episodes,
        "feed_bytes": feed.stat().st_size,
        "first": first,
        "rebuild": best(rebuilds),
        "edit": best(edits),
        "plain": best(plains[1:]),
        "plain_first": plains[0],
        "episode_page": statistics.median(html_sizes(our_site / "episodes")),
        "plain_page": statistics.median(html_sizes(plain_site / "plain")),
        "largest": largest_page(our_site),
        "site": tree_size(our_site),
        "plain_site": tree_size(plain_site),
        "pages": sum(1 for _ in our_site.rglob("*.html")),
        "index_raw": len(index_bytes),
        "index_gz": len(gzip.compress(index_bytes, 6)),
        "pagefind_disk": tree_size(our_site / "pagefind"),
        "pagefind_files": sum(1 for _ in (our_site / "pagefind").rglob("*")),
        "pagefind_seconds": index["seconds"],
        "pagefind_peak_mb": index["peak_mb"],
        "browser": search_in_browser(our_site),
        "ingest": ingest(feed, folder / "ingest-cache", repeat),
    }


# --- report ---------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = ", ".join(f"{d} {metadata.version(d)}" for d in ("mkdocs", "mkdocs-material", "feedparser"))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, load {load}; "
            f"Python {platform.python_version()}, {versions}")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def report(results: list[dict]) -> None:
    print()
    print(f"machine: {MACHINE[0] if MACHINE else machine()}")
    print()
    head = (f"{'episodes':>8} | {'podsite first':>14} | {'rebuild':>13} | {'template edited':>15} | "
            f"{'plain pages':>13} | {'ratios cpu':>11} | {'peak RSS':>8}")
    print("build (wall s / cpu s): first = empty cache; rebuild = nothing changed; template edited ="
          " pages rendered again, feed from cache;\nratios = rebuild / plain and template edited / plain")
    print(head)
    print("-" * len(head))
    for r in results:
        f, w, e, p = r["first"], r["rebuild"], r["edit"], r["plain"]
        print(f"{r['episodes']:>8} | {f.wall:6.1f} / {f.cpu:5.1f} | {w.wall:5.1f} / {w.cpu:5.1f} | "
              f"{e.wall:7.1f} / {e.cpu:5.1f} | {p.wall:5.1f} / {p.cpu:5.1f} | "
              f"{w.cpu / p.cpu:4.2f} / {e.cpu / p.cpu:4.2f} | "
              f"{max(f.max_rss_mb, w.max_rss_mb, e.max_rss_mb):5.0f} MB")
    print("  (plain-pages build peak RSS: " +
          ", ".join(f"{r['episodes']}: {r['plain'].max_rss_mb:.0f} MB" for r in results) + "; "
          "podsite's includes Pagefind's process, which alone peaked at " +
          ", ".join(f"{r['episodes']}: {r['pagefind_peak_mb']:.0f} MB" for r in results) + ")")
    print()
    print("output (median HTML page; largest HTML page; whole site)")
    head = (f"{'episodes':>8} | {'episode page':>12} | {'plain page':>10} | {'ratio':>5} | "
            f"{'largest page':>30} | {'pages':>6} | {'site':>9} | {'plain site':>10}")
    print(head)
    print("-" * len(head))
    for r in results:
        size, path = r["largest"]
        print(f"{r['episodes']:>8} | {r['episode_page']:>10.0f} B | {r['plain_page']:>8.0f} B | "
              f"{r['episode_page'] / r['plain_page']:5.2f} | {mb(size):>9} {path:>20} | {r['pages']:>6} | "
              f"{mb(r['site']):>9} | {mb(r['plain_site']):>10}")
    print()
    print("site search: podsite's Pagefind index against Material's (plain site), what a first query costs")
    head = (f"{'episodes':>8} | {'index on disk':>13} | {'files':>6} | {'index build':>11} | "
            f"{'1st query: sent (raw)':>22} | {'files':>5} | {'keystroke->results':>18} | "
            f"{'next query':>19} | {'Material: whole index gz':>24}")
    print(head)
    print("-" * len(head))
    for r in results:
        b = r["browser"]
        first, nxt = b["first"], b["next"]
        print(f"{r['episodes']:>8} | {mb(r['pagefind_disk']):>13} | {r['pagefind_files']:>6} | "
              f"{r['pagefind_seconds']:>9.1f} s | {mb(first['sent']):>9} ({mb(first['raw'])}) | "
              f"{first['files']:>5} | {first['ms']:>15.0f} ms | {mb(nxt['sent']):>8} {nxt['ms']:>6.0f} ms | "
              f"{mb(r['index_gz']):>24}")
    for r in results:
        parts = r["browser"]["first"]["parts"]
        print(f"  {r['episodes']} episodes, first query sent: " + ", ".join(
            f"{part} {mb(parts[part])}" for part, _ in PARTS + (("other", ()),) if part in parts))
    print(f"  (queries: {QUERIES[0]!r} first, with pagefind.js and its WebAssembly; then {QUERIES[1]!r}; "
          "'sent' = as a server that gzips JavaScript sends it; Material's index has no transcripts)")
    print()
    print("feed ingest (s) and Material's search index (plain site)")
    head = (f"{'episodes':>8} | {'feed':>8} | {'cold':>6} | {'warm':>6} | {'ElementTree':>11} | "
            f"{'warm/ET':>7} | {'index raw':>9} | {'gzipped':>8}")
    print(head)
    print("-" * len(head))
    for r in results:
        i = r["ingest"]
        print(f"{r['episodes']:>8} | {mb(r['feed_bytes']):>8} | {i['cold']:6.2f} | {i['warm']:6.3f} | "
              f"{i['floor']:11.3f} | {i['warm'] / i['floor']:7.2f} | {mb(r['index_raw']):>9} | "
              f"{mb(r['index_gz']):>8}")
    print()
    targets(results)


def targets(results: list[dict]) -> None:
    print("targets")
    large = [r for r in results if r["episodes"] >= 2000] or [results[-1]]
    for what, field, target in (("rebuild", "rebuild", TARGET_REBUILD_RATIO),
                                ("rebuild after a template edit", "edit", TARGET_EDIT_RATIO),
                                ("first build (empty cache, files downloaded)", "first", TARGET_FIRST_RATIO)):
        for r in large:
            ratio = r[field].cpu / r["plain"].cpu
            print(f"  [{verdict(ratio <= target)}] {what}, {r['episodes']} episodes: {ratio:.2f}x the "
                  f"plain-pages build (cpu; wall {r[field].wall / r['plain'].wall:.2f}x), target <= {target}x")
    worst = max(results, key=lambda r: r["ingest"]["warm"] / r["ingest"]["floor"])
    ratio = worst["ingest"]["warm"] / worst["ingest"]["floor"]
    print(f"  [{verdict(ratio <= TARGET_INGEST_RATIO)}] warm ingest: at most {ratio:.2f}x the "
          f"ElementTree floor ({worst['episodes']} episodes), target <= {TARGET_INGEST_RATIO}x")
    worst = max(results, key=lambda r: r["episode_page"] / r["plain_page"])
    ratio = worst["episode_page"] / worst["plain_page"]
    print(f"  [{verdict(ratio <= TARGET_PAGE_RATIO)}] episode page: at most {ratio:.2f}x a plain page, "
          f"target <= {TARGET_PAGE_RATIO}x")
    worst = max(results, key=lambda r: r["browser"]["first"]["sent"])
    sent = worst["browser"]["first"]["sent"]
    print(f"  [{verdict(sent <= TARGET_QUERY_BYTES)}] first search query: at most {mb(sent)} transferred "
          f"({worst['episodes']} episodes), target <= {mb(TARGET_QUERY_BYTES)}")
    slowest = max(max(r["browser"]["first"]["ms"], r["browser"]["next"]["ms"]) for r in results)
    print(f"  [{verdict(slowest <= TARGET_QUERY_MS)}] keystroke to results: at most {slowest:.0f} ms, "
          f"target <= {TARGET_QUERY_MS} ms")
    small, big = results[0], results[-1]
    if big is not small:
        grow = big["largest"][0] / small["largest"][0]
        print(f"  [{verdict(grow <= 1.05)}] largest page: {mb(small['largest'][0])} at "
              f"{small['episodes']} episodes, {mb(big['largest'][0])} at {big['episodes']} "
              f"({grow:.2f}x; bounded means <= 1.05x)")
    top = results[-1]
    peak = max(top["first"].max_rss_mb, top["rebuild"].max_rss_mb, top["edit"].max_rss_mb)
    ratio = peak / top["plain"].max_rss_mb
    print(f"  [{verdict(ratio <= TARGET_MEMORY_RATIO)}] peak memory at {top['episodes']} episodes: "
          f"{peak:.0f} MB, {ratio:.2f}x the plain-pages build's {top['plain'].max_rss_mb:.0f} MB "
          f"(Pagefind's process alone: {top['pagefind_peak_mb']:.0f} MB), target <= {TARGET_MEMORY_RATIO}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 and 1000 episodes only")
    parser.add_argument("--sizes", type=int, nargs="+", help="episode counts (default 200 2000 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="rebuilds per size; the best counts")
    parser.add_argument("--make-feed", type=Path, default=MAKE_FEED, help="feed generator script")
    parser.add_argument("--keep", type=Path, help="keep the projects in this (new) folder")
    parser.add_argument("--transcript-words", type=int, default=0,
                        help="words in each episode's transcript (default: two short turns)")
    parser.add_argument("--save", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--report", type=Path, help="print the report of figures saved with --save")
    args = parser.parse_args()
    if args.report:
        report(load_results(args.report))
        return
    if not args.make_feed.is_file():
        sys.exit(f"{args.make_feed}: feed generator not found (pass --make-feed PATH to "
                 "shared/bench/make_feed.py, which writes synthetic podcast feeds)")
    attachments = serve_attachments(args.transcript_words)
    sizes = args.sizes or ([200, 1000] if args.quick else [200, 2000, 10000])
    work = args.keep or Path(tempfile.mkdtemp(prefix="podsite-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"podsite benchmark: {', '.join(map(str, sizes))} episodes in {work}", flush=True)
    try:
        results = [measure(n, work, args.make_feed, args.repeat if n < 10000 else 1, attachments,
                           args.transcript_words) for n in sizes]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    if args.save:
        args.save.write_text(json.dumps({"machine": machine(), "results": results},
                                        default=lambda o: o.__dict__, indent=1), encoding="utf-8")
    report(results)


def load_results(path: Path) -> list[dict]:
    saved = json.loads(path.read_text(encoding="utf-8"))
    MACHINE.append(saved["machine"])
    results = saved["results"]
    for r in results:
        for field in ("first", "rebuild", "edit", "plain", "plain_first"):
            r[field] = Run(**r[field])
        r["largest"] = tuple(r["largest"])
    return results


MACHINE: list[str] = []  # the machine a saved report was measured on


if __name__ == "__main__":
    main()
