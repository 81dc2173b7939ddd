"""What rates are asked for: a cart's units (to where its shopper says) or an order's (to
its shipping address), what they are worth, and the quotes kept for them.

The store's free-shipping threshold (the cart's `free_shipping_over`) still holds when the
shopper shops rates: from it on, the cheapest option costs nothing, and faster ones cost
what the carriers ask.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from mercato.agents.cart import service as cart
from mercato.agents.orders import service as orders
from mercato.agents.shipping import origins, rating
from mercato.agents.shipping.models import Quote
from mercato.agents.shipping.problems import InvalidShippingRequest, QuoteNotFound
from mercato.agents.shipping.providers.base import Address
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork

ZERO = Decimal(0)


@dataclass(frozen=True)
class Subject:
    items: list[tuple[str, int]]
    """(variant id, units) of the lines that ship."""
    value: Decimal
    """What the goods are worth after the discount (insurance, value-based rates)."""
    currency: str
    destination: Address
    fingerprint: str
    free_shipping_over: Decimal | None = None


async def of_cart(
    uow: UnitOfWork,
    *,
    cart_id: str,
    principal: Principal,
    now: datetime,
    country: str | None,
    region: str | None,
    postal_code: str | None,
) -> Subject:
    view = await cart.get_cart(uow, cart_id=cart_id, principal=principal, now=now)
    items = [(i.variant_id, i.quantity) for i in view.items if i.requires_shipping]
    destination = Address(
        name="",
        line1="",
        city="",
        postal_code=postal_code or "",
        country=(country or view.country).upper(),
        region=region,
    )
    terms = await cart.store_terms(uow)
    return Subject(
        items=items,
        value=view.totals.subtotal - view.totals.discount_total,
        currency=view.currency,
        destination=destination,
        fingerprint=rating.fingerprint(items, destination, view.currency),
        free_shipping_over=terms.settings.free_shipping_over
        if terms.settings.currency == view.currency
        else None,
    )


async def of_order(uow: UnitOfWork, *, order_id: str) -> Subject:
    order = await orders.fulfilment_of(uow, order_id=order_id)
    if order is None:
        raise orders.OrderNotFound(f"no order {order_id!r}")
    destination = origins.address_of(order.shipping_address)
    if destination is None:
        raise InvalidShippingRequest("the order has no shipping address")
    items = [
        (line.variant_id, line.quantity - line.shipped_quantity)
        for line in order.lines
        if line.requires_shipping and line.quantity > line.shipped_quantity
    ]
    return Subject(
        items=items,
        value=sum((line.paid_amount for line in order.lines), ZERO),
        currency=order.currency,
        destination=destination,
        fingerprint=rating.fingerprint(items, destination, order.currency),
    )


def free_over_threshold(options: Sequence[rating.Option], subject: Subject) -> list[rating.Option]:
    """From the store's free-shipping threshold on, the cheapest option is free."""
    threshold = subject.free_shipping_over
    if threshold is None or subject.value < threshold or not options:
        return list(options)
    cheapest = options[0]
    return rating.tag([replace(cheapest, amount=ZERO), *options[1:]])  # free: tagged anew


async def find_quote(
    uow: UnitOfWork, *, rate_id: str, cart_id: str, principal: Principal, now: datetime
) -> rating.Option:
    """A cart's quote still open, for the units the cart holds now; 404
    `shipping_rate_not_found` otherwise (another cart's, expired, or the cart changed)."""
    quote = await uow.session.scalar(
        select(Quote).where(Quote.id == rate_id, Quote.cart_id == cart_id)
    )
    if quote is None or quote.expires_at <= now:
        raise QuoteNotFound(f"no open shipping rate {rate_id!r} for this cart: ask for rates again")
    view = await cart.get_cart(uow, cart_id=cart_id, principal=principal, now=now)
    items = [(i.variant_id, i.quantity) for i in view.items if i.requires_shipping]
    if not quote.fingerprint.startswith(rating.units_print(items, view.currency)):
        raise QuoteNotFound(f"the cart changed since rate {rate_id!r} was quoted: ask again")
    return rating.Option(
        id=quote.id,
        carrier=quote.carrier,
        carrier_name=quote.carrier_name,
        service=quote.service,
        service_name=quote.service_name,
        amount=quote.amount,
        currency=quote.currency,
        days_min=quote.days_min,
        days_max=quote.days_max,
        source=quote.source,
        carrier_ref=quote.carrier_ref,
        shipment_ref=quote.shipment_ref,
    )


def choice_of(option: rating.Option) -> dict[str, Any]:
    """What the cart keeps of a chosen option."""
    return {
        "quote_id": option.id,
        "carrier": option.carrier,
        "service": option.service,
        "service_name": option.service_name,
        "amount": format(option.amount, "f"),
        "currency": option.currency,
        "days_min": option.days_min,
        "days_max": option.days_max,
    }
