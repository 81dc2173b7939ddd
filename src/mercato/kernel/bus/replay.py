"""Replaying the event store: run handlers again over events already handled.

Used to rebuild a read model or to let a new handler catch up. The replayed handler's inbox
row is replaced in the same transaction as its new effects, so handlers that are replayed
must apply their effects idempotently (upserts), which read models do by design.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mercato.kernel.agent import Registry
from mercato.kernel.bus.dispatcher import Dispatcher, Outcome
from mercato.kernel.bus.outbox import history, to_envelope
from mercato.kernel.db import UnitOfWork


async def replay(
    *,
    uow_factory: Callable[[], UnitOfWork],
    dispatcher: Dispatcher,
    registry: Registry,
    since: datetime,
    until: datetime | None = None,
    handler: str | None = None,
    batch: int = 500,
) -> dict[Outcome, int]:
    subs = [s for s in registry.subscriptions() if handler is None or s.name == handler]
    if handler and not subs:
        raise KeyError(f"no handler named {handler!r}")
    by_type: dict[str, list[str]] = {}
    for sub in subs:
        by_type.setdefault(sub.event_type, []).append(sub.name)
    counts = dict.fromkeys(Outcome, 0)
    after = 0
    while True:
        async with uow_factory() as uow:
            rows = await history(
                uow.session,
                tenant_id=None,
                types=list(by_type),
                since=since,
                until=until,
                after_seq=after,
                limit=batch,
            )
        if not rows:
            return counts
        after = rows[-1].seq
        for row in rows:
            envelope = to_envelope(row)
            for name in by_type[envelope.type]:
                sub = next(s for s in subs if s.name == name and s.event_type == envelope.type)
                counts[await dispatcher.dispatch(envelope, sub, replay=True)] += 1
