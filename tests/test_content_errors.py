"""The exact words a maintainer sees for each content mistake (`path:line: message`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.build import Settings, build_site
from generator.errors import Severity
from generator.sources.files import Sources

ROOT = Path(__file__).resolve().parent.parent
FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Test cast</title><link>https://cast.example/</link>
<item><title>First steps</title><guid>ep-1</guid><pubDate>Mon, 05 Jan 2026 06:00:00 +0000</pubDate>
<enclosure url="https://cast.example/1.mp3" type="audio/mpeg" length="1"/><itunes:episode>1</itunes:episode></item>
<item><title>Second wind</title><guid>ep-2</guid><pubDate>Mon, 12 Jan 2026 06:00:00 +0000</pubDate>
<enclosure url="https://cast.example/2.mp3" type="audio/mpeg" length="1"/><itunes:episode>2</itunes:episode></item>
</channel></rss>
"""
VIRTUES = (
    ("content/virtues/alliances.md", "---\ntitle: Alliances\n---\nAllies.\n"),
    ("content/virtues/courage.md", "---\ntitle: Courage\n---\nBrave.\n"),
    ("content/virtues/resilience.md", "---\ntitle: Resilience\n---\nBend.\n"),
)
GOOD_NOTE_2 = ("content/episodes/002-second-wind.md", "---\nguid: ep-2\nvirtues: [courage]\n---\nNotes.\n")


def run(*notes, feed=FEED, notes_missing=Severity.WARNING):
    sources = Sources(feed, "content/feed.xml", tuple(notes), VIRTUES)
    pages, report = build_site(sources, Settings(root=ROOT, feed="content/feed.xml",
                                                 notes_missing=notes_missing))
    return pages, [f"{p.severity.value}: {p}" for p in report.problems]


def test_clean_content_has_no_problems():
    pages, problems = run(("content/episodes/001-first-steps.md", "---\nguid: ep-1\n---\nHi.\n"),
                          GOOD_NOTE_2)
    assert problems == []
    assert "episodes/first-steps.md" in pages


def test_unknown_virtue_names_the_line_and_the_known_ones():
    note = ("content/episodes/042-alliances.md", "---\nguid: ep-1\nvirtues: [alliance]\n---\nHi.\n")
    pages, problems = run(note, GOOD_NOTE_2)
    assert problems == ["error: content/episodes/042-alliances.md:3: unknown virtue 'alliance' "
                        "(known: alliances, courage, resilience)"]
    assert pages == {}


def test_malformed_front_matter_points_at_the_broken_line():
    note = ("content/episodes/001-first.md", "---\nguid: ep-1\nvirtues: [courage\ntitle: x\n---\nHi.\n")
    _, problems = run(note, GOOD_NOTE_2)
    assert problems == ["error: content/episodes/001-first.md:4: front matter is not valid YAML: "
                        "expected ',' or ']', but got ':' (check the indentation and quote values "
                        "that contain ':')"]


def test_front_matter_without_closing_fence():
    note = ("content/episodes/001-first.md", "---\nguid: ep-1\n\nHi.\n")
    _, problems = run(note, GOOD_NOTE_2)
    assert problems == ["error: content/episodes/001-first.md:1: front matter is not closed "
                        "(add a line with just '---' after the last key)"]


def test_note_for_an_episode_that_is_not_in_the_feed():
    note = ("content/episodes/003-gone.md", "---\nvirtues: [courage]\nguid: ep-3\n---\nHi.\n")
    _, problems = run(note, GOOD_NOTE_2)
    assert problems[0] == ("error: content/episodes/003-gone.md:3: no episode in the feed has guid "
                           "'ep-3' (check it against content/feed.xml, or delete this note)")


def test_note_with_unknown_episode_number():
    note = ("content/episodes/009-late.md", "---\nepisode: 9\n---\nHi.\n")
    _, problems = run(note, GOOD_NOTE_2)
    assert problems[0] == ("error: content/episodes/009-late.md:2: no episode in the feed has "
                           "episode number 9 (check it against content/feed.xml, or delete this note)")


