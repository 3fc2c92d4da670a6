"""The one slug function (sources/slugs.py): every script keeps its words, no slug starts or ends
with `-`, none is a file name too long to write, and `podsite pin` writes only what it reads back."""

from __future__ import annotations

import os
import random
import re
import subprocess
from pathlib import Path

import pytest
from conftest import BIN, mkdocs

from generator.build import Settings, build_site, load_sources
from generator.sources.files import Sources
from generator.sources.pins import Pin, dump_pins, misread_pins
from generator.sources.slugs import MAX_SLUG_BYTES, SLUG, slugify

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("text, slug", [
    ("Episode 101 — Стресс-тестирование и Доминирование",
     "episode-101-stress-testirovanie-i-dominirovanie"),           # Cyrillic
    ("Ελληνικά νέα", "ellinika-nea"),                               # Greek
    ("مرحبا بالعالم", "mrhb-bllm"),                                  # Arabic
    ("שלום עולם", "slvm-vlm"),                                     # Hebrew
    ("李雷和韩梅梅", "li-lei-he-han-mei-mei"),                        # Chinese: a syllable each
    ("東京の夜", "dong-jing-no-ye"),                                 # Japanese
    ("한국어 제목", "hangugeo-jemog"),                                # Korean: syllables join
    ("नमस्ते दुनिया", "nmste-duniya"),                              # Devanagari
    ("🎉🎉", "tada-tada"),                                          # emoji only
    ("😀 Party", "grinning-party"),
    ("#-1 Trick", "1-trick"),                                       # used to start with -
    ("-- Intro --", "intro"),
    ("Q&A?", "qa"),                                                 # used to end with -
    ("Q&A -", "qa"),
    ("Don't panic!", "dont-panic"),                                 # as before: no move
    ("Why a change journey needs virtues", "why-a-change-journey-needs-virtues"),
    ("Çà et là: naïve café", "ca-et-la-naive-cafe"),
    ("Straße, Łódź, Ærø", "strasse-lodz-aero"),                     # letters NFKD used to drop
    ("Ｆｕｌｌ ｗｉｄｔｈ", "full-width"),
    ("snake_case_title", "snake-case-title"),                       # was snake_case_title
    ("2024", "2024"),                                               # no words: digits are it
    ("!!!", ""), ("—", ""), ("", ""), ("   ", ""),                  # nothing to keep
])
def test_every_script_keeps_its_words(text, slug):
    assert slugify(text) == slug


def test_worksheet_ids_split_at_punctuation_as_they_always_did():
    assert slugify("What's next? Q&A", split_punctuation=True) == "what-s-next-q-a"


@pytest.mark.parametrize("text", [
    "x" * 300,
    "A very long title " * 20,
    "محمد بن عبد الله " * 10,                                       # 150 Arabic letters and more
    "سلام" * 40,
    "李" * 200,
    "Стресс " * 60,
    "🎉" * 100,
])
def test_long_texts_are_cut_with_a_stable_hash(text):
    slug = slugify(text)
    assert SLUG.match(slug) and len(slug.encode()) <= MAX_SLUG_BYTES
    assert re.search(r"-[0-9a-f]{8}$", slug)
    assert slugify(text) == slug                    # stable
    assert slugify(text + "!") != slug or text.endswith("!")  # another text, another slug
    assert slugify(text[:-1] + "?") != slug or not text[-1].isalnum()


def test_digits_alone_never_stand_for_a_title_with_words():
    # rare Chinese characters (CJK extension B) have no ASCII spelling in the tables
    slug = slugify("101 \U00020002\U00020004")
    assert re.fullmatch(r"101-[0-9a-f]{8}", slug)
    assert slugify("101 \U00020006") != slug


