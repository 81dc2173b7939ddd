"""An exchange: the units received back are replaced by a new order at no charge, of the
same variant or the one the shopper asked for (another size, another colour of the same
product at the same price). What was paid for the returned units pays for the replacement."""

from __future__ import annotations

from datetime import datetime

from mercato.agents.catalog import service as catalog
from mercato.agents.orders import service as orders
from mercato.agents.returns import handling
from mercato.agents.returns.events import ExchangeOrdered
from mercato.agents.returns.models import Return
from mercato.agents.returns.problems import InvalidReturn
from mercato.agents.returns.views import event_fields
from mercato.kernel.db import UnitOfWork


async def check_swap(uow: UnitOfWork, variant_id: str, wanted: str | None) -> None:
    """An exchange's variant is of the same product and price as the one returned."""
    if wanted is None or wanted == variant_id:
        return
    found = await catalog.sellable_variants(uow, [variant_id, wanted])
    old, new = found.get(variant_id), found.get(wanted)
    if new is None or not new.sellable:
        raise InvalidReturn(f"variant {wanted} is not for sale: it cannot be sent in exchange")
    if old is None or old.product_id != new.product_id or old.price != new.price:
        raise InvalidReturn(
            "an exchange is for another variant of the same product at the same price; "
            "return the item for a refund and order the other one instead"
        )


async def replace(uow: UnitOfWork, row: Return, *, now: datetime) -> str | None:
    """The replacement order's id (made once: a retried step finds it)."""
    items = [
        (line.exchange_variant_id or line.variant_id, line.received_quantity)
        for line in await handling.lines_of(uow, row.id)
        if line.received_quantity
    ]
    if not items:  # the parcel came back empty: nothing to replace, nothing owed
        return None
    order_id = await orders.place_replacement(
        uow, original_order_id=row.order_id, items=items, reference=row.id, now=now
    )
    uow.publish(
        ExchangeOrdered(**event_fields(row), replacement_order_id=order_id), aggregate_id=row.id
    )
    return order_id
