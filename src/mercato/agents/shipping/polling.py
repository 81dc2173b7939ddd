"""The tracking poll: every `shipping_poll_interval` seconds, shipments on their way with a
carrier that has an API are asked about (a carrier whose webhooks are lost or not set up
still tracks). Each shipment is asked outside any transaction and its events applied in
its own store's unit of work."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete

from mercato.agents.shipping import moves, tracking
from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.models import Quote
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


QUOTES_KEPT = timedelta(hours=1)
"""Expired quotes are kept an hour (a shopper's late click still finds it, and is told it
expired), then swept."""


async def sweep_quotes(kernel: Kernel) -> int:
    """Delete the quotes that expired more than an hour ago, across stores: the number."""
    cutoff = kernel.clock.now() - QUOTES_KEPT
    async with kernel.uow() as uow:
        gone = await uow.session.execute(
            delete(Quote)
            .where(Quote.expires_at < cutoff)
            .execution_options(all_tenants=True, synchronize_session=False)
        )
        await uow.commit()
    return int(getattr(gone, "rowcount", 0) or 0)
