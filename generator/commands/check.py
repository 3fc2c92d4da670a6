"""`podsite check`: everything a build would find, plus links that lead nowhere, without building.

It runs the same pipeline as a build (`build.load_sources` -> `build.build_site`, through the same
caches), so it finds what a build finds: front matter, unknown virtues, notes for episodes not in
the feed, episodes without notes, worksheet definitions (and that each PDF keeps its page count).
On top, `links.check_links` looks at the links between show notes and virtue pages, which a build
only notices as a broken link in the generated page, far from the line to fix. Links are checked
even when other problems stopped the build, so one run lists everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import build
from ..errors import PodsiteError, Problem, Report, Severity
from ..ingest.cache import parse_feed_cached
from ..site.merge import in_feed_order, new_command, note_file


@dataclass(frozen=True)
class CheckResult:
    problems: tuple[Problem, ...]
    pages: int  # how many files a build would generate (0 when there are errors)
    needs_notes: tuple[str, ...] = ()  # one Markdown line per episode without notes, feed order

    def count(self, severity: Severity) -> int:
        return sum(p.severity is severity for p in self.problems)

    def failed(self, strict: bool) -> bool:
        return bool(self.count(Severity.ERROR) or (strict and self.count(Severity.WARNING)))

    def summary(self) -> str:
        errors, warnings = self.count(Severity.ERROR), self.count(Severity.WARNING)
        made = f"{self.pages} page{_s(self.pages)} would be generated" if not errors else \
            "nothing would be generated"
        return f"{errors} error{_s(errors)}, {warnings} warning{_s(warnings)}; {made}"

    def markdown_summary(self) -> str:
        """What a CI run's summary shows ($GITHUB_STEP_SUMMARY): the counts, the problems, and
        the episodes that still need show notes with the command that starts each."""
        lines = [f"**podsite check**: {self.summary()}"]
        shown = [f"- {p.severity.value}: `{p.origin}`: {p.message}" for p in self.problems
                 if p.severity is not Severity.INFO]
        if shown:
            lines += ["", *shown]
        if self.needs_notes:
            lines += ["", f"Episodes that still need show notes ({len(self.needs_notes)}; "
                          "published with the feed's description until then):", "",
                      *self.needs_notes]
        return "\n".join(lines) + "\n\n"


def github_annotation(problem: Problem) -> str:
    """A problem as a GitHub Actions workflow command: shown on the file's line in the run's
    summary and in pull requests."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning"}.get(problem.severity, "notice")
    text = problem.message + "".join(f"\n  - {d}" for d in problem.details)
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    where = problem.origin.path.replace("%", "%25").replace(",", "%2C").replace(":", "%3A")
    place = f" file={where}" + (f",line={problem.origin.line}" if problem.origin.line else "")
    return f"::{level}{place}::{text}"


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def check_project(settings: build.Settings, docs_dir: Path | None = None,
                  strict: bool = False) -> CheckResult:
    """Validate the project; `docs_dir` holds the hand-written pages links may point at. A check
    that passes counts as a build: a newly downloaded feed becomes the last good copy (which
    `podsite publish` then builds from, offline)."""
    try:
        sources = build.load_sources(settings)
    except PodsiteError as exc:
        return CheckResult(tuple(exc.problems), 0)
    pages, report = build.build_from(sources, settings)
    catalog = build.build_catalog(sources, settings, Report())  # parsed feed comes from the cache
    problems = list(report.problems) + build.link_problems(sources, settings, pages, docs_dir,
                                                           catalog)[0]
    result = CheckResult(tuple(problems), len(pages), _needs_notes(catalog, settings, sources))
    if not result.failed(strict):
        build.keep_feed(settings, sources.feed_bytes)
    return result


def _needs_notes(catalog, settings: build.Settings, sources) -> tuple[str, ...]:
    if catalog is None:
        return ()
    feed = parse_feed_cached(sources.feed_bytes, sources.feed_source, Report(),
                                   build._parsed_cache(settings), sources.feed_base_url)
    without = [e for e in catalog.episodes if e.note is None]
    return tuple(f"- {e.title}: `{new_command(e, catalog.episodes)}` starts "
                 f"`{note_file(e, settings.notes_dir)}`"
                 for e in in_feed_order(without, feed))
