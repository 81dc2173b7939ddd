"""The pricing agent: where the store's prices stand against its competitors' (the market's
min, median and max per product, from the pricing part's observations), the gap now and at the
period's start, the suggestions the pricing part made, and what weakens the comparison
(low-confidence matches, stale observations, unknown costs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from statistics import median

from sqlalchemy import func, select

from mercato.agents.intelligence.ask import evidence
from mercato.agents.intelligence.ask.context import AnalystContext
from mercato.agents.intelligence.ask.findings import (
    Action,
    AgentResult,
    Chart,
    Evidence,
    Insight,
    Level,
    Metric,
    QualityWarning,
    Risk,
    Severity,
)
from mercato.agents.intelligence.ask.products import ScopedProduct
from mercato.agents.intelligence.ask.trends import trend_of
from mercato.agents.intelligence.pricing.analysis import Analysis, analyse_many
from mercato.agents.intelligence.pricing.models import Observation
from mercato.agents.intelligence.pricing.products import StoreProduct

AGENT = "pricing"
QUICK_PRODUCTS, DEEP_PRODUCTS = 25, 80
"""A store-wide question compares this many products with competitors' prices (the most
observed first)."""
DEAR_PERCENT, VERY_DEAR_PERCENT = 10.0, 20.0
STALE_DAYS = 7
CHARTS = 3
MAX_RISKS = 5
"""Products listed one by one as risks; the others are counted in an insight."""


def gap_percent(price: Decimal, reference: Decimal) -> float:
    return round(float((price - reference) / reference * 100), 1)


async def observed_products(ctx: AnalystContext, limit: int) -> list[ScopedProduct]:
    """The scope's products with competitors' prices, the most observed first."""
    by_id = {p.id: p for p in ctx.products}
    async with ctx.kernel.uow(writes=False) as uow:
        rows = await uow.session.execute(
            select(Observation.product_id, func.count())
            .where(Observation.product_id.in_(list(by_id)))
            .group_by(Observation.product_id)
        )
        counts = {pid: int(n) for pid, n in rows}
    ranked = sorted(counts, key=lambda p: (-counts[p], by_id[p].name))
    return [by_id[p] for p in ranked[:limit]]


def _store_product(p: ScopedProduct) -> StoreProduct:
    return StoreProduct(p.id, p.price, p.currency, p.merchant_id, p.category_path)


def _median_at(analysis: Analysis, at: datetime) -> Decimal | None:
    """The competitors' median price as it stood at `at` (each one's last price by then)."""
    prices = []
    for points in analysis.competitor_history.values():
        before = [
            o for o in points if o.observed_at <= at and o.currency == analysis.product.currency
        ]
        if before:
            prices.append(before[-1].price)
    return Decimal(median(prices)) if prices else None


def _store_price_at(analysis: Analysis, at: datetime) -> Decimal:
    before = [s for s in analysis.store_history if s.observed_at <= at]
    return before[-1].price if before else analysis.product.price


async def analyse(ctx: AnalystContext) -> AgentResult:
    result = AgentResult(AGENT)
    limit = DEEP_PRODUCTS if ctx.deep else QUICK_PRODUCTS
    products = await observed_products(ctx, limit)
    if not products:
        result.insufficient = (
            f"no competitor prices are known for {ctx.scope_label()}: add a competitor source "
            "(Admin > Intelligence > Sources) or import prices"
        )
        result.warnings.append(
            QualityWarning(
                "missing_data", "no competitor prices for the products asked about", AGENT
            )
        )
        return result
    start = datetime.combine(ctx.period.start, datetime.min.time(), tzinfo=ctx.now.tzinfo)
    async with ctx.kernel.uow(writes=False) as uow:
        found_all = await analyse_many(uow, [_store_product(p) for p in products], now=ctx.now)
    analyses: list[tuple[ScopedProduct, Analysis]] = []
    for product, found in zip(products, found_all, strict=True):
        ctx.budget.take(
            1 + len(found.competitors) + sum(len(h) for h in found.competitor_history.values())
        )
        analyses.append((product, found))
    result.records_read = ctx.budget.used
    gaps_now: list[float] = []
    gaps_then: list[float] = []
    metric_evidence: list[str] = []
    dear: list[Dear] = []
    tally = Tally()
    no_cost = 0
    for product, found in analyses:
        product_ev = evidence.store_price(
            product.id, product.name, f"{product.price}", product.currency
        )
        result.evidence.append(product_ev)
        offer_ev = _offer_evidence(ctx, product, found, tally)
        result.evidence += offer_ev
        if found.floor is None:
            no_cost += 1
        if found.market is None:
            continue
        gap = gap_percent(product.price, found.market.median)
        gaps_now.append(gap)
        metric_evidence += [product_ev.id, *(e.id for e in offer_ev)]
        then = _median_at(found, start)
        if then is not None:
            gaps_then.append(gap_percent(_store_price_at(found, start), then))
        if gap >= DEAR_PERCENT:
            dear.append((gap, product, found, [product_ev, *offer_ev]))
        if len(products) == 1:
            result.metrics += _one_product_metrics(
                product, found, [product_ev.id, *(e.id for e in offer_ev)]
            )
        _suggestion_actions(result, product, found, gap, [product_ev, *offer_ev])
    _gap_metrics(result, ctx, gaps_now, gaps_then, metric_evidence)
    _dear_findings(result, dear)
    if not dear and analyses:
        product, found = analyses[0]
        result.charts.append(_gap_chart(product, found, []))
    if gaps_now:
        cheaper = sum(1 for g in gaps_now if g < 0)
        result.insights.append(
            Insight(
                f"Of {len(gaps_now)} products compared, {cheaper} are priced below the market "
                f"median and {len(gaps_now) - cheaper} at or above it.",
                tuple(metric_evidence),
                AGENT,
            )
        )
    _quality(result, tally.low_confidence, tally.stale, no_cost, len(analyses))
    confidences = tally.confidences
    result.confidence = round(sum(confidences) / len(confidences), 2) if confidences else 0.0
    return result


def _one_product_metrics(product: ScopedProduct, found: Analysis, ev: list[str]) -> list[Metric]:
    assert found.market is not None
    unit = f"currency:{product.currency}"
    return [
        Metric(
            "store_price",
            f"{product.name}: your price",
            float(product.price),
            unit,
            evidence=tuple(ev[:1]),
            agent=AGENT,
        ),
        Metric(
            "market_median",
            "Competitors' median price",
            float(found.market.median),
            unit,
            evidence=tuple(ev[1:]),
            agent=AGENT,
        ),
        Metric(
            "market_lowest",
            "Lowest competitor price",
            float(found.market.min),
            unit,
            evidence=tuple(ev[1:]),
            agent=AGENT,
        ),
    ]


def _gap_chart(product: ScopedProduct, found: Analysis, evs: list[Evidence]) -> Chart:
    return Chart(
        "price_gap",
        f"{product.name} against its competitors",
        {
            "product": product.name,
            "currency": product.currency,
            "store_price": float(product.price),
            "competitors": [
                {
                    "name": v.offer.competitor,
                    "price": float(v.offer.price),
                    "gap_percent": float(v.gap.percent) if v.gap.percent is not None else None,
                    "observed_at": v.offer.observed_at.isoformat(),
                }
                for v in found.competitors
                if v.gap.comparable
            ],
        },
        tuple(e.id for e in evs),
    )


Dear = tuple[float, ScopedProduct, Analysis, list[Evidence]]


def _dear_findings(result: AgentResult, dear: list[Dear]) -> None:
    """Risks and actions for the products priced well above the market, the dearest first
    (the others counted in one insight)."""
    ranked = sorted(dear, key=lambda d: (-d[0], d[1].name))
    rest = ranked[MAX_RISKS:]
    if rest:
        names = ", ".join(p.name for _, p, _, _ in rest[:3]) + (", ..." if len(rest) > 3 else "")
        result.insights.append(
            Insight(
                f"{len(rest)} more products are priced {DEAR_PERCENT:g}% or more above the "
                f"market median: {names}.",
                tuple(e.id for _, _, _, evs in rest for e in evs[:2]),
                AGENT,
            )
        )
    for gap, product, found, evs in ranked[:MAX_RISKS]:
        assert found.market is not None
        result.risks.append(
            Risk(
                f"overpriced:{product.id}",
                f"{product.name} is {gap}% above the market median",
                Severity.HIGH if gap >= VERY_DEAR_PERCENT else Severity.MEDIUM,
                f"{product.price} {product.currency} against a median of {found.market.median} "
                f"over {found.market.count} competitor offers.",
                tuple(e.id for e in evs),
                AGENT,
            )
        )
        if not found.suggestions:
            result.actions.append(
                Action(
                    f"review_price:{product.id}",
                    f"Review the price of {product.name}",
                    f"It is {gap}% above the market median of {found.market.median} "
                    f"{product.currency}; no suggestion was made (see its floor and cost).",
                    Level.MEDIUM,
                    Level.MEDIUM,
                    tuple(e.id for e in evs),
                    AGENT,
                    ("price",),
                )
            )
    for _, product, found, evs in sorted(dear, key=lambda d: -d[0])[:CHARTS]:
        result.charts.append(_gap_chart(product, found, evs))


def _quality(
    result: AgentResult, low_confidence: list[str], stale: list[str], no_cost: int, compared: int
) -> None:
    if low_confidence:
        result.warnings.append(
            QualityWarning(
                "low_confidence_match",
                f"{len(low_confidence)} competitor offers come from matches below the confidence "
                "threshold",
                AGENT,
                tuple(f"obs:{i}" for i in low_confidence[:20]),
            )
        )
    if stale:
        result.warnings.append(
            QualityWarning(
                "stale_data",
                f"{len(stale)} competitor prices are older than {STALE_DAYS} days",
                AGENT,
                tuple(f"obs:{i}" for i in stale[:20]),
            )
        )
    if no_cost:
        result.warnings.append(
            QualityWarning(
                "missing_data",
                f"no cost is known for {no_cost} of {compared} products: no suggestion lowers "
                "their prices, and margins cannot be checked",
                AGENT,
            )
        )


@dataclass
class Tally:
    low_confidence: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)


def _offer_evidence(
    ctx: AnalystContext, product: ScopedProduct, found: Analysis, tally: Tally
) -> list[Evidence]:
    """Each competitor offer's evidence, counting the weak (unsure matches, old prices)."""
    found_ev = []
    for view in found.competitors:
        o = view.offer
        found_ev.append(
            evidence.observation(
                o.id,
                product_id=product.id,
                competitor=o.competitor,
                price=f"{o.price}",
                currency=o.currency,
                observed_at=o.observed_at,
                source_record_id=o.source_record_id,
            )
        )
        tally.confidences.append(view.confidence)
        if o.match_confidence < ctx.kernel.settings.intel_match_threshold:
            tally.low_confidence.append(o.id)
        if o.observed_at < ctx.now - timedelta(days=STALE_DAYS):
            tally.stale.append(o.id)
    return found_ev


