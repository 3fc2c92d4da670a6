"""The sample site built in every shipped language: no English word podsite wrote leaks into a page
or a PDF, and `<html lang>` and the PDFs' /Lang say the language.

What counts as podsite's English: the pieces of every msgid of the catalog (the text between its
placeholders), whole words, case-sensitive. A piece is not evidence of a leak when the same words
are in a translation of that catalog (Dutch "Transcript" is Dutch too) or anywhere in the sample's
own content (show notes, the feed and mkdocs.yml are the maintainer's words, English here).
"""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser

import pytest
from babel.messages.pofile import read_po
from conftest import ROOT, edit, mkdocs
from pypdf import PdfReader

from generator.site import i18n

LANGUAGES = sorted(p.parent.parent.name for p in i18n.LOCALE_DIR.glob("*/LC_MESSAGES/podsite.po")
                   if p.parent.parent.name != "en")
READ = {"aria-label", "title", "placeholder", "alt", "content", "value"}


class _Text(HTMLParser):
    """What a reader sees or hears: text outside <script>/<style>, and labelling attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        self.parts.extend(v for k, v in attrs if k in READ and v)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def _words(text: str) -> re.Pattern:
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")


def english_pieces(catalog, own_words: str) -> set[str]:
    """The English pieces of the msgids that could only have come from podsite."""
    translated = " ".join(s for m in catalog if m.id for s in
                          (m.string if isinstance(m.string, (list, tuple)) else (m.string,)))
    pieces = set()
    for message in catalog:
        if not message.id:
            continue
        for msgid in (message.id if isinstance(message.id, tuple) else (message.id,)):
            for piece in i18n.PLACEHOLDER.split(msgid)[::2]:
                for part in re.split(r"[\[\]()·:;,.!?…\-–]+", piece):
                    part = " ".join(part.split())
                    if len(re.sub(r"\W", "", part)) < 3 or not re.search(r"[A-Za-z]", part):
                        continue
                    if _words(part).search(translated) or _words(part).search(own_words):
                        continue
                    pieces.add(part)
    return pieces


@pytest.fixture(scope="module")
def own_words() -> str:
    texts = [(ROOT / "mkdocs.yml").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "content").rglob("*"))
              if p.is_file() and p.suffix in (".md", ".yml", ".xml", ".vtt", ".srt", ".json")]
    return html.unescape("\n".join(texts))


def _material_name(locale: str) -> str:
    return locale.replace("_", "-")


HTML_LANG = {"pt-BR": "pt"}  # Material's pt-BR file writes <html lang="pt">: podsite follows it


@pytest.mark.parametrize("locale", LANGUAGES)
def test_a_site_in_each_language_has_no_english_interface_words(locale, project, own_words):
    with open(i18n.LOCALE_DIR / locale / "LC_MESSAGES" / "podsite.po", "rb") as handle:
        catalog = read_po(handle, locale=locale)
    pieces = english_pieces(catalog, own_words)
    assert len(pieces) > 40  # the check has teeth: most of the interface is still looked for
    setting = _material_name(locale)
    tag = HTML_LANG.get(setting, setting)
    edit(project / "mkdocs.yml", "  language: en", f"  language: {setting}")
    result = mkdocs(project, "build", "--strict", timeout=600)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    leaks: dict[str, set[str]] = {}
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        lang = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", text)
        assert lang and lang.group(1) == tag, f"{path.relative_to(site)}: <html lang> is not {tag}"
        seen = visible_text(text)
        found = {p for p in pieces if _words(p).search(seen)}
        if found:
            leaks[str(path.relative_to(site))] = found
    pdfs = sorted(site.rglob("*.pdf"))
    assert pdfs
    for path in pdfs:
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        assert reader.trailer["/Root"]["/Lang"] == tag, f"{path.relative_to(site)}: /Lang"
        seen = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
        seen += " " + " ".join(str(f.get("/TU", "")) for f in (reader.get_fields() or {}).values())
        # the PDF's small print is set in capitals (text-transform): look for those too
        found = {p for p in pieces if _words(p).search(seen) or _words(p.upper()).search(seen)}
        if found:
            leaks[str(path.relative_to(site))] = found
    assert not leaks, f"English interface words in the {locale} site: {leaks}"
