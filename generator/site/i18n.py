"""The interface in the show's language: every word podsite writes comes from a message catalog.

    generator/locale/podsite.pot                        every interface string (`pybabel extract`)
    generator/locale/<locale>/LC_MESSAGES/podsite.po    one catalog per language (version control)

Which language (`choose_language`): `theme.language` in mkdocs.yml; when the theme sets none, the
feed's `<language>`; English when neither does. The catalog (`load_interface`, the one function
here that reads files) is compiled from its `.po` with Babel while the build runs, so no binary
`.mo` file is committed or installed. A catalog folder of the project's own (`locale_dir`) is
searched first: a show can add a language or reword one without touching podsite.

A string a catalog does not translate (missing, empty or fuzzy) is shown in English and reported
as a warning naming the catalog file, its line and the string (`podsite check` lists them).

Dates, durations and numbers are written in the locale's own form with Babel (CLDR data), with
the catalog's plural rules ("1 episode", "2 episodes"; Arabic has six forms). `player.js` gets
the same catalog as data (`js_catalog`), put in the page by the theme override (main.html).
"""

from __future__ import annotations

import gettext
import io
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.messages.catalog import Catalog as MessageCatalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.units import format_unit
from babel.support import Translations

from ..errors import Problem, Severity
from ..model import Origin

LOCALE_DIR = Path(__file__).parent.parent / "locale"
DOMAIN = "podsite"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
DEFAULT = "en"
# CLDR's plural categories in the order gettext numbers a catalog's plural forms (Babel makes
# both from CLDR); "other" is always there, and last.
PLURAL_ORDER = ("zero", "one", "two", "few", "many")
_TAG = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*\Z")
PLACEHOLDER = re.compile(r"%\((\w+)\)s")  # newstyle gettext's named placeholders
JS_SOURCES = (".js",)  # messages extracted from these files are handed to player.js


@dataclass(frozen=True)
class Interface:
    """The language a site is written in, and the catalog its interface words come from."""

    tag: str  # as <html lang> says it: "de", "pt-BR"
    locale: str  # Babel's name of the catalog used: "de", "pt_BR"; "en" when none fits
    translations: gettext.NullTranslations = field(compare=False, repr=False)
    catalog_path: str = ""  # the .po file, as shown in messages; "" for English without one
    js: dict = field(default_factory=dict, compare=False, repr=False)  # player.js' part

    @property
    def rtl(self) -> bool:
        """The site's language is written right to left (Arabic, Hebrew, Persian, Urdu...)."""
        return _babel_locale(self.tag, self.locale).character_order == "right-to-left"

    @property
    def formats(self) -> Locale:
        """Whose dates and numbers: the tag's (en-GB: 28 January), unless the catalog is of
        another language (no catalog for the tag: English words, English dates)."""
        mine, catalog = _babel_locale(self.tag, self.locale), _babel_locale(self.locale)
        return mine if mine.language == catalog.language else catalog

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    def gettext(self, message: str, **values) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def ngettext(self, singular: str, plural: str, n: int, **values) -> str:
        values.setdefault("num", n)
        return self.translations.ngettext(singular, plural, n) % values


ENGLISH = Interface("en", "en", gettext.NullTranslations(), "", {"lang": "en", "messages": {}, "plurals": {}})


def normal_tag(tag: str) -> str:
    """A language tag as HTML writes it: `pt_br` -> `pt-BR`, `EN-us` -> `en-US`, `zh-hant` kept."""
    text = str(tag or "").strip().replace("_", "-")
    if not _TAG.match(text):
        return ""  # not a language tag (BCP 47's shape): never let it into an attribute
    parts = text.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        out.append(part.upper() if len(part) == 2 else part.title() if len(part) == 4 else part)
    return "-".join(out)


def choose_language(theme_language: str, feed_language: str) -> str:
    """The site's language tag: the theme's, else the feed's first, else English."""
    feed = (feed_language or "").split(",")[0]
    return normal_tag(theme_language) or normal_tag(feed) or DEFAULT


