"""An order's fulfilment plan (see `planning`), and gathering its held stock where the plan
ships from.

A location can send what it holds for the order and what it has available besides: checkout
drew the order's stock from the locations by priority, not by where the shopper is, so the
plan may ship from a nearer location, or from one location instead of two. `gather` then
moves the order's holds to the planned locations (inventory's `move_hold`: the new location
takes the units first, the old one gives them back), so each shipment's units leave the
ledger of the location they are picked at. A location that sold the units meanwhile keeps
the order's hold where it was (the plan is recomputed the next time).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import structlog

from mercato.agents.inventory import service as inventory
from mercato.agents.orders import service as orders
from mercato.agents.shipping import making, origins
from mercato.agents.shipping.planning import PlannedShipment, Site, plan
from mercato.kernel.db import UnitOfWork

log = structlog.get_logger(__name__)


async def plan_for_order(
    uow: UnitOfWork, *, order_id: str
) -> tuple[list[PlannedShipment], dict[str, int]]:
    """The shipments that would send what no shipment holds yet, and what no location can
    send (line id → units)."""
    order = await orders.fulfilment_of(uow, order_id=order_id)
    if order is None:
        raise orders.OrderNotFound(f"no order {order_id!r}")
    left = making.units_left(order, await making.taken_units(uow, order.id))
    wanted = [(line.id, line.variant_id, left[line.id]) for line in order.lines if line.id in left]
    held = await making.held_for(uow, order.id)
    spare = await inventory.available_at(uow, sorted({variant for _, variant, _ in wanted}))
    destination = origins.address_of(order.shipping_address)
    ships_from = await origins.origins(uow)
    locations = await inventory.list_locations(uow, active=True)
    sites = []
    for location in locations:
        stock = dict(held.get(location.id, {}))
        for _, variant, _ in wanted:
            stock[variant] = stock.get(variant, 0) + spare.get((variant, location.id), 0)
        if any(stock.values()):
            sites.append(
                Site(
                    location_id=location.id,
                    nearness=origins.nearness(ships_from.get(location.id), destination)
                    if destination
                    else 4,
                    priority=location.priority,
                    stock=stock,
                )
            )
    return plan(wanted, sites)


async def gather(uow: UnitOfWork, *, order_id: str, now: datetime) -> int:
    """Move the order's holds to the locations its plan ships from: the units moved."""
    order = await orders.fulfilment_of(uow, order_id=order_id)
    if order is None or order.status != "confirmed":
        return 0
    planned, _ = await plan_for_order(uow, order_id=order_id)
    variant_of = {line.id: line.variant_id for line in order.lines}
    wanted: dict[str, dict[str, int]] = defaultdict(dict)  # location → variant → units
    for shipment in planned:
        for line_id, units in shipment.lines.items():
            at = wanted[shipment.location_id]
            at[variant_of[line_id]] = at.get(variant_of[line_id], 0) + units
    held = await making.held_for(uow, order_id)
    moved = 0
    for location, variants in sorted(wanted.items()):
        for variant, units in sorted(variants.items()):
            short = units - held.get(location, {}).get(variant, 0)
            for source in sorted(held):
                if short <= 0:
                    break
                if source == location:
                    continue
                surplus = held[source].get(variant, 0) - wanted.get(source, {}).get(variant, 0)
                take = min(short, max(surplus, 0))
                if take <= 0:
                    continue
                try:
                    await inventory.move_hold(
                        uow,
                        reference=order_id,
                        variant_id=variant,
                        from_location=source,
                        to_location=location,
                        quantity=take,
                        now=now,
                    )
                except inventory.InsufficientStock:
                    log.info("shipping.gather_short", order=order_id, variant=variant)
                    return moved
                held[source][variant] -= take
                held.setdefault(location, {})[variant] = (
                    held.get(location, {}).get(variant, 0) + take
                )
                short -= take
                moved += take
    return moved
