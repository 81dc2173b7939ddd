"""What the pricing part is told: a competitor's offer matched to a store product (the
ingestion part calls `observe` once it has matched one), and the store's own price. Each
observation extends the price history; a move of the alert threshold or more raises an
alert (a row and `pricing.competitor_price_changed`, in the same transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mercato.agents.intelligence.pricing import suggesting
from mercato.agents.intelligence.pricing.changes import price_change
from mercato.agents.intelligence.pricing.events import CompetitorPriceChanged
from mercato.agents.intelligence.pricing.models import Alert, Observation, StorePrice
from mercato.agents.intelligence.pricing.problems import InvalidPricingInput
from mercato.agents.intelligence.pricing.products import known
from mercato.agents.intelligence.pricing.promotions import extract
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound
from mercato.kernel.ids import new_id
from mercato.kernel.money import is_valid_amount, round_money


@dataclass(frozen=True)
class CompetitorObservation:
    """A matched competitor offer as the ingestion part hands it over."""

    product_id: str
    competitor: str
    url: str
    price: Decimal
    currency: str
    observed_at: datetime
    match_confidence: float
    availability: str | None = None
    promotion_text: str | None = None
    source_record_id: str | None = None


async def observe(
    uow: UnitOfWork,
    *,
    product_id: str,
    competitor: str,
    url: str,
    price: Decimal,
    currency: str,
    observed_at: datetime,
    match_confidence: float,
    availability: str | None = None,
    promotion_text: str | None = None,
    source_record_id: str | None = None,
) -> Observation:
    """Record a competitor's price for the store's product `product_id` (404 if the store
    has none): idempotent per (competitor, url, observed_at); alerts on a move of the
    threshold or more from the previous observation; the product's suggestions follow."""
    currency = currency.upper()
    if price <= 0 or len(currency) != 3 or not 0 <= match_confidence <= 1:
        raise InvalidPricingInput("a price above 0, a currency code and a confidence in [0, 1]")
    if not is_valid_amount(price, currency):
        raise InvalidPricingInput(f"{price} has more decimals than {currency} has")
    product = await known(uow, product_id)
    if product is None:
        raise NotFound(f"no product {product_id!r}")
    same = await uow.session.scalar(
        select(Observation).where(
            Observation.product_id == product_id,
            Observation.competitor == competitor,
            Observation.url == url,
            Observation.observed_at == observed_at,
        )
    )
    if same is not None:
        return same
    now = uow.clock.now()
    row = Observation(
        id=new_id(),
        product_id=product_id,
        competitor=competitor,
        url=url,
        price=price,
        currency=currency,
        availability=availability,
        promotion_text=promotion_text,
        promotions=[
            {"kind": p.kind, "terms": p.terms, "text": p.text}
            for p in extract(promotion_text or "", seen=observed_at.date(), currency=currency)
        ],
        match_confidence=float(match_confidence),
        source_record_id=source_record_id,
        observed_at=observed_at,
        recorded_at=now,
    )
    previous = await uow.session.scalar(
        select(Observation)
        .where(
            Observation.product_id == product_id,
            Observation.competitor == competitor,
            Observation.url == url,
            Observation.observed_at < observed_at,
        )
        .order_by(Observation.observed_at.desc())
        .limit(1)
    )
    uow.session.add(row)
    if previous is not None:
        _alert(uow, row, previous, now=now)
    await record_store_price(uow, product_id=product_id, now=now)
    await suggesting.refresh(uow, product_id=product_id, now=now)
    return row


async def observe_many(uow: UnitOfWork, observations: list[CompetitorObservation]) -> int:
    """`observe` each, in their time order; how many there were."""
    for item in sorted(observations, key=lambda o: o.observed_at):
        await observe(
            uow,
            product_id=item.product_id,
            competitor=item.competitor,
            url=item.url,
            price=item.price,
            currency=item.currency,
            observed_at=item.observed_at,
            match_confidence=item.match_confidence,
            availability=item.availability,
            promotion_text=item.promotion_text,
            source_record_id=item.source_record_id,
        )
    return len(observations)


def _alert(uow: UnitOfWork, row: Observation, previous: Observation, *, now: datetime) -> None:
    threshold = uow.settings.intel_price_alert_percent
    change = price_change(
        previous.price, previous.currency, row.price, row.currency, threshold=threshold
    )
    if change is None:
        return
    alert = Alert(
        id=new_id(),
        product_id=row.product_id,
        observation_id=row.id,
        competitor=row.competitor,
        url=row.url,
        old_price=change.old,
        new_price=change.new,
        currency=row.currency,
        change_percent=change.percent,
        threshold_percent=threshold,
        observed_at=row.observed_at,
        created_at=now,
    )
    uow.session.add(alert)
    uow.publish(
        CompetitorPriceChanged(
            alert_id=alert.id,
            product_id=row.product_id,
            competitor=row.competitor,
            url=row.url,
            old_price=format(round_money(change.old, row.currency), "f"),
            new_price=format(round_money(change.new, row.currency), "f"),
            currency=row.currency,
            change_percent=format(change.percent, "f"),
            threshold_percent=format(threshold, "f"),
            observed_at=row.observed_at.isoformat(),
        ),
        aggregate_id=row.product_id,
    )


async def record_store_price(uow: UnitOfWork, *, product_id: str, now: datetime) -> bool:
    """Add the product's current listed price to its history if it differs from the last
    one recorded (re-read from the catalog, so a redelivered event adds nothing; a writer
    recording the same change at the same time finds it recorded)."""
    for _ in range(3):
        product = await known(uow, product_id)
        if product is None:
            return False
        last = await uow.session.scalar(
            select(StorePrice)
            .where(StorePrice.product_id == product_id)
            .order_by(StorePrice.seq.desc())
            .limit(1)
        )
        if last is not None and (last.price, last.currency) == (product.price, product.currency):
            return False
        try:
            async with uow.savepoint():
                uow.session.add(
                    StorePrice(
                        id=new_id(),
                        product_id=product_id,
                        seq=0 if last is None else last.seq + 1,
                        price=product.price,
                        currency=product.currency,
                        observed_at=now,
                    )
                )
                await uow.session.flush()
        except IntegrityError:
            continue  # another writer took that place: read again
        return True
    return False
