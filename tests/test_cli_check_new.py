"""`podsite check` and `podsite new`: the exact lines a maintainer sees, on a copy of the sample."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from conftest import edit

from generator.commands.cli import main
from generator.config import PodsiteConfig

NOTE_8 = "content/episodes/008-auditing-alliances.md"
MISSING_9 = ("info: content/feed.xml:19: episode 'Questions worth asking your sceptics' has no show "
             "notes (`podsite new 9` starts them in "
             "content/episodes/009-questions-worth-asking-your-sceptics.md)")


@pytest.fixture(autouse=True)
def _no_feed_override(monkeypatch):
    for name in ("PODCAST_FEED", "PODCAST_OFFLINE", "PODCAST_FEED_FORCE"):
        monkeypatch.delenv(name, raising=False)


def podsite(project, *args):
    result = CliRunner().invoke(main, [*args[:1], "-f", str(project / "mkdocs.yml"), *args[1:]])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert result.output.startswith(f"Usage: main {command} [OPTIONS]")
    assert main.commands[command].help.strip().splitlines()[0] in " ".join(result.output.split())


def test_check_passes_the_sample(project):
    result = podsite(project, "check", "--strict")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [MISSING_9, "0 errors, 0 warnings; 43 pages would be generated"]


def test_links_that_lead_nowhere_are_warnings_with_their_line(project):
    note = project / NOTE_8
    edit(note, "[the four packs](007-building-alliances.md)",
         "[the four packs](007-building-aliances.md#packs), [courage](../virtues/courage.md), "
         "[about](../about.md)")
    note.write_text(note.read_text() + "\nSee [bravery](../virtues/bravery.md) and `[x](nowhere.md)`.\n"
                    "\n```markdown\n[an example](not-a-real-note.md)\n```\n"
                    "\n[ref]: ../episodes/missing.md\n[web]: https://example.com/readme.md\n")
    result = podsite(project, "check")
    assert result.exit_code == 0  # warnings fail only --strict
    assert result.stderr.splitlines() == [
        MISSING_9,
        f"warning: {NOTE_8}:6: link to '007-building-aliances.md' leads nowhere: no show notes, "
        "virtue or page is at content/episodes/007-building-aliances.md (did you mean "
        "'007-building-alliances.md'?)",
        f"warning: {NOTE_8}:22: link to '../virtues/bravery.md' leads nowhere: no show notes, "
        "virtue or page is at content/virtues/bravery.md (link to a show-notes or virtue file "
        "relative to this one, e.g. ../virtues/alliances.md)",
        f"warning: {NOTE_8}:28: link to '../episodes/missing.md' leads nowhere: no show notes, "
        "virtue or page is at content/episodes/missing.md (link to a show-notes or virtue file "
        "relative to this one, e.g. 001-why-virtues.md)",
        "0 errors, 3 warnings; 43 pages would be generated"]
    assert podsite(project, "check", "--strict").exit_code == 1


def test_every_kind_of_mistake_is_reported_together(project):
    edit(project / NOTE_8, "virtues: [alliances]", "virtues: [aliances]")
    edit(project / NOTE_8, "(007-building-alliances.md)", "(007-building-aliances.md)")
    (project / "content/episodes/010-next.md").write_text("---\nguid: sbs-2026-010\n---\nSoon.\n")
    edit(project / "content/worksheets/courage.yml", "    prompt: What is the one thing",
         "    promt: What is the one thing")
    edit(project / "content/episodes/003-speaking-up.md", "---\n", "---\ntitel: x\n")
    result = podsite(project, "check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "warning: content/episodes/003-speaking-up.md:2: unknown front matter key 'titel' (known: "
        "guid, episode, virtues, slug, description, chapters, people)",
        "error: content/episodes/010-next.md:2: no episode in the feed has guid 'sbs-2026-010' "
        "(check it against content/feed.xml, or delete this note)",
        f"error: {NOTE_8}:3: unknown virtue 'aliances' (known: alliances, courage, curiosity, "
        "resilience)",
        MISSING_9,
        "error: content/worksheets/courage.yml:9: unknown key 'promt' in section 1 (known: id, "
        "title, prompt, fields)",
        f"warning: {NOTE_8}:6: link to '007-building-aliances.md' leads nowhere: no show notes, "
        "virtue or page is at content/episodes/007-building-aliances.md (did you mean "
        "'007-building-alliances.md'?)",
        "3 errors, 2 warnings; nothing would be generated"]


def test_check_without_a_config_file(tmp_path):
    result = CliRunner().invoke(main, ["check", "-f", str(tmp_path / "mkdocs.yml")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path / 'mkdocs.yml'}: not found (run podsite in the " \
                            "project folder, or pass --config-file)\n"


NEW_NOTE = """\
---
# Questions worth asking your sceptics
# published 6 May 2026, season 2, episode 9
guid: "sbs-2026-009"
virtues: [curiosity]  # known: alliances, courage, curiosity, resilience
# description: one line for search engines and link previews
# slug: pins the page's URL (/episodes/<slug>/) if the title may change
---

