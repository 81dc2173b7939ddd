"""A replacement order: an exchange's units sent at no charge (the returns agent asks for it
when a return is settled by exchange). It is an order like any other, so it is planned,
picked, shipped and tracked as one: its lines carry the original prices, wholly discounted,
nothing is owed, and its stock is held and allocated at once. Idempotent by its reference
(the return): asking again answers the same order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from mercato.agents.catalog import service as catalog
from mercato.agents.inventory import service as inventory
from mercato.agents.orders import lifecycle, records
from mercato.agents.orders.models import Order, OrderLine
from mercato.agents.orders.numbering import next_number
from mercato.agents.orders.placing import announce_placed
from mercato.agents.orders.problems import InvalidOrderRequest, OrderNotFound
from mercato.agents.orders.statuses import OrderPaymentStatus, OrderStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.money import round_money

ZERO = Decimal(0)


async def place_replacement(
    uow: UnitOfWork,
    *,
    original_order_id: str,
    items: Sequence[tuple[str, int]],
    reference: str,
    now: datetime,
) -> str:
    """The replacement order's id for `items` (variant id, units) to the original order's
    shopper and address. 409 `insufficient_stock` when the units cannot be held (nothing
    is written); 422 for a variant the store does not sell."""
    checkout_id = f"replacement:{reference}"
    found = await uow.session.scalar(select(Order.id).where(Order.checkout_id == checkout_id))
    if found is not None:
        return str(found)
    original = await records.find(uow, original_order_id)
    if original is None:
        raise OrderNotFound(f"no order {original_order_id!r}")
    variants = await catalog.sellable_variants(uow, [variant_id for variant_id, _ in items])
    for variant_id, _ in items:
        if variant_id not in variants or not variants[variant_id].sellable:
            raise InvalidOrderRequest(f"variant {variant_id} cannot be sent as a replacement")
    order_id, currency = new_id(), original.currency
    lines = [
        OrderLine(
            id=new_id(),
            order_id=order_id,
            variant_id=variant_id,
            product_id=variants[variant_id].product_id,
            merchant_id=variants[variant_id].merchant_id,
            sku=variants[variant_id].sku,
            name=variants[variant_id].name,
            quantity=units,
            unit_price=round_money(variants[variant_id].price, currency),
            line_total=round_money(variants[variant_id].price * units, currency),
            requires_shipping=variants[variant_id].requires_shipping,
            position=position,
            shipped_quantity=0,
            delivered_quantity=0,
            returned_quantity=0,
        )
        for position, (variant_id, units) in enumerate(items)
    ]
    subtotal = sum((line.line_total for line in lines), ZERO)
    order = Order(
        id=order_id,
        number=await next_number(uow, placed_at=now),
        status=OrderStatus.PENDING,
        payment_status=OrderPaymentStatus.PAID,
        review=None,
        customer_id=original.customer_id,
        session_id=original.session_id,
        email=original.email,
        currency=currency,
        subtotal=subtotal,
        discount=subtotal,
        tax=ZERO,
        shipping=ZERO,
        total=ZERO,
        discount_code=None,
        tax_country=original.tax_country,
        tax_region=original.tax_region,
        shipping_address=original.shipping_address,
        billing_address=original.billing_address,
        checkout_id=checkout_id,
        shipping_carrier=original.shipping_carrier,
        shipping_service=original.shipping_service,
        placed_at=now,
        version=1,
        created_at=now,
        updated_at=now,
    )
    if not lines:
        raise InvalidOrderRequest("a replacement needs at least one unit")
    uow.session.add(order)
    await uow.session.flush()
    uow.session.add_all(lines)
    await uow.session.flush()
    records.record(
        uow,
        order,
        "placed",
        now=now,
        actor="returns",
        replaces=original.number,
        reference=reference,
    )
    announce_placed(uow, order, lines, channel="exchange")
    await inventory.reserve(
        uow, reference=order_id, lines=[(line.variant_id, line.quantity) for line in lines], now=now
    )
    await lifecycle.confirm_order(uow, order, now=now, actor="returns", lines=lines)
    return order_id
