"""Fraud screening at checkout: a payment is held for manual review (its capture waits for an
admin) when its customer, card or address paid too often lately (velocity, counted over the
payments already recorded), when its amount reaches the threshold (EC008), or when the billing
and shipping countries differ. Reasons: `velocity_customer`, `velocity_card`, `velocity_ip`,
`amount_threshold`, `country_mismatch`."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from decimal import Decimal
from typing import cast

from sqlalchemy import Integer, ScalarSelect, String, Table, bindparam, func, literal, select

from mercato.agents.payments.models import Payment
from mercato.kernel.db import UnitOfWork
from mercato.kernel.prepared import Prepared
from mercato.kernel.store_sql import in_store


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
    """The reasons to hold this payment ([] = clean). One statement for the counts."""
    settings = uow.settings
    reasons: list[str] = []
    limits = [("velocity_customer", settings.fraud_velocity_per_customer)]
    if card_fingerprint:
        limits.append(("velocity_card", settings.fraud_velocity_per_card))
    if ip:
        limits.append(("velocity_ip", settings.fraud_velocity_per_ip))
    counts = await _counts(bool(card_fingerprint), bool(ip)).one(
        uow,
        since=now - timedelta(seconds=settings.fraud_velocity_window),
        customer_key=customer_key,
        card_fingerprint=card_fingerprint,
        ip=ip,
        limit_customer_key=settings.fraud_velocity_per_customer,
        limit_card_fingerprint=settings.fraud_velocity_per_card,
        limit_ip=settings.fraud_velocity_per_ip,
    )
    reasons.extend(
        name for (name, limit), count in zip(limits, counts, strict=True) if count >= limit
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


_PAYMENTS = cast(Table, Payment.__table__)


@functools.cache
def _counts(card: bool, ip: bool) -> Prepared:
    """The velocity counts' statement for the keys the payment has (four shapes, each
    prepared once): one count per key, each a range of its own index (store, key, time), and
    each counting no further than its limit (`limit_<key>`), which is all the screen needs
    to know. So a count reads at most `limit` index entries, however busy a card or an
    address is. (One count with the three keys OR-ed read every payment of the store: SQLite
    took the index on the store.)"""
    keys = ["customer_key", *(["card_fingerprint"] if card else []), *(["ip"] if ip else [])]
    return Prepared(select(*(_count_up_to_limit(key) for key in keys)))


def _count_up_to_limit(key: str) -> ScalarSelect[int]:
    recent = in_store(
        select(literal(1))
        .select_from(_PAYMENTS)
        .where(
            _PAYMENTS.c[key] == bindparam(key, type_=String),
            _PAYMENTS.c.created_at >= bindparam("since"),
        )
        .limit(bindparam(f"limit_{key}", type_=Integer))
    ).subquery()
    return select(func.count()).select_from(recent).scalar_subquery()