def test_file_name_number_is_the_fallback_join_key():
    pages, problems = run(("content/episodes/001-first-steps.md", "Plain notes, no front matter.\n"),
                          GOOD_NOTE_2)
    assert problems == []
    assert "Plain notes, no front matter." in pages["episodes/first-steps.md"]


def test_episode_without_notes_is_a_warning_with_the_fix():
    pages, problems = run(GOOD_NOTE_2)
    assert problems == ["warning: content/feed.xml:4: episode 'First steps' has no show notes "
                        "(`podsite new 1` starts them in content/episodes/001-first-steps.md)"]
    assert "episodes/first-steps.md" in pages  # still published, from the feed alone


def test_missing_notes_can_be_demoted_to_info():
    _, problems = run(GOOD_NOTE_2, notes_missing=Severity.INFO)
    assert [p.split(":")[0] for p in problems] == ["info"]


def test_many_episodes_without_notes_are_one_grouped_warning():
    _, problems = run()
    assert problems == ["warning: content/feed.xml: 2 episodes have no show notes (`podsite new "
                        "<number or guid>` starts a file for each)\n"
                        "  - line 4: 'First steps': podsite new 1 starts "
                        "content/episodes/001-first-steps.md\n"
                        "  - line 6: 'Second wind': podsite new 2 starts "
                        "content/episodes/002-second-wind.md"]


def test_the_missing_notes_hint_names_what_podsite_new_would_write():
    """Same file name as `podsite new`; the guid when the number does not name one episode;
    feed order even when the feed lists its oldest item first."""
    feed = FEED.replace(b"<itunes:episode>2</itunes:episode>", b"")
    feed = feed.replace(b"<guid>ep-2</guid>", b"<guid>tag:cast.example,2026:second wind</guid>")
    _, problems = run(feed=feed)
    assert problems == ["warning: content/feed.xml: 2 episodes have no show notes (`podsite new "
                        "<number or guid>` starts a file for each)\n"
                        "  - line 4: 'First steps': podsite new 1 starts "
                        "content/episodes/001-first-steps.md\n"
                        "  - line 6: 'Second wind': podsite new 'tag:cast.example,2026:second wind' "
                        "starts content/episodes/second-wind.md"]


def test_two_notes_for_one_episode():
    a = ("content/episodes/a.md", "---\nguid: ep-2\n---\nA\n")
    b = ("content/episodes/b.md", "---\nguid: ep-2\n---\nB\n")
    _, problems = run(a, b, ("content/episodes/001.md", "x\n"))
    assert problems == ["error: content/episodes/b.md:1: episode 'Second wind' already has notes in "
                        "content/episodes/a.md (merge the two files into one)"]


def test_unknown_front_matter_key_is_a_warning():
    note = ("content/episodes/001-first.md", "---\nguid: ep-1\nvirtue: courage\n---\nHi.\n")
    _, problems = run(note, GOOD_NOTE_2)
    assert problems == ["warning: content/episodes/001-first.md:3: unknown front matter key 'virtue' "
                        "(known: guid, episode, virtues, slug, description, chapters, people)"]


def test_bad_slug():
    note = ("content/episodes/001-first.md", "---\nguid: ep-1\nslug: First Steps!\n---\nHi.\n")
    _, problems = run(note, GOOD_NOTE_2)
    assert problems == ["error: content/episodes/001-first.md:3: slug 'First Steps!' may only hold "
                        "lower-case letters, digits and single hyphens (e.g. slug: building-alliances)"]


def test_all_problems_are_reported_together():
    bad_virtue = ("content/episodes/001-first.md", "---\nguid: ep-1\nvirtues: [bravery]\n---\n")
    bad_yaml = ("content/episodes/002-second.md", "---\nguid: [ep-2\n---\n")
    _, problems = run(bad_virtue, bad_yaml)
    assert problems == [
        "error: content/episodes/002-second.md:3: front matter is not valid YAML: expected ',' or "
        "']', but got '<stream end>' (check the indentation and quote values that contain ':')",
        "error: content/episodes/001-first.md:3: unknown virtue 'bravery' "
        "(known: alliances, courage, resilience)",
    ]


