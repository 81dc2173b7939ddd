"""An order's units on their way: shipped in one or several shipments, delivered, returned.

Each line counts its units shipped, delivered and returned; the order is shipped when every
line that ships has shipped, delivered when every one has arrived (the order's status is the
summary; the lines hold the detail). What a shopper paid for a line is its share of the
order's goods (the total less the shipping charge: the discount and, where prices exclude
it, the tax spread in proportion to the lines' totals, to the cent, the cents left over to
the lines with the largest remainders). A part of a line is worth its share of that,
counted cumulatively so the parts add up exactly: capturing per shipment and refunding per
return never drift by a cent.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from mercato.agents.orders.models import Order, OrderLine
from mercato.kernel.money import quantum as minor_unit

ZERO = Decimal(0)
WEIGHT_SCALE = 10_000
"""Lines' totals are weighed as integers of 1/10,000 (amounts have at most 4 decimals)."""


class FulfilmentStatus(StrEnum):
    UNFULFILLED = "unfulfilled"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    PARTIALLY_DELIVERED = "partially_delivered"
    DELIVERED = "delivered"
    PARTIALLY_RETURNED = "partially_returned"
    RETURNED = "returned"


class Counted(Protocol):
    @property
    def quantity(self) -> int: ...
    @property
    def shipped_quantity(self) -> int: ...
    @property
    def delivered_quantity(self) -> int: ...
    @property
    def returned_quantity(self) -> int: ...


def line_status(line: Counted) -> FulfilmentStatus:
    """Where a line's units stand, the furthest step first."""
    if line.returned_quantity:
        whole = line.returned_quantity >= line.quantity
        return FulfilmentStatus.RETURNED if whole else FulfilmentStatus.PARTIALLY_RETURNED
    if line.delivered_quantity:
        whole = line.delivered_quantity >= line.quantity
        return FulfilmentStatus.DELIVERED if whole else FulfilmentStatus.PARTIALLY_DELIVERED
    if line.shipped_quantity:
        whole = line.shipped_quantity >= line.quantity
        return FulfilmentStatus.SHIPPED if whole else FulfilmentStatus.PARTIALLY_SHIPPED
    return FulfilmentStatus.UNFULFILLED


def order_status(lines: Sequence[Counted]) -> FulfilmentStatus:
    """The order's fulfilment: its least advanced line's step, "partially" when some are
    further on."""
    shipping = [line for line in lines if line.quantity]
    if not shipping or not any(line.shipped_quantity for line in shipping):
        return FulfilmentStatus.UNFULFILLED
    if any(line.shipped_quantity < line.quantity for line in shipping):
        return FulfilmentStatus.PARTIALLY_SHIPPED
    if all(line.returned_quantity >= line.quantity for line in shipping):
        return FulfilmentStatus.RETURNED
    if any(line.returned_quantity for line in shipping):
        return FulfilmentStatus.PARTIALLY_RETURNED
    if all(line.delivered_quantity >= line.quantity for line in shipping):
        return FulfilmentStatus.DELIVERED
    if any(line.delivered_quantity for line in shipping):
        return FulfilmentStatus.PARTIALLY_DELIVERED
    return FulfilmentStatus.SHIPPED


