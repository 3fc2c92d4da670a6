"""Golden pairs for the feed's field table: `tests/feeds/fields/<case>.xml` -> `<case>.json`.

Each JSON file is what ingest makes of its feed: the channel, every episode (with the line it came
from) and every problem reported. After an intended change, regenerate with `--update-golden` and
read the diff: these files are the documented behaviour for durations, dates, guids, relative
URLs, encodings and HTML in titles.

`<case>--<variant>.xml` is a twin of `<case>.xml`: the same feed written another way real feeds
write it. A twin must give the same records as its case (and has its own golden file for the
problems it reports).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from generator.errors import Report
from generator.ingest.feed import parse_feed

CASES = Path(__file__).parent / "feeds/fields"


def _plain(value):
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


def ingest(path: Path) -> dict:
    report = Report()
    feed = parse_feed(path.read_bytes(), f"feeds/{path.name}", report)
    return {
        "podcast": _plain(feed.podcast) if feed else None,
        "episodes": [_plain(e) for e in feed.episodes] if feed else [],
        "problems": [f"{p.severity.value}: {p}" for p in report.problems],
    }


@pytest.mark.parametrize("case", sorted(p.stem for p in CASES.glob("*.xml")))
def test_field_table_golden(case, update_golden):
    got = ingest(CASES / f"{case}.xml")
    golden = CASES / f"{case}.json"
    if update_golden:
        golden.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(golden.read_text(encoding="utf-8"))


def _meaning(result: dict) -> dict:
    """What a listener gets from the feed: the records without where they came from."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k != "origin"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value
    return {"podcast": strip(result["podcast"]), "episodes": strip(result["episodes"])}


TWINS = sorted(p.stem for p in CASES.glob("*--*.xml"))


@pytest.mark.parametrize("twin", TWINS)
def test_twin_gives_the_same_records(twin):
    """`<case>--<variant>.xml` is `<case>.xml` written another way a real feed writes it (another
    namespace URI, a DOCTYPE, HTML entities, not well-formed XML...): the same records."""
    base = twin.split("--")[0]
    assert _meaning(ingest(CASES / f"{twin}.xml")) == _meaning(ingest(CASES / f"{base}.xml"))


def test_there_are_twins():
    assert len(TWINS) >= 9


def test_there_are_golden_cases():
    assert len(list(CASES.glob("*.xml"))) >= 9
