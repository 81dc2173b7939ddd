"""Events the orders agent publishes (aggregate: the order id). Amounts are decimal
strings in the order's currency."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from mercato.kernel.events import Event

PaymentAction = Literal["void", "refund", "none"]


class OrderLineData(BaseModel):
    """A line as `order.placed` carries it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    line_id: str
    variant_id: str
    sku: str
    quantity: int
    unit_price: str
    line_total: str
    product_id: str = ""
    merchant_id: str | None = None
    name: str = ""
    """The three above came later: events written before them lack them."""


class OrderPlaced(Event):
    event_type: ClassVar[str] = "order.placed"
    order_id: str
    number: str
    checkout_id: str
    customer_id: str | None
    email: str
    currency: str
    subtotal: str
    discount: str
    tax: str
    shipping: str
    total: str
    discount_code: str | None
    placed_at: str
    lines: list[OrderLineData]
    channel: str = "web"
    """Where it was placed: web (a browser's session), assistant (the chat), api (a key)."""


class OrderConfirmed(Event):
    event_type: ClassVar[str] = "order.confirmed"
    order_id: str
    number: str
    total: str
    currency: str
    review: str | None


class OrderCancelled(Event):
    """`payment_action` tells payments what to do: void an authorization, refund a capture,
    or nothing (no money moved, or the checkout saga voids it itself)."""

    event_type: ClassVar[str] = "order.cancelled"
    order_id: str
    number: str
    reason: str
    payment_action: PaymentAction
    total: str
    currency: str


class OrderModified(Event):
    """The order's lines or address changed before fulfilment; when `total` differs from
    `previous_total` the payment must follow it (payments re-authorizes a higher amount or
    releases the difference of a lower one)."""

    event_type: ClassVar[str] = "order.modified"
    order_id: str
    number: str
    previous_total: str
    total: str
    currency: str
    changes: dict[str, Any]


class OrderShipped(Event):
    event_type: ClassVar[str] = "order.shipped"
    order_id: str
    number: str
    total: str
    currency: str
    carrier: str | None
    tracking_number: str | None


class OrderLinesShipped(Event):
    """Some of an order's units left in one shipment: payments captures `capture_amount`,
    what the shopper paid for them (their share of the discount and tax included; the first
    shipment carries the order's shipping charge, the last one what is left, so the captures
    add up to the total). `final`: nothing is left to ship, the authorization can close.
    An order shipped in one call publishes it once, for every line, with `final` set."""

    event_type: ClassVar[str] = "order.lines_shipped"
    order_id: str
    number: str
    shipment_id: str
    capture_amount: str
    currency: str
    final: bool
    lines: dict[str, int]
    """Order line id → units shipped."""


class OrderDelivered(Event):
    event_type: ClassVar[str] = "order.delivered"
    order_id: str
    number: str
