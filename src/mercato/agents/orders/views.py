"""What an order looks like to other agents (`OrderInfo`, carried in saga data) and to its
readers (`OrderView`, with its timeline, notes and tags, as the principal may see them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from mercato.agents.orders.addresses import Address
from mercato.agents.orders.fulfilment import OrderFulfilment
from mercato.agents.orders.models import Order, OrderEvent, OrderLine, OrderNote
from mercato.kernel.money import round_money


def money(amount: Decimal, currency: str) -> str:
    """An amount as events and saga data carry it: a decimal string in minor units."""
    return format(round_money(amount, currency), "f")


@dataclass(frozen=True)
class OrderLineInfo:
    id: str
    variant_id: str
    sku: str
    name: str
    quantity: int
    unit_price: Decimal
    line_total: Decimal
    product_id: str = ""
    merchant_id: str | None = None
    requires_shipping: bool = True

    @classmethod
    def of(cls, line: OrderLine, currency: str) -> OrderLineInfo:
        return cls(
            id=line.id,
            variant_id=line.variant_id,
            sku=line.sku,
            name=line.name,
            quantity=line.quantity,
            unit_price=round_money(line.unit_price, currency),
            line_total=round_money(line.line_total, currency),
            product_id=line.product_id,
            merchant_id=line.merchant_id,
            requires_shipping=line.requires_shipping,
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "variant_id": self.variant_id,
            "sku": self.sku,
            "name": self.name,
            "quantity": self.quantity,
            "unit_price": format(self.unit_price, "f"),
            "line_total": format(self.line_total, "f"),
            "product_id": self.product_id,
            "merchant_id": self.merchant_id,
            "requires_shipping": self.requires_shipping,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> OrderLineInfo:
        return cls(
            **{
                **data,
                "unit_price": Decimal(data["unit_price"]),
                "line_total": Decimal(data["line_total"]),
            }
        )


@dataclass(frozen=True)
class OrderInfo:
    """An order as the checkout saga and other agents need it (JSON-friendly)."""

    id: str
    number: str
    status: str
    payment_status: str
    total: Decimal
    currency: str
    customer_id: str | None
    lines: list[OrderLineInfo]
    placed_at: datetime
    review: str | None = None
    version: int = 1

    @classmethod
    def of(cls, order: Order, lines: list[OrderLine]) -> OrderInfo:
        return cls(
            id=order.id,
            number=order.number,
            status=order.status,
            payment_status=order.payment_status,
            total=round_money(order.total, order.currency),
            currency=order.currency,
            customer_id=order.customer_id,
            lines=[OrderLineInfo.of(line, order.currency) for line in lines],
            placed_at=order.placed_at,
            review=order.review,
            version=order.version,
        )

    def to_data(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "status": self.status,
            "payment_status": self.payment_status,
            "total": format(self.total, "f"),
            "currency": self.currency,
            "customer_id": self.customer_id,
            "lines": [line.to_data() for line in self.lines],
            "placed_at": self.placed_at.isoformat(),
            "review": self.review,
            "version": self.version,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> OrderInfo:
        return cls(
            **{
                **data,
                "total": Decimal(data["total"]),
                "lines": [OrderLineInfo.from_data(line) for line in data["lines"]],
                "placed_at": datetime.fromisoformat(data["placed_at"]),
            }
        )


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    actor: str | None
    detail: dict[str, Any]

    @classmethod
    def of(cls, row: OrderEvent) -> TimelineEntry:
        return cls(at=row.at, kind=row.kind, actor=row.actor, detail=dict(row.detail or {}))


@dataclass(frozen=True)
class NoteView:
    id: str
    author: str
    body: str
    internal: bool
    created_at: datetime

    @classmethod
    def of(cls, row: OrderNote) -> NoteView:
        return cls(row.id, row.author, row.body, row.internal, row.created_at)


@dataclass(frozen=True)
class OrderView:
    """An order as a reader sees it: a merchant sees only its own lines; internal notes are
    for staff only."""

    id: str
    number: str
    status: str
    payment_status: str
    review: str | None
    customer_id: str | None
    email: str
    currency: str
    subtotal: Decimal
    discount: Decimal
    tax: Decimal
    shipping: Decimal
    total: Decimal
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
    lines: list[OrderLineInfo]
    timeline: list[TimelineEntry]
    notes: list[NoteView]
    tags: list[str]
    fulfilment: OrderFulfilment | None = None
    """Each line's units shipped, delivered, returned and what was paid for it."""
    credit_applied: Decimal = Decimal(0)
    """Store credit spent on it at checkout."""

    @property
    def fulfilment_status(self) -> str | None:
        return None if self.fulfilment is None else self.fulfilment.fulfilment_status

    @classmethod
    def of(
        cls,
        order: Order,
        *,
        lines: list[OrderLine],
        timeline: list[OrderEvent],
        notes: list[OrderNote],
        tags: list[str],
        all_lines: list[OrderLine] | None = None,
    ) -> OrderView:
        return cls(
            fulfilment=OrderFulfilment.of(order, all_lines if all_lines is not None else lines),
            credit_applied=round_money(order.credit_applied or Decimal(0), order.currency),
            id=order.id,
            number=order.number,
            status=order.status,
            payment_status=order.payment_status,
            review=order.review,
            customer_id=order.customer_id,
            email=order.email,
            currency=order.currency,
            subtotal=round_money(order.subtotal, order.currency),
            discount=round_money(order.discount, order.currency),
            tax=round_money(order.tax, order.currency),
            shipping=round_money(order.shipping, order.currency),
            total=round_money(order.total, order.currency),
            discount_code=order.discount_code,
            shipping_address=Address.from_data(order.shipping_address),
            billing_address=Address.from_data(order.billing_address),
            carrier=order.carrier,
            tracking_number=order.tracking_number,
            cancel_reason=order.cancel_reason,
            placed_at=order.placed_at,
            confirmed_at=order.confirmed_at,
            shipped_at=order.shipped_at,
            delivered_at=order.delivered_at,
            cancelled_at=order.cancelled_at,
            version=order.version,
            lines=[OrderLineInfo.of(line, order.currency) for line in lines],
            timeline=[TimelineEntry.of(row) for row in timeline],
            notes=[NoteView.of(row) for row in notes],
            tags=tags,
        )

    def info(self) -> OrderInfo:
        return OrderInfo(
            id=self.id,
            number=self.number,
            status=self.status,
            payment_status=self.payment_status,
            total=self.total,
            currency=self.currency,
            customer_id=self.customer_id,
            lines=self.lines,
            placed_at=self.placed_at,
            review=self.review,
            version=self.version,
        )