def test_duplicate_guids_name_both_items():
    feed = FEED.replace(b"<guid>ep-2</guid>", b"<guid>ep-1</guid>")
    _, problems = run(feed=feed)
    assert problems[0] == ("error: content/feed.xml:6: guid 'ep-1' is used by two items "
                           "(lines 4 and 6; each episode needs its own guid)")


def test_unreadable_feed_is_one_clear_error():
    _, problems = run(feed=b"<html><body>Not found</body></html>")
    assert problems == ["error: content/feed.xml: no RSS or Atom feed found in this file "
                        "(check that the file or URL is the podcast's feed)"]


@pytest.mark.parametrize("feed, message", [
    (b"", "the feed is empty (0 bytes of feed; check that the file or URL is the podcast's feed)"),
    (b" \n\t\n", "the feed is empty (0 bytes of feed; check that the file or URL is the podcast's "
                  "feed)"),
    (b'<?xml version="1.0"?>\n', "2: not a readable RSS or Atom feed: no element found (check "
                                  "that the file or URL is the podcast's feed)"),
    (b'<rss version="2.0"><channel><title>New show</title></channel></rss>',
     "the feed has no episodes (no <item> or <entry> elements; check that this is the podcast's "
     "full feed, not an empty or paged one)"),
], ids=["zero-bytes", "whitespace", "declaration-only", "no-items"])
def test_an_empty_feed_file_says_so(feed, message):
    # an empty file used to end in a traceback (feedparser gives it no 'version')
    _, problems = run(feed=feed)
    assert problems == [f"error: content/feed.xml:{message}" if message[0].isdigit() else
                        f"error: content/feed.xml: {message}"]


@pytest.mark.parametrize("virtue_text, message", [
    ("---\nsummary: x\n---\n", "content/virtues/grit.md:1: virtue has no 'title' in its front "
                               "matter (add e.g. title: Grit)"),
    ("---\ntitle: Grit\norder: first\n---\n", "content/virtues/grit.md:3: 'order' must be a whole "
                                              "number, not 'first'"),
])
def test_broken_virtue_pages(virtue_text, message):
    sources = Sources(FEED, "content/feed.xml", (GOOD_NOTE_2,),
                      VIRTUES + (("content/virtues/grit.md", virtue_text),))
    _, report = build_site(sources, Settings(root=ROOT, feed="content/feed.xml"))
    assert [str(p) for p in report.errors] == [message]


def test_index_is_never_an_episode_or_virtue_url():
    # "index" is each folder's own page (the lists): a title slug steps aside, a chosen one is refused
    feed = FEED.replace(b"<title>First steps</title>", b"<title>Index</title>")
    pages, problems = run(("content/episodes/001-first.md", "---\nguid: ep-1\n---\nHi.\n"),
                          GOOD_NOTE_2, feed=feed)
    assert problems == []
    assert "episodes/index-2.md" in pages and pages["episodes/index.md"].startswith("---\ntitle: \"All episodes\"")

    _, problems = run(("content/episodes/001-first.md", "---\nguid: ep-1\nslug: index\n---\nHi.\n"),
                      GOOD_NOTE_2)
    assert problems == ["error: content/episodes/001-first.md:3: slug 'index' is the URL of the "
                        "episode list (choose another, e.g. slug: index-episode)"]


def test_a_virtue_file_named_index_is_refused():
    sources = Sources(FEED, "content/feed.xml", (GOOD_NOTE_2,),
                      VIRTUES + (("content/virtues/index.md", "---\ntitle: All\n---\nx\n"),))
    _, report = build_site(sources, Settings(root=ROOT, feed="content/feed.xml",
                                             notes_missing=Severity.INFO))
    assert [str(p) for p in report.errors] == [
        "content/virtues/index.md: virtue file name 'index' is the URL of the virtue list (rename the file)"]
