"""The pricing part's rows as its API answers them."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from mercato.agents.intelligence.pricing.analysis import Analysis
from mercato.agents.intelligence.pricing.floors import FloorSource
from mercato.agents.intelligence.pricing.models import Alert, CategoryFloor, Cost, Suggestion
from mercato.agents.intelligence.pricing.schemas import (
    AlertOut,
    CategoryMarginOut,
    CompetitorHistoryOut,
    CompetitorOut,
    CostOut,
    FloorOut,
    HistoryOut,
    MarketOut,
    PositionOut,
    PricePoint,
    PricingOut,
    PromotionOut,
    SuggestionOut,
)
from mercato.kernel.money import round_money

D = TypeVar("D", Decimal, Decimal | None)


def _money(amount: D, currency: str) -> D:
    """Stored amounts come back without their scale (30, not 30.00): answered by the
    currency's minor unit, as every amount of the API is."""
    return amount if amount is None else round_money(amount, currency)


def _percent(value: D) -> D:
    return value if value is None else value.quantize(Decimal("0.01"))


def suggestion_out(row: Suggestion) -> SuggestionOut:
    return SuggestionOut(
        id=row.id,
        rule=row.rule,
        price=_money(row.price, row.currency),
        currency=row.currency,
        base_price=_money(row.base_price, row.currency),
        floor=_money(row.floor, row.currency),
        confidence=row.confidence,
        reason=row.reason,
        status=row.status,
        created_at=row.created_at,
        accepted_by=row.accepted_by,
        accepted_at=row.accepted_at,
        applied=dict(row.applied or {}),
    )


def floor_out(found: FloorSource | None) -> FloorOut | None:
    if found is None:
        return None
    floor = found.floor
    return FloorOut(
        price=floor.price,
        cost=_money(floor.cost, floor.currency),
        min_margin_percent=_percent(floor.min_margin_percent),
        min_margin_amount=_money(floor.min_margin_amount, floor.currency),
        margin_from=found.margin_from,
    )


def cost_out(row: Cost, floor: FloorSource | None) -> CostOut:
    return CostOut(
        product_id=row.product_id,
        cost=_money(row.cost, row.currency),
        currency=row.currency,
        min_margin_percent=_percent(row.min_margin_percent),
        min_margin_amount=_money(row.min_margin_amount, row.currency),
        floor=floor_out(floor),
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )


def category_margin_out(row: CategoryFloor) -> CategoryMarginOut:
    return CategoryMarginOut(
        category_id=row.category_id,
        min_margin_percent=_percent(row.min_margin_percent),
        updated_by=row.updated_by,
        updated_at=row.updated_at,
    )


def _alert_out(row: Alert) -> AlertOut:
    return AlertOut(
        id=row.id,
        competitor=row.competitor,
        url=row.url,
        old_price=_money(row.old_price, row.currency),
        new_price=_money(row.new_price, row.currency),
        currency=row.currency,
        change_percent=_percent(row.change_percent),
        threshold_percent=_percent(row.threshold_percent),
        observed_at=row.observed_at,
    )


def pricing_out(found: Analysis) -> PricingOut:
    product = found.product
    return PricingOut(
        product_id=product.id,
        currency=product.currency,
        price=_money(product.price, product.currency),
        competitors=[
            CompetitorOut(
                observation_id=v.offer.id,
                source_record_id=v.offer.source_record_id,
                competitor=v.offer.competitor,
                url=v.offer.url,
                price=_money(v.offer.price, v.offer.currency),
                currency=v.offer.currency,
                gap=v.gap.amount,
                gap_percent=v.gap.percent,
                comparable=v.gap.comparable,
                observed_at=v.offer.observed_at,
                confidence=v.confidence,
                match_confidence=v.offer.match_confidence,
                availability=v.offer.availability,
                promotions=[PromotionOut(**p) for p in v.offer.promotions],
            )
            for v in found.competitors
        ],
        market=MarketOut(
            min=_money(found.market.min, product.currency),
            median=_money(found.market.median, product.currency),
            max=_money(found.market.max, product.currency),
            count=found.market.count,
        )
        if found.market
        else None,
        position=PositionOut(
            label=found.position.label, rank=found.position.rank, of=found.position.of
        )
        if found.position
        else None,
        alerts=[_alert_out(a) for a in found.alerts],
        suggestions=[suggestion_out(s) for s in found.suggestions],
        floor=floor_out(found.floor),
        notes=found.notes,
        history=HistoryOut(
            store=[
                PricePoint(
                    price=_money(p.price, p.currency),
                    currency=p.currency,
                    observed_at=p.observed_at,
                )
                for p in found.store_history
            ],
            competitors=[
                CompetitorHistoryOut(
                    competitor=competitor,
                    url=url,
                    points=[
                        PricePoint(
                            observation_id=o.id,
                            price=_money(o.price, o.currency),
                            currency=o.currency,
                            observed_at=o.observed_at,
                        )
                        for o in points
                    ],
                )
                for (competitor, url), points in found.competitor_history.items()
            ],
        ),
    )
