"""The one slug function: every id that becomes a URL or a file name (episodes, people, worksheet
fields) is made here. Pure.

- Any script keeps its words: text is transliterated to ASCII with anyascii (ISC licence, no
  dependencies, tables for every Unicode script and for emoji), so `Стресс-тестирование` is
  `stress-testirovanie`, `Ελληνικά` is `ellinika`, `李雷` is `li-lei` and `🎉` is `tada`. Chinese,
  Japanese and emoji, whose characters each stand for a syllable or a word, are kept apart by
  hyphens; Korean syllables join into their words.
- A slug is lower-case ASCII letters and digits in words joined by single hyphens: it never starts
  or ends with `-`, and it is `""` only when the text has no letter or digit in any script (the
  caller then falls back: `episode-12`, `person`).
- Punctuation inside a word is dropped (`Q&A` -> `qa`, `don't` -> `dont`), as the slugs of
  podsite's first versions did, so a title that slugged cleanly then keeps its URL.
  Worksheet field ids split there instead (`what-s`), as they always did: an id that changes loses
  what listeners typed into the field.
- A slug of digits alone for a text with words in it (a script the tables lack) gets the text's
  hash: `101-5d41402a`, never `101` for `101 — ☃︎ ☃︎`.
- At most `MAX_SLUG_BYTES` bytes, well under the 255-byte limit of a file name: a longer slug is cut
  at a hyphen and ends with 8 hex digits of a hash of the whole text, so two long titles that
  share their first 70 characters still get different, stable slugs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from anyascii import anyascii

MAX_SLUG_BYTES = 80
# The longest slug a person may write (a note's `slug:`, the pin file, a virtue's file name): room
# for the suffixes podsite adds (`-2`, `-a4.pdf`) under the 255-byte file-name limit.
MAX_WRITTEN_SLUG = 100
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HASH_DIGITS = 8

_INNER_PUNCTUATION = re.compile(r"[^\w\s-]", re.ASCII)
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, *, max_bytes: int = MAX_SLUG_BYTES, split_punctuation: bool = False) -> str:
    """`text` as a URL-safe id (see the module's docstring); `""` when it has no letters or digits."""
    latin = _transliterate(text).lower()
    if not split_punctuation:
        latin = _INNER_PUNCTUATION.sub("", latin)
    slug = _NOT_WORD.sub("-", latin).strip("-")
    if slug.isdigit() and any(ch.isalpha() for ch in text):
        slug = f"{slug}-{_hash(text)}"
    if len(slug) > max_bytes:
        head = slug[: max_bytes - HASH_DIGITS - 1]
        head = head.rsplit("-", 1)[0] if "-" in head else head
        slug = f"{head}-{_hash(text)}"
    return slug


def is_slug(text: str, max_bytes: int = MAX_WRITTEN_SLUG) -> bool:
    """Whether a slug someone wrote is one podsite can use as it is."""
    return bool(SLUG.match(text)) and len(text) <= max_bytes


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_DIGITS]


def _transliterate(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # full-width letters, ligatures: plain ones
    if text.isascii():
        return text
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
        elif _stands_alone(char):
            out.append(f" {anyascii(char)} ")
        else:
            out.append(anyascii(char))
    return "".join(out)


def _stands_alone(char: str) -> bool:
    """A wide character (Chinese, Japanese, emoji) is a syllable or a word of its own; Korean
    syllables, wide too, are parts of words written with spaces between them."""
    if unicodedata.east_asian_width(char) not in ("W", "F"):
        return False
    return not ("\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" or "\u3130" <= char <= "\u318f")
