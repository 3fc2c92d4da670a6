"""The plugin's settings in `mkdocs.yml`, declared once, with what each key means."""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c

from .build import ENV_FEED, Settings
from .errors import Severity


class PositiveInt(c.Type):
    def __init__(self, default: int):
        super().__init__(int, default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if isinstance(value, bool) or value < 1:
            raise base.ValidationError(f"must be a whole number of at least 1, not {value!r}")
        return value


class PodsiteConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the generator off (e.g. to preview only the hand-written pages)."""

    feed_url = c.Type(str, default="content/feed.xml")
    """The podcast's feed: a path relative to mkdocs.yml. The environment variable PODCAST_FEED
    overrides it without editing files."""

    notes_dir = c.Type(str, default="content/episodes")
    """Folder of show notes: one Markdown file per episode, joined to the feed by guid."""

    notes_missing = c.Choice(("warn", "info"), default="warn")
    """How to report feed episodes that have no show notes: `warn` (fails `--strict` builds)
    or `info` (listed, never fails a build)."""

    virtues_dir = c.Type(str, default="content/virtues")
    """Folder of virtue pages: `<id>.md` with a `title` in the front matter."""

    templates_dir = c.Type(str, default="templates")
    """Folder of the Jinja2 templates that write the generated pages."""

    episodes_per_page = PositiveInt(default=20)
    """Episodes per page of the episode list and of each virtue's list."""

    home_latest = PositiveInt(default=5)
    """How many of the newest episodes the home page shows."""

    cache_dir = c.Type(str, default=".cache/podsite")
    """Where parsed feeds are cached (relative to mkdocs.yml), so an unchanged feed is not parsed
    again on the next build. An empty string turns the cache off."""


def settings_from(plugin_config: PodsiteConfig, config_file_path: str) -> Settings:
    root = Path(config_file_path).resolve().parent if config_file_path else Path.cwd()
    return Settings(
        root=root,
        feed=os.environ.get(ENV_FEED) or plugin_config.feed_url,
        notes_dir=plugin_config.notes_dir,
        virtues_dir=plugin_config.virtues_dir,
        templates_dir=plugin_config.templates_dir,
        episodes_per_page=plugin_config.episodes_per_page,
        home_latest=plugin_config.home_latest,
        notes_missing=Severity.WARNING if plugin_config.notes_missing == "warn" else Severity.INFO,
        cache_dir=plugin_config.cache_dir,
    )
