"""The reservation sweeper, run by every process every `reservation_sweep_interval` seconds
(`PeriodicJob`); the conditional claims make concurrent sweeps harmless."""

from __future__ import annotations

from mercato.agents.inventory import settlement
from mercato.kernel.bootstrap import Kernel

BATCH = 200
MAX_BATCHES = 10
"""At most this many batches a sweep (the rest waits for the next one)."""


async def sweep(kernel: Kernel) -> int:
    """Expire every store's reservations past their expiry, a batch per transaction; a cheap
    read first, so an idle store takes no write lock. Returns how many were expired."""
    expired = 0
    for _ in range(MAX_BATCHES):
        now = kernel.clock.now()
        async with kernel.uow(writes=False) as uow:
            if not await settlement.any_due(uow, now=now):
                break
        async with kernel.uow() as uow:
            ended = await settlement.expire_due(uow, now=now, limit=BATCH)
            await uow.commit()
        expired += ended
        if ended < BATCH:
            break
    return expired
