"""Token usage and budgets on a real database (seed 001 requirement 19): every LLM call is
recorded for its user and period (78); a budget at 80 % raises one warning a month (79); a
spent budget refuses Deep mode with a clear error while Quick mode goes on (80); the
store's report breaks usage down by user, purpose, model and day (81)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mercato.agents.intelligence.governance import budget, ledger, usage
from mercato.agents.intelligence.governance.config import BudgetDefaults
from mercato.agents.intelligence.governance.models import IntelAlert, IntelTokenUsage
from mercato.agents.intelligence.governance.problems import DeepModeRefused
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork
from tests.integration.intelligence.governance.support import START, Governed, governed

EXAMPLES = hypothesis_settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
USERS = st.sampled_from(["ana", "ben", "cy"])


@pytest.fixture
async def gov(settings: Settings) -> AsyncIterator[Governed]:
    async with governed(settings) as found:
        yield found


async def _spend(
    uow: UnitOfWork, user: str, tokens: int, at: datetime, *, defaults: BudgetDefaults | None = None
) -> None:
    await usage.record(
        uow, user_id=user, query_id=None, purpose="plan", model="local",
        input_tokens=tokens, output_tokens=0, now=at,
    )  # fmt: skip
    if defaults is not None:  # the warning, checked against the example's own limits
        await budget.check_warnings(uow, user_id=user, now=at, defaults=defaults)


async def _record(gov: Governed, user: str, tokens: int, at: datetime) -> None:
    async with gov.kernel.uow() as uow:
        await _spend(uow, user, tokens, at)
        await uow.commit()


async def _warnings(uow: UnitOfWork) -> list[IntelAlert]:
    return list(
        await uow.session.scalars(select(IntelAlert).where(IntelAlert.kind == "budget_warning"))
    )


@pytest.mark.seed_property(78)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(
    calls=st.lists(
        st.tuples(USERS, st.integers(0, 10_000), st.integers(0, 70 * 24 * 60)), max_size=12
    )
)
async def test_property_78_token_usage_is_tracked_per_user_and_period(
    gov: Governed, calls: list[tuple[str, int, int]]
) -> None:
    with gov.examples_store():
        async with gov.kernel.uow() as uow:
            # given LLM calls by several users over three months, recorded as they happen
            stamped = [(u, t, START + timedelta(minutes=m)) for u, t, m in calls]
            for user, tokens, at in stamped:
                await _spend(uow, user, tokens, at)
            whole = (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 3, 1, tzinfo=UTC))
            for user in ("ana", "ben", "cy"):
                mine = [(t, a) for u, t, a in stamped if u == user]
                # then each user's month total is the sum of their calls in that month
                for month in {ledger.month_of(a) for _, a in mine} | {ledger.month_of(START)}:
                    expected = sum(t for t, a in mine if month[0] <= a < month[1])
                    found = await ledger.used(uow, start=month[0], end=month[1], user_id=user)
                    assert found == expected
                # and their day totals are the sums of their calls each day
                report = await usage.breakdown(uow, start=whole[0], end=whole[1], user_id=user)
                days: dict[str, int] = {}
                for t, a in mine:
                    days[a.strftime("%Y-%m-%d")] = days.get(a.strftime("%Y-%m-%d"), 0) + t
                assert {d.key: d.tokens for d in report.by_day} == days


@pytest.mark.seed_property(79)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(
    limit=st.integers(1, 1000),
    spends=st.lists(st.tuples(USERS, st.integers(0, 400)), min_size=1, max_size=8),
    next_month=st.booleans(),
)
async def test_property_79_a_budget_at_80_percent_warns_once_a_month(
    gov: Governed, limit: int, spends: list[tuple[str, int]], next_month: bool
) -> None:
    defaults = BudgetDefaults(store_monthly_tokens=limit)
    with gov.examples_store():
        async with gov.kernel.uow() as uow:
            # given calls that use the store's budget, one after the other
            used = 0
            for i, (user, tokens) in enumerate(spends):
                await _spend(uow, user, tokens, START + timedelta(hours=i), defaults=defaults)
                used += tokens
                # then after each, the month's warning exists iff 80 % of the budget is used
                assert len(await _warnings(uow)) == (1 if used * 5 >= limit * 4 else 0)
            # and a new month starts without one: it warns when that month's use does
            if next_month:
                later = START + timedelta(days=31)
                await _spend(uow, "ana", 0, later, defaults=defaults)
                assert len(await _warnings(uow)) == (1 if used * 5 >= limit * 4 else 0)
                await _spend(uow, "ana", limit, later, defaults=defaults)
                periods = sorted(a.diagnostics["period"] for a in await _warnings(uow))
                assert periods[-1] == ledger.period_of(later)
                assert len(periods) == len(set(periods))


@pytest.mark.seed_property(80)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(
    store_limit=st.integers(0, 1000),
    user_limit=st.one_of(st.none(), st.integers(0, 600)),
    spends=st.lists(st.tuples(USERS, st.integers(0, 300)), max_size=6),
)
async def test_property_80_a_spent_budget_refuses_deep_mode_and_quick_mode_goes_on(
    gov: Governed, store_limit: int, user_limit: int | None, spends: list[tuple[str, int]]
) -> None:
    defaults = BudgetDefaults(store_monthly_tokens=store_limit, user_monthly_tokens=user_limit)
    with gov.examples_store():
        async with gov.kernel.uow() as uow:
            # given the store's (and every user's) budget and some use of it
            for i, (user, tokens) in enumerate(spends):
                await _spend(uow, user, tokens, START + timedelta(minutes=i))
            store_used = sum(t for _, t in spends)
            for user in ("ana", "ben"):
                user_used = sum(t for u, t in spends if u == user)
                spent = store_used >= store_limit or (
                    user_limit is not None and user_used >= user_limit
                )
                # when the user asks in Quick mode, it is allowed whatever the budget
                await budget.admit(uow, mode="quick", user_id=user, now=START, defaults=defaults)
                # and Deep mode is allowed iff no budget binding the user is spent
                try:
                    await budget.admit(uow, mode="deep", user_id=user, now=START, defaults=defaults)
                    refused = False
                except DeepModeRefused:
                    refused = True
                assert refused == spent


async def test_a_refused_deep_question_says_why_and_what_to_do_and_records_nothing(
    gov: Governed,
) -> None:
    # given a store whose budget is spent
    defaults = BudgetDefaults(store_monthly_tokens=1000)
    await _record(gov, "ana", 1200, START)
    async with gov.kernel.uow(writes=False) as uow:
        before = await uow.session.scalar(select(func.count()).select_from(IntelTokenUsage))
    # when a user asks in Deep mode
    with pytest.raises(DeepModeRefused) as refused:
        async with gov.kernel.uow() as uow:
            await budget.ensure_deep_allowed(uow, user_id="ben", now=START, defaults=defaults)
    # then the problem is a 429 with the figures and the way out
    problem = refused.value.to_detail(instance=None, correlation_id=None).model_dump()
    assert problem["status"] == 429 and problem["code"] == "intel_budget_exceeded"
    assert "1,200" in problem["detail"] and "1,000" in problem["detail"]
    assert (problem["used"], problem["limit"], problem["scope"]) == (1200, 1000, "store")
    assert problem["suggested_action"].startswith("Ask in Quick mode")
    # and nothing was recorded
    async with gov.kernel.uow(writes=False) as uow:
        after = await uow.session.scalar(select(func.count()).select_from(IntelTokenUsage))
    assert after == before


async def test_a_users_own_budget_binds_before_the_stores(gov: Governed) -> None:
    # given a user budget of 100 for ben alone, and the store's default
    async with gov.kernel.uow() as uow:
        await budget.set_budget(
            uow, scope="user", user_id="ben", monthly_tokens=100, by="admin", now=START
        )
        await uow.commit()
    # when ben uses 100 tokens and ana 100
    await _record(gov, "ben", 100, START)
    await _record(gov, "ana", 100, START)
    async with gov.kernel.uow(writes=False) as uow:
        ben = await budget.status(uow, user_id="ben", now=START)
        ana = await budget.status(uow, user_id="ana", now=START)
    # then ben's own budget is spent and binds him; ana is held to the store's
    assert (ben.scope, ben.used, ben.limit, ben.exceeded) == ("user", 100, 100, True)
    assert (ana.scope, ana.exceeded) == ("store", False)
    # and ben's warning was raised once, naming him
    warnings = await gov.alerts("budget_warning")
    assert [w.diagnostics["user_id"] for w in warnings] == ["ben"]


@pytest.mark.seed_property(81)
async def test_property_81_the_stored_report_breaks_usage_down_to_its_total(gov: Governed) -> None:
    # given calls of two users, both purposes, two models, over two days
    calls = [
        ("ana", "plan", "local", 10, 5, START),
        ("ana", "summary", "claude", 100, 50, START + timedelta(hours=1)),
        ("ben", "summary", "claude", 7, 3, START + timedelta(days=1)),
    ]
    async with gov.kernel.uow() as uow:
        for user, purpose, model, inp, out, at in calls:
            await usage.record(
                uow, user_id=user, query_id="q1", purpose=purpose,  # type: ignore[arg-type]
                model=model, input_tokens=inp, output_tokens=out, now=at,
            )  # fmt: skip
        await uow.commit()
    # when the month's report is made
    async with gov.kernel.uow(writes=False) as uow:
        report = await usage.breakdown(
            uow, start=START - timedelta(days=1), end=START + timedelta(days=5)
        )
    # then every breakdown sums to the total of 175 tokens in 3 calls
    assert (report.total.tokens, report.total.calls) == (175, 3)
    assert {s.key: s.tokens for s in report.by_user} == {"ana": 165, "ben": 10}
    assert {s.key: s.tokens for s in report.by_purpose} == {"plan": 15, "summary": 160}
    assert {s.key: s.tokens for s in report.by_model} == {"local": 15, "claude": 160}
    assert {s.key: s.tokens for s in report.by_day} == {"2026-12-10": 165, "2026-12-11": 10}
