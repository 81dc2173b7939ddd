"""An order's fulfilment plan, from where its stock is held (see `planning`)."""

from __future__ import annotations

from mercato.agents.inventory import service as inventory
from mercato.agents.orders import service as orders
from mercato.agents.shipping import making, origins
from mercato.agents.shipping.planning import PlannedShipment, Site, plan
from mercato.kernel.db import UnitOfWork

HOLDING = {"active", "allocated"}


async def plan_for_order(
    uow: UnitOfWork, *, order_id: str
) -> tuple[list[PlannedShipment], dict[str, int]]:
    """The shipments that would send what no shipment holds yet, and what no location
    holds (line id → units)."""
    order = await orders.fulfilment_of(uow, order_id=order_id)
    if order is None:
        raise orders.OrderNotFound(f"no order {order_id!r}")
    left = making.units_left(order, await making.taken_units(uow, order.id))
    wanted = [(line.id, line.variant_id, left[line.id]) for line in order.lines if line.id in left]
    held: dict[str, dict[str, int]] = {}
    for hold in await inventory.reservations_of(uow, reference=order.id, limit=None):
        if hold.status in HOLDING:
            stock = held.setdefault(hold.location_id, {})
            stock[hold.variant_id] = stock.get(hold.variant_id, 0) + hold.quantity
    destination = origins.address_of(order.shipping_address)
    ships_from = await origins.origins(uow)
    priorities = {
        location.id: location.priority for location in await inventory.list_locations(uow)
    }
    sites = [
        Site(
            location_id=location_id,
            nearness=origins.nearness(ships_from.get(location_id), destination)
            if destination
            else 4,
            priority=priorities.get(location_id, 100),
            stock=stock,
        )
        for location_id, stock in sorted(held.items())
    ]
    return plan(wanted, sites)
