"""An episode's date as the host published it: the exact instant, in the feed's own UTC offset. Pure.

feedparser reads every date format a feed uses (RFC 822 with any zone, ISO 8601, Dublin Core,
Atom) but hands back UTC only: `Fri, 20 Jan 2006 16:00:00 PST` becomes 21 January at midnight,
a day the host never wrote. podsite keeps feedparser's instant (sorting and `<time datetime>`
use it) and reads the offset from the date's own text, so the day shown is the host's:

| date in the feed                        | offset kept   |
|-----------------------------------------|---------------|
| `... 16:00:00 -0800`, `... +05:30`      | as written    |
| `... 16:00:00 PST` (EST, CDT, GMT, Z...) | feedparser's table of zone names (the one it converted with) |
| `... 16:00:00 CET` (BST, AEST, JST...)  | `EXTRA_ZONE_MINUTES`; feedparser took the clock time as UTC, so the instant is corrected too |
| `2026-01-05T22:30:00-08:00`             | as written    |
| `2026-01-05`, no zone, an unknown zone  | UTC (what feedparser assumed) |
| `Wed, 04 Jan 2023 23:15:00` (a weekday and no zone, which feedparser cannot read) | UTC, read by the standard library |
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import re

try:  # the table feedparser converted with; a private module, so a copy stands in if it moves
    from feedparser.datetimes.rfc822 import timezone_names as _ZONE_HOURS
except ImportError:  # pragma: no cover
    _ZONE_HOURS = {"ut": 0, "gmt": 0, "z": 0, "edt": -4, "est": -5, "cdt": -5, "cst": -6,
                   "mdt": -6, "mst": -7, "pdt": -7, "pst": -8}

# Zone names feedparser does not know, which it reads as UTC (the clock time kept, the offset
# lost): the common unambiguous ones of podcast hosts. (IST, BST's Irish and Indian namesakes
# aside: BST here is British Summer Time, as feeds use it.)
EXTRA_ZONE_MINUTES = {
    "utc": 0, "wet": 0, "west": 60, "bst": 60, "cet": 60, "cest": 120, "eet": 120, "eest": 180,
    "msk": 180, "hkt": 480, "sgt": 480, "awst": 480, "jst": 540, "kst": 540, "acst": 570,
    "acdt": 630, "aest": 600, "aedt": 660, "nzst": 720, "nzdt": 780, "hst": -600,
    "akst": -540, "akdt": -480, "brt": -180, "art": -180,
}

# A numeric offset or a zone name at the end of the date, after the time of day.
_NUMERIC = re.compile(r"\d(?::\d\d){1,2}(?:[.,]\d+)?\s*(?:GMT|UTC|UT)?\s*([+-])(\d\d):?(\d\d)\s*(?:\([^)]*\))?\s*$", re.I)
_NAMED = re.compile(r"\d(?::\d\d){1,2}(?:[.,]\d+)?\s*([A-Za-z]{1,5})\s*$")


def _zone(minutes: int) -> dt.timezone:
    return dt.timezone.utc if minutes == 0 else dt.timezone(dt.timedelta(minutes=minutes))


def offset_of(text: str | None) -> tuple[dt.timezone, bool] | None:
    """The UTC offset a date's text states, and whether feedparser converted with it (False: it
    read the clock time as UTC); None when the text states no offset that is known."""
    text = (text or "").strip()
    match = _NUMERIC.search(text)
    if match:
        sign, hours, minutes = match.groups()
        total = int(hours) * 60 + int(minutes)
        return (_zone(-total if sign == "-" else total), True) if total < 24 * 60 else None
    match = _NAMED.search(text)
    if match:
        name = match.group(1).lower()
        if name in _ZONE_HOURS:
            return _zone(_ZONE_HOURS[name] * 60), True
        if name in EXTRA_ZONE_MINUTES:
            return _zone(EXTRA_ZONE_MINUTES[name]), False
    return None


def published(parsed, text: str | None) -> dt.datetime | None:
    """feedparser's UTC `parsed` (a time.struct_time) as an aware datetime in the offset `text`
    states (UTC when it states none); None when there is no readable date. A date feedparser
    cannot read (`Wed, 04 Jan 2023 23:15:00`, no zone) is read with the standard library's RFC
    822 parser."""
    if not parsed:
        return _rfc822(text)
    try:
        instant = dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.timezone.utc)
    except (OverflowError, ValueError, OSError):
        return None
    stated = offset_of(text)
    if stated is None:
        return instant
    zone, converted = stated
    try:
        return instant.astimezone(zone) if converted else instant.replace(tzinfo=zone)
    except (OverflowError, ValueError):
        return instant


def _rfc822(text: str | None) -> dt.datetime | None:
    try:
        fields = email.utils.parsedate_tz((text or "").strip())
    except (TypeError, ValueError, IndexError):
        return None
    if not fields or not 1 <= fields[1] <= 12:
        return None
    offset = fields[9] or 0
    if abs(offset) >= 24 * 3600:
        return None
    try:
        return dt.datetime(*fields[:6], tzinfo=_zone(offset // 60))
    except (ValueError, OverflowError):
        return None
