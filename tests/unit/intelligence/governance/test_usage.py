"""Token usage reports (seed 001 requirement 19): every call counts once towards its user,
its purpose, its model and its day, so each breakdown sums to the period's total (81)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.governance.ledger import month_of, period_of
from mercato.agents.intelligence.governance.usage import (
    Call,
    breakdown_of,
    totals_by_user_and_period,
)

EXAMPLES = settings(max_examples=100, deadline=None, database=None)
ORIGIN = datetime(2026, 10, 1, tzinfo=UTC)
CALLS = st.lists(
    st.builds(
        Call,
        user_id=st.sampled_from(["ana", "ben", "cy"]),
        purpose=st.sampled_from(["plan", "summary"]),
        model=st.sampled_from(["local", "claude", "gpt"]),
        input_tokens=st.integers(0, 50_000),
        output_tokens=st.integers(0, 20_000),
        at=st.integers(0, 120 * 24 * 3600).map(lambda s: ORIGIN + timedelta(seconds=s)),
    ),
    max_size=40,
)


@pytest.mark.seed_property(81)
@EXAMPLES
@given(calls=CALLS, start_day=st.integers(0, 60), days=st.integers(1, 90))
def test_property_81_every_breakdown_of_a_budget_report_sums_to_its_total(
    calls: list[Call], start_day: int, days: int
) -> None:
    # given calls over four months, and a period
    start = ORIGIN + timedelta(days=start_day)
    end = start + timedelta(days=days)
    inside = [c for c in calls if start <= c.at < end]
    # when the period's report is made
    report = breakdown_of(calls, start=start, end=end)
    # then the total is the period's calls, and each breakdown is a partition of it
    assert report.total.calls == len(inside)
    assert report.total.tokens == sum(c.tokens for c in inside)
    for shares in (report.by_user, report.by_purpose, report.by_model, report.by_day):
        assert sum(s.calls for s in shares) == report.total.calls
        assert sum(s.input_tokens for s in shares) == report.total.input_tokens
        assert sum(s.output_tokens for s in shares) == report.total.output_tokens
        assert len({s.key for s in shares}) == len(shares)
    assert [s.key for s in report.by_day] == sorted(s.key for s in report.by_day)


@pytest.mark.seed_property(78)
@EXAMPLES
@given(calls=CALLS)
def test_property_78_totals_per_user_and_period_are_the_sum_of_that_users_calls(
    calls: list[Call],
) -> None:
    # when the running totals are made per user and month, and per user and day
    months = totals_by_user_and_period(calls, granularity="month")
    days = totals_by_user_and_period(calls, granularity="day")
    # then each is the sum of that user's calls within that month (or day)
    for (user, period), total in months.items():
        start, end = month_of(datetime.strptime(period, "%Y-%m").replace(tzinfo=UTC))
        assert total == sum(c.tokens for c in calls if c.user_id == user and start <= c.at < end)
    for (user, day), total in days.items():
        start = datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=UTC)
        end = start + timedelta(days=1)
        assert total == sum(c.tokens for c in calls if c.user_id == user and start <= c.at < end)
    # and no call is left out or counted twice
    assert sum(months.values()) == sum(days.values()) == sum(c.tokens for c in calls)


def test_a_month_runs_from_its_first_instant_to_the_next_months() -> None:
    # given an instant in December
    now = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)
    # when its month is asked for
    start, end = month_of(now)
    # then it is December, ending at January's first instant
    assert (start, end) == (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))
    assert period_of(now) == "2026-12"
