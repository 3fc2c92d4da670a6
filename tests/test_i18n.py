"""The interface in the show's language: catalogs, the choice of language, dates and plurals.

Every string podsite writes is in generator/locale/podsite.pot (made by `pybabel extract` with
babel.cfg) and translated in every shipped catalog: a new string in a template or player.js that
nobody translated fails here, naming it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from generator.config import material_language
from generator.site import i18n

ROOT = Path(__file__).resolve().parent.parent
PYBABEL = Path(sys.executable).parent / "pybabel"
SHIPPED = tuple(sorted(p.parent.parent.name for p in i18n.LOCALE_DIR.glob("*/LC_MESSAGES/podsite.po")))


def _ids(path: Path) -> dict:
    with open(path, "rb") as handle:
        return {m.id: m for m in read_po(handle) if m.id}


def _plain(msgid) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("pot") / "podsite.pot"
    subprocess.run([str(PYBABEL), "extract", "-F", "babel.cfg", "-k", "t", "-o", str(out), "--omit-header",
                    "--no-wrap", "."], cwd=ROOT, check=True, capture_output=True)
    return _ids(out)


def test_the_template_holds_every_string_pybabel_finds(extracted):
    template = _ids(i18n.TEMPLATE)
    new = sorted(_plain(m) for m in set(extracted) - set(template))
    gone = sorted(_plain(m) for m in set(template) - set(extracted))
    assert not new, (f"strings not in generator/locale/podsite.pot: {new} (run the pybabel extract "
                     "in babel.cfg, then pybabel update, and translate them)")
    assert not gone, f"strings no template uses any more: {gone} (run pybabel extract and update)"
    # player.js gets the messages extracted from .js files: the template must know which those are
    def js(ids):
        return {k for k, m in ids.items() if any(p.endswith(".js") for p, _ in m.locations)}
    assert js(template) == js(extracted)
    assert len(js(template)) >= 5  # the player's words (the transcript search left with its own)


@pytest.mark.parametrize("locale", SHIPPED)
def test_every_shipped_catalog_translates_every_string(locale, extracted):
    path = i18n.LOCALE_DIR / locale / "LC_MESSAGES" / "podsite.po"
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=locale)
    problems = i18n.untranslated(catalog, f"generator/locale/{locale}/LC_MESSAGES/podsite.po",
                                 {k: v for k, v in extracted.items()})
    assert not [str(p) for p in problems]
    for message in catalog:  # placeholders survive translation
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(i18n.PLACEHOLDER.findall(ids[-1])) - {"num"}
        for text in strings:
            assert wanted <= set(i18n.PLACEHOLDER.findall(text)), (locale, ids[0], text)


@pytest.mark.parametrize("theme, feed, expected", [
    ("de", "en-us", "de"),          # the theme decides
    ("", "de-DE", "de-DE"),         # else the feed
    ("", "pt_br", "pt-BR"),
    ("", "fr, en", "fr"),
    ("", "", "en"),                 # else English
    ("  ", "   ", "en"),
    ("", 'de"><script>', "en"),    # not a language tag: never into an attribute
    ("", "en--us", "en"),
])
def test_the_theme_then_the_feed_then_english_decide(theme, feed, expected):
    assert i18n.choose_language(theme, feed) == expected


@pytest.mark.parametrize("tag, expected", [
    ("de", "de"), ("de-AT", "de"), ("pt-BR", "pt_BR"), ("pt", "pt_BR"), ("pt-PT", "pt_BR"),
    ("AR", "ar"), ("ar-EG", "ar"), ("en-GB", "en"), ("sv", None), ("", None),
])
def test_a_language_tag_finds_the_catalog_that_fits(tag, expected):
    if expected:
        _needs(expected)
    assert i18n.catalog_for(tag, i18n.available_locales((i18n.LOCALE_DIR,))) == expected


def test_the_theme_gets_the_language_file_material_has():
    import material

    dirs = [str(Path(material.__file__).parent / "templates")]
    assert material_language("de-DE", dirs) == "de"
    assert material_language("pt-br", dirs) == "pt-BR"
    assert material_language("ar", dirs) == "ar"
    assert material_language("xx-YY", dirs) is None


def _needs(locale: str) -> None:
    if locale not in SHIPPED:
        pytest.skip(f"no {locale} catalog yet")


def _interface(tag: str) -> i18n.Interface:
    _needs(i18n.catalog_for(tag, SHIPPED) or tag)
    interface, problems = i18n.load_interface(tag, (), ROOT)
    assert not problems
    return interface


def test_dates_durations_and_numbers_in_the_locales_form():
    day = dt.date(2026, 1, 28)
    assert i18n.long_date(day, _interface("en")) == "January 28, 2026"
    assert i18n.long_date(day, _interface("de")) == "28. Januar 2026"
    assert i18n.long_date(day, _interface("fr")) == "28 janvier 2026"
    assert i18n.duration(23 * 60, _interface("en")) == "23 min"
    assert i18n.duration(65 * 60, _interface("en")) == "1 h 05 min"
    assert i18n.duration(45, _interface("en")) == "45 s"
    assert i18n.number(12345, _interface("de")) == "12.345"
    assert i18n.number(12345, _interface("fr")) == "12\u202f345"


def test_arabic_plurals_have_their_six_forms():
    ar = _interface("ar")
    forms = {n: ar.ngettext("%(num)s episode", "%(num)s episodes", n, num=n) for n in (0, 1, 2, 3, 11, 100)}
    assert len(set(forms.values())) == 6, forms
    assert ar.rtl and ar.direction == "rtl" and not _interface("de").rtl


def test_player_js_gets_its_words_and_plural_forms_by_cldr_category():
    ar = _interface("ar").js
    assert ar["lang"] == "ar"
    assert ar["messages"]["Play episode"] != "Play episode"
    assert set(ar["plurals"]["%(shown)s of %(num)s paragraph"]) == {"zero", "one", "two", "few", "many", "other"}
    de = _interface("de").js
    assert set(de["plurals"]["%(shown)s of %(num)s paragraph"]) == {"one", "other"}
    assert "Chapters" not in de["messages"]  # only what player.js asks for


def test_a_catalog_missing_a_string_shows_english_and_check_names_the_line(project):
    """The project's own catalog (locale_dir) is used first; what it leaves out stays English and
    `podsite check` says where."""
    from conftest import edit, mkdocs

    own = project / "locale" / "de" / "LC_MESSAGES"
    own.mkdir(parents=True)
    text = (i18n.LOCALE_DIR / "de" / "LC_MESSAGES" / "podsite.po").read_text(encoding="utf-8")
    assert 'msgid "Chapters"\nmsgstr "Kapitel"\n' in text
    text = text.replace('msgid "Chapters"\nmsgstr "Kapitel"\n', 'msgid "Chapters"\nmsgstr ""\n')
    text = text.replace('msgid "Show notes"\nmsgstr "Shownotes"\n', 'msgid "Show notes"\nmsgstr "Notizen zur Folge"\n')
    (own / "podsite.po").write_text(text, encoding="utf-8")
    line = text.split('msgid "Chapters"')[0].count("\n") + 1
    edit(project / "mkdocs.yml", "  language: en", "  language: de")
    edit(project / "mkdocs.yml", "      templates_dir: templates\n", "      templates_dir: templates\n      locale_dir: locale\n")
    check = subprocess.run([str(Path(sys.executable).parent / "podsite"), "check"], cwd=project,
                           capture_output=True, text=True, timeout=300)
    assert (f"warning: locale/de/LC_MESSAGES/podsite.po:{line}: an empty translation of 'Chapters'; "
            "the site shows it in English (add its msgstr, or run `pybabel update` and translate "
            "the new entries)") in check.stderr
    assert check.stderr.count("podsite.po") == 1
    result = mkdocs(project, "build")
    assert result.returncode == 0, result.stderr
    page = (project / "site" / "episodes" / "courage-is-a-small-step-taken-twice" / "index.html").read_text()
    assert '<h2 id="chapters">Chapters</h2>' in page  # English, for this string only
    assert "Notizen zur Folge" in page and "Über diese Folge" in page  # the project's words first
    assert mkdocs(project, "build", "--strict").returncode == 1


def test_without_a_theme_language_the_feed_decides_for_podsite_and_material(project):
    from conftest import edit, mkdocs

    edit(project / "mkdocs.yml", "  language: en\n", "")
    edit(project / "content" / "feed.xml", "<language>en</language>", "<language>fr-CA</language>")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    home = (project / "site" / "index.html").read_text()
    assert '<html lang="fr"' in home
    assert "Derniers épisodes" in home  # podsite's words
    assert 'placeholder="Rechercher"' in home  # Material's
    entry = (project / "site" / "pagefind" / "pagefind-entry.json").read_text()
    assert '"languages":{"fr":' in entry  # site search reads <html lang>: French words, stemmed


def test_a_language_without_a_catalog_stays_english_and_says_so(project):
    from conftest import edit, mkdocs

    edit(project / "mkdocs.yml", "  language: en", "  language: sv")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert ("podsite: mkdocs.yml: podsite has no catalog for the language 'sv': the words podsite "
            "writes stay in English") in result.stderr
    page = (project / "site" / "episodes" / "index.html").read_text()
    assert '<html lang="sv"' in page and "All episodes" in page


def test_a_new_catalog_gets_one_warning_listing_every_untranslated_string():
    with open(i18n.TEMPLATE, "rb") as handle:
        template = read_po(handle)
    template.locale = "sv"
    reference = i18n.reference_ids()
    problems = i18n.untranslated(template, "locale/sv/LC_MESSAGES/podsite.po", reference)
    assert len(problems) == 1
    assert str(problems[0]).startswith(
        f"locale/sv/LC_MESSAGES/podsite.po: {len(reference)} strings are not translated; the site "
        "shows them in English")
    assert len(problems[0].details) == len(reference)
    assert any(d.endswith("an empty translation of 'Play episode'") for d in problems[0].details)
