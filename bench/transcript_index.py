#!/usr/bin/env python3
"""How much the search index grows with transcripts: podsite's design against indexing them.

    .venv/bin/python bench/transcript_index.py                  # 150 episodes x 8000 words
    .venv/bin/python bench/transcript_index.py --episodes 30 --words 2000

Builds the sample project on a synthetic feed (../shared/bench/make_feed.py) with a WebVTT
transcript beside every episode's notes, twice:

1. as shipped: transcripts on pages of their own, left out of the search index
   (`search: exclude: true` in templates/transcript.md.j2; each page has its own find box);
2. the same pages with the exclusion removed, i.e. what every visitor's browser would download
   if transcripts were searchable site-wide (inline on the episode pages costs the same).

Prints the size of search/search_index.json, raw and gzipped, and the build time of each, and
the size of transcripts/search.json, which only a listener who searches the transcripts page
downloads.
"""

from __future__ import annotations

import argparse
import gzip
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAKE_FEED = REPO.parent / "shared" / "bench" / "make_feed.py"  # as in benchmark.py
sys.path.insert(0, str(REPO))

from generator.errors import Report
from generator.ingest.feed import parse_feed

WORDS = ("change team courage question meeting pilot habit ally risk trust small step Monday "
         "notice name follow up listen plan learn fail try again manager board pack care wild "
         "support inner story data process handoff customer feedback kind honest brave").split()


def vtt(rng: random.Random, words: int) -> str:
    cues, t, said = ["WEBVTT", ""], 0, 0
    speakers = ("Maren Holt", "Tomás Ferreira")
    while said < words:
        n = min(40, words - said)
        text = " ".join(rng.choice(WORDS) for _ in range(n))
        cues += [f"{t // 3600:02d}:{t // 60 % 60:02d}:{t % 60:02d}.000 --> "
                 f"{(t + 12) // 3600:02d}:{(t + 12) // 60 % 60:02d}:{(t + 12) % 60:02d}.000",
                 f"<v {speakers[(t // 12) % 2]}>{text}", ""]
        t, said = t + 12, said + n
    return "\n".join(cues)


def project(where: Path, episodes: int, words: int, make_feed: Path) -> Path:
    where.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", where / "mkdocs.yml")
    shutil.copytree(REPO / "templates", where / "templates")
    for folder in ("virtues", "pages"):
        shutil.copytree(REPO / "content" / folder, where / "content" / folder)
    feed = where / "feed.xml"
    subprocess.run([sys.executable, str(make_feed), str(episodes), str(feed)], check=True,
                   capture_output=True)
    parsed = parse_feed(feed.read_bytes(), "feed.xml", Report())
    notes = where / "content" / "episodes"
    notes.mkdir()
    rng = random.Random(7)
    for n, episode in enumerate(parsed.episodes, 1):
        (notes / f"{n:04d}.md").write_text(f"---\nguid: {episode.guid!r}\n---\nNotes.\n")
        (notes / f"{n:04d}.vtt").write_text(vtt(rng, words))
    return where


def sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6))


def build(where: Path) -> tuple[int, int, float]:
    env = {**os.environ, "PODCAST_FEED": str(where / "feed.xml"), "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "-q"], cwd=where,
                   env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    return (*sizes(where / "site" / "search" / "search_index.json"), seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--episodes", type=int, default=150)
    parser.add_argument("--words", type=int, default=8000)
    parser.add_argument("--make-feed", type=Path, default=MAKE_FEED, help="feed generator script")
    args = parser.parse_args()
    if not args.make_feed.is_file():
        sys.exit(f"{args.make_feed}: feed generator not found (pass --make-feed PATH to "
                 "shared/bench/make_feed.py, which writes synthetic podcast feeds)")
    with tempfile.TemporaryDirectory() as tmp:
        where = project(Path(tmp) / "p", args.episodes, args.words, args.make_feed)
        excluded = build(where)
        transcripts = sizes(where / "site" / "transcripts" / "search.json")
        template = where / "templates" / "transcript.md.j2"
        template.write_text(template.read_text().replace("search:\n  exclude: true\n", ""))
        shutil.rmtree(where / ".cache", ignore_errors=True)
        included = build(where)
    print(f"{args.episodes} episodes, a {args.words}-word transcript each")
    print(f"{'':38}{'index':>10}{'gzipped':>10}{'build':>9}")
    for name, (raw, gz, seconds) in (("transcript pages, not indexed (podsite)", excluded),
                                     ("transcript pages, indexed", included)):
        print(f"{name:38}{raw / 1024:>8.0f} KB{gz / 1024:>7.0f} KB{seconds:>8.1f} s")
    raw, gz = transcripts
    print(f"{'transcripts/search.json (on demand)':38}{raw / 1024:>8.0f} KB{gz / 1024:>7.0f} KB")


if __name__ == "__main__":
    main()
