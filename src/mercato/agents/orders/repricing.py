"""Re-pricing a modified order the way the cart prices a cart: the order's own unit prices,
the store's tax rate for where it is taxed, its flat shipping and free-shipping threshold,
and the order's discount code (its terms as the store has them now; the amount the order
got if the code is gone). Read-only.

It prices with the cart's own `price`, the store's settings and its tax rate, all through
the cart's service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from mercato.agents.cart import service as cart_service
from mercato.agents.orders.models import Order
from mercato.kernel.db import UnitOfWork

ZERO = Decimal(0)


@dataclass(frozen=True)
class QuotedLine:
    unit_price: Decimal
    quantity: int
    requires_shipping: bool


async def quote(
    uow: UnitOfWork,
    order: Order,
    lines: Sequence[QuotedLine],
    *,
    country: str | None,
    region: str | None,
) -> cart_service.Totals:
    """The totals of `order` with `lines`, taxed at `country`/`region` (the store's default
    place when None)."""
    terms = await cart_service.store_terms(uow)
    settings, rate = terms.settings, terms.rate(*terms.place(country, region))
    store_pricing = settings.pricing
    if settings.currency != order.currency:
        # the store's shipping terms are amounts of another currency now: keep the order's
        store_pricing = replace(
            store_pricing, flat_shipping=order.shipping, free_shipping_over=None
        )
    priced = [
        cart_service.PricedLine(
            unit_price=line.unit_price,
            quantity=line.quantity,
            requires_shipping=line.requires_shipping,
            is_free=line.unit_price == ZERO,
        )
        for line in lines
    ]
    return cart_service.price(
        priced,
        currency=order.currency,
        store=store_pricing,
        tax_rate_percent=rate,
        discount=await _discount(uow, order),
    )


async def _discount(uow: UnitOfWork, order: Order) -> cart_service.Discount | None:
    if not order.discount_code:
        return None
    code = await cart_service.find_code(uow, order.discount_code)
    if code is None:
        # the code is gone: the order keeps the amount it got (at most the new subtotal)
        fixed = cart_service.DiscountKind.FIXED
        return cart_service.Discount(fixed, order.discount) if order.discount else None
    return cart_service.Discount(code.kind, code.value, code.min_subtotal)
