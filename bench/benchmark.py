#!/usr/bin/env python3
"""Benchmark podsite against the tools it rides on, and print the figures.

    .venv/bin/python bench/benchmark.py            # 200, 2000 and 10,000 episodes (~17 min)
    .venv/bin/python bench/benchmark.py --quick    # 200 and 1000 episodes (~3 min)
    .venv/bin/python bench/benchmark.py --sizes 500 --keep /tmp/bench

For each size it writes a synthetic feed with ../shared/bench/make_feed.py (or --make-feed), then
in one run on one machine measures:

1. `mkdocs build` of a podsite project on that feed (first build, then rebuilds with the feed
   unchanged) against `mkdocs build` of MkDocs + Material on the same number of plain Markdown
   pages (same text, kept out of the nav, same theme and search plugin), and the ratio;
2. bytes of an episode page and of a plain page (median), the largest page, the whole site;
3. feed ingest: cold (feedparser), warm (unchanged feed, served by the parsed-feed cache), and the
   floor: the same bytes parsed by the standard library's ElementTree;
4. the search index, raw and gzipped;
5. peak memory (max RSS) of each `mkdocs build` process.

Times are wall clock and CPU (user + sys of the child, from wait4): with other work on the machine
the CPU time is the steadier figure, and the target ratios are checked on it. Rebuild times are
the best of `--repeat` runs (3; 1 at 10,000 episodes), interleaved with the plain builds.
"""

from __future__ import annotations

import argparse
import gzip
import html
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

TARGET_BUILD_RATIO = 1.25
TARGET_INGEST_RATIO = 3.0
TARGET_PAGE_RATIO = 1.5
TARGET_MEMORY_MB = 1024


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


class Attachments(BaseHTTPRequestHandler):
    """The synthetic feed's chapter (.json) and transcript (.vtt) files, on 127.0.0.1: a first
    build downloads them all, as it would from a show's host; rebuilds use the copies."""

    def do_GET(self):
        name = self.path.rsplit("/", 1)[-1]
        number = name.split(".")[0]
        if name.endswith(".vtt"):
            (host, opening), (guest, answer) = TURNS
            body = (f"WEBVTT\n\n00:00:00.000 --> 00:00:09.000\n<v {host}>{opening.format(number=number)}"
                    f"\n\n00:00:09.000 --> 00:00:20.000\n<v {guest}>{answer}\n").encode()
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


def serve_attachments() -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Attachments)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def make_feed(make_feed_script: Path, episodes: int, out: Path) -> None:
    subprocess.run([sys.executable, str(make_feed_script), str(episodes), str(out)], check=True)


def podsite_project(where: Path) -> Path:
    """The sample project with no show notes: every page comes from the feed."""
    where.mkdir()
    shutil.copy(REPO / "mkdocs.yml", where / "mkdocs.yml")
    shutil.copytree(REPO / "templates", where / "templates")
    for folder in ("virtues", "pages"):
        shutil.copytree(REPO / "content" / folder, where / "content" / folder)
    (where / "content" / "episodes").mkdir()
    return where


def plain_project(where: Path, feed: Path) -> Path:
    """MkDocs + Material, same config without podsite, one plain page per feed item."""
    where.mkdir()
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config["plugins"] if not (isinstance(p, dict) and "podsite" in p)]
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
                + "\n\n".join(f"**{who}:** {said.format(number=number)}" for who, said in TURNS) + "\n",
                encoding="utf-8")
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


def measure(episodes: int, work: Path, make_feed_script: Path, repeat: int, attachments: str) -> dict:
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
    plain = plain_project(folder / "plain", feed)
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
    index = our_site / "search" / "search_index.json"
    index_bytes = index.read_bytes()
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
    print(f"machine: {machine()}")
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
          ", ".join(f"{r['episodes']}: {r['plain'].max_rss_mb:.0f} MB" for r in results) + ")")
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
    print("feed ingest (s) and search index")
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
    by_size = {r["episodes"]: r for r in results}
    main = by_size.get(2000) or max((r for r in results if r["episodes"] <= 2000),
                                    key=lambda r: r["episodes"], default=results[0])
    n = main["episodes"]
    ratio = main["rebuild"].cpu / main["plain"].cpu
    print(f"  [{verdict(ratio <= TARGET_BUILD_RATIO)}] rebuild of {n} episodes: {ratio:.2f}x the "
          f"plain-pages build (cpu; wall {main['rebuild'].wall / main['plain'].wall:.2f}x), "
          f"target <= {TARGET_BUILD_RATIO}x")
    ratio = main["edit"].cpu / main["plain"].cpu
    print(f"  [{verdict(ratio <= TARGET_BUILD_RATIO)}] rebuild of {n} episodes after a template edit: "
          f"{ratio:.2f}x the plain-pages build (cpu; wall {main['edit'].wall / main['plain'].wall:.2f}x), "
          f"target <= {TARGET_BUILD_RATIO}x")
    worst = max(results, key=lambda r: r["ingest"]["warm"] / r["ingest"]["floor"])
    ratio = worst["ingest"]["warm"] / worst["ingest"]["floor"]
    print(f"  [{verdict(ratio <= TARGET_INGEST_RATIO)}] warm ingest: at most {ratio:.2f}x the "
          f"ElementTree floor ({worst['episodes']} episodes), target <= {TARGET_INGEST_RATIO}x")
    worst = max(results, key=lambda r: r["episode_page"] / r["plain_page"])
    ratio = worst["episode_page"] / worst["plain_page"]
    print(f"  [{verdict(ratio <= TARGET_PAGE_RATIO)}] episode page: at most {ratio:.2f}x a plain page, "
          f"target <= {TARGET_PAGE_RATIO}x")
    small, big = results[0], results[-1]
    if big is not small:
        grow = big["largest"][0] / small["largest"][0]
        print(f"  [{verdict(grow <= 1.05)}] largest page: {mb(small['largest'][0])} at "
              f"{small['episodes']} episodes, {mb(big['largest'][0])} at {big['episodes']} "
              f"({grow:.2f}x; bounded means <= 1.05x)")
    peak = max(max(r["first"].max_rss_mb, r["rebuild"].max_rss_mb, r["edit"].max_rss_mb) for r in results)
    top = results[-1]["episodes"]
    print(f"  [{verdict(peak < TARGET_MEMORY_MB)}] peak memory up to {top} episodes: {peak:.0f} MB, "
          f"target < {TARGET_MEMORY_MB} MB" + ("" if top >= 10000 else " (run without --quick for 10,000)"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="200 and 1000 episodes only")
    parser.add_argument("--sizes", type=int, nargs="+", help="episode counts (default 200 2000 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="rebuilds per size; the best counts")
    parser.add_argument("--make-feed", type=Path, default=MAKE_FEED, help="feed generator script")
    parser.add_argument("--keep", type=Path, help="keep the projects in this (new) folder")
    args = parser.parse_args()
    if not args.make_feed.is_file():
        sys.exit(f"{args.make_feed}: feed generator not found (pass --make-feed PATH to "
                 "shared/bench/make_feed.py, which writes synthetic podcast feeds)")
    attachments = serve_attachments()
    sizes = args.sizes or ([200, 1000] if args.quick else [200, 2000, 10000])
    work = args.keep or Path(tempfile.mkdtemp(prefix="podsite-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"podsite benchmark: {', '.join(map(str, sizes))} episodes in {work}", flush=True)
    try:
        results = [measure(n, work, args.make_feed, args.repeat if n < 10000 else 1, attachments)
                   for n in sizes]
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report(results)


if __name__ == "__main__":
    main()
