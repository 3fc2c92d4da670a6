"""Ingest: the feed and the files it links to. Bytes and URLs in, `model.Feed` records out.

download.py (HTTP with timeouts and the last good copy), feed.py (feed bytes -> records, the table
of which tag fills which field), podcast_ns.py (the Podcasting 2.0 tags), cache.py (parsed feeds),
attachments.py (chapter and transcript files the feed links to). Knows nothing of notes or pages.
"""
