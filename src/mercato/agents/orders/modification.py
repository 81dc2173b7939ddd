"""Modifying an order before fulfilment: its shipping address and its lines' quantities.

The order is re-priced (its own unit prices, the store's tax and shipping rules: see
`repricing`), its reservation follows the new quantities (released and reserved again under
the order id, allocated again if the order was confirmed: 409 `insufficient_stock` and
nothing changes when stock is short), and its payment follows a new total
(`payments.follow_order_total`: a higher total is authorized anew, a lower one captured as
such; a declined card refuses the modification and nothing changes). Store credit spent at
checkout stays spent: the payment follows the new total less that credit, and a total that
would fall below the credit, or rise on an order the credit paid in full (it has no payment
to grow), is refused. `order.modified` has both totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from mercato.agents.inventory import service as inventory
from mercato.agents.orders import events, records
from mercato.agents.orders.addresses import Address
from mercato.agents.orders.models import Order, OrderLine
from mercato.agents.orders.problems import (
    InvalidModification,
    OrderLineNotFound,
    OrderNotModifiable,
    OrderVersionConflict,
)
from mercato.agents.orders.repricing import QuotedLine, quote
from mercato.agents.orders.statuses import CANCELLABLE, OrderStatus
from mercato.agents.orders.views import money
from mercato.agents.payments import service as payments
from mercato.kernel import rules
from mercato.kernel.db import UnitOfWork
from mercato.kernel.money import round_money

MAX_QUANTITY = 99
RELEASE_REASON = "order_modified"


@dataclass(frozen=True)
class OrderChanges:
    """What a modification changes: the shipping address, and/or line quantities (line id →
    new quantity; 0 removes the line, at least one line must remain)."""

    shipping_address: Address | None = None
    quantities: dict[str, int] = field(default_factory=dict)


async def modify_order(
    uow: UnitOfWork,
    order: Order,
    *,
    changes: OrderChanges,
    if_match: int | None,
    now: datetime,
    actor: str | None,
) -> None:
    if if_match is not None and if_match != order.version:
        raise OrderVersionConflict(order.version)
    if order.status not in CANCELLABLE or order.shipped_at is not None:
        raise OrderNotModifiable(f"a {order.status} order can no longer be modified")
    if changes.shipping_address is None and not changes.quantities:
        raise InvalidModification("nothing to change: give a shipping_address or quantities")
    lines = await records.lines_of(uow, order.id)
    wanted = _new_quantities(lines, changes.quantities)
    kept = [line for line in lines if wanted[line.id] > 0]
    address = changes.shipping_address or Address.from_data(order.shipping_address)
    await rules.enforce(
        "BR005",
        detail="the order has items to ship and no shipping address",
        requires_shipping=any(line.requires_shipping for line in kept),
        has_shipping_address=address is not None,
    )
    country, region = order.tax_country, order.tax_region
    if changes.shipping_address is not None:
        country, region = changes.shipping_address.country, changes.shipping_address.region
    totals = await quote(
        uow,
        order,
        [QuotedLine(line.unit_price, wanted[line.id], line.requires_shipping) for line in kept],
        country=country,
        region=region,
    )
    await rules.enforce(
        "BR002",
        detail=f"the total would be {money(totals.total, order.currency)}, below 1.00",
        total=totals.total,
        all_free=totals.all_free,
    )
    quantities_changed = any(wanted[line.id] != line.quantity for line in lines)
    if quantities_changed:
        await _move_reservation(uow, order, kept, wanted, now=now)
    previous_total = order.total
    new_total = round_money(totals.total, order.currency)
    if new_total != previous_total:  # the payment follows, or the modification is refused
        await _payment_follows(uow, order, new_total, now=now)
    described = _describe(order, lines, wanted, changes)
    for line in lines:
        if wanted[line.id] == 0:
            await uow.session.delete(line)
        elif wanted[line.id] != line.quantity:
            line.quantity = wanted[line.id]
            line.line_total = round_money(line.unit_price * line.quantity, order.currency)
    currency = order.currency
    order.subtotal = round_money(totals.subtotal, currency)
    order.discount = round_money(totals.discount_total, currency)
    order.tax = round_money(totals.tax_total, currency)
    order.shipping = round_money(totals.shipping_total, currency)
    order.total = round_money(totals.total, currency)
    if changes.shipping_address is not None:
        order.shipping_address = changes.shipping_address.to_data()
        order.tax_country, order.tax_region = country, region
    records.touch(order, now)
    records.record(
        uow,
        order,
        "modified",
        now=now,
        actor=actor,
        previous_total=money(previous_total, order.currency),
        total=money(order.total, order.currency),
        **described,
    )
    uow.publish(
        events.OrderModified(
            order_id=order.id,
            number=order.number,
            previous_total=money(previous_total, order.currency),
            total=money(order.total, order.currency),
            currency=currency,
            changes=described,
        ),
        aggregate_id=order.id,
    )
    await uow.session.flush()


def _new_quantities(lines: list[OrderLine], asked: dict[str, int]) -> dict[str, int]:
    by_id = {line.id: line for line in lines}
    for line_id, quantity in asked.items():
        if line_id not in by_id:
            raise OrderLineNotFound(f"no line {line_id!r} in this order")
        if not 0 <= quantity <= MAX_QUANTITY:
            raise InvalidModification(f"a quantity is between 0 and {MAX_QUANTITY}")
    wanted = {line.id: asked.get(line.id, line.quantity) for line in lines}
    if not any(wanted.values()):
        raise InvalidModification("an order keeps at least one line: cancel it instead")
    return wanted


async def _move_reservation(
    uow: UnitOfWork,
    order: Order,
    kept: list[OrderLine],
    wanted: dict[str, int],
    *,
    now: datetime,
) -> None:
    """Hold the new quantities under the order id instead of the old ones (inventory's
    `InsufficientStock` propagates: the caller's unit of work is not committed)."""
    await inventory.release(uow, reference=order.id, now=now, reason=RELEASE_REASON)
    await inventory.reserve(
        uow,
        reference=order.id,
        lines=[(line.variant_id, wanted[line.id]) for line in kept],
        now=now,
    )
    if order.status == OrderStatus.CONFIRMED:
        await inventory.allocate(uow, reference=order.id, now=now)


def _describe(
    order: Order, lines: list[OrderLine], wanted: dict[str, int], changes: OrderChanges
) -> dict[str, Any]:
    """What changed, for the timeline and `order.modified`."""
    described: dict[str, Any] = {}
    moved = [
        {
            "line_id": line.id,
            "variant_id": line.variant_id,
            "sku": line.sku,
            "previous_quantity": line.quantity,
            "quantity": wanted[line.id],
        }
        for line in lines
        if wanted[line.id] != line.quantity
    ]
    if moved:
        described["lines"] = moved
    if changes.shipping_address is not None:
        described["shipping_address"] = changes.shipping_address.to_data()
        if order.shipping_address != described["shipping_address"]:
            described["previous_shipping_address"] = order.shipping_address
    return described


async def _payment_follows(uow: UnitOfWork, order: Order, total: Decimal, *, now: datetime) -> None:
    """The card pays what the store credit spent at checkout does not."""
    credit = order.credit_applied or Decimal(0)
    spent = money(credit, order.currency)
    if total < credit:
        raise OrderNotModifiable(
            f"the order was paid {spent} in store credit: its total cannot go below that"
        )
    paid = await payments.follow_order_total(
        uow, order_id=order.id, total=total - credit, key=f"{order.id}:v{order.version}", now=now
    )
    if paid is None and credit and total > credit:
        raise OrderNotModifiable(
            f"store credit paid the whole order ({spent}) and it has no payment to charge "
            "more to: place a new order for the rest"
        )
