"""Fraud screening at checkout: a payment is held for manual review (its capture waits for an
admin) when its customer, card or address paid too often lately (velocity, counted over the
payments already recorded), when its amount reaches the threshold (EC008), or when the billing
and shipping countries differ. Reasons: `velocity_customer`, `velocity_card`, `velocity_ip`,
`amount_threshold`, `country_mismatch`."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from mercato.agents.payments.models import Payment
from mercato.kernel.db import UnitOfWork


async def screen(
    uow: UnitOfWork,
    *,
    customer_key: str,
    card_fingerprint: str | None,
    ip: str | None,
    amount: Decimal,
    currency: str,
    billing_country: str | None,
    shipping_country: str | None,
    now: datetime,
) -> list[str]:
    """The reasons to hold this payment ([] = clean). One statement for the three counts."""
    settings = uow.settings
    reasons: list[str] = []
    limits: list[tuple[str, ColumnElement[bool], int]] = [
        ("velocity_customer", Payment.customer_key == customer_key,
         settings.fraud_velocity_per_customer),
    ]  # fmt: skip
    if card_fingerprint:
        limits.append(
            ("velocity_card", Payment.card_fingerprint == card_fingerprint,
             settings.fraud_velocity_per_card)
        )  # fmt: skip
    if ip:
        limits.append(("velocity_ip", Payment.ip == ip, settings.fraud_velocity_per_ip))
    since = now - timedelta(seconds=settings.fraud_velocity_window)
    counts = (
        await uow.session.execute(
            select(*(func.count().filter(match) for _, match, _ in limits)).where(
                Payment.created_at >= since, or_(*(match for _, match, _ in limits))
            )
        )
    ).one()
    reasons.extend(
        name for (name, _, limit), count in zip(limits, counts, strict=True) if count >= limit
    )
    if amount >= settings.fraud_amount_threshold:
        reasons.append("amount_threshold")
    if (
        settings.fraud_country_mismatch
        and billing_country
        and shipping_country
        and billing_country.upper() != shipping_country.upper()
    ):
        reasons.append("country_mismatch")
    return reasons
