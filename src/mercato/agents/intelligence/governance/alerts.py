"""Alerts for staff (seed 001 requirement 18): raised with their diagnostics, delivered
through the outbox in the transaction that raises them (76), counted instead of repeated
while open, and acknowledged by staff (77). Only this module writes `intel_alerts`."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import select

from mercato.agents.intelligence.governance.events import AlertRaised
from mercato.agents.intelligence.governance.models import IntelAlert
from mercato.agents.intelligence.governance.problems import AlertNotFound
from mercato.kernel import context, paging
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.errors import TenantContextMissing
from mercato.kernel.ids import new_id

Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high", "critical")
AlertStatus = Literal["open", "acknowledged", "all"]


def graver(a: str, b: str) -> str:
    """The more severe of two severities."""
    return max(a, b, key=lambda s: SEVERITIES.index(s) if s in SEVERITIES else -1)


async def raise_alert(
    uow: UnitOfWork,
    *,
    kind: str,
    severity: Severity,
    title: str,
    key: str,
    diagnostics: dict[str, Any],
    now: datetime,
) -> IntelAlert:
    """A new alert, published as `intelligence.alert_raised` and marked delivered in the same
    transaction; or, when an alert with `key` is still open, that one counted once more (its
    diagnostics the latest, its severity the graver)."""
    found = await open_alert(uow, key=key)
    if found is None:
        tenant = context.current_tenant()
        if tenant is None:
            raise TenantContextMissing()
        alert_id = new_id()
        values = {
            "id": alert_id, "tenant_id": tenant, "kind": kind, "severity": severity,
            "title": title[:200], "key": key[:200], "open_key": key[:200],
            "diagnostics": diagnostics, "count": 1, "first_at": now, "last_at": now,
            "delivered_at": now,
        }  # fmt: skip
        insert = upsert_insert(uow.session)(IntelAlert).values(**values)
        done = await uow.session.execute(
            insert.on_conflict_do_nothing(index_elements=["tenant_id", "open_key"])
        )
        if getattr(done, "rowcount", 0):
            created = await uow.session.get(IntelAlert, alert_id)
            assert created is not None  # just inserted in this transaction
            uow.publish(
                AlertRaised(
                    alert_id=alert_id, kind=kind, severity=severity, title=created.title,
                    diagnostics=diagnostics, raised_at=now.isoformat(),
                ),
                aggregate_id=alert_id,
            )  # fmt: skip
            return created
        found = await open_alert(uow, key=key)  # another process raised it just now
        if found is None:  # acknowledged in between: the next raise makes a new one
            return await raise_alert(
                uow, kind=kind, severity=severity, title=title, key=key,
                diagnostics=diagnostics, now=now,
            )  # fmt: skip
    found.count += 1
    found.last_at = max(found.last_at, now)
    found.diagnostics = diagnostics
    found.severity = graver(found.severity, severity)
    await uow.session.flush()
    return found


async def open_alert(uow: UnitOfWork, *, key: str) -> IntelAlert | None:
    return await uow.session.scalar(
        select(IntelAlert).where(IntelAlert.open_key == key[:200]).with_for_update()
    )


async def ever_raised(uow: UnitOfWork, *, key: str) -> bool:
    """Whether an alert with `key` exists, open or acknowledged."""
    found = await uow.session.scalar(
        select(IntelAlert.id).where(IntelAlert.key == key[:200]).limit(1)
    )
    return found is not None


async def acknowledge(
    uow: UnitOfWork, *, alert_id: str, user_id: str, note: str | None, now: datetime
) -> IntelAlert:
    """Record who acknowledged the alert and when; acknowledging it again keeps the first
    acknowledgment. A later raise of its key makes a new alert."""
    row = await uow.session.scalar(
        select(IntelAlert).where(IntelAlert.id == alert_id).with_for_update()
    )
    if row is None:
        raise AlertNotFound(f"No alert {alert_id!r} in this store")
    if row.acknowledged_at is None:
        row.acknowledged_at, row.acknowledged_by = now, user_id
        row.note, row.open_key = note, None
        await uow.session.flush()
    return row


async def get(uow: UnitOfWork, *, alert_id: str) -> IntelAlert:
    row = await uow.session.get(IntelAlert, alert_id)
    if row is None:
        raise AlertNotFound(f"No alert {alert_id!r} in this store")
    return row


async def list_alerts(
    uow: UnitOfWork, *, status: AlertStatus, limit: int, cursor: str | None
) -> tuple[list[IntelAlert], str | None]:
    """The store's alerts, newest first: open ones, acknowledged ones, or all."""
    key = paging.decode(cursor, datetime, str)
    query = select(IntelAlert)
    if status == "open":
        query = query.where(IntelAlert.acknowledged_at.is_(None))
    elif status == "acknowledged":
        query = query.where(IntelAlert.acknowledged_at.is_not(None))
    rows = list(
        await uow.session.scalars(
            query.where(paging.beyond((IntelAlert.first_at, IntelAlert.id), key, descending=True))
            .order_by(IntelAlert.first_at.desc(), IntelAlert.id.desc())
            .limit(limit + 1)
        )
    )
    return paging.cut(rows, limit, lambda a: (a.first_at, a.id))