def test_any_text_gives_a_valid_slug_or_nothing():
    rng = random.Random(13)
    blocks = [(0x20, 0x7e), (0xa0, 0x24f), (0x370, 0x3ff), (0x400, 0x4ff), (0x590, 0x6ff),
              (0x900, 0x97f), (0x3040, 0x30ff), (0x4e00, 0x9fff), (0xac00, 0xd7a3),
              (0x1f300, 0x1f6ff), (0x2000, 0x206f), (0xfe00, 0xfe0f), (0x300, 0x36f)]
    for _ in range(3000):
        text = "".join(chr(rng.randint(*rng.choice(blocks))) for _ in range(rng.randint(0, 120)))
        slug = slugify(text)
        assert slug == "" or (SLUG.match(slug) and len(slug) <= MAX_SLUG_BYTES), (text, slug)
        assert slug == "" or not slug.isdigit() or not any(c.isalpha() for c in text), (text, slug)


def test_the_sample_keeps_its_urls_without_its_pin_file(tmp_path):
    """The slug function changed; no sample page moved, pinned or not."""
    def paths(urls_file):
        settings = Settings(root=ROOT, feed="content/feed.xml", worksheet_pdf=False, cache_dir="",
                            urls_file=urls_file)
        pages, report = build_site(load_sources(settings), settings)
        assert not report.errors
        return sorted(pages)
    golden = sorted(p.relative_to(ROOT / "tests/golden/sample").as_posix()
                    for p in (ROOT / "tests/golden/sample").rglob("*.md"))
    pinned = paths("content/urls.yml")
    assert [p for p in pinned if p.endswith(".md")] == golden
    assert paths("") == pinned
    for line in (ROOT / "content/urls.yml").read_text().splitlines():
        if line and not line.startswith("#"):
            assert f"episodes/{line.split(': ')[1]}.md" in pinned


HOSTILE_ITEMS = [
    # (guid, title, people)
    ("hostile-1", "Q&amp;A -", ["N" * 300]),
    ("hostile-2", "???", ["محمد بن عبد الله " * 9]),
    ("hostile-3", "#-1 Trick", ["李雷"]),
    ("hostile-4", "Episode 101 — Стресс-тестирование и Доминирование", ["Ана Иванова"]),
    ("hostile-5", "🎉🎉", ["😀"]),
    ("hostile-6", "A title that goes on " * 15, ["!!!"]),
    ("g" * 1500, "Ελληνικά νέα", []),
]


def _hostile_feed(project: Path) -> None:
    items = []
    for n, (guid, title, people) in enumerate(HOSTILE_ITEMS, 1):
        persons = "".join(f'<podcast:person role="guest">{name}</podcast:person>' for name in people)
        items.append(f"""<item><title>{title}</title><guid isPermaLink="false">{guid}</guid>
      <pubDate>Wed, {n:02d} Jan 2025 06:00:00 +0000</pubDate>
      <enclosure url="https://small-brave-steps.example/media/h{n}.mp3" length="1" type="audio/mpeg"/>
      {persons}</item>\n""")
    feed = project / "content/feed.xml"
    text = feed.read_text(encoding="utf-8")
    assert 'xmlns:podcast="https://podcastindex.org/namespace/1.0"' in text  # the sample declares it
    at = text.rindex("</channel>")
    feed.write_text(text[:at] + "".join(items) + text[at:], encoding="utf-8")