<!-- The show notes, in Markdown: what to remember, the questions to take away, links.
     Link to other episodes' notes and to virtues by their file names (../virtues/<id>.md).
     This comment is not shown on the site. -->
"""


@pytest.mark.parametrize("which", ["latest", "9", "sbs-2026-009"])
def test_new_writes_notes_that_join_the_feed(project, which):
    result = podsite(project, "new", which)
    assert result.exit_code == 0, result.output
    assert result.stdout == ("wrote content/episodes/009-questions-worth-asking-your-sceptics.md "
                             "for 'Questions worth asking your sceptics' (guid sbs-2026-009)\n")
    path = project / "content/episodes/009-questions-worth-asking-your-sceptics.md"
    assert path.read_text() == NEW_NOTE
    assert path.stat().st_mode & 0o777 == 0o644  # readable like any other note (not a private temp file)
    # the note joins its episode: the "no show notes" line is gone and nothing else appears
    assert podsite(project, "check", "--strict").stderr == ""


def test_new_refuses_to_overwrite_or_duplicate(project):
    path = project / "content/episodes/009-questions-worth-asking-your-sceptics.md"
    draft = "---\nguid: not-yet-in-the-feed\n---\nMy draft.\n"
    path.write_text(draft)
    result = podsite(project, "new", "latest")
    assert result.exit_code == 1
    assert result.stderr == ("error: content/episodes/009-questions-worth-asking-your-sceptics.md: "
                             "already exists; nothing was written (edit it, or move it away first)\n")
    assert path.read_text() == draft

    result = podsite(project, "new", "7")
    assert result.exit_code == 1
    assert result.stderr == ("error: content/episodes/007-building-alliances.md: episode 'Building "
                             "alliances: the four packs' already has show notes here (edit this file)\n")


@pytest.mark.parametrize("which, message", [
    ("42", "no episode in the feed has number 42 or guid '42' (numbers in the feed: 1-9; or give "
           "a guid, or latest)"),
    ("sbs-2025-001", "no episode in the feed has guid 'sbs-2025-001' (give a guid from the feed, "
                     "an episode number, or latest)"),
])
def test_new_for_an_unknown_episode(project, which, message):
    before = sorted(p.name for p in (project / "content/episodes").iterdir())
    result = podsite(project, "new", which)
    assert result.exit_code == 1
    assert result.stderr == f"error: content/feed.xml: {message}\n"
    assert sorted(p.name for p in (project / "content/episodes").iterdir()) == before


def test_check_for_github_actions_annotates_the_line(project):
    edit(project / NOTE_8, "(007-building-alliances.md)", "(007-building-aliances.md)")
    result = podsite(project, "check", "--format", "github")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"::notice file=content/feed.xml,line=19::{MISSING_9.split(': ', 2)[2]}",
        f"::warning file={NOTE_8},line=6::link to '007-building-aliances.md' leads nowhere: no show "
        "notes, virtue or page is at content/episodes/007-building-aliances.md (did you mean "
        "'007-building-alliances.md'?)"]
    # The plain lines are still on stderr for the log.
    assert f"warning: {NOTE_8}:6: link to '007-building-aliances.md'" in result.stderr


def test_github_annotations_escape_what_would_end_the_command():
    from generator.commands.check import github_annotation
    from generator.errors import Problem, Severity
    from generator.model import Origin

    problem = Problem(Severity.ERROR, Origin("notes/a:b,c.md", 3), "100% wrong\nsecond line")
    assert github_annotation(problem) == "::error file=notes/a%3Ab%2Cc.md,line=3::100%25 wrong%0Asecond line"


def test_check_summary_lists_the_episodes_that_need_notes_with_their_command(project, tmp_path):
    """The run summary of the publishing workflow; `podsite new` writes the file it names."""
    (project / NOTE_8).unlink()
    summary = tmp_path / "summary.md"
    summary.write_text("The feed has changed.\n\n")
    result = podsite(project, "check", "--summary", str(summary))
    assert result.exit_code == 0
    assert summary.read_text() == (
        "The feed has changed.\n\n"
        "**podsite check**: 0 errors, 0 warnings; 43 pages would be generated\n\n"
        "Episodes that still need show notes (2; published with the feed's description until "
        "then):\n\n"
        "- Questions worth asking your sceptics: `podsite new 9` starts "
        "`content/episodes/009-questions-worth-asking-your-sceptics.md`\n"
        "- Auditing your alliances: `podsite new 8` starts "
        "`content/episodes/008-auditing-your-alliances.md`\n\n")
    assert podsite(project, "new", "8").stdout.startswith(
        "wrote content/episodes/008-auditing-your-alliances.md ")


@pytest.mark.parametrize("line, severity, message", [
    ("episode_per_page: 20", "warning",
     "unknown podsite option 'episode_per_page' (did you mean 'episodes_per_page'?)"),
    ("colour: blue", "warning",
     f"unknown podsite option 'colour' (known: {', '.join(k for k, _ in PodsiteConfig._schema)})"),
    ("episodes_per_page: ten", "error", "podsite option 'episodes_per_page' must be a whole number, not 'ten'"),
    ("episodes_per_page: 0", "error",
     "podsite option 'episodes_per_page' must be a whole number of at least 1, not 0"),
    ("episodes_per_page: true", "error",
     "podsite option 'episodes_per_page' must be a whole number, not True"),
    ("feed_offline: sometimes", "error", "podsite option 'feed_offline' must be true or false, not 'sometimes'"),
    ("feed_timeout: soon", "error", "podsite option 'feed_timeout' must be a number, not 'soon'"),
    ("notes_missing: warning", "error", "podsite option 'notes_missing' must be one of warn, info, "
                                        "not 'warning'"),
    ("feed_url:\n        - content/feed.xml", "error",
     "podsite option 'feed_url' must be text, not ['content/feed.xml']"),
])
def test_check_reports_podsite_options_at_their_line(project, line, severity, message):
    """MkDocs fails `build --strict` on these; check fails too, at the line, with the fix."""
    key_line = _line_of(project / "mkdocs.yml", "      episodes_per_page: 20")
    edit(project / "mkdocs.yml", "      episodes_per_page: 20", f"      {line}")
    at = key_line + 1 if "\n" in line else key_line  # the line of the value, where the mistake is
    result = podsite(project, "check", "--strict", "--format", "github")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{severity}: mkdocs.yml:{at}: {message}"
    assert result.stdout.splitlines()[0] == f"::{severity} file=mkdocs.yml,line={at}::{message}"
    assert result.stderr.count("podsite' option") == 0  # not MkDocs' own line about it as well


def _line_of(path, text: str) -> int:
    return path.read_text().splitlines().index(text) + 1


def test_mkdocs_build_names_the_line_of_a_podsite_option_too(project):
    from conftest import mkdocs
    at = _line_of(project / "mkdocs.yml", "      episodes_per_page: 20")
    edit(project / "mkdocs.yml", "      episodes_per_page: 20", "      episode_per_page: 20")
    result = mkdocs(project, "build", "--strict")
    assert result.returncode == 1
    assert ("WARNING -  Config value 'plugins': Plugin 'podsite' option 'episode_per_page': "
            f"mkdocs.yml:{at}: unknown podsite option 'episode_per_page' (did you mean "
            "'episodes_per_page'?)") in result.stderr


def test_other_commands_stop_at_a_wrong_option(project):
    at = _line_of(project / "mkdocs.yml", "      episodes_per_page: 20")
    edit(project / "mkdocs.yml", "      episodes_per_page: 20", "      episodes_per_page: ten")
    result = podsite(project, "new", "latest")
    assert result.exit_code == 1
    assert result.stderr == (f"error: mkdocs.yml:{at}: podsite option 'episodes_per_page' must be a "
                             "whole number, not 'ten'\n")


@pytest.mark.parametrize("link, hint", [
    # a typo of the linking file's own name: never "did you mean" itself
    ("008-auditing-aliances.md", "did you mean '007-building-alliances.md'?"),
    # two files share the name: the one in the folder the link points into
    ("../virtues/courag.md", "did you mean '../virtues/courage.md'?"),
    ("courag.md", "did you mean 'courage.md'?"),
    # no close name: an example that exists in this project
    ("../virtues/bravery.md", "link to a show-notes or virtue file relative to this one, e.g. "
                              "../virtues/alliances.md"),
])
def test_check_suggests_a_file_that_exists_and_is_not_the_linking_one(project, link, hint):
    (project / "content/episodes/courage.md").write_text(
        "---\nguid: sbs-2026-009\n---\nNotes named like a virtue.\n")
    edit(project / NOTE_8, "[the four packs](007-building-alliances.md)", f"[x]({link})")
    result = podsite(project, "check")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and warnings[0].endswith(f"({hint})"), warnings
    suggested = re.search(r"'([^']+)'\?|e\.g\. (\S+)\)$", warnings[0])
    target = (project / NOTE_8).parent / (suggested.group(1) or suggested.group(2))
    assert target.is_file() and target.resolve() != (project / NOTE_8).resolve()
