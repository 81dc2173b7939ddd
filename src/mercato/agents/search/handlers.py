"""The index follows the catalog: each product event has its product's document rebuilt from
the catalog's current facts (so a redelivery or a late event changes nothing), once per run of
events handed over together."""

from __future__ import annotations

from mercato.agents.cart.events import CartCreated, CartItemChanged, CartMerged
from mercato.agents.catalog.events import (
    ProductArchived,
    ProductAvailabilityChanged,
    ProductCreated,
    ProductUpdated,
    VariantPriceChanged,
)
from mercato.agents.orders.events import OrderConfirmed, OrderPlaced
from mercato.agents.reviews.events import ProductRatingChanged
from mercato.agents.search import baskets, indexer, interests, ratings
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


@on(ProductRatingChanged)
async def rate_product(event: ProductRatingChanged, ctx: HandlerContext) -> None:
    """Copy the product's rating, as the reviews agent has it now (not the event's figures: a
    redelivered or reordered event writes the current aggregate), onto its document."""
    ctx.gather("search_ratings", event.product_id, _rate)


async def _rate(uow: UnitOfWork, product_ids: list[str]) -> None:
    await ratings.refresh(uow, product_ids)


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


@on(OrderPlaced)
async def note_purchase(event: OrderPlaced, ctx: HandlerContext) -> None:
    """A customer's order: interest in each of its products."""
    if event.customer_id is not None:
        await interests.purchase(
            ctx.uow,
            customer_id=event.customer_id,
            variant_ids=[line.variant_id for line in event.lines],
            at=ctx.uow.clock.now(),
        )


@on(CartCreated)
async def note_cart(event: CartCreated, ctx: HandlerContext) -> None:
    """Whose the cart is (its later events name the cart only)."""
    if event.user_id is not None:
        shopper = interests.user(event.user_id)
    elif event.session_id is not None:
        shopper = interests.guest(event.session_id)
    else:
        return
    await interests.own_cart(ctx.uow, cart_id=event.cart_id, shopper=shopper)


@on(CartItemChanged)
async def note_cart_add(event: CartItemChanged, ctx: HandlerContext) -> None:
    """A product put in a cart (or more of it): interest."""
    if event.quantity > event.previous_quantity:
        await interests.cart_add(
            ctx.uow, cart_id=event.cart_id, variant_id=event.variant_id, at=ctx.uow.clock.now()
        )


@on(CartMerged)
async def note_sign_in(event: CartMerged, ctx: HandlerContext) -> None:
    """A guest signed in: what it showed interest in is its user's."""
    await interests.merge(
        ctx.uow, guest_cart_id=event.cart_id, user_id=event.user_id, at=ctx.uow.clock.now()
    )
