"""Failure escalation (seed 001 requirement 18): three failures in a row of a component
raise a `repeated_failures` alert (72), a timeout a `timeout` alert (73), a connection failure
a critical `connection_failure` alert (74). Each alert carries its diagnostics. The runs of
failures are kept in `intel_component_health`, so every process counts the same run."""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import literal, select

from mercato.agents.intelligence.governance import alerts
from mercato.agents.intelligence.governance.alerts import Severity
from mercato.agents.intelligence.governance.models import IntelAlert, IntelComponentHealth
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.errors import TenantContextMissing
from mercato.kernel.ids import new_id

Outcome = Literal["ok", "failed", "timeout", "connection_error"]
REPEATED = 3
"""Failures in a row that make a `repeated_failures` alert."""
RECENT = 5
"""Outcomes kept for the diagnostics."""


@dataclass(frozen=True)
class Escalation:
    kind: str
    severity: Severity
    title: str


def escalations(component: str, *, failures: int, outcome: Outcome) -> list[Escalation]:
    """The alerts an outcome raises, given the component's failures in a row counting it."""
    found = []
    if outcome != "ok" and failures >= REPEATED:
        found.append(
            Escalation("repeated_failures", "high", f"{component} failed {failures} times in a row")
        )
    if outcome == "timeout":
        found.append(Escalation("timeout", "medium", f"{component} timed out"))
    if outcome == "connection_error":
        found.append(Escalation("connection_failure", "critical", f"{component} could not connect"))
    return found


def next_failures(previous: int, outcome: Outcome) -> int:
    """Failures in a row after `outcome`: an ok ends the run."""
    return 0 if outcome == "ok" else previous + 1


async def record_outcome(
    uow: UnitOfWork, *, component: str, outcome: Outcome, error: str | None, now: datetime
) -> list[IntelAlert]:
    """Count the component's outcome and raise the alerts it calls for; answers them."""
    health = await _count(uow, component=component, outcome=outcome, error=error, now=now)
    raised = []
    for escalation in escalations(component, failures=health.consecutive_failures, outcome=outcome):
        diagnostics = await _diagnostics(uow, health, outcome=outcome, error=error)
        raised.append(
            await alerts.raise_alert(
                uow, kind=escalation.kind, severity=escalation.severity,
                title=escalation.title, key=f"{escalation.kind}:{component}",
                diagnostics=diagnostics, now=now,
            )
        )  # fmt: skip
    return raised


async def _count(
    uow: UnitOfWork, *, component: str, outcome: Outcome, error: str | None, now: datetime
) -> IntelComponentHealth:
    """Upsert the component's row (a row lock on PostgreSQL, the write lock on SQLite: two
    processes' outcomes are counted one after the other)."""
    tenant = context.current_tenant()
    if tenant is None:
        raise TenantContextMissing()
    insert = upsert_insert(uow.session)(IntelComponentHealth).values(
        id=new_id(), tenant_id=tenant, component=component[:64], consecutive_failures=0,
        last_outcome="ok", last_error=None, recent=[], updated_at=now,
    )  # fmt: skip
    await uow.session.execute(
        insert.on_conflict_do_nothing(index_elements=["tenant_id", "component"])
    )
    row = await uow.session.scalar(
        select(IntelComponentHealth)
        .where(IntelComponentHealth.component == component[:64])
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert row is not None  # inserted above or already there
    row.consecutive_failures = next_failures(row.consecutive_failures, outcome)
    row.last_outcome, row.last_error = outcome, error[:2000] if error else None
    entry = {"outcome": outcome, "error": error and error[:500], "at": now.isoformat()}
    row.recent = [*row.recent, entry][-RECENT:]
    row.updated_at = now
    await uow.session.flush()
    return row


async def _diagnostics(
    uow: UnitOfWork, health: IntelComponentHealth, *, outcome: Outcome, error: str | None
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "component": health.component,
        "outcome": outcome,
        "error": error,
        "consecutive_failures": health.consecutive_failures,
        "last_outcomes": list(health.recent),
        "host": {"name": socket.gethostname(), "pid": os.getpid()},
    }
    if outcome == "connection_error":
        found["database"] = await _database_check(uow)
    return found


async def _database_check(uow: UnitOfWork) -> dict[str, Any]:
    """Whether this process's database answers (it does if the alert is to be written)."""
    started = time.perf_counter()
    try:
        await uow.session.execute(select(literal(1)))
    except Exception as exc:  # a diagnostic: the failure is the finding
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 2)}


async def health_of(uow: UnitOfWork) -> list[IntelComponentHealth]:
    return list(
        await uow.session.scalars(
            select(IntelComponentHealth).order_by(IntelComponentHealth.component)
        )
    )
