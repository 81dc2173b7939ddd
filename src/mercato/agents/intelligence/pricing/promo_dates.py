"""When a promotion starts and ends, as shops write it ("until 31 Dec", "ends Sunday",
"valid 1-15 March", "offer ends 2026-12-31", "today only"), resolved against the day the
offer was seen: a date without a year is its next occurrence (an end) or the latest one
not after the end (a start); a weekday is the next one on or after that day."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
} | {"sept": 9}
WEEKDAYS = {
    name.lower(): number
    for number in range(7)
    for name in (calendar.day_name[number], calendar.day_abbr[number])
} | {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}

_MONTH = r"(?P<{p}mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{p}day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<{p}year>20\d\d))?"
_WEEKDAY = r"(?P<{p}wd>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\b\.?"


def _date_pattern(p: str) -> str:
    day, month, year = _DAY.format(p=p), _MONTH.format(p=p), _YEAR.format(p=p)
    q = p + "m"  # month first: its own groups
    day2, month2, year2 = _DAY.format(p=q), _MONTH.format(p=q), _YEAR.format(p=q)
    return (
        rf"(?:(?P<{p}iso>20\d\d-[01]\d-[0-3]\d)"
        rf"|(?P<{p}num>[0-3]?\d[/.][0-3]?\d(?:[/.](?:20)?\d\d)?)(?![\d/.]*\d)"
        rf"|{day}(?:\s+of)?\s+{month}{year}"
        rf"|{month2}\s+{day2}\b{year2}"
        rf"|(?:(?:this|next)\s+)?{_WEEKDAY.format(p=p)}(?:\s+(?:at\s+)?midnight)?"
        rf"|(?P<{p}rel>today|tonight|tomorrow|midnight|end\s+of\s+(?:the\s+)?month"
        rf"|(?:this\s+)?weekend))"
    )


_END_WORDS = (
    r"(?:until|till|til|thru|through|to|ends?|ending|expires?|expiring|valid\s+(?:until|till|"
    r"through|thru|to)|offer\s+ends|sale\s+ends|deal\s+ends|ends?\s+on|last\s+day|by|before)"
)
_START_WORDS = r"(?:from|starts?|starting|begins?|beginning|valid\s+from|available\s+from)"
END = re.compile(rf"\b{_END_WORDS}\s*:?\s+(?:on\s+)?(?:midnight\s+)?{_date_pattern('e')}", re.I)
START = re.compile(rf"\b{_START_WORDS}\s*:?\s+(?:on\s+)?{_date_pattern('s')}", re.I)
DAY_RANGE = re.compile(
    rf"\b(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?\s*(?:-|\u2013|\u2014|to)\s*{_DAY.format(p='r')}\s+"
    rf"{_MONTH.format(p='r')}{_YEAR.format(p='r')}",
    re.I,
)
ONLY_TODAY = re.compile(r"\b(?:today\s+only|one[- ]day\s+only|24[- ]hours?\s+only)\b", re.I)


@dataclass(frozen=True)
class Period:
    starts: date | None
    ends: date | None


def period(text: str, seen: date, *, day_first: bool = True) -> Period:
    """The promotion's start and end stated in `text`, seen on `seen` (None where unsaid).
    `day_first`: how to read 03/04 when neither number is over 12."""
    if ONLY_TODAY.search(text):
        return Period(seen, seen)
    ranged = DAY_RANGE.search(text)
    if ranged:
        month = MONTHS[ranged["rmon"].lower().rstrip(".")]
        year = int(ranged["ryear"]) if ranged["ryear"] else None
        ends = _day_month(int(ranged["rday"]), month, year, seen, forward=True)
        starts = _day_month(int(ranged["d1"]), month, year or (ends.year if ends else None), seen)
        if starts and ends and starts <= ends:
            return Period(starts, ends)
    end_match, start_match = END.search(text), START.search(text)
    starts = _resolve(start_match, "s", seen, day_first, forward=False) if start_match else None
    # an end said as a weekday or "tomorrow" counts from the start when it is later
    after = max(seen, starts) if starts else seen
    ends = _resolve(end_match, "e", after, day_first, forward=True) if end_match else None
    if starts and ends and starts > ends:
        starts = None  # not a reading that holds together: keep the end alone
    return Period(starts, ends)


def _resolve(
    found: re.Match[str], p: str, seen: date, day_first: bool, *, forward: bool
) -> date | None:
    def group(name: str) -> str | None:
        return found.group(p + name)

    if iso := group("iso"):
        try:
            return date.fromisoformat(iso)
        except ValueError:
            return None
    if numeric := group("num"):
        return _numeric(numeric, seen, day_first, forward)
    for q in ("", "m"):
        if month_name := group(q + "mon"):
            month = MONTHS[month_name.lower().rstrip(".")]
            year = int(group(q + "year") or 0) or None
            return _day_month(int(group(q + "day") or 0), month, year, seen, forward=forward)
    if weekday := group("wd"):
        ahead = (WEEKDAYS[weekday.lower().rstrip(".")] - seen.weekday()) % 7
        if "next" in found.group(0).lower() and ahead == 0:
            ahead = 7
        return seen + timedelta(days=ahead)
    relative = (group("rel") or "").lower()
    if relative in {"today", "tonight", "midnight"}:
        return seen
    if relative == "tomorrow":
        return seen + timedelta(days=1)
    if relative.startswith("end"):
        return seen.replace(day=calendar.monthrange(seen.year, seen.month)[1])
    if relative.endswith("weekend"):
        return seen + timedelta(days=(6 - seen.weekday()) % 7)
    return None


def _numeric(text: str, seen: date, day_first: bool, forward: bool) -> date | None:
    parts = [int(x) for x in re.split(r"[/.]", text)]
    first, second = parts[0], parts[1]
    year = (parts[2] + 2000 if parts[2] < 100 else parts[2]) if len(parts) == 3 else None
    if first > 12 or (day_first and second <= 12):
        day, month = first, second
    else:
        day, month = second, first
    return _day_month(day, month, year, seen, forward=forward)


def _day_month(
    day: int, month: int, year: int | None, seen: date, *, forward: bool = False
) -> date | None:
    """The date; with no year, the next one on or after `seen` (an end) or the latest one
    not more than half a year after it (a start); None if there is no such day."""
    if year is not None:
        return _date(year, month, day)
    for offset in (0, 1, 2, 3, 4) if forward else (0, -1, -2, -3, -4):
        candidate = _date(seen.year + offset, month, day)
        if candidate is None:
            continue  # 29 February in a year without one
        if forward and candidate < seen:
            continue
        if not forward and candidate > seen + timedelta(days=183):
            continue
        return candidate
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
