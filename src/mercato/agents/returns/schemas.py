"""The returns agent's request and answer models (the API's contract)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from mercato.agents.returns.statuses import Condition, Disposition, Resolution
from mercato.kernel.money import MoneyStr
from mercato.kernel.schemas import RequestModel

Reason = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z_]{1,39}$")]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Units = Annotated[int, Field(ge=1, le=100_000)]
REASONS = (
    "changed_mind, no_longer_needed, wrong_size, wrong_item, defective, damaged_in_transit, "
    "not_as_described, arrived_late, other"
)


class ReturnLineIn(RequestModel):
    line_id: str
    quantity: Units
    reason: Reason | None = Field(default=None, description=f"One of: {REASONS} (or your own)")
    note: Note | None = None
    exchange_variant_id: str | None = Field(
        default=None, description="An exchange's other variant (same product, same price)"
    )


class ReturnIn(RequestModel):
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=200)
    reason: Reason | None = Field(default=None, description="For lines that give none")
    resolution: Resolution = Resolution.REFUND
    exception_note: Note | None = Field(
        default=None,
        description="Staff only: accept the return outside the window (BR009), and why",
    )


class RejectIn(RequestModel):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]


class ReceivedLineIn(RequestModel):
    line_id: str
    quantity: Annotated[int, Field(ge=0, le=100_000)]


class ReceiveIn(RequestModel):
    lines: list[ReceivedLineIn] | None = Field(
        default=None, description="Units that came back per line; absent: all that were asked"
    )
    location_id: str | None = Field(default=None, description="Where they are restocked")


class InspectedLineIn(RequestModel):
    line_id: str
    condition: Condition
    quantity: Units | None = Field(default=None, description="Ignored: the units received")
    disposition: Disposition | None = None
    refund_amount: Annotated[str, StringConstraints(pattern=r"^\d{1,10}(\.\d{1,4})?$")] | None = (
        Field(default=None, description="Staff's own refund for the line (BR010 bounds it)")
    )


class InspectIn(RequestModel):
    lines: list[InspectedLineIn] | None = None
    condition: Condition | None = Field(default=None, description="For lines not named")
    disposition: Disposition | None = None


class RefundIn(RequestModel):
    method: Literal["original_payment", "original", "store_credit"] | None = Field(
        default=None,
        description="Default: as the shopper chose (store credit, or the original payment)",
    )


class ReturnLineOut(BaseModel):
    line_id: str
    variant_id: str
    sku: str
    name: str
    quantity: int
    reason: str
    note: str | None
    received_quantity: int
    condition: str | None
    disposition: str | None
    paid_amount: MoneyStr
    fee_amount: MoneyStr
    refund_amount: MoneyStr
    exchange_variant_id: str | None


class ReturnOut(BaseModel):
    id: str
    number: str
    order_id: str
    order_number: str
    customer_id: str | None
    email: str
    status: str
    resolution: str
    currency: str
    flags: list[str]
    late: bool
    exception_note: str | None
    rejection_reason: str | None
    label_shipment_id: str | None
    label_url: str | None
    paid_amount: MoneyStr
    fee_amount: MoneyStr
    refund_amount: MoneyStr
    refunded_to_payment: MoneyStr
    refunded_to_credit: MoneyStr
    refund_note: str | None
    replacement_order_id: str | None
    requested_at: datetime
    decided_at: datetime | None
    received_at: datetime | None
    inspected_at: datetime | None
    refunded_at: datetime | None
    lines: list[ReturnLineOut]


class ReturnsOut(BaseModel):
    items: list[ReturnOut]
    next_cursor: str | None


class CreditEntryOut(BaseModel):
    amount: MoneyStr
    currency: str
    reason: str
    reference: str
    note: str | None
    created_at: datetime


class StoreCreditOut(BaseModel):
    balance: MoneyStr
    currency: str
    items: list[CreditEntryOut] = Field(description="The latest changes, newest first")
    next_cursor: str | None