def available_locales(folders: tuple[Path, ...]) -> dict[str, Path]:
    """locale name -> its .po file, the first folder that has one winning."""
    found: dict[str, Path] = {}
    for folder in folders:
        if folder.is_dir():
            for po in sorted(folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
                found.setdefault(po.parent.parent.name, po)
    return found


def catalog_for(tag: str, available) -> str | None:
    """The catalog that fits a language tag best: `pt-BR` -> pt_BR; `de-AT` -> de;
    `pt-PT` -> pt_BR when that is the only Portuguese; None when no catalog has the language."""
    names = {name.lower(): name for name in available}
    wanted = tag.replace("-", "_").lower()
    if wanted in names:
        return names[wanted]
    language = wanted.split("_")[0]
    if language in names:
        return names[language]
    siblings = sorted(n for low, n in names.items() if low.split("_")[0] == language)
    return siblings[0] if siblings else None


def load_interface(tag: str, folders: tuple[Path, ...], root: Path) -> tuple[Interface, list[Problem]]:
    """The interface for a language tag, with the problems of its catalog (untranslated strings).

    `folders`: the project's own catalog folder (if any) before podsite's. Reads the .po file.
    """
    folders = tuple(folders) + (LOCALE_DIR,)
    available = available_locales(folders)
    name = catalog_for(tag, available)
    if name is None:
        return Interface(tag, DEFAULT, gettext.NullTranslations(), "", _no_js(tag)), []
    path = available[name]
    shown = _display(path, root)
    problems: list[Problem] = []
    try:
        with open(path, "rb") as handle:
            catalog = read_po(handle, locale=name, domain=DOMAIN, abort_invalid=True)
    except Exception as exc:  # PoFileError, UnicodeDecodeError, OSError: never a traceback
        problems.append(Problem(Severity.WARNING, Origin(shown), (
            f"cannot read this catalog ({exc}); podsite's interface words stay in English "
            "(fix the file: `pybabel compile --statistics -d ...` shows where it breaks)")))
        return Interface(tag, DEFAULT, gettext.NullTranslations(), shown, _no_js(tag)), problems
    problems.extend(untranslated(catalog, shown, reference_ids()))
    translations = _translations(catalog)
    js = js_catalog(catalog, translations, tag)
    return Interface(tag, name, translations, shown, js), problems


def _no_js(tag: str) -> dict:
    return {"lang": tag, "messages": {}, "plurals": {}}


def _translations(catalog: MessageCatalog) -> Translations:
    """The catalog compiled in memory (as `pybabel compile` would), without fuzzy entries; an
    untranslated string falls back to its English msgid."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def reference_ids() -> dict:
    """msgid -> the template's message, from `podsite.pot` (every string the templates use)."""
    try:
        with open(TEMPLATE, "rb") as handle:
            pot = read_po(handle, domain=DOMAIN)
    except OSError:
        return {}
    return {m.id: m for m in pot if m.id}


def _is_translated(message) -> bool:
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return all(strings)


def untranslated(catalog: MessageCatalog, shown: str, reference: dict) -> list[Problem]:
    """One warning per string of the template the catalog does not translate (English is shown)."""
    if catalog.locale is not None and str(catalog.locale) == "en":
        return []  # the msgids are English: a missing entry is already right
    problems = []
    for msgid in reference:
        message = catalog.get(msgid)
        if _is_translated(message):
            continue
        singular = msgid[0] if isinstance(msgid, tuple) else msgid
        where = "no translation of" if message is None else (
            "a fuzzy translation of" if message.fuzzy else "an empty translation of")
        problems.append(Problem(Severity.WARNING, Origin(shown, message.lineno if message else None),
                                f"{where} {singular!r}; the site shows it in English (add its "
                                "msgstr, or run `pybabel update` and translate the new entries)"))
    return problems


def js_catalog(catalog: MessageCatalog, translations, tag: str) -> dict:
    """What player.js needs: its messages (those extracted from a .js file, per the template) in
    this language; plural messages as {CLDR category: form}, chosen in the browser with
    `Intl.PluralRules(lang)`."""
    reference = reference_ids()
    categories = _plural_categories(catalog)
    messages, plurals = {}, {}
    for msgid, message in reference.items():
        if not any(path.endswith(JS_SOURCES) for path, _ in message.locations):
            continue
        own = catalog.get(msgid)
        if not _is_translated(own):
            continue
        if isinstance(msgid, tuple):
            if categories and len(categories) == len(own.string):
                plurals[msgid[0]] = dict(zip(categories, own.string))
        else:
            messages[msgid] = own.string
    return {"lang": tag, "messages": messages, "plurals": plurals}


def _plural_categories(catalog: MessageCatalog) -> tuple[str, ...]:
    try:
        tags = _babel_locale(str(catalog.locale)).plural_form.tags
    except Exception:
        return ()
    order = tuple(t for t in PLURAL_ORDER if t in tags) + ("other",)
    return order if len(order) == catalog.num_plurals else ()


def script_json(data) -> str:
    """JSON safe inside a <script> element (cannot end it early)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@lru_cache(maxsize=64)
def _babel_locale(name: str, fallback: str = DEFAULT) -> Locale:
    for candidate in (name, fallback, DEFAULT):
        try:
            return Locale.parse(str(candidate).replace("-", "_"))
        except (ValueError, UnknownLocaleError, TypeError):
            continue
    return Locale(DEFAULT)


def _display(path: Path, root: Path) -> str:
    for base in (root, LOCALE_DIR.parent.parent):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return str(path)


# --- dates, durations and numbers in the locale's own form ---------------------------------------


def long_date(value, interface: Interface = ENGLISH) -> str:
    """`28 January 2026` in the site's language (CLDR's long date)."""
    if not value:
        return ""
    return format_date(value, format="long", locale=interface.formats)


def number(value, interface: Interface = ENGLISH) -> str:
    return format_decimal(value, locale=interface.formats)


def duration(seconds: int | None, interface: Interface = ENGLISH) -> str:
    """`23 min`, `1 h 05 min`, `45 s`, worded by the catalog with its plural rules."""
    if seconds is None:
        return ""
    if seconds < 60:
        return interface.ngettext("%(num)s s", "%(num)s s", seconds, num=number(seconds, interface))
    hours, minutes = divmod(round(seconds / 60), 60)
    if hours:
        return interface.gettext("%(hours)s h %(minutes)s min", hours=number(hours, interface),
                                 minutes=f"{minutes:02d}")
    return interface.ngettext("%(num)s min", "%(num)s min", minutes, num=number(minutes, interface))


def size(n: int, interface: Interface = ENGLISH) -> str:
    """`117 KB`, `1.5 MB` (`117 ko` in French): CLDR's unit names."""
    if n >= 1_000_000:
        return format_unit(round(n / 1e6, 1), "digital-megabyte", length="short", locale=interface.formats)
    return format_unit(max(1, round(n / 1e3)), "digital-kilobyte", length="short", locale=interface.formats)


