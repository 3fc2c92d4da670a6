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



def write_file_atomic(path, data: bytes) -> None:
    """Replace one file whole: readers see the old bytes or the new ones, never a mix."""
    import tempfile
    from pathlib import Path

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
