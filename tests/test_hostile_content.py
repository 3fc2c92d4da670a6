"""Hostile content files: every one fails fast and small, with `path:line`, never a traceback.

Each case edits one file of a copy of the sample project; `podsite check` then runs over all the
copies in one child process with an address-space limit, which reports, per case, the exit code,
what was printed, and the CPU seconds the check took; and at the end its peak memory. Bound (issue
13): < 2 s and < 200 MB for any adversarial content file. CPU time, not wall time, so a busy
machine does not make the test flaky; the memory limit turns a runaway into a failure, not a
swapping machine.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.errors import shown
from generator.sources import yamldoc

ROOT = Path(__file__).resolve().parent.parent
NOTE = "content/episodes/001-why-virtues.md"
VIRTUE = "content/virtues/courage.md"
SHEET = "content/worksheets/courage.yml"
PINS = "content/urls.yml"


def bomb(levels: int = 9, prefix: str = "") -> str:
    """Nine levels of nine aliases: a billion values from a dozen lines."""
    lines = [f"{prefix}l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels):
        lines.append(f"{prefix}l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def in_front_matter(text: str, yaml_lines: str) -> str:
    assert text.startswith("---\n")
    return "---\n" + yaml_lines + text[4:]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# (name, file, how to change it, the words expected after `file:line: `, which line)
ALIAS = "has YAML aliases that expand to "
DEEP = "nests more than 32 levels deep (podsite's files need a few levels)"
CASES = [
    ("note-bomb", NOTE, lambda t: in_front_matter(t, bomb() + "episode: *l8\n"), ALIAS, "&l4"),
    ("virtue-bomb", VIRTUE, lambda t: in_front_matter(t, bomb() + "order: *l8\n"), ALIAS, "&l4"),
    ("worksheet-bomb", SHEET, lambda t: bomb() + t, ALIAS, "&l4"),
    ("pins-bomb", PINS, lambda t: t + bomb(prefix="x-") + "sbs-2026-009: *l8\n", ALIAS, "&l4"),
    ("note-cycle", NOTE, lambda t: in_front_matter(t, "episode: &me [1, *me]\n"),
     "has an alias inside the list or mapping it refers to", "&me"),
    ("note-deep-flow", NOTE, lambda t: in_front_matter(t, "episode: " + "[" * 5000 + "]" * 5000 + "\n"),
     None, "episode:"),
    ("sheet-deep-block", SHEET, lambda t: "".join(f"{'  ' * i}k{i}:\n" for i in range(200)) + t,
     DEEP, None),
    ("pins-deep", PINS, lambda t: t + "x: " + "{a: " * 3000 + "b" + "}" * 3000 + "\n", None, "x: "),
    ("note-nul", NOTE, lambda t: in_front_matter(t, "description: a\x00b\n"),
     "has the character #x0000, which YAML does not allow", "description:"),
    ("sheet-escape", SHEET, lambda t: t + "junk: \x1b[31mred\n",
     "has the character #x001b, which YAML does not allow", "junk:"),
    ("note-bad-date", NOTE, lambda t: in_front_matter(t, "when: 2026-02-30\n"),
     "has a value YAML cannot read (day is out of range for month; quote it to keep it as text)",
     "when:"),
    ("note-long-int", NOTE, lambda t: in_front_matter(t, "episode: " + "7" * 5000 + "\n"),
     "has a value YAML cannot read (Exceeds the limit (4300 digits)", "episode:"),
    ("note-python-tag", NOTE,
     lambda t: in_front_matter(t, 'episode: !!python/object/apply:os.system ["touch pwned"]\n'),
     "front matter is not valid YAML: could not determine a constructor for the tag", "episode:"),
]


def _edit(project: Path, relative: str, change) -> str:
    path = project / relative
    text = change(path.read_text(encoding="utf-8"))
    path.write_bytes(text.encode("utf-8"))
    return text


CHILD = r"""
import json, resource, sys
from click.testing import CliRunner
from generator.commands.cli import main

def vm_bytes():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) * 1024 for l in f if l.startswith("VmSize:"))

