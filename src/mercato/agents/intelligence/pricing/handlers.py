"""The pricing part's reactions to the catalog's events: the store's own price history (a
new product, a changed price), and the product's suggestions made again against its new
price. Both re-read the catalog, so a redelivered or late event changes nothing."""

from __future__ import annotations

from mercato.agents.catalog.events import ProductCreated, ProductUpdated, VariantPriceChanged
from mercato.agents.intelligence.pricing import suggesting
from mercato.agents.intelligence.pricing.observing import record_store_price
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on
from mercato.kernel.db import UnitOfWork


@on(ProductCreated)
async def record_first_price(event: ProductCreated, ctx: HandlerContext) -> None:
    """A new product's history starts (it has no competitors' prices yet to suggest from)."""
    ctx.gather("pricing_first_price", event.product_id, _record)


@on(VariantPriceChanged)
async def follow_store_price(event: VariantPriceChanged, ctx: HandlerContext) -> None:
    ctx.gather("pricing_store_price", event.product_id, _follow)


@on(ProductUpdated)
async def follow_listed_price(event: ProductUpdated, ctx: HandlerContext) -> None:
    """The listed price also moves when a variant is added or archived."""
    if "price" in event.fields:
        ctx.gather("pricing_store_price", event.product_id, _follow)


async def _record(uow: UnitOfWork, product_ids: list[str]) -> None:
    now = uow.clock.now()
    for product_id in product_ids:
        await record_store_price(uow, product_id=product_id, now=now)


async def _follow(uow: UnitOfWork, product_ids: list[str]) -> None:
    now = uow.clock.now()
    for product_id in product_ids:
        await record_store_price(uow, product_id=product_id, now=now)
        await suggesting.refresh(uow, product_id=product_id, now=now)


HANDLERS: list[Handler] = [record_first_price, follow_store_price, follow_listed_price]
