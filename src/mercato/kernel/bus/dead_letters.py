"""Inspecting and redelivering dead letters (`mercato events dlq …`, `/v1/audit/dead-letters`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select, update

from mercato.kernel import paging
from mercato.kernel.agent import Registry
from mercato.kernel.bus.dispatcher import Dispatcher, Outcome
from mercato.kernel.bus.models import DeadLetter, DeadLetterStatus
from mercato.kernel.clock import Clock
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound
from mercato.kernel.events import Envelope


async def list_dead(
    uow: UnitOfWork,
    *,
    tenant_id: str | None = None,
    after: tuple[datetime, str] | None = None,
    limit: int = 100,
) -> list[DeadLetter]:
    """Dead letters waiting, oldest first: those after the (failed_at, id) key `after`."""
    order = (DeadLetter.failed_at, DeadLetter.id)
    query = select(DeadLetter).where(
        DeadLetter.status == DeadLetterStatus.DEAD, paging.beyond(order, after, descending=False)
    )
    if tenant_id is not None:
        query = query.where(DeadLetter.tenant_id == tenant_id)
    return list(await uow.session.scalars(query.order_by(*order).limit(limit)))


async def redeliver(
    dead_letter_id: str,
    *,
    uow_factory: Callable[..., UnitOfWork],
    dispatcher: Dispatcher,
    registry: Registry,
    clock: Clock,
    tenant_id: str | None = None,
) -> Outcome:
    """Run the handler on the event again (with its retries). The dead letter is marked
    `redelivered` once the handler has handled it, or `superseded` when it failed again (the
    dispatcher then records a fresh one with the new error); until then it stays `dead`."""
    async with uow_factory(writes=False) as uow:
        row = await uow.session.get(DeadLetter, dead_letter_id)
    if (
        row is None
        or row.status != DeadLetterStatus.DEAD
        or (tenant_id and row.tenant_id != tenant_id)
    ):
        raise NotFound(f"no dead letter {dead_letter_id!r} waiting for redelivery")
    subscription = registry.subscription(row.handler)  # unknown handler: nothing changes
    outcome = await dispatcher.dispatch(Envelope.model_validate(row.envelope), subscription)
    async with uow_factory() as uow:
        await uow.session.execute(
            update(DeadLetter)
            .where(DeadLetter.id == dead_letter_id, DeadLetter.status == DeadLetterStatus.DEAD)
            .values(
                status=(
                    DeadLetterStatus.SUPERSEDED
                    if outcome is Outcome.DEAD_LETTERED
                    else DeadLetterStatus.REDELIVERED
                ),
                redelivered_at=clock.now(),
            )
        )
        await uow.commit()
    return outcome
