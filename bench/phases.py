#!/usr/bin/env python3
"""Where a `mkdocs build` spends its time, phase by phase (wall clock), for one project.

    .venv/bin/python bench/benchmark.py --sizes 2000 --repeat 1 --keep /tmp/bench
    cd /tmp/bench/2000/podsite && PODCAST_FEED=/tmp/bench/2000/feed.xml $REPO/.venv/bin/python $REPO/bench/phases.py
    cd /tmp/bench/2000/plain && $REPO/.venv/bin/python $REPO/bench/phases.py

Times Markdown (`_populate_page`), theme rendering and writing (`_build_page`, which includes the
page_context event, i.e. search indexing) and every plugin event, in the current folder's
mkdocs.yml (or the one named as the first argument). This is how the README's per-phase figures
in "Large shows" were taken.
"""

from __future__ import annotations

import collections
import os
import sys
import time

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from mkdocs import plugins  # noqa: E402
from mkdocs.commands import build  # noqa: E402
from mkdocs.config import load_config  # noqa: E402

spent: collections.Counter[str] = collections.Counter()


def timed(module, name: str, label: str) -> None:
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start

    setattr(module, name, wrapper)


def main() -> None:
    timed(build, "_populate_page", "Markdown (_populate_page)")
    timed(build, "_build_page", "theme and writing (_build_page, with page_context)")
    run_event = plugins.PluginCollection.run_event

    def timed_event(self, name, item=None, **kwargs):
        start = time.perf_counter()
        try:
            return run_event(self, name, item, **kwargs)
        finally:
            spent[f"event {name}"] += time.perf_counter() - start

    plugins.PluginCollection.run_event = timed_event
    start = time.perf_counter()
    config = load_config(sys.argv[1] if len(sys.argv) > 1 else "mkdocs.yml")
    config.plugins.on_startup(command="build", dirty=False)
    build.build(config)
    spent["total"] = time.perf_counter() - start
    for label, seconds in spent.most_common():
        if seconds >= 0.005:
            print(f"{seconds:8.3f} s  {label}")


if __name__ == "__main__":
    main()
