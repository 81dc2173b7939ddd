"""Rebuilding the read models from the event store (`mercato analytics rebuild`): the facts
of a store (or of every store) are wiped, then every event analytics handles is handed to
its handlers again, oldest first, as the kernel's `replay` does (each handler's inbox row
replaced with its new effects, a failing event retried then dead-lettered). The outbox is
never pruned, so the read models come back whole. The stores' settings are kept."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import delete, func, select

from mercato.agents.analytics.live import replaying
from mercato.agents.analytics.models import FACTS
from mercato.kernel import context
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.dispatcher import Outcome
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.bus.outbox import history, to_envelope
from mercato.kernel.bus.subscriptions import Subscription

AGENT = "analytics"
BATCH = 500


@dataclass
class Rebuilt:
    events: Counter[str] = field(default_factory=Counter)
    """Events replayed, by type."""
    outcomes: Counter[str] = field(default_factory=Counter)
    """Handler runs by outcome (handled, duplicate, dead_lettered)."""
    rows: dict[str, int] = field(default_factory=dict)
    """Rows of each read model after the rebuild."""


async def rebuild(
    kernel: Kernel,
    *,
    store: str | None = None,
    on_total: Callable[[int], None] = lambda _: None,
    on_events: Callable[[int], None] = lambda _: None,
) -> Rebuilt:
    """Wipe and replay the read models of `store` (None: every store)."""
    subs = [s for s in kernel.registry.subscriptions() if s.agent == AGENT]
    by_type: dict[str, list[Subscription]] = {}
    for sub in subs:
        by_type.setdefault(sub.event_type, []).append(sub)
    await _wipe(kernel, store)
    on_total(await _count(kernel, store, list(by_type)))
    done = Rebuilt()
    token = replaying.set(True)
    try:
        after = 0
        while True:
            async with kernel.uow(writes=False) as uow:
                rows = await history(
                    uow.session, tenant_id=store, types=list(by_type), after_seq=after, limit=BATCH
                )
            if not rows:
                break
            after = rows[-1].seq
            for row in rows:
                envelope = to_envelope(row)
                for sub in by_type[envelope.type]:
                    outcome: Outcome = await kernel.dispatcher.dispatch(envelope, sub, replay=True)
                    done.outcomes[outcome.value] += 1
                done.events[envelope.type] += 1
            on_events(len(rows))
    finally:
        replaying.reset(token)
    done.rows = await _rows(kernel, store)
    return done


async def _wipe(kernel: Kernel, store: str | None) -> None:
    with context.bind(tenant_id=store):  # every store's when None
        async with kernel.uow() as uow:
            for model in FACTS:
                statement = delete(model).execution_options(synchronize_session=False)
                if store is None:
                    statement = statement.execution_options(all_tenants=True)
                await uow.session.execute(statement)
            await uow.commit()


async def _count(kernel: Kernel, store: str | None, types: list[str]) -> int:
    query = select(func.count()).select_from(OutboxRecord).where(OutboxRecord.type.in_(types))
    if store is not None:
        query = query.where(OutboxRecord.tenant_id == store)
    async with kernel.uow(writes=False) as uow:
        return int(await uow.session.scalar(query) or 0)


async def _rows(kernel: Kernel, store: str | None) -> dict[str, int]:
    found: dict[str, int] = {}
    with context.bind(tenant_id=store):  # every store's when None
        async with kernel.uow(writes=False) as uow:
            for model in FACTS:
                query = select(func.count()).select_from(model)
                if store is None:
                    query = query.execution_options(all_tenants=True)
                found[model.__tablename__] = int(await uow.session.scalar(query) or 0)
    return found
