"""`notes_html: sanitize`: the HTML that show notes and virtue texts put on a page, allow-listed.

Trust model. With `notes_html: trusted` (the default) the Markdown files under `content/` are the
maintainers' own: raw HTML in them reaches the page as written, `<script>` included, as in any
MkDocs site. A show that builds pull requests from guests sets `notes_html: sanitize`: then what
a note (or a virtue's text) puts on its page passes the allow-list the feed's descriptions pass
(`ingest/feed.py`), plus what Markdown itself writes (heading ids, permalinks, footnotes,
tables, code) and the embeds in `EMBEDS`.

Where the HTML is. A note is Markdown, and MkDocs turns it into HTML with the site's Markdown
extensions; raw HTML in it, and HTML that Markdown makes from it (`[x](javascript:...)`,
`{: onclick=...}` with attr_list), exist only after that. So the sanitiser works on the page's
HTML, in the plugin's `on_page_content`, before search and the theme see it:

- `mark_notes` (render.py's `body`) puts the note's Markdown between two comment marks, after
  breaking any mark-like comment the note itself holds (so a note cannot end its own region, or
  smuggle a block past `rawhtml`);
- `sanitize_page` cleans each marked region, and the footnotes Markdown moves to the end of the
  page, with nh3 (the Rust ammonia library).

Ids are kept for anchors (`#section`), but none that starts with `_`: Material finds its own
elements (`__config`, `__search`) by such ids, and a note must not stand in for them.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3

from ..ingest.feed import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES

START = "<!--podsite:notes-->"
END = "<!--/podsite:notes-->"
_MARK_LIKE = re.compile(r"<!--(/?podsite)", re.I)
_FOOTNOTES = '<div class="footnote">'

# Embeds a sanitised note may keep: (scheme + host, path prefix). Anything else in an <iframe>
# is dropped with the iframe. Each kept iframe gets the sandbox below: scripts run in the
# player's own origin, never in the site's; no top navigation, no forms, no downloads.
EMBEDS = (
    ("https://www.youtube.com", "/embed/"),
    ("https://www.youtube-nocookie.com", "/embed/"),
    ("https://player.vimeo.com", "/video/"),
    ("https://open.spotify.com", "/embed/"),
    ("https://w.soundcloud.com", "/player/"),
    ("https://embed.podcasts.apple.com", "/"),
)
IFRAME_SANDBOX = "allow-scripts allow-same-origin allow-presentation allow-popups"

NOTE_TAGS = ALLOWED_TAGS | {
    "h1", "caption", "col", "colgroup", "details", "summary", "figure", "figcaption", "mark",
    "iframe",
}
NOTE_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
    "*": {"id", "class", "title", "lang", "dir"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen", "loading"},
    "ol": {"start", "reversed", "type"},
    "col": {"span"}, "colgroup": {"span"},
    "details": {"open"},
}
_ID = re.compile(r"^[A-Za-z0-9][\w.:-]{0,99}$")
_IFRAME_OPEN = re.compile(r"<iframe ")
_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>.*?</iframe>", re.S)


def mark_notes(markdown: str) -> str:
    """A note's Markdown between the marks that `sanitize_page` looks for."""
    body = _MARK_LIKE.sub(r"<!-- \1", markdown)
    return f"{START}\n\n{body}\n\n{END}"


def unmark(text: str) -> str:
    """Markdown without the marks (trusted notes; builders that read the Markdown)."""
    return text.replace(f"{START}\n\n", "").replace(f"\n\n{END}", "")


def sanitize_notes(fragment: str) -> str:
    """One note's HTML through the allow-list."""
    cleaned = nh3.clean(
        fragment,
        tags=NOTE_TAGS,
        clean_content_tags={"script", "style", "template", "noscript"},
        attributes=NOTE_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener nofollow ugc",
    )
    # nh3 dropped any sandbox of the note's own; added here rather than by nh3's
    # set_tag_attribute_values, whose order changes from run to run (same input, same bytes)
    return _IFRAME_OPEN.sub(f'<iframe sandbox="{IFRAME_SANDBOX}" '
                            'referrerpolicy="strict-origin-when-cross-origin" ',
                            _EMPTY_IFRAME.sub("", cleaned))


def sanitize_page(html: str) -> str:
    """A page's HTML with each marked note region, and the footnotes after them, sanitised."""
    if START not in html:
        return html
    parts: list[str] = []
    position = 0
    last_end = 0
    while (start := html.find(START, position)) != -1:
        end = html.find(END, start)
        end = len(html) if end == -1 else end
        parts.append(html[position:start])
        parts.append(sanitize_notes(html[start + len(START):end]))
        position = last_end = min(len(html), end + len(END))
    rest = html[position:]
    notes_foot = rest.rfind(_FOOTNOTES)
    if notes_foot != -1 and last_end:
        rest = rest[:notes_foot] + sanitize_notes(rest[notes_foot:])
    parts.append(rest)
    return "".join(parts)


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if _ID.match(value) else None
    if attribute == "class":
        kept = [name for name in value.split() if not name.startswith(("md-", "podsite-"))]
        return " ".join(kept) or None
    if tag == "iframe" and attribute == "src":
        return value if _embeddable(value) else None
    return value


def _embeddable(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.username or parts.password or parts.port:
        return False
    origin = f"{parts.scheme.lower()}://{(parts.hostname or '').lower()}"
    return any(origin == host and parts.path.startswith(prefix) for host, prefix in EMBEDS)
