"""The orders API's request and response models (the contract: money as decimal strings)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from mercato.agents.orders.addresses import Address
from mercato.agents.orders.fulfilment import FulfilmentLine
from mercato.agents.orders.listing import OrdersPage, OrderSummary
from mercato.agents.orders.views import NoteView, OrderLineInfo, OrderView
from mercato.kernel.money import MoneyStr
from mercato.kernel.schemas import RequestModel

Status = Literal["pending", "confirmed", "shipped", "delivered", "cancelled"]
PaymentStatus = Literal["pending", "authorized", "paid", "failed", "refunded", "partially_refunded"]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
LineId = Annotated[str, StringConstraints(min_length=1, max_length=36)]


class CancelIn(RequestModel):
    reason: Reason = "customer_request"


class LineQuantityIn(RequestModel):
    line_id: LineId
    quantity: Annotated[int, Field(ge=0, le=1_000_000)]
    """0 removes the line; 1-99 is kept."""


class ModifyIn(RequestModel):
    """What to change before fulfilment: the shipping address, line quantities, or both."""

    shipping_address: Address | None = None
    lines: Annotated[list[LineQuantityIn], Field(max_length=500)] = []


class NoteIn(RequestModel):
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
    internal: bool = False


class TagsIn(RequestModel):
    tags: Annotated[list[Annotated[str, StringConstraints(max_length=64)]], Field(max_length=20)]


class ShipIn(RequestModel):
    carrier: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = None
    tracking_number: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=128)] | None
    ) = None


class LineOut(BaseModel):
    id: str
    variant_id: str
    product_id: str
    merchant_id: str | None
    sku: str
    name: str
    quantity: int
    unit_price: MoneyStr
    line_total: MoneyStr
    requires_shipping: bool
    paid_amount: MoneyStr | None = Field(
        default=None,
        description="What the shopper paid for the line: its share of the discount and tax, "
        "to the cent (what a return of all of it refunds)",
    )
    shipped_quantity: int = 0
    delivered_quantity: int = 0
    returned_quantity: int = 0
    fulfilment_status: str = "unfulfilled"


class TimelineOut(BaseModel):
    at: datetime
    kind: str
    actor: str | None
    detail: dict[str, Any]


class NoteOut(BaseModel):
    id: str
    author: str
    body: str
    internal: bool
    created_at: datetime


class OrderOut(BaseModel):
    id: str
    number: str
    status: Status
    payment_status: str
    review: str | None
    customer_id: str | None
    email: str
    currency: str
    subtotal: MoneyStr
    discount_total: MoneyStr
    tax_total: MoneyStr
    shipping_total: MoneyStr
    total: MoneyStr
    store_credit_applied: MoneyStr = Field(
        default=Decimal(0), description="Store credit spent at checkout: the card paid the rest"
    )
    discount_code: str | None
    shipping_address: Address | None
    billing_address: Address | None
    carrier: str | None
    tracking_number: str | None
    cancel_reason: str | None
    placed_at: datetime
    confirmed_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
    version: int
    lines: list[LineOut]
    fulfilment_status: str | None = Field(
        default=None,
        description="unfulfilled, partially_shipped, shipped, partially_delivered, delivered, "
        "partially_returned, returned: where the order's units stand",
    )
    timeline: list[TimelineOut]
    notes: list[NoteOut]
    tags: list[str] = Field(description="Staff only (empty for customers and merchants)")


class SummaryOut(BaseModel):
    id: str
    number: str
    status: Status
    payment_status: str
    review: str | None
    email: str
    currency: str
    total: MoneyStr
    placed_at: datetime
    lines: list[LineOut]


class OrdersPageOut(BaseModel):
    items: list[SummaryOut]
    next_cursor: str | None


class TagsOut(BaseModel):
    tags: list[str]


def line_out(line: OrderLineInfo, progress: FulfilmentLine | None = None) -> LineOut:
    more: dict[str, Any] = {}
    if progress is not None:
        more = {
            "paid_amount": progress.paid_amount,
            "shipped_quantity": progress.shipped_quantity,
            "delivered_quantity": progress.delivered_quantity,
            "returned_quantity": progress.returned_quantity,
            "fulfilment_status": progress.status,
        }
    return LineOut(
        **more,
        id=line.id,
        variant_id=line.variant_id,
        product_id=line.product_id,
        merchant_id=line.merchant_id,
        sku=line.sku,
        name=line.name,
        quantity=line.quantity,
        unit_price=line.unit_price,
        line_total=line.line_total,
        requires_shipping=line.requires_shipping,
    )


def note_out(note: NoteView) -> NoteOut:
    return NoteOut(
        id=note.id,
        author=note.author,
        body=note.body,
        internal=note.internal,
        created_at=note.created_at,
    )


_RENAMED = {
    "discount_total": "discount",
    "tax_total": "tax",
    "shipping_total": "shipping",
    "store_credit_applied": "credit_applied",
}
"""The API's names for amounts (a cart's names) → the order's columns."""


def order_out(view: OrderView) -> OrderOut:
    fields = {name: getattr(view, _RENAMED.get(name, name)) for name in OrderOut.model_fields}
    fields.update(
        status=view.status,
        lines=[
            line_out(line, view.fulfilment.line(line.id) if view.fulfilment else None)
            for line in view.lines
        ],
        timeline=[
            TimelineOut(at=e.at, kind=e.kind, actor=e.actor, detail=e.detail) for e in view.timeline
        ],
        notes=[note_out(note) for note in view.notes],
    )
    return OrderOut.model_validate(fields)


def summary_out(summary: OrderSummary) -> SummaryOut:
    return SummaryOut(
        id=summary.id,
        number=summary.number,
        status=summary.status,
        payment_status=summary.payment_status,
        review=summary.review,
        email=summary.email,
        currency=summary.currency,
        total=summary.total,
        placed_at=summary.placed_at,
        lines=[line_out(line) for line in summary.lines],
    )


def page_out(page: OrdersPage) -> OrdersPageOut:
    return OrdersPageOut(
        items=[summary_out(item) for item in page.items], next_cursor=page.next_cursor
    )
