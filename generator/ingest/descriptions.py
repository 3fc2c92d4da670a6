"""Which of an item's descriptions a listener reads: the richest one. Pure: text in, HTML out.

A podcast item often says the same thing up to five times, at different depths. feedparser puts
whichever of them comes first into `summary` and the others into `content`, so "the first
content" is the plain `itunes:summary` on one feed and the HTML show notes on the next. podsite
reads each element by its name (the namespace-aware second pass, `podcast_ns.item_extras`) and
takes the first of this order that has any text:

| order | element                               | read as                                    |
|-------|---------------------------------------|--------------------------------------------|
| 1     | `content:encoded`                     | HTML: the full show notes                  |
| 2     | `description` (RSS)                   | HTML                                       |
| 3     | `media:description`                   | HTML when `type="html"`, else text         |
| 4     | `itunes:summary`                      | text                                       |
| 5     | `itunes:subtitle`                     | text                                       |
| 6     | Atom `content`, then Atom `summary`   | as their `type` says (feedparser reads them)|

"HTML" that has no tag at all is read as text, and "text" that does have tags of HTML
elements (hosts put HTML in `itunes:summary` too) as HTML; a `type` the element states
itself (media:description) is taken as it is. Text becomes HTML the way podcast apps show it: a blank line
starts a paragraph, a line break stays one, and web addresses become links. The result passes
the same allow-list sanitiser as every feed HTML (`feed.sanitize_html`).

When the second pass cannot read the feed (not well-formed even for the tolerant reader),
feedparser's values are ranked instead: HTML before text, then the one with the most text.
"""

from __future__ import annotations

import html
import re

# (element as podcast_ns.item_extras names it, how its text is meant), in the order of the table.
ORDER = (
    ("content:encoded", "html"),
    ("description", "html"),
    ("media:description", None),  # its type attribute says
    ("itunes:summary", "text"),
    ("itunes:subtitle", "text"),
)

# A start or end tag of an HTML element a description uses (`<not a tag>` is text).
_HTML_NAMES = (
    "a|abbr|article|aside|audio|b|blockquote|br|caption|center|cite|code|dd|del|details|div|dl|"
    "dt|em|figcaption|figure|font|footer|h[1-6]|header|hr|i|iframe|img|ins|kbd|li|main|mark|nav|"
    "noscript|object|ol|p|pre|q|s|script|section|small|source|span|strike|strong|style|sub|"
    "summary|sup|table|tbody|td|tfoot|th|thead|time|tr|u|ul|video"
)
_TAG = re.compile(rf"<(?:/?(?:{_HTML_NAMES})(?:\s[^<>]*)?/?>|!--)", re.IGNORECASE)
# Any tag at all, for an element that is HTML by definition (`description`): there an unknown
# `<custom>` tag is still markup, dropped by the sanitiser as a browser would ignore it.
_ANY_TAG = re.compile(r"<(?:/?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>|!--)")
_URL = re.compile(r"\bhttps?://[^\s<>\"']+")
_TRAILING = ".,;:!?)]}'\""


def looks_like_html(text: str, kind: str = "text") -> bool:
    """Whether `text` has a tag: for `kind` "text" one of an HTML element (`<p>`, `</a>`,
    `<br/>`; `<not a tag>` is text), for "html" any tag; "a < b" and "<3" never are."""
    return bool((_ANY_TAG if kind == "html" else _TAG).search(text))


def text_to_html(text: str) -> str:
    """Plain text as HTML: paragraphs at blank lines, `<br>` at line breaks, addresses linked."""
    paragraphs = re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n").replace("\r", "\n").strip())
    return "".join(f"<p>{'<br>'.join(_linked(line.strip()) for line in p.splitlines() if line.strip())}</p>"
                   for p in paragraphs if p.strip())


def _linked(line: str) -> str:
    out, last = [], 0
    for match in _URL.finditer(line):
        url = match.group().rstrip(_TRAILING)
        if url.count(")") < url.count("(") and match.group()[len(url):].startswith(")"):
            url += ")"  # https://en.wikipedia.org/wiki/Courage_(virtue)
        out.append(html.escape(line[last:match.start()], quote=False))
        out.append(f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>')
        last = match.start() + len(url)
    out.append(html.escape(line[last:], quote=False))
    return "".join(out)


def as_html(text: str, kind: str, explicit: bool = False) -> str:
    """`text` of a description element as HTML (not sanitised yet); `kind` "html" or "text",
    `explicit` when the element itself says so (media:description's `type`): then no guessing."""
    text = text.strip()
    if not text:
        return ""
    if explicit:
        return text if kind == "html" else text_to_html(text)
    if looks_like_html(text, kind):
        return text
    if kind == "html":
        text = html.unescape(text)  # HTML without tags: entities are still entities
    return text_to_html(text)


def choose(candidates: dict[str, tuple[str, str | None]], sanitize, visible_text) -> str:
    """The first description of ORDER with any visible text, as sanitised HTML; "" when none.

    `candidates` maps an element name to (its text, its kind when the element says: media's
    type); `sanitize(html)` cleans HTML, `visible_text(clean)` is the text it shows."""
    for name, kind in ORDER:
        if name not in candidates:
            continue
        text, own_kind = candidates[name]
        result = as_html(text, own_kind or kind or "text", explicit=own_kind is not None)
        result = sanitize(result) if result else ""
        if result and visible_text(result):
            return result
    return ""


def rank_feedparser(values: list[tuple[str, str]], sanitize, visible_text) -> str:
    """The richest of feedparser's (type, value) pairs, as sanitised HTML: HTML before text,
    then the one with the most visible text."""
    best, best_key = "", None
    for mime, value in values:
        kind = "html" if mime in ("text/html", "application/xhtml+xml") else "text"
        result = as_html(value or "", kind)
        result = sanitize(result) if result else ""
        shown = visible_text(result) if result else ""
        if not shown:
            continue
        key = (looks_like_html(value or "", kind), len(shown))
        if best_key is None or key > best_key:
            best, best_key = result, key
    return best