def test_hostile_titles_and_names_pin_and_build(project):
    """Titles of punctuation, scripts and emoji; a 300-letter name, 150 Arabic letters; a guid of
    1500 characters: `podsite pin` writes a file that reads back, and MkDocs builds every page."""
    _hostile_feed(project)
    pinned = subprocess.run([str(BIN / "podsite"), "pin", "-f", str(project / "mkdocs.yml")],
                            capture_output=True, text=True, cwd=project,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert pinned.returncode == 0, pinned.stderr
    assert pinned.stdout.startswith("content/urls.yml: 7 episode URL(s) pinned, 0 renamed")
    urls = (project / "content/urls.yml").read_text(encoding="utf-8")
    assert "hostile-1: qa\n" in urls and "hostile-2: episode-" in urls
    assert "hostile-3: 1-trick\n" in urls and "hostile-5: tada-tada\n" in urls
    assert "hostile-4: episode-101-stress-testirovanie-i-dominirovanie\n" in urls
    assert f"? {'g' * 1500}\n: ellinika-nea\n" in urls

    built = mkdocs(project, "build", "--strict")
    assert built.returncode == 0, built.stderr[-3000:]
    site = project / "site"
    for slug in ("qa", "1-trick", "tada-tada", "ellinika-nea"):
        assert (site / "episodes" / slug / "index.html").is_file()
    people = sorted(p.name for p in (site / "people").iterdir() if p.is_dir() and p.name != "page")
    assert {"li-lei", "ana-ivanova", "grinning", "person"} <= set(people)
    assert all(len(name.encode()) <= MAX_SLUG_BYTES for name in people)
    assert any(re.fullmatch(r"n{71}-[0-9a-f]{8}", name) for name in people), people
    assert any(re.fullmatch(r"mhmd-bn-bd-llh-.*-[0-9a-f]{8}", name) for name in people), people
    long_title = [p.name for p in (site / "episodes").iterdir() if p.name.startswith("a-title-that")]
    assert len(long_title) == 1 and len(long_title[0]) <= MAX_SLUG_BYTES


def test_pin_refuses_a_file_that_would_not_read_back():
    entries = (Pin("ep-1", ("qa-",), 0), Pin("ep-2", ("-",), 0), Pin("ep-3", ("fine",), 0),
               Pin("g" * 1500, ("long-guid",), 0))
    # a slug of "-" breaks the file's YAML; "qa-" reads back, but is not a slug
    assert misread_pins(entries, dump_pins(entries), "content/urls.yml") == [
        "content/urls.yml:7: not valid YAML: sequence entries are not allowed here (each line is "
        "'guid: slug'; quote a guid that contains ': ' or starts with a special character)"]
    assert misread_pins(entries[::2], dump_pins(entries[::2]), "content/urls.yml") == [
        "content/urls.yml:6: 'qa-' is not a slug (use lower-case letters, digits and single "
        "hyphens, e.g. 'building-alliances')"]
    assert misread_pins(entries[2:], dump_pins(entries[2:]), "content/urls.yml") == []


LONG = "a-" * 50 + "b"  # 101 characters


@pytest.mark.parametrize("where, content, message", [
    ("note", f"---\nguid: ep-1\nslug: {LONG}\n---\nHi.\n",
     "content/episodes/001-first.md:3: slug 'a-a-a-a-a-a-a-a-a...-a-a-a-a-a-a-a-a-b' is 101 "
     "characters long; a URL may have 100 (shorten it)"),
    ("pins", f"ep-1: {LONG}\n",
     "content/urls.yml:1: slug 'a-a-a-a-a-a-a-a-a...-a-a-a-a-a-a-a-a-b' is 101 characters long; "
     "a URL may have 100 (shorten it)"),
    ("virtue", "---\ntitle: Long\n---\n",
     f"content/virtues/{LONG}.md: virtue file name 'a-a-a-a-a-a-a-a-a...-a-a-a-a-a-a-a-a-b' is "
     "101 characters long; a URL may have 100 (rename the file)"),
])
def test_slugs_people_write_are_bounded_too(where, content, message):
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
            b'<link>https://t.example/</link><item><title>First</title><guid>ep-1</guid>'
            b'<enclosure url="https://t.example/1.mp3" type="audio/mpeg" length="1"/></item>'
            b'</channel></rss>')
    notes = (("content/episodes/001-first.md", content),) if where == "note" else ()
    virtues = ((f"content/virtues/{LONG}.md", content),) if where == "virtue" else ()
    sources = Sources(feed, "content/feed.xml", notes, virtues,
                      urls=("content/urls.yml", content) if where == "pins" else None)
    settings = Settings(root=ROOT, feed="content/feed.xml", notes_missing=None, worksheet_pdf=False,
                        cache_dir="")
    _, report = build_site(sources, settings)
    assert [str(p) for p in report.errors] == [message]
