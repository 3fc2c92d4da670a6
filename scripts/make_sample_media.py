#!/usr/bin/env python3
"""Make the sample show's media, so the sample site is a demo that really plays.

Writes into content/pages/media/ (published by MkDocs at /media/, where the sample feed points):
- cover.png and alliances.png: cover art drawn here (flat shapes, PNG written by hand), a few KB;
- sbs-001.mp3 ... sbs-009.mp3: each episode read aloud by espeak-ng from the scripts below, with
  short pauses between turns and chapters, encoded by lame as 16 kbit/s mono MP3 (speech only).

Then makes the content agree with the audio it just measured:
- content/feed.xml: each item's <itunes:duration> and enclosure length;
- content/episodes/002-courage-small-step.vtt: the transcript, one cue per line spoken;
- the `chapters:` of the notes that list chapters (002, 007): each chapter's start.

Run once after editing a script below and commit the results (the media are committed, so a
fresh clone plays without this script). Needs espeak-ng and lame (Debian: apt-get install
espeak-ng lame). The same text and tools give the same timings; the MP3 bytes may differ between
lame versions.
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
import wave
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEDIA = ROOT / "content" / "pages" / "media"
FEED = ROOT / "content" / "feed.xml"
EPISODES = ROOT / "content" / "episodes"

VOICES = {"Maren Holt": "en-gb+f3", "Tomás Ferreira": "en-us+m3", "Priya Raman": "en-gb-x-rp+f4"}
WORDS_PER_MINUTE = 165
TURN_PAUSE = 0.5   # seconds between two lines
CHAPTER_PAUSE = 1.2

# Each episode: chapters of (chapter title or None, [(speaker, line), ...]). A chapter title is
# written into the notes' `chapters:` list with the time its first line starts.
M, T, P = "Maren Holt", "Tomás Ferreira", "Priya Raman"
SCRIPTS: dict[int, list[tuple[str | None, list[tuple[str, str]]]]] = {
    1: [(None, [(M, "Welcome to Small Brave Steps, a show about the virtues that carry people "
                    "through change at work."),
                (M, "Most changes fail in the middle, long after the launch. This first episode asks "
                    "which virtue ran out, and why naming it helps you pack for the next journey.")])],
    2: [("Why small is enough", [
            (M, "Welcome to Small Brave Steps. Today we take courage apart into pieces small enough "
                "to use on a Monday."),
            (M, "With me is Tomás, who has coached improvement teams for longer than he admits."),
            (T, "Thanks, Maren. The first thing I tell teams is that courage at work rarely looks "
                "heroic. It looks like a sentence said a little earlier than is comfortable.")]),
        ("Noticing", [
            (M, "So where does it start?"),
            (T, "With noticing. People stop seeing the handoff that always goes wrong, because seeing "
                "it every day hurts. Noticing means letting yourself be bothered again.")]),
        ("Naming", [
            (T, "Naming is the second move. Say what you saw, plainly, and say it while it is still "
                "cheap to fix.")]),
        ("Following up", [
            (M, "And the third move is the one most of us skip."),
            (T, "Following up. The first conversation shows you care; the second one shows you meant "
                "it. That is where trust gets built, in the boring second visit.")]),
        ("Try this week", [
            (M, "Your experiment for this week: mention one small irritation on Monday, mention it "
                "again on Thursday, and write down what moved in between.")])],
    3: [(None, [(M, "Speaking up in the meeting."),
                (M, "The moment to disagree usually passes in about four seconds. We practise three "
                    "openings that buy you those seconds without sounding like an attack.")])],
    4: [(None, [(M, "Resilience is not bouncing back."),
                (M, "After a hard year nobody returns to who they were. We talk about bouncing forward: "
                    "keeping what the setback taught you, and resting before you are exhausted.")])],
    5: [(None, [(M, "Recovering from a failed pilot."),
                (M, "A pilot that fails in public is expensive only if nobody learns from it. Here is a "
                    "short review that turns the failure into the next experiment.")])],
    6: [(None, [(M, "Curiosity before certainty."),
                (M, "Before you defend your plan, ask one more question than feels necessary. Curiosity "
                    "is cheaper than being right too early.")])],
    7: [("One person is not a programme", [
            (M, "Improvement that depends on one enthusiastic person ends when that person changes "
                "jobs. Priya, you call alliances infrastructure."),
            (P, "I do. They carry ideas across teams and keep the energy up in the slow months.")]),
        ("The support pack", [
            (P, "The support pack are the people who simply help: they lend a room, a budget line, "
                "an hour.")]),
        ("The wild pack", [
            (P, "The wild pack are the unusual allies, from other departments, who see your problem "
                "with fresh eyes.")]),
        ("The caring pack", [
            (P, "The caring pack look after you, not the project. You will need them in month three.")]),
        ("The inner board", [
            (P, "And the inner board: three or four people whose judgement you borrow before a big "
                "decision.")]),
        ("Keeping the packs alive", [
            (M, "How do you keep them?"),
            (P, "A short note every few weeks. Tell them what their help made possible.")])],
    8: [(None, [(M, "Auditing your alliances."),
                (M, "Take half an hour, draw your four packs, and mark the one that has gone quiet. "
                    "Then plan the next three conversations.")])],
    9: [(None, [(M, "Questions worth asking your sceptics."),
                (M, "Sceptics are early warnings, not obstacles: the people who doubt your change often "
                    "see the risks you missed."),
                (T, "So ask them: what would have to be true for this to work? Then listen to the whole "
                    "answer before you reply."),
                (M, "A sceptic who feels heard often becomes your most careful tester.")])],
}
NOTES_WITH_CHAPTERS = {2: "002-courage-small-step.md", 7: "007-building-alliances.md"}
# The feed's <podcast:soundbite>s of an episode, in feed order: the lines (0-based) they play.
SOUNDBITES = {9: [2, 1]}
# Other formats (<podcast:alternateEnclosure>): file name and bit rate in kbit/s.
ALTERNATES = {9: ("sbs-009-low.mp3", 8)}
TRANSCRIPTS = {2: "002-courage-small-step.vtt"}


def speak(text: str, voice: str, folder: Path) -> tuple[bytes, int]:
    """(16-bit mono frames, sample rate) of espeak-ng reading `text`."""
    out = folder / "line.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", str(WORDS_PER_MINUTE), "-w", str(out), text],
                   check=True)
    with wave.open(str(out)) as audio:
        return audio.readframes(audio.getnframes()), audio.getframerate()


def make_episode(number: int, folder: Path):
    """Writes sbs-00N.mp3; returns (seconds, bytes, [(chapter, start)], [(start, end, speaker, line)])."""
    frames, rate, chapters, cues = bytearray(), 22050, [], []
    for index, (chapter, lines) in enumerate(SCRIPTS[number]):
        if index:
            frames += bytes(2 * round(rate * CHAPTER_PAUSE))
        if chapter:
            chapters.append((chapter, len(frames) / 2 / rate))
        for turn, (speaker, line) in enumerate(lines):
            if turn:
                frames += bytes(2 * round(rate * TURN_PAUSE))
            pcm, rate = speak(line, VOICES[speaker], folder)
            start = len(frames) / 2 / rate
            frames += pcm
            cues.append((start, len(frames) / 2 / rate, speaker, line))
    frames += bytes(2 * rate)  # a second of quiet at the end
    wav = folder / f"sbs-{number:03d}.wav"
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    mp3 = MEDIA / f"sbs-{number:03d}.mp3"
    encode(wav, mp3, 16)
    if number in ALTERNATES:
        encode(wav, MEDIA / ALTERNATES[number][0], ALTERNATES[number][1])
    return len(frames) / 2 / rate, mp3.stat().st_size, chapters, cues


def encode(wav: Path, mp3: Path, kbps: int) -> None:
    """Mono MP3 at `kbps` (16: 16 kHz, 8: 8 kHz), the bit rates speech needs."""
    subprocess.run(["lame", "--quiet", "-m", "m", "-b", str(kbps), "--resample", str(kbps),
                    "--noreplaygain", str(wav), str(mp3)], check=True)


def clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}:{seconds % 60:02d}"


def vtt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def update_feed(results: dict[int, tuple[float, int, list]]) -> None:
    text = FEED.read_text(encoding="utf-8")
    for number, (seconds, size, cues) in results.items():
        item = re.search(rf"<item>(?:(?!</item>).)*?sbs-{number:03d}\.mp3.*?</item>", text, re.S)
        block = item.group(0)
        block = re.sub(r'(sbs-\d+\.mp3" length=")\d+', rf"\g<1>{size}", block)
        block = re.sub(r"<itunes:duration>[^<]*</itunes:duration>",
                       f"<itunes:duration>{clock(round(seconds))}</itunes:duration>", block)
        bites = iter(SOUNDBITES.get(number, []))
        block = re.sub(r'<podcast:soundbite startTime="[^"]*" duration="[^"]*"',
                       lambda m: '<podcast:soundbite startTime="{:.1f}" duration="{:.1f}"'.format(
                           *(lambda c: (c[0], c[1] - c[0]))(cues[next(bites)])), block)
        if number in ALTERNATES:
            name, kbps = ALTERNATES[number]
            block = re.sub(r'(<podcast:alternateEnclosure [^>]*?)length="\d+" bitrate="\d+"',
                           rf'\g<1>length="{(MEDIA / name).stat().st_size}" bitrate="{kbps * 1000}"', block)
        text = text.replace(item.group(0), block)
    FEED.write_text(text, encoding="utf-8")


def update_chapters(note: Path, chapters: list[tuple[str, float]]) -> None:
    text = note.read_text(encoding="utf-8")
    for title, start in chapters:
        text, found = re.subn(rf'(start: ")[^"]*("\s*,\s*title: "{re.escape(title)}")|'
                              rf'("\s*)\d+:\d+( {re.escape(title)}")',
                              lambda m: (f'{m.group(1)}{clock(start)}{m.group(2)}' if m.group(1)
                                         else f'{m.group(3)}{clock(start)}{m.group(4)}'), text)
        assert found == 1, f"{note}: chapter {title!r} not found"
    note.write_text(text, encoding="utf-8")


def write_transcript(path: Path, cues) -> None:
    lines = ["WEBVTT", ""]
    for start, end, speaker, line in cues:
        lines += [f"{vtt_time(start)} --> {vtt_time(end)}", f"<v {speaker}>{line}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


# --- cover art: flat shapes, written as a PNG without an imaging library ---------------------------

def png(width: int, height: int, pixel) -> bytes:
    rows = b"".join(b"\0" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))


def cover(background, steps, sun, size: int = 512) -> bytes:
    """Three steps climbing to the right under a sun: the show's "small brave steps"."""
    unit = size // 8

    def pixel(x, y):
        if (x - 6 * unit) ** 2 + (y - 2 * unit) ** 2 <= unit ** 2:
            return sun
        step = (x - unit) // (2 * unit)  # 0, 1, 2 from the left
        if 0 <= step <= 2 and x < 7 * unit and y >= size - unit - (step + 1) * unit:
            return steps
        return background
    return png(size, size, pixel)


def main() -> None:
    MEDIA.mkdir(parents=True, exist_ok=True)
    (MEDIA / "cover.png").write_bytes(cover((20, 83, 96), (245, 233, 208), (244, 162, 54)))
    (MEDIA / "alliances.png").write_bytes(cover((86, 44, 96), (245, 233, 208), (120, 200, 170)))
    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        for number in sorted(SCRIPTS):
            seconds, size, chapters, cues = make_episode(number, Path(scratch))
            results[number] = (seconds, size, cues)
            if number in NOTES_WITH_CHAPTERS:
                update_chapters(EPISODES / NOTES_WITH_CHAPTERS[number], chapters)
            if number in TRANSCRIPTS:
                write_transcript(EPISODES / TRANSCRIPTS[number], cues)
            print(f"sbs-{number:03d}.mp3: {seconds:5.1f} s, {size:6d} bytes, {len(chapters)} chapters")
    update_feed(results)
    total = sum(p.stat().st_size for p in MEDIA.iterdir())
    print(f"{MEDIA.relative_to(ROOT)}: {total} bytes in all", file=sys.stderr)


if __name__ == "__main__":
    main()
