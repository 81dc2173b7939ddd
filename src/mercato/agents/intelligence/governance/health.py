"""Health checks (seed 001 requirement 18.4): the database answers, the broker answers when
it is Redis, and each enabled source's last run did not fail. A failing check raises a
`health_check_failed` alert whose diagnostics hold every check's result (75)."""

from __future__ import annotations

import asyncio
import os
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from mercato.agents.intelligence.governance import alerts
from mercato.agents.intelligence.governance.models import IntelAlert
from mercato.agents.intelligence.ingest.models import Run, Source
from mercato.agents.intelligence.ingest.statuses import RunStatus
from mercato.kernel.db import UnitOfWork

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

PROBE_TIMEOUT = 2.0
SYSTEM = ("database", "broker")


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    duration_ms: float


async def probe(name: str, call: Callable[[], Awaitable[object]]) -> Check:
    """Run one probe within `PROBE_TIMEOUT` seconds; its exception is its detail."""
    started = time.perf_counter()
    try:
        await asyncio.wait_for(call(), timeout=PROBE_TIMEOUT)
    except Exception as exc:  # a probe's failure is its finding
        return Check(name, False, f"{type(exc).__name__}: {exc}"[:300], _since(started))
    return Check(name, True, "answers", _since(started))


def _since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


async def system_checks(kernel: Kernel) -> list[Check]:
    """The database (SELECT 1), and the broker when it is Redis (PING)."""
    found = [await probe("database", kernel.db.ping)]
    if kernel.transport.name == "redis":
        found.append(await probe("broker", kernel.transport.ping))
    return found


async def source_checks(uow: UnitOfWork) -> list[Check]:
    """Per enabled source of the store: its last finished run did not fail."""
    found = []
    sources = await uow.session.scalars(
        select(Source).where(Source.enabled.is_(True)).order_by(Source.name)
    )
    for source in sources:
        started = time.perf_counter()
        last = await uow.session.scalar(
            select(Run)
            .where(Run.source_id == source.id, Run.status != RunStatus.RUNNING)
            .order_by(Run.started_at.desc(), Run.id.desc())
            .limit(1)
        )
        if last is None:
            continue
        failed = last.status == RunStatus.FAILED
        detail = (
            f"last run {last.id} failed: {last.error or 'no error recorded'}"[:300]
            if failed
            else f"last run {last.id} {last.status.value}"
        )
        found.append(Check(f"source:{source.name}", not failed, detail, _since(started)))
    return found


async def check(kernel: Kernel) -> list[Check]:
    """Every check, for the store bound to the context."""
    found = await system_checks(kernel)
    async with kernel.uow(writes=False) as uow:
        found += await source_checks(uow)
    return found


def diagnostics_of(checks: Sequence[Check]) -> dict[str, Any]:
    return {
        "component": "health",
        "failing": [c.name for c in checks if not c.ok],
        "checks": [asdict(c) for c in checks],
        "host": {"name": socket.gethostname(), "pid": os.getpid()},
    }


async def report(uow: UnitOfWork, *, checks: Sequence[Check], now: datetime) -> IntelAlert | None:
    """Raise `health_check_failed` when any check fails (critical when the database or the
    broker is down); None when all pass."""
    failing = [c.name for c in checks if not c.ok]
    if not failing:
        return None
    return await alerts.raise_alert(
        uow, kind="health_check_failed",
        severity="critical" if any(name in SYSTEM for name in failing) else "high",
        title=f"Health check failed: {', '.join(failing)}"[:200],
        key="health_check_failed", diagnostics=diagnostics_of(checks), now=now,
    )  # fmt: skip