def paid_shares(
    *, total: Decimal, shipping: Decimal, currency: str, lines: Sequence[tuple[str, Decimal]]
) -> dict[str, Decimal]:
    """Line id → what the shopper paid for the line (see the module's docstring). The
    shares add up to `total - shipping` exactly."""
    unit = minor_unit(currency)
    goods = max(total - shipping, ZERO)
    weight = sum((amount for _, amount in lines), ZERO)
    if not lines:
        return {}
    if weight <= 0:  # free lines only: nothing was paid for any of them
        return {line_id: ZERO for line_id, _ in lines}
    cents = int(goods / unit)
    minor = [(line_id, int(amount * WEIGHT_SCALE)) for line_id, amount in lines]
    whole = sum(part for _, part in minor)
    if whole <= 0:
        return {line_id: ZERO for line_id, _ in lines}
    # integers only: an exact tie is a tie (ties go to the first line id)
    floors = {line_id: cents * part // whole for line_id, part in minor}
    remainders = {line_id: cents * part % whole for line_id, part in minor}
    left = cents - sum(floors.values())
    for line_id in sorted(remainders, key=lambda k: (-remainders[k], k))[:left]:
        floors[line_id] += 1
    return {line_id: Decimal(count) * unit for line_id, count in floors.items()}


def part_of(paid: Decimal, quantity: int, units: int, currency: str) -> Decimal:
    """What the first `units` of a line of `quantity` units paid `paid` were worth
    (cumulative: part_of(n) - part_of(m) is the worth of units m+1…n, and part_of(quantity)
    is `paid`)."""
    if quantity <= 0 or units <= 0:
        return ZERO
    unit = minor_unit(currency)
    cents = int(paid / unit)
    return Decimal(cents * min(units, quantity) // quantity) * unit


@dataclass(frozen=True)
class FulfilmentLine:
    id: str
    variant_id: str
    product_id: str
    merchant_id: str | None
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal
    paid_amount: Decimal
    requires_shipping: bool
    shipped_quantity: int
    delivered_quantity: int
    returned_quantity: int

    @property
    def status(self) -> FulfilmentStatus:
        return line_status(self)


@dataclass(frozen=True)
class OrderFulfilment:
    """An order as shipping and returns see it."""

    id: str
    number: str
    status: str
    payment_status: str
    review: str | None
    currency: str
    total: Decimal
    shipping: Decimal
    customer_id: str | None
    session_id: str | None
    email: str
    shipping_address: dict[str, Any] | None
    placed_at: datetime
    shipping_carrier: str | None
    shipping_service: str | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    lines: tuple[FulfilmentLine, ...]

    @property
    def fulfilment_status(self) -> FulfilmentStatus:
        return order_status([line for line in self.lines if line.requires_shipping])

    def line(self, line_id: str) -> FulfilmentLine | None:
        return next((line for line in self.lines if line.id == line_id), None)

    def worth(self, units: Mapping[str, int], *, already: Mapping[str, int]) -> Decimal:
        """What `units` more of each line (line id → units) are worth after `already` of
        them (line id → units counted before: shipped, returned)."""
        total = ZERO
        for line in self.lines:
            more = units.get(line.id, 0)
            if more:
                before = already.get(line.id, 0)
                total += part_of(line.paid_amount, line.quantity, before + more, self.currency)
                total -= part_of(line.paid_amount, line.quantity, before, self.currency)
        return total

    def charged_for(self, shipped: Mapping[str, int]) -> Decimal:
        """What the shopper is charged once `shipped` (line id → units) have left: their
        worth, and the shipping charge with the first shipment; the order's total once
        everything has."""
        worth = self.worth(shipped, already={})
        return worth + (self.shipping if any(shipped.values()) else ZERO)

    @classmethod
    def of(cls, order: Order, lines: Sequence[OrderLine]) -> OrderFulfilment:
        shares = shares_of(order, lines)
        return cls(
            id=order.id,
            number=order.number,
            status=order.status,
            payment_status=order.payment_status,
            review=order.review,
            currency=order.currency,
            total=order.total,
            shipping=order.shipping,
            customer_id=order.customer_id,
            session_id=order.session_id,
            email=order.email,
            shipping_address=order.shipping_address,
            placed_at=order.placed_at,
            shipping_carrier=order.shipping_carrier,
            shipping_service=order.shipping_service,
            shipped_at=order.shipped_at,
            delivered_at=order.delivered_at,
            lines=tuple(
                FulfilmentLine(
                    id=line.id,
                    variant_id=line.variant_id,
                    product_id=line.product_id,
                    merchant_id=line.merchant_id,
                    sku=line.sku,
                    name=line.name,
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    line_total=line.line_total,
                    paid_amount=shares[line.id],
                    requires_shipping=line.requires_shipping,
                    shipped_quantity=line.shipped_quantity or 0,
                    delivered_quantity=line.delivered_quantity or 0,
                    returned_quantity=line.returned_quantity or 0,
                )
                for line in lines
            ),
        )


def shares_of(order: Order, lines: Sequence[OrderLine]) -> dict[str, Decimal]:
    return paid_shares(
        total=order.total,
        shipping=order.shipping,
        currency=order.currency,
        lines=[(line.id, line.line_total) for line in lines],
    )
