"""The returns agent's events (seed 000 return_flow; seed 003 Returns and Refund)."""

from __future__ import annotations

from typing import ClassVar

from mercato.kernel.events import Event


class ReturnEvent(Event):
    return_id: str
    number: str
    order_id: str
    order_number: str
    customer_id: str | None
    email: str


class ReturnRequested(ReturnEvent):
    event_type: ClassVar[str] = "return.requested"
    lines: dict[str, int]
    """Order line id → units asked back."""
    resolution: str
    flags: list[str]
    late: bool


class ReturnApproved(ReturnEvent):
    event_type: ClassVar[str] = "return.approved"
    label_shipment_id: str | None


class ReturnRejected(ReturnEvent):
    event_type: ClassVar[str] = "return.rejected"
    reason: str


class ReturnReceived(ReturnEvent):
    event_type: ClassVar[str] = "return.received"
    lines: dict[str, int]
    """Order line id → units that came back (fewer than asked: missing)."""
    missing: dict[str, int]


class ReturnInspected(ReturnEvent):
    event_type: ClassVar[str] = "return.inspected"
    conditions: dict[str, str]
    refund_amount: str
    currency: str


class RefundIssued(ReturnEvent):
    event_type: ClassVar[str] = "refund.issued"
    amount: str
    currency: str
    to_payment: str
    to_store_credit: str
    note: str | None


class ExchangeOrdered(ReturnEvent):
    event_type: ClassVar[str] = "return.exchange_ordered"
    replacement_order_id: str


class StoreCreditChanged(Event):
    event_type: ClassVar[str] = "store_credit.changed"
    owner: str
    amount: str
    balance: str
    currency: str
    reason: str
    reference: str
