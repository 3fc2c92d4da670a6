"""Real-size feeds written the ways real hosts write them, for tests (not committed as files).

`make_feed(items, seed)` returns the bytes of an RSS feed of `items` episodes that mixes every
class of input ingest must carry through whole: titles in Cyrillic, Greek, Chinese, Arabic,
Portuguese and emoji; the description styles of Megaphone (plain `itunes:summary` before the
HTML `content:encoded`), WordPress (links only in an HTML `description`), a Jekyll site (plain
text with blank lines), `media:description`, and `<audio>` with fallback text; the Podcasting
2.0 namespace under its original GitHub URI, with several `podcast:person` per item; a
`<!DOCTYPE>`; HTML entities XML does not define; and dates in odd zones. Also returns what a
listener must find on each page (`Expected`), so a test can look for every word, link, person
and day.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

OLD_NAMESPACE = "https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md"

TITLES = [
    "Стресс-тестирование и доминирование",
    "Οι μικρές νίκες της εβδομάδας",
    "小步前进的勇气",
    "الشجاعة في الاجتماعات",
    "Coragem, resiliência e café ☕",
    "Q&A: ¿por qué empezar pequeño?",
    "Čeština bez stresu: příběhy z praxe",
    "Was wir aus dem Pilotprojekt gelernt haben",
]
PEOPLE = [("Анна Петрова", "host"), ("Μαρία Παππά", "guest"), ("李伟", "guest"),
          ("João Conceição", "guest"), ("Zoë O'Brien", "producer")]
# (zone as written, offset in minutes, hour of day written): evening in the west and morning in
# the east, where UTC has already moved to another day
ZONES = [("PST", -480, 16), ("EST", -300, 21), ("-0800", -480, 23), ("+1000", 600, 6),
         ("CET", 60, 0), ("+05:30", 330, 2), ("GMT", 0, 12), ("EDT", -240, 22)]
STYLES = ("megaphone", "wordpress", "jekyll", "media", "audio-fallback", "summary-only")


@dataclass
class Expected:
    """What the page of one episode must show."""

    guid: str
    title: str
    day: str  # "20 January 2006": the host's day
    instant: str  # the <time datetime> value
    links: list[str] = field(default_factory=list)  # hrefs of the show notes
    words: list[str] = field(default_factory=list)  # text of the show notes
    people: list[str] = field(default_factory=list)


def make_feed(items: int = 300, seed: int = 7) -> tuple[bytes, list[Expected]]:
    rng = random.Random(seed)
    start = dt.datetime(2019, 1, 4, tzinfo=dt.timezone.utc)
    expected, parts = [], []
    for n in range(1, items + 1):
        title = f"{TITLES[n % len(TITLES)]} #{n}"
        zone, minutes, hour = ZONES[n % len(ZONES)]
        local = (start + dt.timedelta(days=3 * n)).astimezone(dt.timezone(dt.timedelta(minutes=minutes)))
        local = local.replace(hour=hour, minute=30, second=0)
        written = local.strftime("%a, %d %b %Y %H:%M:%S ") + zone
        style = STYLES[n % len(STYLES)]
        link = f"https://notes.example/{n}/читать?a=1&b={n}"
        word = f"word{n}x"
        people = [PEOPLE[0], PEOPLE[1 + n % (len(PEOPLE) - 1)]]
        exp = Expected(f"ep-{n}", title, f"{local.day} {local:%B %Y}", local.isoformat(),
                       people=[name for name, _ in people])
        body = [f"<guid isPermaLink=\"false\">ep-{n}</guid>", f"<title>{escape(title)}</title>",
                f"<pubDate>{written}</pubDate>",
                f'<enclosure url="https://media.example/{n}.mp3" type="audio/mpeg" length="{1000 + n}"/>']
        html_notes = (f"<h2>Notes&nbsp;{n}</h2><ul><li><a href={quoteattr(link)}>{word} link</a></li>"
                      f"<li>Café &amp; more</li></ul>")
        if style == "megaphone":
            body += [f"<itunes:summary>Plain summary {n} without links</itunes:summary>",
                     f"<content:encoded><![CDATA[{html_notes}]]></content:encoded>"]
            exp.links, exp.words = [link], [word, "Café & more"]
        elif style == "wordpress":
            body += [f"<itunes:summary>Plain summary {n}</itunes:summary>",
                     f"<description>{escape(html_notes.replace('&nbsp;', ' '))}</description>"]
            exp.links, exp.words = [link], [word]
        elif style == "jekyll":
            body += [f"<description>First paragraph {word}.\n\nSee {escape(link)} for more.\n"
                     f"A second line.</description>"]
            exp.links, exp.words = [link], [word, "A second line."]
        elif style == "media":
            body += [f'<media:group><media:description type="html">{escape(html_notes.replace("&nbsp;", " "))}'
                     "</media:description></media:group>"]
            exp.links, exp.words = [link], [word]
        elif style == "audio-fallback":
            body += [f"<content:encoded><![CDATA[<p>Listen: {word}</p><audio controls src=\"https://media.example/{n}.mp3\">"
                     "Your browser does not support the audio tag.</audio>]]></content:encoded>"]
            exp.words = [word]
        else:
            body += [f"<itunes:summary>Only a summary, {word}.\n\nWith {escape(link)}</itunes:summary>"]
            exp.links, exp.words = [link], [word]
        for name, role in people:
            body.append(f'<podcast:person role="{role}" href="https://people.example/{rng.randrange(10**6)}">'
                        f"{escape(name)}</podcast:person>")
        parts.append("<item>\n" + "\n".join(body) + "\n</item>")
        expected.append(exp)
    feed = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE rss>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:media="http://search.yahoo.com/mrss/"
     xmlns:podcast="{OLD_NAMESPACE}">
<channel>
<title>Мир маленьких шагов</title>
<link>https://cast.example/</link>
<language>ru</language>
<itunes:summary>Plain channel summary</itunes:summary>
<description>&lt;p&gt;A show in many languages&nbsp;&mdash; &lt;a href="https://cast.example/about"&gt;about&lt;/a&gt;&lt;/p&gt;</description>
{chr(10).join(parts)}
</channel>
</rss>
"""
    return feed.encode("utf-8"), expected
