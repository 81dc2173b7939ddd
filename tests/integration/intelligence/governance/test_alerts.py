"""Alerts and failure escalation on a real database (seed 001 requirement 18): repeated
failures (72), timeouts (73) and connection failures (74) raise alerts with diagnostics;
alerts reach the outbox with the transaction that raises them (76); staff's
acknowledgments are recorded, the first one kept (77)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlalchemy import select

from mercato.agents.intelligence.governance import alerts, escalation
from mercato.agents.intelligence.governance.escalation import Outcome
from mercato.agents.intelligence.governance.models import IntelAlert, IntelComponentHealth
from mercato.agents.intelligence.governance.problems import AlertNotFound
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.config import Settings
from mercato.kernel.db import UnitOfWork
from tests.integration.intelligence.governance.support import START, Governed, governed

EXAMPLES = hypothesis_settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
OUTCOMES = st.lists(
    st.sampled_from(["ok", "failed", "timeout", "connection_error"]), min_size=1, max_size=8
)


@pytest.fixture
async def gov(settings: Settings) -> AsyncIterator[Governed]:
    async with governed(settings) as found:
        yield found


async def _of_kind(uow: UnitOfWork, kind: str) -> list[IntelAlert]:
    return list(await uow.session.scalars(select(IntelAlert).where(IntelAlert.kind == kind)))


async def _feed(uow: UnitOfWork, outcomes: list[Outcome]) -> None:
    for i, outcome in enumerate(outcomes):
        error = None if outcome == "ok" else f"{outcome} #{i}"
        await escalation.record_outcome(
            uow, component="agent.pricing", outcome=outcome, error=error,
            now=START + timedelta(seconds=i),
        )  # fmt: skip


def _runs(outcomes: list[Outcome]) -> list[int]:
    """Failures in a row after each outcome."""
    found, run = [], 0
    for outcome in outcomes:
        run = 0 if outcome == "ok" else run + 1
        found.append(run)
    return found


@pytest.mark.seed_property(72)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(outcomes=OUTCOMES)
async def test_property_72_repeated_failures_trigger_escalation(
    gov: Governed, outcomes: list[Outcome]
) -> None:
    with gov.examples_store():
        async with gov.kernel.uow() as uow:
            # when a component's outcomes are recorded
            await _feed(uow, outcomes)
            found = await _of_kind(uow, "repeated_failures")
            health = await escalation.health_of(uow)
        # then the run of failures is shared state, ended by an ok
        runs = _runs(outcomes)
        assert [h.consecutive_failures for h in health] == [runs[-1]]
        # and an alert exists iff a run reached 3, counting each failure from the third on
        escalated = sum(1 for run in runs if run >= 3)
        assert len(found) == (1 if escalated else 0)
        if found:
            alert = found[0]
            assert (alert.severity, alert.count) == ("high", escalated)
            # with the last errors as diagnostics
            last = alert.diagnostics["last_outcomes"]
            assert last[-1]["outcome"] != "ok" and last[-1]["error"]
            assert alert.diagnostics["component"] == "agent.pricing"


@pytest.mark.seed_property(73)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(outcomes=OUTCOMES)
async def test_property_73_timeouts_trigger_escalation(
    gov: Governed, outcomes: list[Outcome]
) -> None:
    with gov.examples_store():
        async with gov.kernel.uow() as uow:
            # when a component's outcomes are recorded
            await _feed(uow, outcomes)
            found = await _of_kind(uow, "timeout")
        # then every timeout is on a medium alert, and there is none without one
        timeouts = outcomes.count("timeout")
        assert len(found) == (1 if timeouts else 0)
        if found:
            assert (found[0].severity, found[0].count) == ("medium", timeouts)
            assert found[0].diagnostics["outcome"] == "timeout"


@pytest.mark.seed_property(74)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(outcomes=OUTCOMES)
async def test_property_74_connection_failures_trigger_high_priority_alerts(
    gov: Governed, outcomes: list[Outcome]
) -> None:
    with gov.examples_store():
        async with gov.kernel.uow() as uow:
            # when a component's outcomes are recorded
            await _feed(uow, outcomes)
            found = await _of_kind(uow, "connection_failure")
        # then every connection failure is on a critical alert with host and database checks
        failures = outcomes.count("connection_error")
        assert len(found) == (1 if failures else 0)
        if found:
            assert (found[0].severity, found[0].count) == ("critical", failures)
            assert found[0].diagnostics["database"]["ok"] is True
            assert found[0].diagnostics["host"]["name"]


@pytest.mark.seed_property(76)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(
    keys=st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=5),
    severity=st.sampled_from(alerts.SEVERITIES),
    commit=st.booleans(),
)
async def test_property_76_alerts_are_delivered_within_the_sla(
    gov: Governed, keys: list[str], severity: str, commit: bool
) -> None:
    with gov.fresh_store():
        # when alerts are raised (some keys again while open) and the work commits or not
        async with gov.kernel.uow() as uow:
            raised = [
                await alerts.raise_alert(
                    uow, kind="timeout", severity=severity, title=f"t {key}",  # type: ignore[arg-type]
                    key=key, diagnostics={"component": key}, now=gov.now(),
                )
                for key in keys
            ]  # fmt: skip
            if commit:
                await uow.commit()
        ids = {a.id for a in raised}
        async with gov.kernel.uow(writes=False) as uow:
            stored = list(await uow.session.scalars(select(IntelAlert)))
            events = list(
                await uow.session.scalars(
                    select(OutboxRecord).where(OutboxRecord.aggregate_id.in_(ids))
                )
            )
        # then a committed alert, one per key, was handed to the outbox at once (well within
        # 5 minutes), its event in the same transaction; a rolled back one left neither
        if not commit:
            assert stored == [] and events == []
            return
        assert len(stored) == len(set(keys))
        for alert in stored:
            assert alert.delivered_at is not None
            assert alert.delivered_at - alert.first_at <= timedelta(minutes=5)
            assert alert.count == keys.count(alert.key)
        assert sorted(e.payload["alert_id"] for e in events) == sorted(a.id for a in stored)
        assert all(e.type == "intelligence.alert_raised" for e in events)


@pytest.mark.seed_property(77)
@pytest.mark.parametrize("settings", ["sqlite"], indirect=True)
@EXAMPLES
@given(
    acks=st.lists(
        st.tuples(st.sampled_from(["ana", "ben"]), st.integers(1, 600)), min_size=1, max_size=4
    )
)
async def test_property_77_alert_acknowledgments_are_tracked(
    gov: Governed, acks: list[tuple[str, int]]
) -> None:
    with gov.examples_store():
        async with gov.kernel.uow() as uow:
            # given an open alert
            alert = await alerts.raise_alert(
                uow, kind="timeout", severity="medium", title="slow", key="k",
                diagnostics={}, now=START,
            )  # fmt: skip
            # when staff acknowledge it, maybe several times
            for user, seconds in acks:
                await alerts.acknowledge(
                    uow, alert_id=alert.id, user_id=user, note=f"seen by {user}",
                    now=START + timedelta(seconds=seconds),
                )  # fmt: skip
            # then the first acknowledgment is the one recorded
            first_user, first_seconds = acks[0]
            assert alert.acknowledged_by == first_user
            assert alert.acknowledged_at == START + timedelta(seconds=first_seconds)
            assert alert.note == f"seen by {first_user}"
            # and the key raised again makes a new, open alert
            again = await alerts.raise_alert(
                uow, kind="timeout", severity="medium", title="slow", key="k",
                diagnostics={}, now=START + timedelta(hours=1),
            )  # fmt: skip
            assert again.id != alert.id and again.acknowledged_at is None


async def test_acknowledging_an_unknown_alert_is_404_and_changes_nothing(gov: Governed) -> None:
    # given one open alert
    async with gov.kernel.uow() as uow:
        await alerts.raise_alert(
            uow, kind="timeout", severity="medium", title="slow", key="k", diagnostics={},
            now=START,
        )  # fmt: skip
        await uow.commit()
    # when an alert that does not exist is acknowledged
    with pytest.raises(AlertNotFound) as missing:
        async with gov.kernel.uow() as uow:
            await alerts.acknowledge(uow, alert_id="nope", user_id="ana", note=None, now=START)
    # then it is 404 intel_alert_not_found, and the open alert is still open
    assert (missing.value.status, missing.value.code) == (404, "intel_alert_not_found")
    assert [a.acknowledged_at for a in await gov.alerts()] == [None]


async def test_an_ok_ends_a_run_of_failures_for_every_process(gov: Governed) -> None:
    # given two failures recorded by one unit of work and a third by another
    for i in range(3):
        async with gov.kernel.uow() as uow:
            await escalation.record_outcome(
                uow, component="llm", outcome="failed", error=f"503 #{i}", now=START
            )
            await uow.commit()
    # then the third raised the repeated-failures alert
    assert [a.count for a in await gov.alerts("repeated_failures")] == [1]
    # when an ok comes, the run ends
    async with gov.kernel.uow() as uow:
        await escalation.record_outcome(uow, component="llm", outcome="ok", error=None, now=START)
        await uow.commit()
    async with gov.kernel.uow(writes=False) as uow:
        row = await uow.session.scalar(select(IntelComponentHealth))
    assert row is not None and (row.consecutive_failures, row.last_outcome) == (0, "ok")
