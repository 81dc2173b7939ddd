"""Payments' request and response models: the API contract. Amounts are decimal strings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from mercato.agents.payments.info import PaymentInfo
from mercato.kernel.money import MoneyStr
from mercato.kernel.schemas import RequestModel

Money = Annotated[
    Decimal, Field(allow_inf_nan=False, gt=0, le=Decimal(1_000_000_000), decimal_places=4)
]


class In(RequestModel):
    """A request body of this agent."""


class CaptureIn(In):
    amount: Money | None = None
    """Less than the authorized amount captures part of it; absent: all of it."""


class RefundIn(In):
    amount: Money


class ReviewIn(In):
    decision: Literal["approve", "reject"]


class PaymentPage(BaseModel):
    items: list[PaymentOut]
    next_cursor: str | None


class PaymentOut(BaseModel):
    id: str
    order_id: str
    provider: str
    status: str
    amount: MoneyStr
    currency: str
    captured_amount: MoneyStr
    refunded_amount: MoneyStr
    card_brand: str | None
    card_last4: str | None
    failure_code: str | None
    review: str | None
    review_reasons: list[str]
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def of(cls, info: PaymentInfo) -> PaymentOut:
        return cls.model_validate(info, from_attributes=True)


class RefundOut(BaseModel):
    refund_id: str
    amount: MoneyStr
    payment: PaymentOut


class WebhookOut(BaseModel):
    received: bool = True
    event_id: str
    duplicate: bool
    outcome: str
