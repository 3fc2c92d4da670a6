"""Output grows by adding pages, never by growing a page: lists are paginated, "latest" is bounded.

Structural, not timed: the generated Markdown for 60 and for 300 synthetic episodes. Speed is
measured by bench/benchmark.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.build import Settings, build_site
from generator.sources.files import Sources

ROOT = Path(__file__).resolve().parent.parent
VIRTUES = ("alliances", "courage", "curiosity", "resilience")


def synthetic_feed(count: int) -> bytes:
    start = dt.datetime(2020, 1, 6, 6, 0, tzinfo=dt.timezone.utc)
    items = []
    for i in range(1, count + 1):
        date = (start + dt.timedelta(days=7 * i)).strftime("%a, %d %b %Y %H:%M:%S +0000")
        items.append(
            f"<item><title>Episode {i:04d}: a small brave step</title><guid>syn-{i:04d}</guid>"
            f"<pubDate>{date}</pubDate><description><![CDATA[<p>{'Notes on practice. ' * 30}</p>]]>"
            f"</description><enclosure url=\"https://cast.example/{i}.mp3\" type=\"audio/mpeg\" "
            f"length=\"1000\"/><itunes:duration>1800</itunes:duration>"
            f"<itunes:episode>{i}</itunes:episode><category>{VIRTUES[i % 4]}</category></item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
            'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
            "<title>Scale cast</title><link>https://cast.example/</link>"
            + "\n".join(items) + "</channel></rss>\n").encode()


def site_of(count: int) -> dict[str, str]:
    virtues = tuple((f"content/virtues/{v}.md", f"---\ntitle: {v.title()}\n---\nAbout {v}.\n")
                    for v in VIRTUES)
    sources = Sources(synthetic_feed(count), "content/feed.xml", (), virtues)
    # 10 per page: with 60 episodes every list (and each virtue's 15) already fills a page.
    pages, report = build_site(sources, Settings(root=ROOT, feed="content/feed.xml",
                                                 episodes_per_page=10, notes_missing=None))
    assert not report.errors
    return pages


def test_no_page_grows_with_the_number_of_episodes():
    small, large = site_of(60), site_of(300)
    assert sum(p.startswith("episodes/page/") for p in large) > sum(p.startswith("episodes/page/") for p in small)
    # The same page (episode pages, first pages of lists, home) with other episodes on it: only
    # counts ("60" -> "300") and dates ("May" -> "November") may change its length.
    for name in (name for name in small if "/page/" not in name):
        assert len(large[name]) - len(small[name]) < 100, name
    # Later pages of a list link back further (`../../../episodes/...`), nothing more.
    assert max(map(len, large.values())) < max(map(len, small.values())) * 1.05


def test_output_grows_linearly_with_the_number_of_episodes():
    small, large = site_of(60), site_of(300)
    per_episode_small = sum(map(len, small.values())) / 60
    per_episode_large = sum(map(len, large.values())) / 300
    assert per_episode_large < per_episode_small * 1.05
