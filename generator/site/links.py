"""Links between content files that lead nowhere, found before anything is built. Pure.

Show notes and virtue pages link to each other by file, as on GitHub
(`[the four packs](007-building-alliances.md)`, `[courage](../virtues/courage.md)`); `render.py`
points such links at the generated pages. A link that names no show note, virtue or page of the
site is kept as it was and would 404 on the published site: this module finds those, with the
line they are on.

A link is fine when it resolves (relative to the file it is in) to a note that belongs to an
episode or to a virtue file, or (relative to the page the file becomes) to a generated page or a
hand-written page in `docs_dir`. Links with a scheme (`https:`, `mailto:`) or to anything other
than `.md` are not checked; fenced code blocks and inline code are skipped.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from dataclasses import dataclass

from ..errors import Report, shown
from ..model import Origin
from ..sources.notes import parse_front_matter

_INLINE = re.compile(r"\]\(\s*<?([^)\s>]+)")
_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+).+?\1")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class LinkSource:
    """A content file whose links are checked: its text, and the page it becomes in the site."""

    path: str  # as the user types it, relative to the project root
    text: str
    page: str  # the generated page, relative to the site


def find_links(text: str, first_line: int = 1):
    """(line, target) of every Markdown link in `text` outside code, in order."""
    fence = None
    for number, line in enumerate(text.splitlines(), start=first_line):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            continue
        if opening:
            fence = opening.group(1)
            continue
        plain = _CODE_SPAN.sub("", line)
        reference = _REFERENCE.match(plain)
        if reference:
            yield number, reference.group(1)
            continue
        for match in _INLINE.finditer(plain):
            yield number, match.group(1)


def _suggestion(wanted: str, source: str, content_targets: dict[str, str], base: str) -> str:
    """The fix for a link to `wanted`: the closest file that exists (never the linking file
    itself), as the link would be written from `base`; else a real file as an example."""
    others = sorted(path for path in content_targets if path != source)
    by_name: dict[str, list[str]] = {}
    for path in others:
        by_name.setdefault(posixpath.basename(path), []).append(path)
    close = difflib.get_close_matches(posixpath.basename(wanted), by_name, n=1, cutoff=0.8)
    if close:  # of the files with that name, the one in the folder the link points into
        candidates = by_name[close[0]]
        best = min(candidates, key=lambda p: (posixpath.dirname(p) != posixpath.dirname(wanted), p))
        return f"did you mean {posixpath.relpath(best, base or '.')!r}?"
    if not others:
        return "there is no other show-notes or virtue file to link to yet"
    example = next((p for p in others if posixpath.dirname(p) == posixpath.dirname(wanted)),
                   others[0])
    return ("link to a show-notes or virtue file relative to this one, e.g. "
            f"{posixpath.relpath(example, base or '.')}")


def all_name_content_files(texts: dict[str, str]) -> bool:
    """True when every checked link in these files (path -> text) names one of them: then no link
    can lead nowhere, and the pages they become need not be worked out."""
    for path, text in texts.items():
        base = posixpath.dirname(path)
        for _, raw in find_links(text):
            target = raw.split("#", 1)[0].split("?", 1)[0]
            if not target.endswith(".md") or _SCHEME.match(target) or target.startswith("/"):
                continue
            if posixpath.normpath(posixpath.join(base, target)) not in texts:
                return False
    return True


def check_links(sources: list[LinkSource], content_targets: dict[str, str], site_pages: set[str],
                report: Report) -> list[tuple[str, str]]:
    """Report links to `.md` files that exist neither as content (`content_targets`: content file
    -> page) nor as a page of the site (`site_pages`: generated and hand-written); returns the
    (page, link as written) of each."""
    reported = []
    for source in sources:
        scratch = Report()
        front = parse_front_matter(source.text, source.path, scratch)
        if front is None:
            continue  # a broken front matter is reported by the build already
        base = posixpath.dirname(source.path)
        page_dir = posixpath.dirname(source.page)
        for line, raw in find_links(front.body, front.body_line):
            target = raw.split("#", 1)[0].split("?", 1)[0]
            if not target.endswith(".md") or _SCHEME.match(target) or target.startswith("/"):
                continue
            as_content = posixpath.normpath(posixpath.join(base, target))
            as_page = posixpath.normpath(posixpath.join(page_dir, target))
            if as_content in content_targets or as_page in site_pages:
                continue
            hint = _suggestion(as_content, source.path, content_targets, base)
            report.warning(Origin(source.path, line),
                           f"link to {shown(target, 80)} leads nowhere: no show notes, virtue or page "
                           f"is at {as_content} ({hint})")
            reported.append((source.page, raw))
    return reported
