"""The plugin's settings in `mkdocs.yml`, declared once, with what each key means."""

from __future__ import annotations

import difflib
import logging
import os
import re
import warnings
from pathlib import Path

import yaml
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load

from .build import ENV_FEED, Settings
from .errors import Problem, Severity
from .ingest.download import is_url
from .model import Origin


class PositiveInt(c.Type):
    def __init__(self, default: int):
        super().__init__(int, default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if isinstance(value, bool) or value < 1:
            raise base.ValidationError(f"must be a whole number of at least 1, not {value!r}")
        return value


class PositiveNumber(c.Type):
    def __init__(self, default: float):
        super().__init__((int, float), default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if isinstance(value, bool) or value <= 0:
            raise base.ValidationError(f"must be a number of seconds above 0, not {value!r}")
        return value


class SubscribeLinks(c.Type):
    """`name: URL` pairs; every URL must be http(s)."""

    def __init__(self):
        super().__init__(dict, default={})

    def run_validation(self, value):
        value = super().run_validation(value)
        for name, url in value.items():
            if not isinstance(url, str) or not url.startswith(("https://", "http://")):
                raise base.ValidationError(f"the link for {name!r} must be an http(s) URL, "
                                           f"not {url!r}")
        return value


class PodsiteConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the generator off (e.g. to preview only the hand-written pages)."""

    feed_url = c.Type(str, default="content/feed.xml")
    """The podcast's feed: an http(s) URL, or a path relative to mkdocs.yml. The environment
    variable PODCAST_FEED overrides it without editing files."""

    feed_cache_dir = c.Type(str, default=".cache/podsite/feeds")
    """Where the last good copy of a downloaded feed is kept (relative to mkdocs.yml)."""

    feed_timeout = c.Type((int, float), default=10)
    """Seconds to wait for the feed's server to connect and to send each part of the feed."""

    feed_deadline = PositiveNumber(default=120)
    """Seconds one download (the feed, a chapter or transcript file) may take in all; a server
    that sends a byte every few seconds is given up on then, as on any failed download."""

    feed_max_bytes = PositiveInt(default=50 * 1024 * 1024)
    """Largest feed accepted, after decompression, in bytes."""

    feed_shrink_threshold = c.Type((int, float), default=0.5)
    """A download with fewer episodes than this share of the last good copy is not trusted."""

    feed_offline = c.Type(bool, default=False)
    """Build from the cached feed without touching the network (or set PODCAST_OFFLINE=1)."""

    feed_force = c.Type(bool, default=False)
    """Accept a download even when it shrank (or set PODCAST_FEED_FORCE=1 for one build)."""

    feed_blocked = c.Choice(("hide", "show"), default="hide")
    """Episodes the feed blocks (`<itunes:block>Yes` or `<podcast:block>yes` in the item): `hide`
    leaves them out of the site, `show` lists them like any other. A block of the whole channel
    only asks directories not to list the show, and changes nothing here."""

    feed_without_audio = c.Choice(("show", "hide"), default="show")
    """Episodes whose item has no playable enclosure (none, or not an http(s) URL): `show` gives
    them a page without a player, `hide` leaves them out of the site."""

    notes_dir = c.Type(str, default="content/episodes")
    """Folder of show notes: one Markdown file per episode, joined to the feed by guid."""

    notes_missing = c.Choice(("warn", "info"), default="warn")
    """How to report feed episodes that have no show notes: `warn` (fails `--strict` builds)
    or `info` (listed, never fails a build)."""

    notes_html = c.Choice(("trusted", "sanitize"), default="trusted")
    """HTML in show notes and virtue texts: `trusted` reaches the page as written (`<script>`
    too); `sanitize` allow-lists it like feed descriptions, with YouTube, Vimeo, Spotify,
    SoundCloud and Apple embeds (for shows that build pull requests from guests; MkDocs only)."""

    virtues_dir = c.Type(str, default="content/virtues")
    """Folder of virtue pages: `<id>.md` with a `title` in the front matter."""

    templates_dir = c.Type(str, default="templates")
    """Folder of the Jinja2 templates that write the generated pages."""

    episodes_per_page = PositiveInt(default=20)
    """Episodes per page of the episode list and of each virtue's list."""

    home_latest = PositiveInt(default=5)
    """How many of the newest episodes the home page shows."""

    worksheet_dir = c.Type(str, default="content/worksheets")
    """Folder of worksheet definitions: `<virtue id>.yml`, one per virtue that has a worksheet."""

    worksheet_pdf = c.Type(bool, default=True)
    """Also make a fillable PDF of each worksheet, in A4 and US Letter (needs WeasyPrint and the
    Pango library: see README, Worksheets). `false` builds the worksheet pages without PDFs (or
    set PODSITE_WORKSHEET_PDF=false for one build)."""

    urls_file = c.Type(str, default="content/urls.yml")
    """Pinned episode URLs (guid: slug), written by `podsite pin`, so that editing a title in the
    feed never moves a page; former slugs listed there redirect. An absent file pins nothing."""

    cache_dir = c.Type(str, default=".cache/podsite")
    """Build caches (relative to mkdocs.yml): the parsed feed and the generated site (`parsed/`),
    so an unchanged rebuild skips parsing and rendering, and finished worksheet PDFs
    (`worksheets/`), re-rendered only when their worksheet, template, font or WeasyPrint changed.
    Safe to delete at any time; an empty string turns these caches off. (The last good copy of a
    downloaded feed lives in `feed_cache_dir`.)"""


    listen_fetch = c.Type(bool, default=True)
    """Download the chapter (podcast:chapters) and transcript (podcast:transcript) files the feed
    links to, at build time, keeping the last good copy beside the feed's; listeners' browsers
    never fetch them from a third party. `false` uses only files beside the show notes."""

    fetch_allow_hosts = c.ListOfItems(c.Type(str), default=[])
    """Hosts a feed may make the build download from although they are loopback, private,
    link-local or cloud-metadata addresses (refused by default, also after DNS and redirects):
    names, addresses or networks, e.g. `[127.0.0.1, podcasts.lan, 10.1.0.0/16]`. Your own
    `feed_url` may be on any host without this."""

    search = c.Type(bool, default=True)
    """Site search over every page, transcripts included, with Pagefind: the build indexes the
    finished site into `pagefind/` and the header's search box queries it, fetching only the
    parts of the index a query needs. Replaces Material's `search` plugin (take `- search` out of
    `plugins:`). `false` builds no index and shows no search box."""

    subscribe = SubscribeLinks()
    """Podcast apps for the subscribe links, `name: URL` (e.g. `Apple Podcasts: https://...`).
    The feed's own link (atom:link rel="self") is always offered first."""

    locale_dir = c.Type(str, default="")
    """A folder of your own catalogs of podsite's interface words (`<language>/LC_MESSAGES/podsite.po`,
    relative to mkdocs.yml), used before podsite's: to add a language or reword one (README,
    Languages). The site's language is `theme.language`, else the feed's `<language>`."""

    def validate(self):
        """MkDocs' validation, in `check_plugin_options`' words: `mkdocs.yml:LINE: ...`."""
        failed, warnings = super().validate()
        if not (failed or warnings) or not self.config_file_path:
            return failed, warnings
        path = Path(self.config_file_path)
        ours = {p.message.split("'")[1]: str(p) for p in check_plugin_options(path, path.name)}
        return ([(key, ours.get(key, message)) for key, message in failed],
                [(key, ours.get(key, message)) for key, message in warnings])


def _env_off(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("0", "false", "no", "off")


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def feed_from_env(value: str) -> str:
    """PODCAST_FEED as a shell user means it: a path is relative to the current folder (not to
    mkdocs.yml, as feed_url is), so `PODCAST_FEED=feed.xml mkdocs build -f site/mkdocs.yml` works."""
    value = value.strip()
    if not value or is_url(value):
        return value
    path = Path(os.path.expanduser(value))
    return os.path.normpath(path if path.is_absolute() else Path.cwd() / path)


def theme_language(config) -> str:
    """`theme.language` as mkdocs.yml sets it; "" when it sets none. (The theme's own default,
    Material's `en`, must not hide the feed's <language>: so the user's config is asked.)"""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        users = getattr(config, "user_configs", None)
    if users is None:  # a MkDocs without it: the theme's value is all there is
        return str(config.theme["language"]) if "language" in config.theme else ""
    for user in reversed(users):
        theme = user.get("theme") if isinstance(user, dict) else None
        if isinstance(theme, dict) and theme.get("language"):
            return str(theme["language"])
    return ""


def material_language(tag: str, theme_dirs) -> str | None:
    """The theme's language file that fits a language tag (`de-DE` -> `de`, `pt-br` -> `pt-BR`),
    as Material names them in partials/languages/; None when the theme has none for it."""
    names: dict[str, str] = {}
    for folder in theme_dirs:
        for path in sorted((Path(folder) / "partials" / "languages").glob("*.html")):
            names.setdefault(path.stem.lower(), path.stem)
    wanted = tag.lower()
    return names.get(wanted) or names.get(wanted.split("-")[0])


def theme_html_lang(language: str, theme_dirs) -> str:
    """What the theme writes in <html lang> for its `language` (Material's `pt-BR` file says `pt`),
    so podsite's own pages and PDFs say the same; the setting itself when the theme has no file."""
    for folder in theme_dirs:
        path = Path(folder) / "partials" / "languages" / f"{language}.html"
        try:
            match = re.search(r'"language":\s*"([^"]+)"', path.read_text(encoding="utf-8"))
        except OSError:
            continue
        if match:
            return match.group(1)
    return language


def settings_from(plugin_config: PodsiteConfig, config_file_path: str,
                  directory_urls: bool = True, language: str = "",
                  site_url: str | None = None) -> Settings:
    root = Path(config_file_path).resolve().parent if config_file_path else Path.cwd()
    return Settings(
        root=root,
        feed=feed_from_env(os.environ.get(ENV_FEED, "")) or plugin_config.feed_url,
        feed_from_env=os.environ.get(ENV_FEED, "").strip(),
        feed_cache_dir=plugin_config.feed_cache_dir,
        feed_timeout=float(plugin_config.feed_timeout),
        feed_deadline=float(plugin_config.feed_deadline),
        fetch_allow_hosts=tuple(plugin_config.fetch_allow_hosts),
        feed_max_bytes=plugin_config.feed_max_bytes,
        feed_shrink_threshold=float(plugin_config.feed_shrink_threshold),
        feed_offline=plugin_config.feed_offline or _env_flag("PODCAST_OFFLINE"),
        feed_force=plugin_config.feed_force or _env_flag("PODCAST_FEED_FORCE"),
        notes_dir=plugin_config.notes_dir,
        notes_html=plugin_config.notes_html,
        virtues_dir=plugin_config.virtues_dir,
        templates_dir=plugin_config.templates_dir,
        episodes_per_page=plugin_config.episodes_per_page,
        home_latest=plugin_config.home_latest,
        worksheet_dir=plugin_config.worksheet_dir,
        worksheet_pdf=plugin_config.worksheet_pdf and not _env_off("PODSITE_WORKSHEET_PDF"),
        cache_dir=plugin_config.cache_dir,
        urls_file=plugin_config.urls_file,
        directory_urls=directory_urls,
        site_url=site_url or "",
        listen_fetch=plugin_config.listen_fetch,
        feed_blocked=plugin_config.feed_blocked,
        feed_without_audio=plugin_config.feed_without_audio,
        subscribe=tuple((str(k), str(v)) for k, v in plugin_config.subscribe.items()),
        notes_missing=Severity.WARNING if plugin_config.notes_missing == "warn" else Severity.INFO,
        language=language,
        locale_dir=plugin_config.locale_dir,
    )


# --- The podsite options in mkdocs.yml, checked with their lines --------------------------------
# MkDocs reports an unknown option only as a warning without a line ("Unrecognised configuration
# name"), and a wrong type as "Expected type: <class 'int'> ...". `podsite check` says where and
# what to write instead.

_KINDS = {str: "text", int: "a whole number", float: "a number", bool: "true or false", dict: "a mapping"}


def _kind(option) -> str:
    choices = getattr(option, "choices", None)
    if choices:
        return "one of " + ", ".join(str(c) for c in choices)
    kind = getattr(option, "_type", None)
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if set(kinds) == {int, float}:
        return "a number"
    return " or ".join(_KINDS.get(k, getattr(k, "__name__", "?")) for k in kinds)


def _option_error(option, value) -> str | None:
    try:
        option.validate(value)
    except base.ValidationError as exc:
        kind = getattr(option, "_type", None)
        wrong_type = kind is not None and (not isinstance(value, kind) or
                                           (isinstance(value, bool) and bool not in
                                            (kind if isinstance(kind, tuple) else (kind,))))
        if wrong_type or getattr(option, "choices", None):
            return f"must be {_kind(option)}, not {value!r}"
        return str(exc)
    return None


def _plugin_options(data) -> dict | None:
    """The options of the podsite entry of a loaded mkdocs.yml (`plugins:` as a list or mapping)."""
    plugins = data.get("plugins") if isinstance(data, dict) else None
    if isinstance(plugins, dict):
        entries = list(plugins.items())
    elif isinstance(plugins, list):
        entries = [next(iter(p.items())) if isinstance(p, dict) and len(p) == 1 else (p, None)
                   for p in plugins]
    else:
        entries = []
    for name, options in entries:
        if name == "podsite":
            return options if isinstance(options, dict) else {}
    return None


def _option_lines(text: str) -> dict[str, tuple[int, int]]:
    """podsite option -> (line of its key, line of its value), 1-based, read from the YAML nodes."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)  # composing ignores unknown tags (!ENV)
    except yaml.YAMLError:
        return {}
    if not isinstance(root, yaml.MappingNode):
        return {}
    plugins = next((v for k, v in root.value if k.value == "plugins"), None)
    pairs = []
    if isinstance(plugins, yaml.SequenceNode):
        pairs = [pair for item in plugins.value if isinstance(item, yaml.MappingNode)
                 for pair in item.value]
    elif isinstance(plugins, yaml.MappingNode):
        pairs = plugins.value
    for key, options in pairs:
        if key.value == "podsite" and isinstance(options, yaml.MappingNode):
            return {str(k.value): (k.start_mark.line + 1, v.start_mark.line + 1)
                    for k, v in options.value}
    return {}


def check_plugin_options(config_file: Path, shown: str) -> list[Problem]:
    """Every podsite option in `config_file` that is unknown (a warning, as in MkDocs, so
    `--strict` fails) or has a wrong value (an error), at the line of the key or the value."""
    try:
        text = config_file.read_text(encoding="utf-8")
        with config_file.open("rb") as stream:
            data = yaml_load(stream)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ConfigurationError):
        return []  # MkDocs reports these itself when it loads the file
    options = _plugin_options(data)
    if not options:
        return []
    lines = _option_lines(text)
    schema = dict(PodsiteConfig._schema)
    problems = []
    for key, value in options.items():
        key_line, value_line = lines.get(str(key), (None, None))
        option = schema.get(key)
        if option is None:
            close = difflib.get_close_matches(str(key), schema, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(schema)}"
            problems.append(Problem(Severity.WARNING, Origin(shown, key_line),
                                    f"unknown podsite option {key!r} ({hint})"))
        elif (error := _option_error(option, value)) is not None:
            problems.append(Problem(Severity.ERROR, Origin(shown, value_line),
                                    f"podsite option {key!r} {error}"))
    return problems


class OptionsFilter(logging.Filter):
    """Drops MkDocs' own lines about podsite options while `check_plugin_options` reports them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Plugin 'podsite' option" not in record.getMessage()
