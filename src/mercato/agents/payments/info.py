"""`PaymentInfo`: what callers (checkout, orders, the API) see of a payment, plain and
JSON-friendly so the checkout saga can carry it in its data."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from mercato.agents.payments.models import Payment
from mercato.agents.payments.rules import card_not_expired
from mercato.kernel.money import round_money

_DECIMALS = ("amount", "captured_amount", "refunded_amount")
_DATES = ("created_at", "updated_at")


@dataclass(frozen=True)
class PaymentInfo:
    id: str
    order_id: str
    provider: str
    status: str
    amount: Decimal
    currency: str
    captured_amount: Decimal = Decimal(0)
    refunded_amount: Decimal = Decimal(0)
    provider_ref: str | None = None
    failure_code: str | None = None
    review: str | None = None
    review_reasons: list[str] = field(default_factory=list)
    token: str | None = None
    card_brand: str | None = None
    card_last4: str | None = None
    card_exp_month: int | None = None
    card_exp_year: int | None = None
    customer_id: str | None = None
    email: str | None = None
    idempotency_key: str | None = None
    """The authorization's key (what reconciliation looks it up by)."""
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def refundable(self) -> Decimal:
        return self.captured_amount - self.refunded_amount

    @property
    def capturable(self) -> Decimal:
        """What is left of the authorization to capture."""
        return self.amount - self.captured_amount

    def card_expired_at(self, now: datetime) -> bool:
        """Whether the card paid with has expired by `now` (valid to the end of its expiry
        month); False when the expiry is not known (not a card, a token made elsewhere)."""
        if self.card_exp_month is None or self.card_exp_year is None:
            return False
        return not card_not_expired(
            exp_month=self.card_exp_month, exp_year=self.card_exp_year, now=now
        )

    def to_data(self) -> dict[str, Any]:
        data = asdict(self)
        for name in _DECIMALS:
            data[name] = format(data[name], "f")
        for name in _DATES:
            data[name] = data[name].isoformat() if data[name] else None
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> PaymentInfo:
        values = dict(data)
        for name in _DECIMALS:
            values[name] = Decimal(values[name])
        for name in _DATES:
            values[name] = datetime.fromisoformat(values[name]) if values.get(name) else None
        values["review_reasons"] = list(values.get("review_reasons") or [])
        return cls(**values)

    @classmethod
    def of(cls, payment: Payment) -> PaymentInfo:
        return cls(
            id=payment.id,
            order_id=payment.order_id,
            provider=payment.provider,
            status=payment.status,
            amount=round_money(payment.amount, payment.currency),
            currency=payment.currency,
            captured_amount=round_money(payment.captured_amount, payment.currency),
            refunded_amount=round_money(payment.refunded_amount, payment.currency),
            provider_ref=payment.provider_ref,
            failure_code=payment.failure_code,
            review=payment.review,
            review_reasons=list(payment.review_reasons or []),
            token=payment.token,
            card_brand=payment.card_brand,
            card_last4=payment.card_last4,
            card_exp_month=payment.card_exp_month,
            card_exp_year=payment.card_exp_year,
            customer_id=payment.customer_id,
            email=payment.email,
            idempotency_key=payment.idempotency_key,
            created_at=payment.created_at,
            updated_at=payment.updated_at,
        )
