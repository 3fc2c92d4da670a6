"""Feed bytes made safe and well-formed for the XML parsers, before feedparser sees them. Pure.

These send an otherwise good feed down feedparser's loose (SGML) parser or make podsite's
namespace-aware second pass give up, and with them people, roles, links and entities change:

- a `<!DOCTYPE ...>` (even a harmless `<!DOCTYPE rss>`), with or without an internal subset;
- a well-known prefix used without its `xmlns:` declaration (`<itunes:duration>` in a feed that
  never binds `itunes`), which namespace-aware XML rejects as an "unbound prefix";
- HTML's named entities (`&nbsp;`, `&eacute;`), which XML does not define, a bare `&` (`Q&A`),
  a reference to a character XML forbids (`&#0;`) or a raw control character (a Word paste).

`prepare_feed_xml` removes the DOCTYPE (replaced by as many newlines as it spanned, so every line
number in a message stays the feed's own), declares on the root element each prefix of
`KNOWN_PREFIXES` the feed uses but never declares, and writes each HTML named entity as the numeric
character reference it stands for (`&nbsp;` -> `&#160;`), outside CDATA sections and comments.
An entity the feed declares itself is used only when its value is one or a few character
references (`<!ENTITY nbsp "&#160;">`): nothing is expanded from the feed's own declarations
beyond that, so no "billion laughs" and no external entity is ever read. An entity neither table
knows is written as text (`&amp;name;`), as a browser would show it, instead of failing the parse;
so is a bare `&`. A reference to a forbidden character becomes U+FFFD; raw control characters
are dropped.

Feeds in UTF-16 or UTF-32 are passed through unchanged (the byte patterns would not match).
"""

from __future__ import annotations

import html.entities
import re

# The prolog: everything before the root element (XML declaration, comments, PIs, DOCTYPE).
_ROOT = re.compile(rb"<[A-Za-z_]")
# A DOCTYPE with an optional internal subset ([...]), which may itself contain quoted '>'.
_DOCTYPE = re.compile(
    rb"""<!DOCTYPE\b(?:[^\[>"']|"[^"]*"|'[^']*')*(?:\[(?:[^\]"']|"[^"]*"|'[^']*')*\]\s*)?>""",
    re.IGNORECASE,
)
_DECLARED = re.compile(rb"""<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>""")
_CHAR_REFS = re.compile(rb"(?:&#(?:[0-9]{1,7}|x[0-9A-Fa-f]{1,6});){1,8}")
# Sections left as they are, then every `&` that may need rewriting.
_TOKEN = re.compile(
    rb"<!\[CDATA\[.*?\]\]>|<!--.*?-->"
    rb"|&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,8})|#[xX]([0-9A-Fa-f]{1,8})|([A-Za-z][\w.-]{0,31}));|&",
    re.DOTALL,
)
# Is there anything to rewrite at all? (Most feeds: no, and the bytes are returned as they are.)
_SUSPECT = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});)|[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Control characters XML 1.0 forbids (a Word paste); never part of a UTF-8 multi-byte sequence.
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_REPLACEMENT_CHAR = b"&#65533;"

# Prefixes podcast feeds use, with their namespaces: declared for a feed that uses one unbound.
KNOWN_PREFIXES = {
    b"itunes": b"http://www.itunes.com/dtds/podcast-1.0.dtd",
    b"podcast": b"https://podcastindex.org/namespace/1.0",
    b"content": b"http://purl.org/rss/1.0/modules/content/",
    b"dc": b"http://purl.org/dc/elements/1.1/",
    b"atom": b"http://www.w3.org/2005/Atom",
    b"media": b"http://search.yahoo.com/mrss/",
    b"psc": b"http://podlove.org/simple-chapters",
    b"googleplay": b"http://www.google.com/schemas/play-podcasts/1.0",
    b"sy": b"http://purl.org/rss/1.0/modules/syndication/",
}
_ROOT_NAME = re.compile(rb"<[A-Za-z_][\w.:-]*")

_HTML = {
    name[:-1].encode(): "".join(f"&#{ord(ch)};" for ch in text).encode()
    for name, text in html.entities.html5.items() if name.endswith(";")
}


def prepare_feed_xml(data: bytes) -> bytes:
    """`data` without its DOCTYPE and with HTML named entities as character references."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or data[:4] in (b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        return data
    root = _ROOT.search(data)
    head_end = root.start() if root else len(data)
    declared: dict[bytes, bytes] = {}
    doctype = _DOCTYPE.search(data, 0, head_end)
    if doctype:
        for name, double, single in _DECLARED.findall(doctype.group()):
            value = double if double or not single else single
            if _CHAR_REFS.fullmatch(value):
                declared[name] = value
        newlines = b"\n" * doctype.group().count(b"\n")
        data = data[:doctype.start()] + newlines + data[doctype.end():]
    data = _declare_prefixes(data)
    if not _SUSPECT.search(data):
        return data
    data = _CONTROL.sub(b"", data)
    return _TOKEN.sub(lambda m: _replacement(m, declared), data)


def _declare_prefixes(data: bytes) -> bytes:
    missing = b"".join(b' xmlns:%s="%s"' % (prefix, uri) for prefix, uri in KNOWN_PREFIXES.items()
                       if b"<" + prefix + b":" in data and b"xmlns:" + prefix + b"=" not in data)
    root = _ROOT_NAME.search(data) if missing else None
    if root is None:
        return data
    return data[:root.end()] + missing + data[root.end():]


def _replacement(match: re.Match, declared: dict[bytes, bytes]) -> bytes:
    text = match.group()
    if text[:1] == b"<" or match.group(1):  # CDATA, a comment (not markup), or &amp; and friends
        return text
    decimal, hexadecimal, name = match.group(2, 3, 4)
    if decimal or hexadecimal:
        return text if _xml_char(int(decimal or hexadecimal, 10 if decimal else 16)) else _REPLACEMENT_CHAR
    if name:
        refs = declared.get(name) or _HTML.get(name)
        return refs if refs is not None else b"&amp;" + name + b";"
    return b"&amp;"  # a bare ampersand: "Q&A", "?a=1&b=2"


def _xml_char(code: int) -> bool:
    """Whether XML 1.0 allows the character `code` (a reference to any other is an error)."""
    return (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD
            or 0x10000 <= code <= 0x10FFFF)
