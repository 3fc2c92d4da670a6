"""The only code that replaces an output folder: build beside it, then swap it in.

A build writes into `<site>.podsite-new`; only a build that finished is moved into place, so a
failed build leaves the last good site untouched (and `mkdocs gh-deploy` never publishes half).
"""

from __future__ import annotations

import os
import shutil

STAGING_SUFFIX = ".podsite-new"
OLD_SUFFIX = ".podsite-old"


def staging_dir_for(final: str) -> str:
    return final.rstrip("/\\") + STAGING_SUFFIX


def discard(path: str) -> None:
    shutil.rmtree(path, ignore_errors=True)


def swap_in(staging: str, final: str) -> None:
    """Replace `final` with `staging` by two renames (the gap between them is microseconds)."""
    old = final.rstrip("/\\") + OLD_SUFFIX
    discard(old)
    if os.path.lexists(final):
        os.replace(final, old)
    os.replace(staging, final)
    discard(old)

