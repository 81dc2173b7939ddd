"""Placing an order: a pending order (payment pending) from a validated cart view, numbered
per store and year, with its lines copied from the cart (the merchant as the catalog
told the cart)."""

from __future__ import annotations

import functools
from datetime import datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from mercato.agents.cart import service as cart_service
from mercato.agents.orders import events, records
from mercato.agents.orders.addresses import Address
from mercato.agents.orders.models import Order, OrderLine
from mercato.agents.orders.numbering import next_number
from mercato.agents.orders.problems import InvalidOrderRequest
from mercato.agents.orders.statuses import OrderPaymentStatus, OrderStatus
from mercato.agents.orders.views import OrderInfo, money
from mercato.kernel import rules
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.money import round_money
from mercato.kernel.prepared import EntityInsert


async def place(
    uow: UnitOfWork,
    *,
    order_id: str,
    checkout_id: str,
    cart: cart_service.CartView,
    customer_id: str | None,
    session_id: str | None,
    email: str,
    shipping_address: Address | None,
    billing_address: Address | None,
    placed_at: datetime,
    fresh: bool = False,
    channel: str = "web",
    credit_applied: Decimal = Decimal(0),
) -> OrderInfo:
    """A pending order from a validated cart view: its lines (sku, name, variant, product,
    merchant, unit price, quantity, line total, shipping), its totals and currency as the
    cart priced them, and the next number of the year of `placed_at` (EC012). BR002 (the
    total reaches 1.00 unless free) and BR005 (a shipping address when a line ships) are
    enforced. `order.placed`. Idempotent by `order_id`: a second call returns the order.
    `fresh`: the caller made `order_id` just now (the checkout saga, whose step rolls back
    whole), so there is no earlier order to return and no savepoint to insert it in."""
    if not cart.items:
        raise InvalidOrderRequest("the cart has no items")
    await rules.enforce(
        "BR002",
        detail=f"the order total {money(cart.totals.total, cart.currency)} is below 1.00",
        total=cart.totals.total,
        all_free=cart.totals.all_free,
    )
    await rules.enforce(
        "BR005",
        detail="the order has items to ship and no shipping address",
        requires_shipping=any(item.requires_shipping for item in cart.items),
        has_shipping_address=shipping_address is not None,
    )
    if not cart.valid:
        codes = ", ".join(sorted({p.code for p in cart.problems}))
        raise InvalidOrderRequest(f"the cart cannot be ordered as it is: {codes}")
    insert = functools.partial(
        _insert,
        uow,
        order_id=order_id,
        checkout_id=checkout_id,
        cart=cart,
        customer_id=customer_id,
        session_id=session_id,
        email=email,
        shipping_address=shipping_address,
        billing_address=billing_address,
        placed_at=placed_at,
        credit_applied=credit_applied,
    )
    if fresh:
        order, lines = await insert()
        announce_placed(uow, order, lines, channel)
        return OrderInfo.of(order, lines)
    try:
        async with uow.session.begin_nested():
            order, lines = await insert()
    except IntegrityError:  # placed already (a retry, a concurrent call): that order
        found = await records.find(uow, order_id)
        if found is None:
            raise
        return OrderInfo.of(found, await records.lines_of(uow, order_id))
    announce_placed(uow, order, lines, channel)
    return OrderInfo.of(order, lines)


async def _insert(
    uow: UnitOfWork,
    *,
    order_id: str,
    checkout_id: str,
    cart: cart_service.CartView,
    customer_id: str | None,
    session_id: str | None,
    email: str,
    shipping_address: Address | None,
    billing_address: Address | None,
    placed_at: datetime,
    credit_applied: Decimal = Decimal(0),
) -> tuple[Order, list[OrderLine]]:
    currency, totals = cart.currency, cart.totals
    order = Order(
        id=order_id,
        number=await next_number(uow, placed_at=placed_at),
        status=OrderStatus.PENDING,
        payment_status=OrderPaymentStatus.PENDING,
        review=None,
        customer_id=customer_id,
        session_id=session_id,
        email=email,
        currency=currency,
        subtotal=round_money(totals.subtotal, currency),
        discount=round_money(totals.discount_total, currency),
        tax=round_money(totals.tax_total, currency),
        shipping=round_money(totals.shipping_total, currency),
        total=round_money(totals.total, currency),
        credit_applied=round_money(credit_applied, currency),
        discount_code=cart.discount_code,
        tax_country=cart.country,
        tax_region=cart.region,
        shipping_address=shipping_address.to_data() if shipping_address else None,
        billing_address=billing_address.to_data() if billing_address else None,
        checkout_id=checkout_id,
        shipping_carrier=cart.shipping_option["carrier"] if cart.shipping_option else None,
        shipping_service=cart.shipping_option["service"] if cart.shipping_option else None,
        placed_at=placed_at,
        version=1,
        created_at=placed_at,
        updated_at=placed_at,
    )
    await _ORDERS.add(uow, order)  # the order's row first: its lines refer to it
    lines: list[OrderLine] = []
    for position, item in enumerate(cart.items):
        lines.append(
            OrderLine(
                id=new_id(),
                order_id=order.id,
                variant_id=item.variant_id,
                product_id=item.product_id,
                merchant_id=item.merchant_id,
                sku=item.sku,
                name=item.name,
                quantity=item.quantity,
                unit_price=round_money(item.unit_price, currency),
                line_total=round_money(item.line_total, currency),
                requires_shipping=item.requires_shipping,
                position=position,
            )
        )
    await _LINES.add(uow, *lines)
    await records.TIMELINE.add(
        uow,
        records.entry(
            order, "placed", now=placed_at, actor=customer_id or "guest", number=order.number
        ),
    )
    return order, lines


# The checkout's hot path writes its rows without the ORM's flush (ADR 20).
_ORDERS, _LINES = EntityInsert(Order), EntityInsert(OrderLine)


def announce_placed(uow: UnitOfWork, order: Order, lines: list[OrderLine], channel: str) -> None:
    uow.publish(
        events.OrderPlaced(
            order_id=order.id,
            number=order.number,
            checkout_id=order.checkout_id,
            customer_id=order.customer_id,
            email=order.email,
            currency=order.currency,
            subtotal=money(order.subtotal, order.currency),
            discount=money(order.discount, order.currency),
            tax=money(order.tax, order.currency),
            shipping=money(order.shipping, order.currency),
            total=money(order.total, order.currency),
            discount_code=order.discount_code,
            placed_at=order.placed_at.isoformat(),
            channel=channel,
            lines=[
                events.OrderLineData(
                    line_id=line.id,
                    variant_id=line.variant_id,
                    sku=line.sku,
                    quantity=line.quantity,
                    unit_price=money(line.unit_price, order.currency),
                    line_total=money(line.line_total, order.currency),
                    product_id=line.product_id,
                    merchant_id=line.merchant_id,
                    name=line.name,
                )
                for line in lines
            ],
        ),
        aggregate_id=order.id,
    )
