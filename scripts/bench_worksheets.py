#!/usr/bin/env python3
"""Figures for the worksheet PDFs: render time per worksheet and paper, cache-hit time, sizes.

    .venv/bin/python scripts/bench_worksheets.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from generator.build import Settings, build_site, load_sources
from generator.errors import Report
from generator.model import Podcast, Virtue
from generator.site.worksheet_pdf import (
    PAPERS,
    make_html_environment,
    render_pdf,
    render_worksheet_html,
)
from generator.sources.worksheets import parse_worksheet

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    env = make_html_environment(ROOT / "templates")
    podcast = Podcast("Small Brave Steps", language="en")
    with tempfile.TemporaryDirectory() as cache_dir:
        cache = Path(cache_dir) / "worksheets"  # where build_site keeps them under cache_dir
        print(f"{'worksheet':<12} {'paper':<7} {'pages':>5} {'fields':>6} {'bytes':>7} {'render':>8} {'cached':>8}")
        for path in sorted((ROOT / "content/worksheets").glob("*.yml")):
            shown = path.relative_to(ROOT).as_posix()
            sheet = parse_worksheet(path.read_text(encoding="utf-8"), shown, Report())
            for paper in PAPERS:
                html = render_worksheet_html(env, sheet, Virtue(sheet.virtue, sheet.virtue.title(), "", ""),
                                             podcast, paper)
                start = time.perf_counter()
                made = render_pdf(html, sheet.pages, cache)
                cold = time.perf_counter() - start
                start = time.perf_counter()
                again = render_pdf(html, sheet.pages, cache)
                warm = time.perf_counter() - start
                assert again.from_cache and again.data == made.data
                print(f"{sheet.virtue:<12} {paper.id:<7} {made.pages:>5} {len(sheet.inputs()):>6} "
                      f"{len(made.data):>7} {cold * 1000:>6.0f}ms {warm * 1000:>6.1f}ms")
        settings = Settings(root=ROOT, feed="content/feed.xml", cache_dir=cache_dir)
        sources = load_sources(settings)
        start = time.perf_counter()
        build_site(sources, settings)
        print(f"whole sample site, PDFs from the cache: {(time.perf_counter() - start) * 1000:.0f} ms")
        start = time.perf_counter()
        build_site(sources, Settings(root=ROOT, feed="content/feed.xml", worksheet_pdf=False))
        print(f"whole sample site, worksheet_pdf: false: {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
