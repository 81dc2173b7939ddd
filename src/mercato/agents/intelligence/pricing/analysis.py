"""A product's pricing as the merchant reads it: its price against each matched competitor
(gaps in one currency only), the market, its position, recent alerts, open suggestions, the
margin floor and the price history. Reads the pricing part's own tables and the catalog's
service; writes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from mercato.agents.intelligence.pricing import gaps, rules
from mercato.agents.intelligence.pricing.floors import FloorSource, floor_of
from mercato.agents.intelligence.pricing.models import Alert, Observation, StorePrice, Suggestion
from mercato.agents.intelligence.pricing.products import StoreProduct
from mercato.agents.intelligence.pricing.suggesting import latest_offers, open_suggestions, tuning
from mercato.kernel.db import UnitOfWork

HISTORY_POINTS = 200
ALERTS_SHOWN = 20


@dataclass(frozen=True)
class CompetitorView:
    offer: Observation
    gap: gaps.Gap
    confidence: float
    """The match's confidence x the observation's freshness."""


@dataclass
class Analysis:
    product: StoreProduct
    competitors: list[CompetitorView]
    market: gaps.Market | None
    position: gaps.Position | None
    alerts: list[Alert]
    suggestions: list[Suggestion]
    floor: FloorSource | None
    store_history: list[StorePrice]
    competitor_history: dict[tuple[str, str], list[Observation]]
    notes: list[str] = field(default_factory=list)


async def analyse(uow: UnitOfWork, *, product: StoreProduct, now: datetime) -> Analysis:
    tune = tuning(uow.settings)
    offers = await latest_offers(uow, product.id)
    views = [
        CompetitorView(
            offer=o,
            gap=gaps.price_gap(product.price, product.currency, o.price, o.currency),
            confidence=round(o.match_confidence * rules.freshness(o.observed_at, now, tune), 3),
        )
        for o in offers
    ]
    same_currency = [v.offer.price for v in views if v.gap.comparable]
    floor = await floor_of(uow, product)
    suggestions = [
        s
        for s in await open_suggestions(uow, product.id)
        # made for the price and floor of now: a change the handlers have not caught up
        # with yet does not show a suggestion that accepting would refuse
        if s.base_price == product.price
        and s.currency == product.currency
        and s.floor == (floor.floor.price if floor else None)
    ]
    notes: list[str] = []
    foreign = sorted({v.offer.currency for v in views if not v.gap.comparable})
    if foreign:
        notes.append(
            f"offers in {', '.join(foreign)} are shown but not compared with a "
            f"{product.currency} price"
        )
    if floor is None:
        notes.append(
            "no cost is known for this product: suggestions never lower its price "
            "(set its cost to allow it)"
        )
    return Analysis(
        product=product,
        competitors=views,
        market=gaps.market(same_currency, product.currency),
        position=gaps.position(product.price, same_currency, product.currency),
        alerts=await _alerts(uow, product.id),
        suggestions=suggestions,
        floor=floor,
        store_history=await _store_history(uow, product.id),
        competitor_history=await _competitor_history(uow, product.id),
        notes=notes,
    )


async def _alerts(uow: UnitOfWork, product_id: str) -> list[Alert]:
    return list(
        await uow.session.scalars(
            select(Alert)
            .where(Alert.product_id == product_id)
            .order_by(Alert.observed_at.desc(), Alert.id.desc())
            .limit(ALERTS_SHOWN)
        )
    )


async def _store_history(uow: UnitOfWork, product_id: str) -> list[StorePrice]:
    rows = await uow.session.scalars(
        select(StorePrice)
        .where(StorePrice.product_id == product_id)
        .order_by(StorePrice.seq.desc())
        .limit(HISTORY_POINTS)
    )
    return list(rows)[::-1]


async def _competitor_history(
    uow: UnitOfWork, product_id: str
) -> dict[tuple[str, str], list[Observation]]:
    rows = await uow.session.scalars(
        select(Observation)
        .where(Observation.product_id == product_id)
        .order_by(Observation.observed_at.desc(), Observation.id.desc())
        .limit(HISTORY_POINTS * 5)
    )
    found: dict[tuple[str, str], list[Observation]] = {}
    for row in rows:
        points = found.setdefault((row.competitor, row.url), [])
        if len(points) < HISTORY_POINTS:
            points.append(row)
    return {key: points[::-1] for key, points in found.items()}