def _suggestion_actions(
    result: AgentResult, product: ScopedProduct, found: Analysis, gap: float, evs: list[Evidence]
) -> None:
    """The pricing part's open suggestions for the product, as actions."""
    for s in found.suggestions:
        cut = s.price < s.base_price
        result.actions.append(
            Action(
                f"price:{product.id}:{s.id}",
                f"{'Lower' if cut else 'Raise'} {product.name} from {s.base_price} to "
                f"{s.price} {s.currency}",
                s.reason,
                Level.HIGH if abs(gap) >= DEAR_PERCENT else Level.MEDIUM,
                Level.LOW,
                tuple(e.id for e in evs),
                AGENT,
                ("price", "price_cut" if cut else "price_raise", *(() if cut else ("margin",))),
            )
        )


def _gap_metrics(
    result: AgentResult,
    ctx: AnalystContext,
    gaps_now: list[float],
    gaps_then: list[float],
    metric_evidence: list[str],
) -> None:
    """The mean gap to the market median now and at the period's start, and the counts."""
    if gaps_now:
        now_avg = round(sum(gaps_now) / len(gaps_now), 1)
        then_avg = (
            round(sum(gaps_then) / len(gaps_then), 1) if len(gaps_then) == len(gaps_now) else None
        )
        change = round(now_avg - then_avg, 1) if then_avg is not None else None
        result.metrics.insert(
            0,
            Metric(
                "price_gap_to_median",
                "Price against the market median",
                now_avg,
                "percent",
                then_avg,
                change,
                None,
                trend_of(None, change=change),
                ctx.period.label,
                tuple(metric_evidence),
                AGENT,
            ),
        )
        dearer = sum(1 for g in gaps_now if g > 0)
        result.metrics.append(
            Metric(
                "products_above_median",
                "Products dearer than the market median",
                float(dearer),
                "count",
                evidence=tuple(metric_evidence),
                agent=AGENT,
            )
        )
        result.metrics.append(
            Metric(
                "products_compared",
                "Products compared with competitors",
                float(len(gaps_now)),
                "count",
                evidence=tuple(metric_evidence),
                agent=AGENT,
            )
        )
