"""The cache follows changes to the data its entries were computed from: each event
invalidates the changed product's entries and the store-wide entries of the kinds the
change affects (what `deps.product_changed` names), with the event's type and id as the
reason.

An invalidation is idempotent, so a redelivered event only removes what was recomputed
since; a kernel with no cache wired (`AnalysisCache` not provided) has nothing to remove.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from mercato.agents.catalog import service as catalog
from mercato.agents.catalog.events import (
    ProductArchived,
    ProductCreated,
    ProductUpdated,
    VariantPriceChanged,
)
from mercato.agents.intelligence.cache import deps
from mercato.agents.intelligence.cache.analysis_cache import AnalysisCache
from mercato.agents.intelligence.cache.config import ANALYSIS_KINDS
from mercato.agents.intelligence.demand import tracking as demand_tracking
from mercato.agents.intelligence.demand.events import OverstockRisk, StockoutRisk
from mercato.agents.intelligence.pricing.events import (
    CompetitorPriceChanged,
    PriceSuggestionAccepted,
)
from mercato.agents.intelligence.registry.events import ModelPromoted
from mercato.agents.intelligence.sentiment import tracking as sentiment_tracking
from mercato.agents.orders import service as orders
from mercato.agents.orders.events import OrderCancelled, OrderModified, OrderPlaced
from mercato.agents.reviews.events import ProductRatingChanged, ReviewPublished, ReviewWithdrawn
from mercato.kernel.auth import Principal
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on
from mercato.kernel.errors import NotFound

PRICE_KINDS = ("pricing", "competitors")
PRICE_FIELDS = frozenset({"price", "compare_at_price", "variants"})
"""A variant added, archived or repriced can move the product's listed price."""
STORE_FIELDS = frozenset({"status", "category_id"})
"""A product's fields whose change moves it within the store's figures (in or out of a
category, sellable or not): every kind's store-wide entries are invalidated."""
KINDS_OF_TASK = {demand_tracking.TASK: "forecasts", sentiment_tracking.TASK: "reviews"}
"""The registry's tasks whose promoted model changes every entry of a kind."""


async def _invalidate(
    ctx: HandlerContext, cache: AnalysisCache, products: Iterable[str], kinds: Sequence[str]
) -> None:
    changed = [deps.product(p) for p in products] + [deps.store(kind) for kind in kinds]
    reason = f"{ctx.envelope.type} {ctx.envelope.id}"
    await cache.invalidate_all(changed, reason=reason, store=ctx.envelope.tenant_id)


@on(VariantPriceChanged, PriceSuggestionAccepted, CompetitorPriceChanged)
async def forget_prices(
    event: VariantPriceChanged | PriceSuggestionAccepted | CompetitorPriceChanged,
    ctx: HandlerContext,
) -> None:
    if cache := ctx.uow.wired(AnalysisCache):
        await _invalidate(ctx, cache, [event.product_id], PRICE_KINDS)


@on(ProductUpdated)
async def forget_product(event: ProductUpdated, ctx: HandlerContext) -> None:
    fields = set(event.fields)
    kinds = (
        ANALYSIS_KINDS if fields & STORE_FIELDS else PRICE_KINDS if fields & PRICE_FIELDS else ()
    )
    if cache := ctx.uow.wired(AnalysisCache):
        await _invalidate(ctx, cache, [event.product_id], kinds)


@on(ProductCreated, ProductArchived)
async def forget_store_products(
    event: ProductCreated | ProductArchived, ctx: HandlerContext
) -> None:
    if cache := ctx.uow.wired(AnalysisCache):
        await _invalidate(ctx, cache, [event.product_id], ANALYSIS_KINDS)


@on(ReviewPublished, ReviewWithdrawn, ProductRatingChanged)
async def forget_reviews(
    event: ReviewPublished | ReviewWithdrawn | ProductRatingChanged, ctx: HandlerContext
) -> None:
    if cache := ctx.uow.wired(AnalysisCache):
        await _invalidate(ctx, cache, [event.product_id], ("reviews",))


@on(OrderPlaced)
async def forget_sold(event: OrderPlaced, ctx: HandlerContext) -> None:
    if cache := ctx.uow.wired(AnalysisCache):
        lines = [(line.variant_id, line.product_id) for line in event.lines]
        await _invalidate(ctx, cache, await _products(ctx, lines), ("sales",))


@on(OrderCancelled, OrderModified)
async def forget_order_changed(event: OrderCancelled | OrderModified, ctx: HandlerContext) -> None:
    """The order's lines as the orders agent has them (an order it no longer has: the
    store-wide sales only)."""
    if not (cache := ctx.uow.wired(AnalysisCache)):
        return
    reader = Principal(
        id="intelligence",
        tenant_id=ctx.envelope.tenant_id,
        kind="system",
        roles=frozenset({"system"}),
    )
    try:
        order = await orders.get_order(ctx.uow, order_id=event.order_id, principal=reader)
        lines = [(line.variant_id, line.product_id) for line in order.lines]
    except NotFound:
        lines = []
    await _invalidate(ctx, cache, await _products(ctx, lines), ("sales",))


@on(StockoutRisk, OverstockRisk)
async def forget_forecast(event: StockoutRisk | OverstockRisk, ctx: HandlerContext) -> None:
    if cache := ctx.uow.wired(AnalysisCache):
        await _invalidate(ctx, cache, [event.product_id], ("forecasts",))


@on(ModelPromoted)
async def forget_model_kind(event: ModelPromoted, ctx: HandlerContext) -> None:
    """A newly promoted (or rolled back) model changes every entry of its kind."""
    kind = KINDS_OF_TASK.get(event.task)
    if kind is not None and (cache := ctx.uow.wired(AnalysisCache)):
        reason = f"{ctx.envelope.type} {ctx.envelope.id}"
        await cache.invalidate(deps.of_kind(kind), reason=reason, store=ctx.envelope.tenant_id)


async def _products(ctx: HandlerContext, lines: Sequence[tuple[str, str]]) -> list[str]:
    """The lines' product ids (variant id, product id), looked up in the catalogue for
    lines of events written before lines carried them."""
    missing = [variant for variant, product in lines if not product]
    found = await catalog.sellable_variants(ctx.uow, missing) if missing else {}
    products = [product or (found[v].product_id if v in found else "") for v, product in lines]
    return [p for p in products if p]


HANDLERS: list[Handler] = [
    forget_prices,
    forget_product,
    forget_store_products,
    forget_reviews,
    forget_sold,
    forget_order_changed,
    forget_forecast,
    forget_model_kind,
]
