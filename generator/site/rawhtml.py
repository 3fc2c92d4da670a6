"""Raw HTML blocks that go around Python-Markdown instead of through it.

Most of an episode page is HTML the templates write themselves: the audio block, the chapters,
the sanitised feed description, JSON-LD, on transcript pages every paragraph, and the paginated
episode lists (their links resolved by `page_url`, not left to MkDocs). Python-Markdown
passes raw HTML through unchanged, but only after parsing it twice (MkDocs's anchor scan, then
Markdown's own block parser); the profile of a 500-episode build put that at a third of podsite's
cost over plain pages. So templates mark such blocks with the `html_block` filter, and:

- `lift` (the plugin, before MkDocs reads a page) swaps each marked block for a placeholder
  comment and keeps the block aside;
- `put_back` (the plugin's `on_page_content`, before search and the theme see the page) swaps the
  placeholders for the blocks, so the page's HTML is the same as if Markdown had passed them on;
- `inline` (`podsite generate`, whose Markdown other builders read) just drops the marks.

A marked block must stand on lines of its own with blank lines around it, like any raw HTML block
in Markdown; a placeholder Markdown did not keep as written is reported by `put_back`.
"""

from __future__ import annotations

import re

START = "<!--podsite:html-->"
END = "<!--/podsite:html-->"
_OPEN, _CLOSE = START + "\n", "\n" + END
_PLACEHOLDER = re.compile(r"<!--podsite:([0-9a-f]+):(\d+)-->")


def mark(html: str) -> str:
    """The Jinja2 filter `html_block`: the block between marks, its trailing newlines after them."""
    body = html.rstrip("\n")
    return f"{_OPEN}{body}{_CLOSE}{html[len(body):]}"


def inline(text: str) -> str:
    """Markdown with the marked blocks left in place (for builders that read the Markdown)."""
    if START not in text:
        return text
    return text.replace(_OPEN, "").replace(_CLOSE, "")


def lift(text: str, nonce: str) -> tuple[str, list[str]]:
    """`text` with each marked block replaced by `<!--podsite:NONCE:N-->`, and the blocks."""
    if START not in text:
        return text, []
    parts: list[str] = []
    blocks: list[str] = []
    position = 0
    while (start := text.find(_OPEN, position)) != -1 and (end := text.find(_CLOSE, start)) != -1:
        parts.append(text[position:start])
        parts.append(f"<!--podsite:{nonce}:{len(blocks)}-->")
        blocks.append(text[start + len(_OPEN):end])
        position = end + len(_CLOSE)
    parts.append(text[position:])
    return "".join(parts), blocks


def put_back(html: str, nonce: str, blocks: list[str]) -> tuple[str, int]:
    """`html` with the placeholders replaced by their blocks, and how many were not found."""
    found: set[int] = set()

    def block(match: re.Match) -> str:
        number = int(match[2])
        if match[1] != nonce or number >= len(blocks):
            return match[0]
        found.add(number)
        return blocks[number]

    return _PLACEHOLDER.sub(block, html), len(blocks) - len(found)
