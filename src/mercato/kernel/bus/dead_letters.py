"""Inspecting and redelivering dead letters (`mercato events dlq …`, `/v1/audit/dead-letters`)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from mercato.kernel.agent import Registry
from mercato.kernel.bus.dispatcher import Dispatcher, Outcome
from mercato.kernel.bus.models import DeadLetter
from mercato.kernel.clock import Clock
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound
from mercato.kernel.events import Envelope


async def list_dead(
    uow: UnitOfWork, *, tenant_id: str | None = None, limit: int = 100
) -> list[DeadLetter]:
    query = select(DeadLetter).where(DeadLetter.status == "dead")
    if tenant_id is not None:
        query = query.where(DeadLetter.tenant_id == tenant_id)
    return list(await uow.session.scalars(query.order_by(DeadLetter.failed_at).limit(limit)))


async def redeliver(
    dead_letter_id: str,
    *,
    uow_factory: Callable[[], UnitOfWork],
    dispatcher: Dispatcher,
    registry: Registry,
    clock: Clock,
    tenant_id: str | None = None,
) -> Outcome:
    """Run the handler on the event again (with its retries). On success the dead letter is
    marked redelivered; if it fails again, the dispatcher records a fresh dead letter."""
    async with uow_factory() as uow:
        row = await uow.session.get(DeadLetter, dead_letter_id)
        if row is None or row.status != "dead" or (tenant_id and row.tenant_id != tenant_id):
            raise NotFound(f"no dead letter {dead_letter_id!r} waiting for redelivery")
        row.status, row.redelivered_at = "redelivered", clock.now()
        envelope = Envelope.model_validate(row.envelope)
        handler = row.handler
        await uow.commit()
    return await dispatcher.dispatch(envelope, registry.subscription(handler))
