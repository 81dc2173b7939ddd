"""Health checks and performance SLAs on a real database (seed 001 requirements 15 and 18):
a failing check raises an alert whose diagnostics hold every check (75); a question past its
mode's limit breaches the SLA, and one past three times its mode's recent median is an
anomaly (65)."""

from __future__ import annotations

import statistics
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import cast

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import select

from mercato.agents.intelligence.ask.models import IntelQuery
from mercato.agents.intelligence.ask.statuses import QueryStatus
from mercato.agents.intelligence.governance import health, jobs, sla
from mercato.agents.intelligence.governance.config import config_of
from mercato.agents.intelligence.governance.health import Check
from mercato.agents.intelligence.governance.models import IntelAlert
from mercato.agents.intelligence.ingest.models import Run, Source
from mercato.agents.intelligence.ingest.statuses import RunStatus
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from tests.integration.intelligence.governance.support import START, Governed, governed

EXAMPLES = hypothesis_settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
CHECKS = st.lists(
    st.builds(
        Check,
        name=st.sampled_from(["database", "broker", "source:shop", "source:feed"]),
        ok=st.booleans(),
        detail=st.text(max_size=40),
        duration_ms=st.floats(0, 2000, allow_nan=False),
    ),
    max_size=4,
)


@pytest.fixture
async def gov(settings: Settings) -> AsyncIterator[Governed]:
    async with governed(settings) as found:
        yield found


@pytest.mark.seed_property(75)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(checks=CHECKS)
async def test_property_75_health_check_failures_include_diagnostics(
    gov: Governed, checks: list[Check]
) -> None:
    with gov.examples_store():
        async with gov.kernel.uow() as uow:
            # when a run of checks is reported
            alert = await health.report(uow, checks=checks, now=START)
            stored = list(await uow.session.scalars(select(IntelAlert)))
        failing = [c for c in checks if not c.ok]
        # then an alert is raised iff a check failed
        assert (alert is not None) == bool(failing) == (len(stored) == 1)
        if alert is None:
            return
        # with every check's name, result and detail as diagnostics
        found = alert.diagnostics["checks"]
        assert [(c["name"], c["ok"], c["detail"]) for c in found] == [
            (c.name, c.ok, c.detail) for c in checks
        ]
        assert alert.diagnostics["failing"] == [c.name for c in failing]
        system_down = any(c.name in ("database", "broker") for c in failing)
        assert alert.severity == ("critical" if system_down else "high")


async def _source(uow: UnitOfWork, name: str, *statuses: RunStatus) -> None:
    source = Source(
        id=new_id(), kind="file", name=name, settings={}, credential=None,
        interval_seconds=None, rate_per_second=1.0, enabled=True, next_run_at=None,
        created_at=START, updated_at=START,
    )  # fmt: skip
    uow.session.add(source)
    for i, status in enumerate(statuses):
        uow.session.add(
            Run(
                id=new_id(), source_id=source.id, status=status,
                started_at=START + timedelta(minutes=i), finished_at=None, fetched=0, stored=0,
                rejected=0, duplicates=0, skipped={}, errors=[],
                error="HTTP 503 from the shop" if status == RunStatus.FAILED else None,
            )
        )  # fmt: skip


async def test_a_source_whose_last_run_failed_fails_the_health_check(gov: Governed) -> None:
    # given a source whose last finished run failed (a later one is running) and a healthy one
    async with gov.kernel.uow() as uow:
        await _source(uow, "shop", RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.RUNNING)
        await _source(uow, "feed", RunStatus.FAILED, RunStatus.SUCCEEDED)
        await uow.commit()
    # when the checks run
    checks = {c.name: c for c in await health.check(gov.kernel)}
    # then the database answers, the shop fails with its error, the feed passes
    assert checks["database"].ok
    assert "broker" not in checks  # in-process delivery: no Redis to ping
    assert not checks["source:shop"].ok and "HTTP 503" in checks["source:shop"].detail
    assert checks["source:feed"].ok
    # and the scheduled check raises one alert in the store, with every check
    assert await jobs.check_health(gov.kernel) >= 1
    [alert] = await gov.alerts("health_check_failed")
    assert alert.diagnostics["failing"] == ["source:shop"]
    assert {c["name"] for c in alert.diagnostics["checks"]} == set(checks)


MODES = st.sampled_from(["quick", "deep"])
SECONDS = st.floats(0.5, 900, allow_nan=False)


@pytest.mark.seed_property(65)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(
    mode=MODES,
    seconds=SECONDS,
    history=st.lists(SECONDS, max_size=60),
    others=st.lists(SECONDS, max_size=5),
)
async def test_property_65_performance_anomalies_trigger_alerts(
    gov: Governed, mode: str, seconds: float, history: list[float], others: list[float]
) -> None:
    other = "deep" if mode == "quick" else "quick"
    with gov.examples_store():
        async with gov.kernel.uow() as uow:
            # given the mode's finished questions (newest first), a failed one and the other
            # mode's, which do not count
            for i, took in enumerate(history):
                _question(uow, mode, took, finished_minutes_ago=i + 1)
            _question(uow, mode, 5000, finished_minutes_ago=0, status=QueryStatus.FAILED)
            for i, took in enumerate(others):
                _question(uow, other, took / 100, finished_minutes_ago=i)
            await uow.session.flush()
            # when a question of the mode finishes in `seconds`
            raised = await sla.observe(
                uow, mode=cast(sla.Mode, mode), seconds=seconds, query_id="this", now=START
            )
        kinds = sorted(a.kind for a in raised)
        # then it breaches the SLA iff past its mode's limit
        limit = config_of(uow).sla.limit(mode)
        assert ("sla_breach" in kinds) == (seconds > limit)
        # and is an anomaly iff the last 50 give 10+ samples and it took over 3x their median
        window = history[:50]
        anomalous = len(window) >= 10 and seconds > 3 * statistics.median(window)
        assert ("performance_anomaly" in kinds) == anomalous
        for alert in raised:
            assert alert.diagnostics["query_id"] == "this"


def _question(
    uow: UnitOfWork,
    mode: str,
    took: float,
    *,
    finished_minutes_ago: int,
    status: QueryStatus = QueryStatus.DONE,
) -> None:
    finished = START - timedelta(minutes=finished_minutes_ago)
    uow.session.add(
        IntelQuery(
            id=new_id(), user_id="ana", asker={}, question="why?", mode=mode, priority=0,
            status=status,
            route={}, agents=[], progress={}, estimated_wait_s=0.0,
            enqueued_at=finished - timedelta(seconds=took + 1),
            started_at=finished - timedelta(seconds=took), finished_at=finished,
        )
    )  # fmt: skip
