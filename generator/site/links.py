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


def check_links(sources: list[LinkSource], content_targets: dict[str, str], site_pages: set[str],
                report: Report) -> None:
    """Report links to `.md` files that exist neither as content (`content_targets`: content file
    -> page) nor as a page of the site (`site_pages`: generated and hand-written)."""
    names = {posixpath.basename(k): k for k in sorted(content_targets)}  # for "did you mean"
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
            close = difflib.get_close_matches(posixpath.basename(as_content), names, n=1, cutoff=0.8)
            hint = (f"did you mean {posixpath.relpath(names[close[0]], base or '.')!r}?" if close else
                    "link to a show-notes or virtue file relative to this one, "
                    "e.g. ../virtues/courage.md")
            report.warning(Origin(source.path, line),
                           f"link to {shown(target, 80)} leads nowhere: no show notes, virtue or page "
                           f"is at {as_content} ({hint})")
