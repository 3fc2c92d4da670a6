"""The only code that replaces an output folder: build beside it, then swap it in.

A build writes into `<site>.podsite-new`; only a build that finished is moved into place, so a
failed build leaves the last good site untouched (and `mkdocs gh-deploy` never publishes half).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

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



def write_file_atomic(path, data: bytes, overwrite: bool = True) -> None:
    """Write one file whole: readers see the old bytes or the new ones, never a mix. A new file
    gets mode 0644, a replaced one keeps its mode. With `overwrite=False` an existing file is
    never replaced (FileExistsError), even one that appears while this writes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, path.stat().st_mode & 0o7777 if overwrite and path.exists() else 0o644)
        if overwrite:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails when the file exists
    finally:
        Path(tmp).unlink(missing_ok=True)
