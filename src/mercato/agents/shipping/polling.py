"""The tracking poll: every `shipping_poll_interval` seconds, shipments on their way with a
carrier that has an API are asked about (a carrier whose webhooks are lost or not set up
still tracks). Each shipment is asked outside any transaction and its events applied in
its own store's unit of work."""

from __future__ import annotations

from mercato.agents.shipping import moves, tracking
from mercato.agents.shipping.deps import ShippingDeps
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.context import bind

POLLABLE = ("easypost",)
"""Carriers that keep tracking state to ask for (the local courier's events come by webhook
or from staff)."""


async def poll_tracking(kernel: Kernel) -> int:
    """One round: the events applied (new ones)."""
    deps = kernel.deps(ShippingDeps)
    carriers = [code for code in POLLABLE if code in deps.carriers]
    if not carriers:
        return 0
    now = kernel.clock.now()
    async with kernel.uow(writes=False) as uow:
        due = await tracking.due_for_poll(
            uow, carriers=carriers, now=now, every=kernel.settings.shipping_poll_interval
        )
    applied = 0
    for shipment in due:
        updates = await tracking.poll_one(deps, shipment)
        with bind(tenant_id=shipment.tenant_id):
            async with kernel.uow() as uow:
                current = await moves.lock(uow, shipment.id)
                current.polled_at = kernel.clock.now()
                for update in updates:
                    outcome = await tracking.apply(
                        uow, current, update, source="poll", now=kernel.clock.now()
                    )
                    applied += outcome.recorded
                await uow.commit()
    return applied