CliRunner().invoke(main, ["check", "-f", sys.argv[1]])  # warm up: imports, templates
base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
limit = vm_bytes() + 400 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
out = []
for mkdocs_yml in sys.argv[2:]:
    before = resource.getrusage(resource.RUSAGE_SELF)
    result = CliRunner().invoke(main, ["check", "-f", mkdocs_yml])
    after = resource.getrusage(resource.RUSAGE_SELF)
    out.append({"exit": result.exit_code, "stderr": result.stderr,
                "exception": None if isinstance(result.exception, SystemExit) else repr(result.exception)[:300],
                "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime})
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"cases": out, "base_rss": base_rss, "peak_rss": peak}))
"""


def _check_in_child(projects: list[Path], baseline: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("PODCAST_FEED", "PODCAST_OFFLINE", "PODCAST_FEED_FORCE"):
        env.pop(name, None)
    done = subprocess.run([sys.executable, "-c", CHILD, str(baseline / "mkdocs.yml"),
                           *(str(p / "mkdocs.yml") for p in projects)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _copy(tmp_path: Path, name: str) -> Path:
    dest = tmp_path / name
    dest.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for folder in ("content", "templates"):
        shutil.copytree(ROOT / folder, dest / folder)
    # the worksheet PDFs are not what this test is about; the sample's build cache is
    (dest / "mkdocs.yml").write_text((dest / "mkdocs.yml").read_text().replace(
        "  - podsite:\n", "  - podsite:\n      cache_dir: ''\n", 1))
    return dest


def test_hostile_files_fail_fast_and_small_with_their_line(tmp_path):
    projects, expected = [], []
    for name, relative, change, words, needle in CASES:
        project = _copy(tmp_path, name)
        text = _edit(project, relative, change)
        projects.append(project)
        expected.append((name, relative, words, line_of(text, needle) if needle else None))
    # files that are not YAML's business: too big, not text, not UTF-8
    big = _copy(tmp_path, "note-50mb")
    (big / NOTE).write_bytes(b"---\ntitle: x\n---\n" + b"word " * 10_000_000)
    junk = _copy(tmp_path, "sheet-binary")
    (junk / SHEET).write_bytes(bytes(range(256)) * 64)
    latin = _copy(tmp_path, "virtue-latin1")
    (latin / VIRTUE).write_bytes("---\ntitle: Courage\n---\nCaf\u00e9 talk.\n".encode("latin-1"))
    projects += [big, junk, latin]
    expected += [("note-50mb", NOTE, "file is 50,000,017 bytes, more than podsite reads", None),
                 ("sheet-binary", SHEET, "file is not UTF-8 text (save it as UTF-8 in your editor)", 2),
                 ("virtue-latin1", VIRTUE, "file is not UTF-8 text (save it as UTF-8 in your editor)", 4)]

    report = _check_in_child(projects, _copy(tmp_path, "baseline"))

    for (name, relative, words, line), case in zip(expected, report["cases"]):
        assert case["exception"] is None, (name, case["exception"])
        assert case["exit"] == 1, (name, case["stderr"])
        where = f"error: {relative}:{line}: " if line else f"error: {relative}"
        found = [l for l in case["stderr"].splitlines() if l.startswith(where)]
        assert found, (name, where, case["stderr"][:2000])
        if words:
            assert words in found[0], (name, found[0])
        assert all(len(l) < 300 for l in found), (name, found)
        assert case["cpu"] < 2.0, (name, case["cpu"])
    assert report["peak_rss"] - report["base_rss"] < 200 * 1024 * 1024, report


def test_nesting_beyond_the_parser_is_refused_by_either_parser(monkeypatch):
    """libyaml stops at 1000 levels, the pure-Python parser overflows Python's stack: both are
    the same problem for the maintainer."""
    deep = "a: " + "[" * 3000 + "]" * 3000 + "\n"
    for fast in (yamldoc._FAST, None):
        monkeypatch.setattr(yamldoc, "_FAST", fast)
        with pytest.raises(yamldoc.YamlProblem) as caught:
            yamldoc.compose_yaml(deep)
        assert caught.value.message == "nests more than 32 levels deep (podsite's files need a few levels)"


def test_honest_aliases_still_read():
    node = yamldoc.compose_yaml("base: &b {a: 1, b: 2}\none: *b\ntwo: *b\n")
    assert yamldoc.construct_yaml(node) == {"base": {"a": 1, "b": 2}, "one": {"a": 1, "b": 2},
                                             "two": {"a": 1, "b": 2}}


def test_syntax_messages_read_the_same_with_or_without_libyaml(monkeypatch):
    broken = "guid: ep-1\nvirtues: [courage\ntitle: x\n"
    seen = set()
    for fast in (yamldoc._FAST, None):
        monkeypatch.setattr(yamldoc, "_FAST", fast)
        with pytest.raises(yamldoc.YamlProblem) as caught:
            yamldoc.compose_yaml(broken)
        seen.add((caught.value.line, caught.value.message))
    assert seen == {(3, "expected ',' or ']', but got ':'")}


@pytest.mark.parametrize("value", [
    "x" * 5_000_000,
    list(range(1_000_000)),
    {str(i): [i] * 1000 for i in range(1000)},
    10 ** 5000,
], ids=["scalar", "list", "mapping", "int"])
def test_messages_quote_a_few_dozen_characters_of_any_value(value):
    assert len(shown(value)) <= 45
    assert len(shown(value, 80)) <= 85


@pytest.mark.parametrize("kind", ["chapters", "json transcript"])
def test_json_nested_past_pythons_stack_is_a_warning_not_a_traceback(kind):
    from generator.errors import Report
    from generator.sources.listening import parse_chapters_json, parse_transcript
    deep = b'{"chapters": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    report = Report()
    if kind == "chapters":
        assert parse_chapters_json(deep, "ch.json", report) == ()
        assert [str(p) for p in report.warnings] == [
            "ch.json: chapters file nests too deeply to be chapters; the episode is shown without "
            "chapters"]
    else:
        assert parse_transcript(deep, "json", "t.json", report) is None
        assert [str(p) for p in report.warnings] == [
            "t.json: transcript nests too deeply to be Podcasting 2.0 JSON; the episode is shown "
            "without it"]


def test_an_episode_number_of_thousands_of_digits_is_no_number_and_no_path():
    from generator.build import Settings, build_site
    from generator.sources.files import Sources
    feed = ('<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/'
            'podcast-1.0.dtd"><channel><title>T</title><link>https://t.example/</link>'
            f'<item><title>!!!</title><guid>ep-1</guid><itunes:episode>{"9" * 4000}</itunes:episode>'
            '<enclosure url="https://t.example/1.mp3" type="audio/mpeg" length="1"/></item>'
            '</channel></rss>').encode()
    settings = Settings(root=ROOT, feed="content/feed.xml", notes_missing=None, worksheet_pdf=False,
                        cache_dir="", urls_file="")
    pages, report = build_site(Sources(feed, "content/feed.xml", (), ()), settings)
    assert not report.errors
    episodes = [p for p in pages if p.startswith("episodes/") and p != "episodes/index.md"]
    assert len(episodes) == 1 and len(episodes[0]) < 100, episodes


def test_feed_values_of_a_megabyte_are_quoted_in_a_few_dozen_characters():
    from generator.build import Settings, build_site
    from generator.sources.files import Sources
    big = "x" * 1_000_000
    feed = ('<?xml version="1.0"?><rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/'
            'podcast-1.0.dtd" xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel>'
            f'<title>T</title><link>https://t.example/</link><podcast:guid>{big}</podcast:guid>'
            f'<item><title>{big}</title><guid>{big}</guid><itunes:explicit>{big}</itunes:explicit>'
            f'<itunes:episodeType>{big}</itunes:episodeType>'
            '<enclosure url="https://t.example/1.mp3" type="audio/mpeg" length="1"/></item>'
            f'<item><title>{big}</title><guid>{big}</guid>'
            '<enclosure url="https://t.example/2.mp3" type="audio/mpeg" length="1"/></item>'
            '</channel></rss>').encode()
    settings = Settings(root=ROOT, feed="content/feed.xml", worksheet_pdf=False, cache_dir="",
                        urls_file="")
    _, report = build_site(Sources(feed, "content/feed.xml", (), ()), settings)
    messages = [str(p) for p in report.problems]
    assert any("is used by two items" in m for m in messages), messages
    assert any("itunes:explicit" in m for m in messages) and any("podcast:guid" in m for m in messages)
    assert max(len(line) for m in messages for line in m.splitlines()) < 400
