"""The store's calendar: a moment's local day, week and month; a report's period and its
buckets; statuses that only move forward."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from mercato.agents.analytics.calendar import Period, local_dates, months_between, zone
from mercato.agents.analytics.problems import InvalidPeriod, InvalidTimeZone
from mercato.agents.analytics.statuses import FactStatus, later

TODAY = date(2026, 3, 18)  # a Wednesday


def test_a_moment_is_dated_in_the_stores_time_zone() -> None:
    # 23:30 UTC on Sunday 1 March is already Monday 2 March in Tokyo
    at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert local_dates(at, ZoneInfo("UTC")).as_dict() == {
        "day": date(2026, 3, 1), "week": date(2026, 2, 23), "month": date(2026, 3, 1),
    }  # fmt: skip
    tokyo = local_dates(at, ZoneInfo("Asia/Tokyo"))
    assert (tokyo.day, tokyo.week, tokyo.month) == (
        date(2026, 3, 2),
        date(2026, 3, 2),
        date(2026, 3, 1),
    )


def test_the_default_period_is_the_last_30_days_today_included() -> None:
    period = Period.of(start=None, end=None, granularity="day", today=TODAY)
    assert (period.start, period.end, period.days) == (date(2026, 2, 17), TODAY, 30)
    assert len(list(period.buckets())) == 30


def test_buckets_begin_on_mondays_and_on_the_first_of_months() -> None:
    weeks = Period.of(start=date(2026, 3, 4), end=TODAY, granularity="week", today=TODAY)
    assert list(weeks.buckets()) == [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)]
    months = Period.of(start=date(2025, 12, 20), end=TODAY, granularity="month", today=TODAY)
    assert list(months.buckets()) == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
        date(2026, 3, 1),
    ]
    assert months_between(date(2025, 12, 1), date(2026, 3, 1)) == 3


@pytest.mark.parametrize(("start", "end"), [(date(2026, 3, 19), TODAY), (date(2020, 1, 1), TODAY)])
def test_a_period_backwards_or_over_three_years_is_refused(start: date, end: date) -> None:
    with pytest.raises(InvalidPeriod):
        Period.of(start=start, end=end, granularity="day", today=TODAY)


def test_a_time_zone_is_an_iana_name() -> None:
    assert zone("Europe/Paris").key == "Europe/Paris"
    for name in ("Mars/Olympus_Mons", "../etc/passwd", ""):
        with pytest.raises(InvalidTimeZone):
            zone(name)


def test_statuses_only_move_forward() -> None:
    assert later(FactStatus.PENDING, FactStatus.CONFIRMED) is FactStatus.CONFIRMED
    assert later(FactStatus.DELIVERED, FactStatus.CONFIRMED) is FactStatus.DELIVERED
    assert later(FactStatus.CONFIRMED, FactStatus.CANCELLED) is FactStatus.CANCELLED
    assert later(FactStatus.CANCELLED, FactStatus.CONFIRMED) is FactStatus.CANCELLED
