"""The generated site as plain files in a folder, under a manifest (`podsite generate` writes with it).

Zensical reads `mkdocs.yml` but ignores third-party plugins, so it never sees the pages the podsite
plugin hands to MkDocs. This module writes the same `{path: text or bytes}` that `build.generate`
returns into a folder (by default the project's `docs_dir`, so every page sits at the path the
plugin serves it from and every relative link between pages still resolves).

Ownership is recorded in a manifest, `.podsite-generated.json` in that folder: each path podsite
wrote, with the SHA-256 of what it wrote. The rules, all checked before anything is written:

- a page whose file already holds the same bytes is left alone (not even its time stamp changes);
- a file listed in the manifest is rewritten when its page changed, and deleted when the page is
  no longer generated (a removed episode), and then empty folders it leaves are removed;
- a file that is NOT in the manifest is never written or deleted. If a page wants its path,
  `generate` refuses, unless the file already holds exactly the page's bytes: then it is adopted
  (listed in the manifest), which is also how a run interrupted before its manifest was written
  recovers;
- a listed file whose bytes differ from the manifest's hash was edited by hand: `generate`
  refuses to overwrite or delete it rather than lose the edit.

Files are written atomically (a temp file in the same folder, then `os.replace`), files first
and the manifest last, so an interrupted run leaves whole files and a manifest that still
describes files podsite may replace.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
from dataclasses import dataclass
from pathlib import Path

from ..errors import Report
from ..model import Origin
from .writer import write_file_atomic

MANIFEST = ".podsite-generated.json"
_FORMAT = 1


@dataclass(frozen=True)
class ExportResult:
    out: str  # as shown to the user
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    deleted: tuple[str, ...]

    def summary(self) -> str:
        return (f"{self.out}/: {len(self.written)} written, {len(self.unchanged)} unchanged, "
                f"{len(self.deleted)} deleted ({len(self.written) + len(self.unchanged)} files "
                f"listed in {MANIFEST})")


@dataclass(frozen=True)
class _Plan:
    write: tuple[tuple[str, bytes], ...]
    unchanged: tuple[str, ...]
    delete: tuple[str, ...]
    manifest: tuple[tuple[str, str], ...]  # (path, sha256) of every file owned after the run


def export_pages(pages: dict[str, str | bytes], out: Path, shown: str, report: Report) -> ExportResult | None:
    """Write `pages` into `out` under the manifest's rules; None (errors in `report`) if it may not."""
    plan = plan_export(pages, out, shown, report)
    if plan is None:
        return None
    write_export(plan, out)
    return ExportResult(shown, tuple(p for p, _ in plan.write), plan.unchanged, plan.delete)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _is_plain(path: str) -> bool:
    """A relative path inside the folder (the same rule as render.SiteFiles)."""
    return (isinstance(path, str) and path != "" and posixpath.normpath(path) == path
            and not path.startswith(("/", "..")) and "\\" not in path and ":" not in path
            and path != MANIFEST)


def load_manifest(out: Path, shown: str, report: Report) -> dict[str, str] | None:
    """`{path: sha256}` of the files podsite owns in `out` ({} when there is no manifest)."""
    origin = Origin(f"{shown}/{MANIFEST}")
    try:
        data = json.loads((out / MANIFEST).read_bytes())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        report.error(origin, f"cannot read the manifest of generated files: {exc} "
                             "(delete the files podsite generated and this manifest, then run again)")
        return None
    files = data.get("files") if isinstance(data, dict) else None
    if (not isinstance(files, dict) or data.get("format") != _FORMAT
            or not all(_is_plain(p) and isinstance(h, str) for p, h in files.items())):
        report.error(origin, "not a podsite manifest of generated files, or one from another version "
                             "(delete the files podsite generated and this manifest, then run again)")
        return None
    return files


def owned_paths(out: Path) -> frozenset[str]:
    """The paths `podsite generate` wrote into `out` (for the plugin, which makes them itself)."""
    files = load_manifest(out, str(out), Report())
    return frozenset(files or ())


def _read(path: Path) -> bytes | None:
    """A regular file's bytes; None for anything else (missing, a folder, a symlink)."""
    if path.is_symlink() or not path.is_file():
        return None
    return path.read_bytes()


def plan_export(pages: dict[str, str | bytes], out: Path, shown: str, report: Report) -> _Plan | None:
    """Decide what to write, keep and delete; None (with errors in `report`) when podsite would
    have to touch a file it does not own or that was edited by hand. Reads, never writes."""
    old = load_manifest(out, shown, report)
    if old is None:
        return None
    write, unchanged, delete, owned = [], [], [], {}
    for path, content in pages.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        digest, target = _sha256(data), out / path
        owned[path] = digest
        origin = Origin(f"{shown}/{path}")
        blocker = _blocking_parent(out, path)
        if blocker:
            report.error(origin, f"{shown}/{blocker} is a file or a symlink, not a folder "
                                 "(move it away, or choose another --out)")
            continue
        if not os.path.lexists(target):
            write.append((path, data))
            continue
        current = _read(target)
        if current == data:
            unchanged.append(path)
        elif path not in old:
            report.error(origin, "exists and was not written by podsite generate; refusing to "
                                 "overwrite it (move or rename it, or choose another --out)")
        elif current is None or _sha256(current) != old[path]:
            report.error(origin, "changed since podsite generate wrote it; refusing to overwrite "
                                 "the change (put it in the sources under content/ or templates/, "
                                 "then delete this file)")
        else:
            write.append((path, data))
    for path in sorted(set(old) - set(pages)):
        target = out / path
        if not os.path.lexists(target):
            continue
        current = _read(target)
        if current is None or _sha256(current) != old[path]:
            report.error(Origin(f"{shown}/{path}"), "is no longer generated but changed since podsite "
                         "generate wrote it; refusing to delete it (keep it by moving it elsewhere, "
                         "or delete it yourself)")
        else:
            delete.append(path)
    if report.errors:
        return None
    return _Plan(tuple(write), tuple(unchanged), tuple(delete), tuple(sorted(owned.items())))


def _blocking_parent(out: Path, path: str) -> str | None:
    parts = path.split("/")[:-1]
    for n in range(1, len(parts) + 1):
        folder = out.joinpath(*parts[:n])
        if folder.is_symlink() or (os.path.lexists(folder) and not folder.is_dir()):
            return "/".join(parts[:n])
    return None


def write_export(plan: _Plan, out: Path) -> None:
    """Carry out a plan: files first, then deletions, then the manifest (all atomic)."""
    for path, data in plan.write:
        write_file_atomic(out / path, data)
    for path in plan.delete:
        (out / path).unlink()
        _remove_empty_parents(out, path)
    manifest = json.dumps({"format": _FORMAT, "generator": "podsite generate",
                           "files": dict(plan.manifest)}, indent=1, sort_keys=True) + "\n"
    if _read(out / MANIFEST) != manifest.encode("utf-8"):
        write_file_atomic(out / MANIFEST, manifest.encode("utf-8"))


def _remove_empty_parents(out: Path, path: str) -> None:
    parts = path.split("/")[:-1]
    while parts:
        try:
            out.joinpath(*parts).rmdir()  # only succeeds when empty
        except OSError:
            return
        parts.pop()
