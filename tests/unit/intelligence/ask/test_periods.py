"""The periods a question names, read against today's date (Sunday 6 December 2026):
calendar months and ISO weeks, rolling windows, named months and quarters (forward for a
forecast), "since", year to date; none when it names none."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.ask.periods import default_period, parse_period

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("text", "start", "end", "label"),
    [
        ("how were sales last month", date(2026, 11, 1), date(2026, 11, 30), "November 2026"),
        ("this month so far", date(2026, 12, 1), date(2026, 12, 5), "this month"),
        ("last week", date(2026, 11, 23), date(2026, 11, 29), "week 48 of 2026"),
        ("this week", date(2026, 11, 30), date(2026, 12, 5), "this week"),
        ("the last 14 days", date(2026, 11, 22), date(2026, 12, 5), "the last 14 days"),
        ("over the past two weeks", date(2026, 11, 22), date(2026, 12, 5), "the last 2 weeks"),
        ("last 3 months", date(2026, 9, 6), date(2026, 12, 5), "the last 3 months"),
        ("yesterday", date(2026, 12, 5), date(2026, 12, 5), "yesterday"),
        ("today", date(2026, 12, 6), date(2026, 12, 6), "today"),
        ("sales in March", date(2026, 3, 1), date(2026, 3, 31), "March 2026"),
        ("March 2025", date(2025, 3, 1), date(2025, 3, 31), "March 2025"),
        ("revenue in Q3", date(2026, 7, 1), date(2026, 9, 30), "Q3 2026"),
        ("Q4", date(2026, 10, 1), date(2026, 12, 5), "Q4 2026 to date"),
        ("since 1 October", date(2026, 10, 1), date(2026, 12, 5), "since 1 October 2026"),
        ("since October 3rd", date(2026, 10, 3), date(2026, 12, 5), "since 3 October 2026"),
        ("over the last quarter", date(2026, 7, 1), date(2026, 9, 30), "Q3 2026"),
        ("year to date", date(2026, 1, 1), date(2026, 12, 5), "2026 to date"),
        ("last year", date(2025, 1, 1), date(2025, 12, 31), "2025"),
        ("in 2025", date(2025, 1, 1), date(2025, 12, 31), "2025"),
        ("demand next month", date(2027, 1, 1), date(2027, 1, 31), "next month (January 2027)"),
        ("the next 4 weeks", date(2026, 12, 6), date(2027, 1, 2), "the next 4 weeks"),
    ],
)
def test_a_named_period_is_read(text: str, start: date, end: date, label: str) -> None:
    # given a question naming a period
    # when it is read on 6 December 2026
    period = parse_period(text, TODAY)
    # then it is that period, with its label
    assert period is not None
    assert (period.start, period.end, period.label) == (start, end, label)


def test_a_forecast_reads_a_month_without_a_year_forward() -> None:
    # given a month named without its year
    # when it is read for a forecast, and for a look back
    ahead = parse_period("demand in January", TODAY, ahead=True)
    back = parse_period("sales in January", TODAY)
    # then the forecast's is next January, the look back's last January
    assert ahead is not None and back is not None
    assert (ahead.start, back.start) == (date(2027, 1, 1), date(2026, 1, 1))


@pytest.mark.parametrize("text", ["how are my prices", "may I see the reviews", "top 10 sellers"])
def test_a_question_naming_no_period_has_none(text: str) -> None:
    # given a question naming no period ("may" as a verb is not May)
    # when it is read
    # then there is none: the caller's default applies
    assert parse_period(text, TODAY) is None
    default = default_period(TODAY)
    assert (default.start, default.end, default.days) == (date(2026, 11, 6), date(2026, 12, 5), 30)


@given(
    st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)),
    st.sampled_from(
        ["last month", "this month", "last week", "this week", "last 7 days", "yesterday",
         "in March", "Q1", "since 1 February", "last quarter", "year to date", "last 3 months"]
    ),
)  # fmt: skip
@settings(max_examples=100, deadline=None, database=None)
def test_a_past_period_ends_by_yesterday_and_starts_before_it_ends(today: date, text: str) -> None:
    # given any day and a phrase naming a past period
    # when it is read
    period = parse_period(text, today)
    # then it starts no later than it ends, and ends before today (or is today itself)
    assert period is not None
    assert period.start <= period.end
    assert period.end <= max(period.start, today - timedelta(days=1))
