"""A product's pricing as the merchant reads it: its price against each matched competitor
(gaps in one currency only), the market, its position, recent alerts, open suggestions, the
margin floor and the price history. Reads the pricing part's own tables and the catalog's
service; writes nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, select

from mercato.agents.intelligence.pricing import gaps, rules
from mercato.agents.intelligence.pricing.floors import FloorSource, floors_of
from mercato.agents.intelligence.pricing.models import Alert, Observation, StorePrice, Suggestion
from mercato.agents.intelligence.pricing.products import StoreProduct
from mercato.agents.intelligence.pricing.suggesting import (
    latest_of,
    observations_of,
    open_suggestions_of,
    tuning,
)
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
    return (await analyse_many(uow, [product], now=now))[0]


async def analyse_many(
    uow: UnitOfWork, products: Sequence[StoreProduct], *, now: datetime
) -> list[Analysis]:
    """`analyse` of each product, in the same order: six queries however many products (a
    store-wide question compares dozens)."""
    ids = [p.id for p in products]
    observed = await observations_of(uow, ids)
    floors = await floors_of(uow, products)
    suggestions = await open_suggestions_of(uow, ids)
    alerts = await _newest_per_product(
        uow, Alert, ids, ALERTS_SHOWN, (Alert.observed_at.desc(), Alert.id.desc())
    )
    store_history = await _newest_per_product(
        uow, StorePrice, ids, HISTORY_POINTS, (StorePrice.seq.desc(),)
    )
    tune = tuning(uow.settings)
    return [
        _analysis(
            product,
            observed[product.id],
            floors[product.id],
            suggestions[product.id],
            alerts[product.id],
            store_history[product.id][::-1],
            now,
            tune,
        )
        for product in products
    ]


def _analysis(
    product: StoreProduct,
    observations: list[Observation],
    floor: FloorSource | None,
    open_ones: list[Suggestion],
    alerts: list[Alert],
    store_history: list[StorePrice],
    now: datetime,
    tune: rules.Tuning,
) -> Analysis:
    views = [
        CompetitorView(
            offer=o,
            gap=gaps.price_gap(product.price, product.currency, o.price, o.currency),
            confidence=round(o.match_confidence * rules.freshness(o.observed_at, now, tune), 3),
        )
        for o in latest_of(observations)
    ]
    same_currency = [v.offer.price for v in views if v.gap.comparable]
    suggestions = [
        s
        for s in open_ones
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
        alerts=alerts,
        suggestions=suggestions,
        floor=floor,
        store_history=store_history,
        competitor_history=_competitor_history(observations[: HISTORY_POINTS * 5]),
        notes=notes,
    )


Newest = TypeVar("Newest", Alert, StorePrice)


async def _newest_per_product(
    uow: UnitOfWork,
    model: type[Newest],
    product_ids: list[str],
    limit: int,
    newest_first: tuple[ColumnElement[Any], ...],
) -> dict[str, list[Newest]]:
    """Each product's `limit` newest rows of `model` (ranked by `newest_first` within the
    product, in one query), the newest first."""
    rank = func.row_number().over(partition_by=model.product_id, order_by=newest_first)
    ranked = select(model.id, rank.label("rank")).where(model.product_id.in_(product_ids))
    top = ranked.subquery()
    rows = await uow.session.scalars(
        select(model)
        .join(top, top.c.id == model.id)
        .where(top.c.rank <= limit)
        .order_by(model.product_id, top.c.rank)
    )
    found: dict[str, list[Newest]] = {pid: [] for pid in product_ids}
    for row in rows:
        found[row.product_id].append(row)
    return found


def _competitor_history(
    newest_first: list[Observation],
) -> dict[tuple[str, str], list[Observation]]:
    """Each competitor product's last HISTORY_POINTS prices, the oldest first."""
    found: dict[tuple[str, str], list[Observation]] = {}
    for row in newest_first:
        points = found.setdefault((row.competitor, row.url), [])
        if len(points) < HISTORY_POINTS:
            points.append(row)
    return {key: points[::-1] for key, points in found.items()}