def lang_attr(tag: str, interface: Interface = ENGLISH) -> str:
    """` lang="en"` for text in another language than the site's (a transcript, the feed's
    chapters), else nothing."""
    tag = normal_tag((tag or "").split(",")[0])
    if not tag or tag.lower() == interface.tag.lower():
        return ""
    return f' lang="{tag}"'


def _(message: str) -> str:
    """Marks a string for `pybabel extract`; it is translated where it is shown."""
    return message


# podcast:person roles (Podcasting 2.0 taxonomy, lower case) and paper sizes, as shown on pages.
ROLE_NAMES = {"host": _("host"), "co-host": _("co-host"), "guest": _("guest"),
              "guest host": _("guest host"), "producer": _("producer"), "editor": _("editor"),
              "composer": _("composer"), "narrator": _("narrator"), "announcer": _("announcer")}
PAPER_NAMES = {"A4": _("A4"), "US Letter": _("US Letter")}


def install(env, interface: Interface) -> None:
    """Put the interface into a Jinja2 environment: `_()`, `ngettext()`, the locale's dates,
    durations, numbers and sizes (filters `long_date`, `duration`, `number`, `size`), the
    globals `lang` (the site's language tag), `direction` (`ltr` or `rtl`), `lang_attr(tag)`,
    `role_name(role)` and `paper_name(name)`."""
    env.install_gettext_translations(interface.translations, newstyle=True)
    env.filters.update(long_date=lambda value: long_date(value, interface),
                       duration=lambda seconds: duration(seconds, interface),
                       number=lambda value: number(value, interface),
                       size=lambda n: size(n, interface))
    env.globals.update(
        lang=interface.tag, direction=interface.direction,
        lang_attr=lambda tag: lang_attr(tag, interface),
        role_name=lambda role: interface.gettext(ROLE_NAMES[role]) if role in ROLE_NAMES else role,
        paper_name=lambda name: interface.gettext(PAPER_NAMES[name]) if name in PAPER_NAMES else name)
