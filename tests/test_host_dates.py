"""Dates on pages are the host's day, with the exact instant kept for machines and for sorting."""

from __future__ import annotations

import json
import re
from pathlib import Path

from generator.build import Settings, build_site
from generator.sources.files import Sources

HERE = Path(__file__).parent
FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Zones</title><link>https://cast.example/</link>
<item><guid>pst</guid><title>Friday evening in California</title><pubDate>Fri, 20 Jan 2006 16:00:00 PST</pubDate>
<enclosure url="https://cast.example/1.mp3" type="audio/mpeg" length="1"/></item>
<item><guid>east</guid><title>New Year's morning in Sydney</title><pubDate>Sun, 01 Jan 2023 05:00:00 +1000</pubDate>
<enclosure url="https://cast.example/2.mp3" type="audio/mpeg" length="1"/></item>
<item><guid>west</guid><title>New Year's Eve in Seattle</title><pubDate>Sat, 31 Dec 2022 23:30:00 -0800</pubDate>
<enclosure url="https://cast.example/3.mp3" type="audio/mpeg" length="1"/></item>
</channel></rss>"""


def _pages() -> dict:
    sources = Sources(FEED, "feed.xml", (), (("content/virtues/courage.md", "---\ntitle: Courage\n---\nBrave.\n"),))
    pages, report = build_site(sources, Settings(root=HERE.parent, feed="feed.xml", worksheet_pdf=False))
    assert not report.errors, [str(p) for p in report.errors]
    return pages


def test_the_page_shows_the_hosts_day_and_keeps_the_instant():
    pages = _pages()
    episode = pages["episodes/friday-evening-in-california.md"]
    # 16:00 PST is 00:00 UTC on the 21st: the host published on the 20th
    assert '<time datetime="2006-01-20T16:00:00-08:00">January 20, 2006</time>' in episode
    [ld] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', episode, re.S)
    assert json.loads(ld)["datePublished"] == "2006-01-20T16:00:00-08:00"
    assert "January 21, 2006" not in "".join(p for p in pages.values() if isinstance(p, str))


def test_episodes_are_sorted_by_the_instant_not_by_the_day_shown():
    listing = _pages()["episodes/index.md"]
    # Seattle's 31 December 23:30 (-08:00) is 07:30 UTC on 1 January, after Sydney's 1 January
    # 05:00 (+10:00, 19:00 UTC on 31 December): newest first, Seattle leads with the earlier day
    seattle, sydney = listing.index("New Year&#x27;s Eve in Seattle"), listing.index("New Year&#x27;s morning in Sydney")
    assert seattle < sydney < listing.index("Friday evening in California")
    assert '<time datetime="2022-12-31T23:30:00-08:00">December 31, 2022</time>' in listing
    assert '<time datetime="2023-01-01T05:00:00+10:00">January 1, 2023</time>' in listing
