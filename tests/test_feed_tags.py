"""What the site shows of Apple's and the Podcasting 2.0 tags (generator/ingest/feed_tags.py,
templates/_feedtags.md.j2), through a real build of tests/feeds/tags/everything.xml.

What ingest makes of each tag, and which malformed values it drops with which warning, is in the
golden pairs of tests/feeds/fields/ (test_feed_fields.py)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.build import Settings, generate
from generator.errors import Report, Severity
from generator.ingest.feed import parse_feed

FEED = Path(__file__).parent / "feeds/tags/everything.xml"
TEMPLATES = Path(__file__).parent.parent / "templates"


def build(tmp_path: Path, feed: str, **settings) -> tuple[dict, Report]:
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    shutil.copytree(TEMPLATES, root / "templates")
    (root / "content" / "feed.xml").write_text(feed, encoding="utf-8")
    return generate(Settings(root=root, feed="content/feed.xml", worksheet_pdf=False, cache_dir="",
                             notes_missing=Severity.INFO, **settings))


@pytest.fixture
def site(tmp_path) -> dict:
    pages, report = build(tmp_path, FEED.read_text(encoding="utf-8"))
    assert not report.errors and not report.warnings, report.problems
    return pages


def test_trailers_and_bonus_episodes_are_marked_in_lists_and_on_their_page(site):
    for listing in (site["index.md"], site["episodes/index.md"]):
        assert '<small>Bonus · <time datetime="2026-04-29T06:00:00+00:00">April 29, 2026</time></small>' in listing
        assert '<small>Trailer · <time datetime="2026-04-01T06:00:00+00:00">April 1, 2026</time></small>' in listing
    assert '<p class="podsite-facts">Bonus · <time datetime="2026-04-29T06:00:00+00:00">April 29, 2026</time></p>' in site["episodes/a-bonus.md"]
    # the home page offers the trailer, playable in the site player
    home = site["index.md"]
    trailer = home[home.index("## Trailer"):home.index("## Support the show")]
    assert 'data-src="https://cast.example/trailer.mp3"' in trailer and "data-podsite-play" in trailer


def test_explicit_is_marked_where_the_episode_is_listed_and_played(site):
    page = site["episodes/the-main-episode.md"]
    assert re.search(r'<p class="podsite-facts">.*· Explicit</p>', page)
    assert "Explicit" in site["index.md"].split("the-main-episode/")[1].split("</li>")[0]
    assert "Explicit" not in site["episodes/a-bonus.md"]  # the channel says false


def test_a_blocked_episode_is_left_out_and_one_without_audio_has_no_player(tmp_path, site):
    assert "episodes/pulled-episode.md" not in site
    assert "Pulled episode" not in site["episodes/index.md"]
    text_only = site["episodes/text-only.md"]
    assert "data-podsite-episode" not in text_only and "Just words." in text_only


def test_settings_show_blocked_episodes_or_hide_those_without_audio(tmp_path):
    pages, report = build(tmp_path, FEED.read_text(encoding="utf-8"), feed_blocked="show",
                          feed_without_audio="hide")
    assert "episodes/pulled-episode.md" in pages and "episodes/text-only.md" not in pages
    left = [p for p in report.problems if "left out of the site" in p.message]
    assert [str(p) for p in left] == [
        "content/feed.xml: 1 episode(s) of the feed left out of the site (the feed_blocked and "
        "feed_without_audio settings)\n  - line 37: 'Text only' (no audio in the feed)"]


def test_support_links_on_the_home_page_and_the_episode_page(site):
    assert '<a href="https://cast.example/members" rel="noopener">Become a member &lt;script&gt;</a>' \
        in site["index.md"]
    # an episode's own funding link replaces the show's
    page = site["episodes/the-main-episode.md"]
    assert '<a href="https://cast.example/sponsor-ep2" rel="noopener">Sponsor this one</a>' in page
    assert '<a href="https://cast.example/members"' in site["episodes/a-bonus.md"]


def test_soundbites_play_their_range_and_have_a_share_link(site):
    page = site["episodes/the-main-episode.md"]
    assert ('href="https://cast.example/ep2.mp3#t=760,790" data-podsite-seek="760" '
            'data-podsite-end="790"') in page
    assert '<a href="./#t=12:40,13:10" data-podsite-share>' in page
    # the title is text, escaped: not Markdown emphasis, not a tag
    assert "Why \\*this\\* &lt;matters&gt;" in page or "Why *this* &lt;matters&gt;" in page
    # without a title, the episode's stands for it
    assert '#t=73.5,88.5"' in page


def test_other_formats_can_be_chosen_and_video_plays_in_its_own_element(site):
    page = site["episodes/the-main-episode.md"]
    chooser = page[page.index("<select data-podsite-format>"):page.index("</select>")]
    assert re.findall(r'<option value="([^"]+)"', chooser) == [
        "https://cast.example/ep2.mp3", "https://cast.example/ep2.opus"]
    assert "Small &amp; light · 48 kbps · 5.4 MB" in chooser
    # other content (rel="...") is offered for download, not as a version of the same audio
    assert '<a href="https://cast.example/ep2-commentary.mp3" type="audio/mpeg" download>Director&#x27;s ' \
        'commentary · MP3 · 2 MB</a>' in page
    assert '<source src="https://cast.example/ep2-720.mp4" type="video/mp4">' in page
    assert '<abbr title="sri sha384-abc">' in page
    # the site player keeps the feed's audio; the video is not handed to it
    assert 'data-src="https://cast.example/ep2.mp3"' in page


def test_season_name_and_episode_display_replace_the_numbers(site):
    page = site["episodes/the-main-episode.md"]
    assert "Spring &quot;cleaning&quot; · Day &lt;5&gt;" in page
    assert "Season 2" not in page.split("podsite-facts")[1].split("</p>")[0]
    assert '## Spring "cleaning"' in site["episodes/index.md"]


def test_place_license_conversation_and_value_for_value(site):
    page = site["episodes/the-main-episode.md"]
    assert ('<a href="https://www.openstreetmap.org/?mlat=51.5074&amp;mlon=-0.1278#map=14/51.5074/'
            '-0.1278" rel="noopener">London &amp; around</a>') in page
    assert '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license noopener">cc-by-4.0</a>' in page
    assert ('<a href="https://social.example/@cast/42" rel="noopener">Join the conversation</a> '
            '(@cast@social.example)') in page
    assert "Supports value-for-value: Host &lt;Ann&gt;" in page
    assert "SECRETADDRESS" not in json.dumps(site)


def test_responsive_cover_podroll_and_the_guid_in_json_ld(site):
    home = site["index.md"]
    assert ('srcset="https://cast.example/cover-600.jpg 600w, https://cast.example/cover-1500.jpg 1500w" '
            'sizes="200px"') in home
    podroll = home[home.index("## Shows we recommend"):]
    assert '<a href="https://friend.example/rss" type="application/rss+xml" rel="noopener">A [friendly] show</a>' \
        in podroll
    assert "29cdca4a-32d8-56ba-b48b-09a011c5daa9" in podroll
    series = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', home).group(1))
    assert series["identifier"] == "917393e3-1b1e-5cef-ace4-edaa54e1f810"


@pytest.mark.parametrize("value", [
    "", " ", "-1", "nan", "inf", "-inf", "1e309", "１２", "0x10", "&amp;", "<b>x</b>", "javascript:x",
    "geo:", "geo:1", "geo:1,2,3,4", "R", "999999999999999999999999", "1:2:3", "yes", "true",
])
def test_no_value_of_any_attribute_crashes_ingest_or_the_build(tmp_path, value):
    attr = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    def element(tag, attrs, inner):
        written = " ".join(f'{a}="{attr}"' for a in attrs)
        return f"<podcast:{tag} {written}>{attr}{inner}</podcast:{tag}>"

    tags = "".join(
        element(tag, attrs, inner) for tag, attrs, inner in [
            ("soundbite", ["startTime", "duration"], ""),
            ("funding", ["url"], ""),
            ("location", ["geo", "osm"], ""),
            ("license", ["url"], ""),
            ("images", ["srcset"], ""),
            ("image", ["href", "width", "purpose"], ""),
            ("socialInteract", ["uri", "protocol", "priority", "accountUrl"], ""),
            ("season", ["name"], ""),
            ("episode", ["display"], ""),
            ("block", ["id"], ""),
            ("alternateEnclosure", ["type", "length", "bitrate", "height", "default"],
             f'<podcast:source uri="{attr}" contentType="{attr}"/><podcast:integrity type="{attr}" value="{attr}"/>'),
            ("value", ["type"], f'<podcast:valueRecipient name="{attr}"/>'),
        ])
    channel = (f'<podcast:guid>{attr}</podcast:guid><podcast:trailer url="{attr}" pubdate="{attr}">{attr}'
               f'</podcast:trailer><podcast:podroll><podcast:remoteItem feedGuid="{attr}" feedUrl="{attr}"/>'
               f'</podcast:podroll><itunes:explicit>{attr}</itunes:explicit>')
    feed = (
        '<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd" '
        'xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>Fuzz</title>'
        f'{channel}<item><guid>a</guid><title>A</title><enclosure url="https://x.example/a.mp3" '
        f'type="audio/mpeg"/><itunes:episodeType>{attr}</itunes:episodeType>{tags}</item></channel></rss>')
    report = Report()
    assert parse_feed(feed.encode(), "fuzz.xml", report) is not None
    assert not report.errors
    pages, report = build(tmp_path, feed)
    assert pages and not report.errors, report.problems


def test_one_mistake_in_every_item_is_one_warning_with_a_list():
    items = "".join(f'<item><guid>{n}</guid><title>{n}</title><podcast:soundbite startTime="x" '
                    f'duration="9"/></item>\n' for n in range(25))
    feed = ('<?xml version="1.0"?>\n<rss version="2.0" xmlns:podcast="https://podcastindex.org/'
            f'namespace/1.0"><channel><title>Many</title>\n{items}</channel></rss>')
    report = Report()
    parse_feed(feed.encode(), "many.xml", report)
    [warning] = report.warnings
    assert str(warning).splitlines()[:3] == [
        "many.xml:3: 25 podcast:soundbite values could not be used and were dropped (ask the "
        "feed's host to fix them):",
        "  - line 3: startTime 'x' is not a number of seconds (0 or more) (soundbite dropped; "
        "write e.g. startTime=\"73.0\")",
        "  - line 4: startTime 'x' is not a number of seconds (0 or more) (soundbite dropped; "
        "write e.g. startTime=\"73.0\")"]
    assert str(warning).splitlines()[-1] == "  - ... and 5 more"
