"""Performance SLAs (seed 001 requirements 10 and 15): a question slower than its mode's
limit (Quick 2 minutes, Deep 10) raises an `sla_breach` alert; one slower than three times
the median of its mode's recent questions raises a `performance_anomaly` alert (65)."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from sqlalchemy import select

from mercato.agents.intelligence.ask.models import IntelQuery
from mercato.agents.intelligence.ask.statuses import QueryStatus
from mercato.agents.intelligence.governance import alerts
from mercato.agents.intelligence.governance.config import SlaLimits, config_of
from mercato.agents.intelligence.governance.escalation import Escalation
from mercato.agents.intelligence.governance.models import IntelAlert
from mercato.kernel.db import UnitOfWork

Mode = Literal["quick", "deep"]


def judge(
    mode: Mode, seconds: float, history: Sequence[float], limits: SlaLimits
) -> list[Escalation]:
    """The alerts a question of `mode` that took `seconds` raises, given the durations of
    the mode's last finished questions (newest first; only the window's are read)."""
    found = []
    limit = limits.limit(mode)
    if seconds > limit:
        found.append(
            Escalation(
                "sla_breach",
                "high",
                f"A {mode} question took {seconds:.0f} s (limit {limit:.0f} s)",
            )
        )
    window = list(history[: limits.anomaly_window])
    if len(window) >= limits.anomaly_min_samples:
        median = statistics.median(window)
        if seconds > limits.anomaly_factor * median:
            found.append(
                Escalation(
                    "performance_anomaly", "medium",
                    f"A {mode} question took {seconds:.1f} s, over "
                    f"{limits.anomaly_factor:g}x the median {median:.1f} s",
                )
            )  # fmt: skip
    return found


async def recent_durations(
    uow: UnitOfWork, *, mode: Mode, exclude: str | None, limit: int
) -> list[float]:
    """Seconds each of the mode's last finished (done or partial) questions took, newest
    first."""
    query = (
        select(IntelQuery.started_at, IntelQuery.finished_at)
        .where(
            IntelQuery.mode == mode,
            IntelQuery.status.in_((QueryStatus.DONE, QueryStatus.PARTIAL)),
            IntelQuery.started_at.is_not(None),
            IntelQuery.finished_at.is_not(None),
        )
        .order_by(IntelQuery.finished_at.desc())
        .limit(limit + 1)
    )
    if exclude is not None:
        query = query.where(IntelQuery.id != exclude)
    rows = (await uow.session.execute(query)).all()
    return [(end - start).total_seconds() for start, end in rows if start and end][:limit]


async def observe(
    uow: UnitOfWork,
    *,
    mode: Mode,
    seconds: float,
    query_id: str | None,
    now: datetime,
    limits: SlaLimits | None = None,
) -> list[IntelAlert]:
    """Hold a finished question's time to its SLA and to its mode's recent median; answers
    the alerts raised (the question itself is left out of its own median)."""
    limits = limits or config_of(uow).sla
    history = await recent_durations(uow, mode=mode, exclude=query_id, limit=limits.anomaly_window)
    raised = []
    for found in judge(mode, seconds, history, limits):
        median = statistics.median(history) if history else None
        raised.append(
            await alerts.raise_alert(
                uow, kind=found.kind, severity=found.severity, title=found.title,
                key=f"{found.kind}:{mode}", now=now,
                diagnostics={
                    "component": f"ask.{mode}", "query_id": query_id, "seconds": seconds,
                    "limit_seconds": limits.limit(mode), "median_seconds": median,
                    "samples": len(history), "factor": limits.anomaly_factor,
                },
            )
        )  # fmt: skip
    return raised
