"""The store's calendar: a moment's local day, week and month in the store's time zone, the
period a report covers and its time buckets."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mercato.agents.analytics.problems import InvalidPeriod, InvalidTimeZone

Granularity = Literal["day", "week", "month"]
GRANULARITIES: tuple[Granularity, ...] = ("day", "week", "month")
DEFAULT_DAYS = 30
"""A report with no `from` covers the last 30 days, today included."""
MAX_DAYS = 3 * 366 + 1
"""The longest period one report covers (three years)."""


def zone(name: str) -> ZoneInfo:
    """The IANA time zone `name`; 422 `invalid_time_zone` when there is none of that name."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InvalidTimeZone(f"{name!r} is not an IANA time zone (e.g. Europe/Paris)") from exc


def in_zone(at: datetime, name: str) -> date:
    """The day `at` is in the time zone `name`."""
    return at.astimezone(zone(name)).date()


@dataclass(frozen=True)
class LocalDates:
    day: date
    week: date
    month: date

    def as_dict(self) -> dict[str, date]:
        return {"day": self.day, "week": self.week, "month": self.month}


def local_dates(at: datetime, tz: ZoneInfo) -> LocalDates:
    """The store-local day of `at` (an aware datetime), its week's Monday and month's 1st."""
    day = at.astimezone(tz).date()
    return LocalDates(day=day, week=week_of(day), month=day.replace(day=1))


def week_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def bucket_of(day: date, granularity: Granularity) -> date:
    """The first day of the bucket `day` falls in."""
    if granularity == "week":
        return week_of(day)
    if granularity == "month":
        return day.replace(day=1)
    return day


def next_bucket(bucket: date, granularity: Granularity) -> date:
    if granularity == "day":
        return bucket + timedelta(days=1)
    if granularity == "week":
        return bucket + timedelta(days=7)
    return (bucket.replace(day=28) + timedelta(days=4)).replace(day=1)


def months_between(start: date, end: date) -> int:
    """Whole months from the month of `start` to the month of `end`."""
    return (end.year - start.year) * 12 + end.month - start.month


@dataclass(frozen=True)
class Period:
    """The store-local days a report covers, both included, and how it cuts them."""

    start: date
    end: date
    granularity: Granularity = "day"

    @classmethod
    def of(
        cls,
        *,
        start: date | None,
        end: date | None,
        granularity: Granularity,
        today: date,
    ) -> Period:
        """`end` defaults to today and `start` to 29 days before `end`; 422
        `invalid_period` when `start` is after `end` or the period is over three years."""
        end = end or today
        start = start or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise InvalidPeriod(f"from ({start}) is after to ({end})")
        if (end - start).days + 1 > MAX_DAYS:
            raise InvalidPeriod(f"a report covers at most {MAX_DAYS} days")
        return cls(start, end, granularity)

    def buckets(self) -> Iterator[date]:
        """Every bucket the period touches, in order (the first may begin before `start`)."""
        bucket = bucket_of(self.start, self.granularity)
        while bucket <= self.end:
            yield bucket
            bucket = next_bucket(bucket, self.granularity)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1
