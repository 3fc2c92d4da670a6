"""Where a generated page lives on the web, and URLs the pages write that point into the site.

- `canonical_url`: the page's own absolute URL under `site_url` (what search engines and the
  JSON-LD `url` name); "" when mkdocs.yml sets no `site_url`.
- `local_url`: a feed URL inside the site's own `site_url` (the sample's cover and audio live in
  `content/pages/media/`) made relative to the page being rendered, so the same site works under
  `mkdocs serve`, from any local static server and at its real address. Other URLs are kept.

Both are Jinja2 helpers that read the page being rendered (`here`) from the template context.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import jinja2

from .render import relative_path


def url_of(path: str, directory_urls: bool = True) -> str:
    """The URL (from the site's root) MkDocs gives a generated page: `episodes/x.md` is
    `episodes/x/` with `use_directory_urls` (the default), else `episodes/x.html`. Other files
    keep their path."""
    if not path.endswith(".md"):
        return path
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def site_root(site_url: str) -> str:
    """`site_url` with exactly one trailing slash ("" stays "")."""
    return site_url.rstrip("/") + "/" if site_url else ""


@jinja2.pass_context
def canonical_url(context, target: str | None = None) -> str:
    """The absolute URL of `target` (a generated page's path; default: the page being rendered)."""
    root = site_root(context.get("site_url", ""))
    if not root:
        return ""
    url = url_of(target or context["here"], context.get("directory_urls", True))
    return root + (url.removesuffix("index.html") if url.endswith("/index.html") else url)


@jinja2.pass_context
def local_url(context, url: str) -> str:
    """`url` relative to the page being rendered when it lies under `site_url`, else unchanged."""
    root = site_root(context.get("site_url", ""))
    if not root or not url.startswith(root):
        return url
    rest = url[len(root):]
    parts = urlsplit(rest)
    if parts.scheme or parts.netloc or not parts.path or ".." in parts.path.split("/"):
        return url
    here = url_of(context["here"], context.get("directory_urls", True)).rpartition("/")[0]
    suffix = rest[len(parts.path):]  # ?query#fragment, as written
    path = relative_path(parts.path.rstrip("/"), here) + ("/" if parts.path.endswith("/") else "")
    return path + suffix


def install(env: jinja2.Environment, site_url: str) -> None:
    env.globals.update(site_url=site_root(site_url), canonical_url=canonical_url)
    env.filters["local"] = local_url
