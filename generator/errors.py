"""Problems a person can act on: `path:line: what is wrong (what to do)`.

Parsing and merging never raise on a content mistake: they add a `Problem` to a `Report`, so one run
reports every mistake at once. The edges (plugin, command line) decide how to show and when to fail.
"""

from __future__ import annotations

import reprlib
from dataclasses import dataclass, field
from enum import Enum

from .model import Origin


SHOWN_CHARS = 40
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxdict, _SHORT.maxlist, _SHORT.maxtuple, _SHORT.maxset = 2, 3, 3, 3, 3
_SHORT.maxstring = _SHORT.maxother = _SHORT.maxlong = SHOWN_CHARS


def shown(value, limit: int = SHOWN_CHARS) -> str:
    """`value` as a message quotes it (like `repr`), cut to about `limit` characters.

    Every message that echoes something a user wrote goes through here: the value may be a
    50 MB scalar or a structure YAML aliases expanded to billions of items, and a message must cost
    no more than its own few lines. reprlib looks at a few items of a few levels only.
    """
    try:
        text = _SHORT.repr(value)
    except ValueError:  # an int of more than 4300 digits has no repr
        text = f"<a {type(value).__name__} too long to show>"
    return text if len(text) <= limit + 2 else text[: limit - 1] + "…" + text[-1]


class Severity(Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Problem:
    severity: Severity
    origin: Origin
    message: str
    details: tuple[str, ...] = ()  # bullet points under the message, for grouped problems

    def __str__(self) -> str:
        text = f"{self.origin}: {self.message}"
        return text + "".join(f"\n  - {d}" for d in self.details)


@dataclass
class Report:
    """Collects the problems of one run, in the order they were found."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, severity: Severity, origin: Origin, message: str, details=()) -> None:
        self.problems.append(Problem(severity, origin, message, tuple(details)))

    def error(self, origin: Origin, message: str, details=()) -> None:
        self.add(Severity.ERROR, origin, message, details)

    def warning(self, origin: Origin, message: str, details=()) -> None:
        self.add(Severity.WARNING, origin, message, details)

    def info(self, origin: Origin, message: str, details=()) -> None:
        self.add(Severity.INFO, origin, message, details)

    def of(self, severity: Severity) -> list[Problem]:
        return [p for p in self.problems if p.severity is severity]

    @property
    def errors(self) -> list[Problem]:
        return self.of(Severity.ERROR)

    @property
    def warnings(self) -> list[Problem]:
        return self.of(Severity.WARNING)


class PodsiteError(Exception):
    """Raised at an edge when a run cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, origin: Origin, message: str) -> "PodsiteError":
        return cls([Problem(Severity.ERROR, origin, message)])
