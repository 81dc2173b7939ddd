"""The index follows the catalog: each product event has its product's document rebuilt from
the catalog's current facts (so a redelivery or a late event changes nothing), once per run of
events handed over together."""

from __future__ import annotations

from mercato.agents.catalog.events import (
    ProductArchived,
    ProductAvailabilityChanged,
    ProductCreated,
    ProductUpdated,
    VariantPriceChanged,
)
from mercato.agents.orders.events import OrderConfirmed, OrderPlaced
from mercato.agents.search import baskets, indexer
from mercato.agents.search.metrics import index_lag
from mercato.kernel.bus.subscriptions import HandlerContext, on
from mercato.kernel.db import UnitOfWork

ProductEvent = (
    ProductCreated | ProductUpdated | ProductArchived | ProductAvailabilityChanged
    | VariantPriceChanged
)  # fmt: skip


@on(
    ProductCreated, ProductUpdated, ProductArchived, ProductAvailabilityChanged, VariantPriceChanged
)
async def index_product(event: ProductEvent, ctx: HandlerContext) -> None:
    """Re-index the event's product."""
    waited = ctx.uow.clock.now() - ctx.envelope.occurred_at
    index_lag.observe(max(0.0, waited.total_seconds()))
    ctx.gather("search_index", event.product_id, _index)


async def _index(uow: UnitOfWork, product_ids: list[str]) -> None:
    await indexer.index_products(uow, product_ids, now=uow.clock.now())


@on(OrderPlaced)
async def hold_basket(event: OrderPlaced, ctx: HandlerContext) -> None:
    """Keep the order's products until it is confirmed."""
    await baskets.hold(
        ctx.uow,
        order_id=event.order_id,
        variant_ids=[line.variant_id for line in event.lines],
        at=ctx.uow.clock.now(),
    )


@on(OrderConfirmed)
async def count_basket(event: OrderConfirmed, ctx: HandlerContext) -> None:
    """The confirmed order's products: more popular, and bought together."""
    await baskets.count(ctx.uow, order_id=event.order_id)
