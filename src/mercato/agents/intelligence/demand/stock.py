"""What the store has to meet demand with, asked of its owners: units available to sell
(the inventory agent's `available`, over its active locations) and units on open purchase
orders not yet received (the warehouse agent's purchase orders, which keep no expected
date: they count as arriving within the horizon). Inventory's transfers move stock between
locations at once, so they add nothing to a product's total."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from mercato.agents.catalog import service as catalog
from mercato.agents.intelligence.demand.supply import Supply
from mercato.agents.inventory import service as inventory
from mercato.agents.warehouse import service as warehouse
from mercato.kernel import context
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound

OPEN_ORDERS = ("open", "partially_received")
"""Purchase order statuses with units still to come (the warehouse agent's)."""
PAGE = 200


async def inbound(uow: UnitOfWork) -> dict[str, int]:
    """Variant id → units ordered and not yet received, over the open purchase orders."""
    found: dict[str, int] = defaultdict(int)
    after = None
    while True:
        views = await warehouse.list_purchase_orders(uow, after=after, limit=PAGE)
        for view in views:
            if str(view.order.status) not in OPEN_ORDERS:
                continue
            for line in view.lines:
                found[line.variant_id] += max(0, line.quantity_ordered - line.quantity_received)
        if len(views) < PAGE:
            break
        after = (views[-1].order.created_at, views[-1].order.id)
    return dict(found)


async def supplies(
    uow: UnitOfWork, variants: Mapping[str, Sequence[str]], arriving: dict[str, int] | None = None
) -> dict[str, Supply]:
    """Product id → its supply, from its variants' (`variants`: product id → variant ids)."""
    every = [v for ids in variants.values() for v in ids]
    available = await inventory.available(uow, every)
    arriving = await inbound(uow) if arriving is None else arriving
    return {
        product_id: Supply(
            on_hand=sum(max(0, available.get(v, 0)) for v in ids),
            inbound=sum(arriving.get(v, 0) for v in ids),
        )
        for product_id, ids in variants.items()
    }


async def catalog_variants(uow: UnitOfWork, product_ids: Sequence[str]) -> dict[str, list[str]]:
    """Product id → its variants' ids, as the catalog has them (products it no longer has
    are left out): stock of a variant that never sold is still the product's supply."""
    reader = Principal(
        id="intelligence",
        tenant_id=context.current_tenant() or "",
        kind="system",
        roles=frozenset({"system"}),
    )
    found: dict[str, list[str]] = {}
    for product_id in product_ids:
        try:
            product = await catalog.product_for(uow, product_id, principal=reader)
        except NotFound:
            continue
        variants, _ = await catalog.product_parts(uow, product)
        found[product.id] = [v.id for v in variants]
    return found
