"""The period a question names, read from its words against today's date: "last month" (the
previous calendar month), "this month" (up to yesterday), "last week" (the previous ISO week),
"the last 14 days", "in March", "Q3", "since 1 October", "year to date", "next month" (a
forecast's). A question that names none gets the caller's default (the router's: the last 30
days). Periods that have not ended stop at yesterday: today's figures are not complete."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from mercato.agents.intelligence.ask.scope import Period, last_days

MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
SHORT_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}
Reader = Callable[[re.Match[str], date, bool], "Period | None"]
"""Reads a period from a pattern's match, today's date and whether the question looks ahead."""
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14,
    "thirty": 30, "sixty": 60, "ninety": 90,
}  # fmt: skip
ORDINAL_QUARTERS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}

_BARE_MONTH = "|".join(sorted(set(MONTHS) - {"may"}, key=len, reverse=True))
"""Month names read on their own ("sales in March" or "March sales"): "may" is read only
after "in"/"since" or before a year, being a verb too."""
_ANY_MONTH = "|".join(sorted(set(MONTHS) | set(SHORT_MONTHS), key=len, reverse=True))
_COUNT = r"(?P<n>\d{1,3}|" + "|".join(NUMBER_WORDS) + r")"
_LAST = r"(?:last|past|previous|prior|recent)"
_UNIT = r"(?P<unit>day|week|month|year)s?"


def _yesterday(today: date) -> date:
    return today - timedelta(days=1)


def _to_yesterday(start: date, today: date, label: str) -> Period:
    """From `start` up to yesterday (today itself when the period starts today)."""
    return Period(start, max(start, _yesterday(today)), label)


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _months_back(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_label(start: date) -> str:
    return f"{calendar.month_name[start.month]} {start.year}"


def _named_month(month: int, year: int | None, today: date, ahead: bool = False) -> Period:
    """A month by name: this year's if it has begun (up to yesterday if it is this one),
    else last year's; ahead (a forecast's), this year's if it has not ended, else next
    year's; or the year's named."""
    if year is None and ahead:
        year = today.year if month >= today.month else today.year + 1
    elif year is None:
        year = today.year if month <= today.month else today.year - 1
    start, end = _month(year, month)
    if start <= today <= end:
        return _to_yesterday(start, today, f"{_month_label(start)} to date")
    return Period(start, end, _month_label(start))


def _quarter(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    return start, _month(year, 3 * quarter)[1]


def _named_quarter(quarter: int, year: int | None, today: date, ahead: bool = False) -> Period:
    current = (today.month - 1) // 3 + 1
    if year is None and ahead:
        year = today.year if quarter >= current else today.year + 1
    elif year is None:
        year = today.year if quarter <= current else today.year - 1
    start, end = _quarter(year, quarter)
    if start <= today <= end:
        return _to_yesterday(start, today, f"Q{quarter} {year} to date")
    return Period(start, end, f"Q{quarter} {year}")


def _count(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


def _last_n(match: re.Match[str], today: date, _ahead: bool = False) -> Period | None:
    n, unit = _count(match["n"]), match["unit"]
    if n <= 0:
        return None
    plural = "" if n == 1 else "s"
    label = f"the last {n} {unit}{plural}"
    if unit == "day":
        return Period(today - timedelta(days=n), _yesterday(today), label)
    if unit == "week":
        return Period(today - timedelta(days=7 * n), _yesterday(today), label)
    months = n if unit == "month" else 12 * n
    return Period(_months_back(today, months), _yesterday(today), label)


def _next_n(match: re.Match[str], today: date, _ahead: bool = False) -> Period | None:
    n, unit = _count(match["n"]), match["unit"]
    if n <= 0:
        return None
    days = {"day": 1, "week": 7, "month": 30, "year": 365}[unit] * n
    plural = "" if n == 1 else "s"
    return Period(today, today + timedelta(days=days - 1), f"the next {n} {unit}{plural}")


def _last_month(today: date) -> Period:
    year, month = divmod(today.year * 12 + today.month - 2, 12)
    start, end = _month(year, month + 1)
    return Period(start, end, _month_label(start))


def _next_month(today: date) -> Period:
    year, month = divmod(today.year * 12 + today.month, 12)
    start, end = _month(year, month + 1)
    return Period(start, end, f"next month ({_month_label(start)})")


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _last_week(today: date) -> Period:
    start = _week_start(today) - timedelta(days=7)
    iso = start.isocalendar()
    return Period(start, start + timedelta(days=6), f"week {iso.week} of {iso.year}")


def _this_week(today: date) -> Period:
    return _to_yesterday(_week_start(today), today, "this week")


def _next_week(today: date) -> Period:
    start = _week_start(today) + timedelta(days=7)
    return Period(start, start + timedelta(days=6), "next week")


def _last_quarter(today: date) -> Period:
    current = (today.month - 1) // 3 + 1
    year, quarter = (today.year, current - 1) if current > 1 else (today.year - 1, 4)
    start, end = _quarter(year, quarter)
    return Period(start, end, f"Q{quarter} {year}")


def _this_quarter(today: date) -> Period:
    current = (today.month - 1) // 3 + 1
    return _to_yesterday(
        _quarter(today.year, current)[0], today, f"Q{current} {today.year} to date"
    )


def _year_to_date(today: date) -> Period:
    return _to_yesterday(date(today.year, 1, 1), today, f"{today.year} to date")


def _last_year(today: date) -> Period:
    year = today.year - 1
    return Period(date(year, 1, 1), date(year, 12, 31), str(year))


def _month_of(word: str) -> int:
    return MONTHS.get(word) or SHORT_MONTHS[word[:3] if word[:3] in SHORT_MONTHS else word]


def _since(match: re.Match[str], today: date, _ahead: bool = False) -> Period | None:
    month = _month_of(match["month"])
    day = int(match["day"] or match["day2"] or 1)
    year = int(match["year"]) if match["year"] else None
    if day > calendar.monthrange(year or today.year, month)[1]:
        return None
    start = date(year or today.year, month, day)
    if year is None and start > today:
        start = date(today.year - 1, month, min(day, calendar.monthrange(today.year - 1, month)[1]))
    if start > today:
        return None
    return _to_yesterday(
        start, today, f"since {start.day} {calendar.month_name[month]} {start.year}"
    )


def _in_month(match: re.Match[str], today: date, ahead: bool) -> Period:
    written = match.groupdict().get("year")
    year = int(written) if written else None
    return _named_month(_month_of(match["month"]), year, today, ahead)


def _quarter_named(match: re.Match[str], today: date, ahead: bool) -> Period:
    quarter = int(match["q"]) if match["q"] else ORDINAL_QUARTERS[match["ordinal"]]
    year = int(match["year"]) if match["year"] else None
    return _named_quarter(quarter, year, today, ahead)


def _year(match: re.Match[str], today: date, ahead: bool) -> Period | None:
    """A year by number: the whole of it, up to yesterday if it is this one ("since 2025":
    from its start up to yesterday)."""
    year = int(match["year"])
    start = date(year, 1, 1)
    if start > today:
        return Period(start, date(year, 12, 31), str(year)) if ahead else None
    if match["since"] or year == today.year:
        label = f"since {year}" if match["since"] and year != today.year else f"{year} to date"
        return _to_yesterday(start, today, label)
    return Period(start, date(year, 12, 31), str(year))


def _simple(make: Callable[[date], Period]) -> Reader:
    return lambda _match, today, _ahead: make(today)


_YEAR = r"(?:,?\s*(?P<year>(?:19|20)\d\d))"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?"
_DAY2 = r"(?P<day2>\d{1,2})(?:st|nd|rd|th)?(?!\d)"
_WITHIN = r"\b(?:(?:in|over|for|during) )?(?:the )?"
_SINCE = rf"\bsince (?:the )?(?:{_DAY}\s+)?(?P<month>{_ANY_MONTH})\.?(?:\s+{_DAY2})?{_YEAR}?\b"
_QUARTER = (
    rf"\b(?:q(?P<q>[1-4])|(?P<ordinal>first|second|third|fourth) quarter)(?:\s+of)?{_YEAR}?\b"
)
_YTD = r"\b(?:year to date|ytd|this year(?: so far)?|so far this year)\b"
_MTD = r"\b(?:this|current) month\b|\bmonth to date\b|\bmtd\b"


def _this_month(today: date) -> Period:
    return _to_yesterday(today.replace(day=1), today, "this month")


PATTERNS: tuple[tuple[re.Pattern[str], Reader], ...] = tuple(
    (re.compile(pattern), reader)
    for pattern, reader in (
        (_YTD, _simple(_year_to_date)),
        (r"\b(?:last|previous|past) year\b", _simple(_last_year)),
        (_WITHIN + r"(?:last|previous|past) quarter\b", _simple(_last_quarter)),
        (r"\bthis quarter\b", _simple(_this_quarter)),
        (_QUARTER, _quarter_named),
        (rf"{_WITHIN}{_LAST}\s+{_COUNT}\s+{_UNIT}\b", _last_n),
        (rf"{_WITHIN}next\s+{_COUNT}\s+{_UNIT}\b", _next_n),
        (r"\b(?:last|previous|past) month\b", _simple(_last_month)),
        (_MTD, _simple(_this_month)),
        (r"\bnext month\b", _simple(_next_month)),
        (r"\b(?:last|previous|past) week\b", _simple(_last_week)),
        (r"\b(?:this|current) week\b", _simple(_this_week)),
        (r"\bnext week\b", _simple(_next_week)),
        (r"\byesterday\b", _simple(lambda t: Period(_yesterday(t), _yesterday(t), "yesterday"))),
        (r"\btoday\b", _simple(lambda t: Period(t, t, "today"))),
        (_SINCE, _since),
        (r"\b(?:(?P<since>since)|in|during|for|of|over) (?P<year>(?:19|20)\d\d)\b", _year),
        (rf"\b(?:in|during|for|of|over) (?P<month>{_ANY_MONTH})\.?{_YEAR}?\b", _in_month),
        (rf"\b(?P<month>{_ANY_MONTH})\.?{_YEAR}\b", _in_month),
        (rf"\b(?P<month>{_BARE_MONTH})\b", _in_month),
    )
)
"""Read in order of where they start in the question, the longest first at one place."""


def parse_period(text: str, today: date, *, ahead: bool = False) -> Period | None:
    """The first period `text` names, or None when it names none. `ahead`: the question
    looks forward (a forecast), so a month or quarter named without its year is the next
    one ("demand in January", asked in December, is next January's)."""
    lowered = re.sub(r"\s+", " ", text.lower())
    found: list[tuple[int, int, Period]] = []
    for pattern, reader in PATTERNS:
        for match in pattern.finditer(lowered):
            period = reader(match, today, ahead)
            if period is not None:
                found.append((match.start(), -(match.end() - match.start()), period))
                break
    if not found:
        return None
    return min(found, key=lambda item: (item[0], item[1]))[2]


def default_period(today: date) -> Period:
    """What a question that names no period is about: the last 30 days."""
    return last_days(today, 30)
