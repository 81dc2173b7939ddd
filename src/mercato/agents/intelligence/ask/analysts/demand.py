"""The demand agent: the scope's products' 30-day forecasts against their stock (on hand and
on order), the stock-out and overstock risks that follow, and how sure the forecasts are.
Quick mode reads the stored forecasts; Deep mode makes them again first (the demand part's
`refresh`, within the agent's time limit)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

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
from mercato.agents.intelligence.demand import history, stock
from mercato.agents.intelligence.demand.models import StoredForecast
from mercato.agents.intelligence.demand.service import band_of, refresh
from mercato.agents.intelligence.demand.supply import OVERSTOCK, STOCKOUT, Alert, assess

AGENT = "demand"
HORIZON = 30
QUICK_PRODUCTS, DEEP_PRODUCTS = 40, 12
"""Deep mode forecasts again, which costs a fifth of a second to a second a product."""
QUICK_MADE = 3
"""Quick mode forecasts this many of the products that have no forecast stored yet."""
HISTORY_SHOWN = 60
MAX_RISKS = 5
"""Risks listed one by one; the others are counted in an insight."""


async def _latest(ctx: AnalystContext, ids: list[str]) -> dict[str, StoredForecast]:
    async with ctx.kernel.uow(writes=False) as uow:
        rows = list(
            await uow.session.scalars(
                select(StoredForecast)
                .where(StoredForecast.product_id.in_(ids), StoredForecast.horizon == HORIZON)
                .order_by(StoredForecast.computed_at.desc())
            )
        )
    ctx.budget.take(len(rows))
    found: dict[str, StoredForecast] = {}
    for row in rows:
        found.setdefault(row.product_id, row)
    return found


async def _forecasts(
    ctx: AnalystContext, products: list[ScopedProduct], forecasts: dict[str, StoredForecast]
) -> tuple[dict[str, list[str]], dict[str, StoredForecast]]:
    """The products' variants, and their forecasts: made again (Deep mode), or made for a few
    that have none yet (Quick mode)."""
    async with ctx.kernel.uow(writes=False) as uow:
        variants = await stock.catalog_variants(uow, [p.id for p in products])
    made = variants if ctx.deep else _unforecast(variants, forecasts)
    if made:
        await refresh(ctx.kernel, made, horizons=(HORIZON,))
        forecasts = await _latest(ctx, [p.id for p in products])
        again = "again " if ctx.deep else ""
        ctx.notes.append(f"{len(made)} products forecast {again}for this question")
    return variants, forecasts


def _unforecast(
    variants: dict[str, list[str]], forecasts: dict[str, StoredForecast]
) -> dict[str, list[str]]:
    missing = [p for p in variants if p not in forecasts]
    return {p: variants[p] for p in missing[:QUICK_MADE]}


def _pick(ctx: AnalystContext, forecasts: dict[str, StoredForecast]) -> list[ScopedProduct]:
    """The products to read: those with forecasts first (store-wide questions have many)."""
    limit = DEEP_PRODUCTS if ctx.deep else QUICK_PRODUCTS
    ranked = sorted(ctx.products, key=lambda p: (p.id not in forecasts, p.name.lower()))
    return ranked[:limit]


async def analyse(ctx: AnalystContext) -> AgentResult:
    result = AgentResult(AGENT)
    ids = [p.id for p in ctx.products]
    if not ids:
        result.insufficient = "no products match the question"
        return result
    forecasts = await _latest(ctx, ids)
    products = _pick(ctx, forecasts)
    variants, forecasts = await _forecasts(ctx, products, forecasts)
    async with ctx.kernel.uow(writes=False) as uow:
        have = await stock.supplies(uow, variants)
    result.records_read = ctx.budget.used
    missing = [p for p in products if p.id not in forecasts]
    if missing:
        result.warnings.append(
            QualityWarning(
                "missing_data",
                f"{len(missing)} products have no stored forecast yet"
                + ("" if ctx.deep else ": ask in Deep mode to forecast them now"),
                AGENT,
                tuple(p.id for p in missing[:20]),
            )
        )
    stale_after = ctx.now - timedelta(seconds=ctx.kernel.settings.intel_forecast_max_age)
    total = upper = 0.0
    supply_total = 0
    metric_ev: list[str] = []
    low: list[str] = []
    at_risk: list[tuple[Alert, ScopedProduct, Evidence]] = []
    demand: dict[str, tuple[float, ScopedProduct, StoredForecast, Evidence]] = {}
    for product in products:
        row = forecasts.get(product.id)
        if row is None or product.id not in have:
            continue
        ev = evidence.forecast(
            product_id=product.id,
            name=product.name,
            horizon=HORIZON,
            at=row.computed_at,
        )
        result.evidence.append(ev)
        metric_ev.append(ev.id)
        band, dates = band_of(row)
        gap = assess(
            band,
            dates,
            have[product.id],
            overstock_margin=ctx.kernel.settings.intel_forecast_overstock_margin,
        )
        total += gap.demand
        upper += gap.demand_upper_80
        supply_total += gap.supply
        if row.computed_at < stale_after:
            result.warnings.append(
                QualityWarning(
                    "stale_data",
                    f"the forecast of {product.name} is from {row.computed_at:%d %b %Y}",
                    AGENT,
                    (ev.id,),
                )
            )
        if row.low_confidence:
            low.append(f"{product.name} ({'; '.join(row.reasons) or 'low confidence'})")
        at_risk += [(alert, product, ev) for alert in gap.alerts]
        demand[product.id] = (gap.demand, product, row, ev)
    if not metric_ev:
        result.insufficient = f"no forecast is stored for {ctx.scope_label()} yet" + (
            "" if ctx.deep else ": ask in Deep mode to forecast now"
        )
        return result
    _totals(result, total, upper, supply_total, metric_ev)
    _risks(result, at_risk)
    for _, product, row, ev in _charted(at_risk, demand):
        result.charts.append(await _chart(ctx, product, row, ev))
    if low:
        result.warnings.append(
            QualityWarning(
                "low_confidence_forecast", "low-confidence forecasts: " + "; ".join(low[:5]), AGENT
            )
        )
    confidences = [forecasts[p.id].confidence for p in products if p.id in forecasts]
    result.confidence = round(sum(confidences) / len(confidences), 2) if confidences else 0.0
    return result


def _charted(
    at_risk: list[tuple[Alert, ScopedProduct, Evidence]],
    demand: dict[str, tuple[float, ScopedProduct, StoredForecast, Evidence]],
) -> list[tuple[float, ScopedProduct, StoredForecast, Evidence]]:
    """The products drawn: the first one at risk of a stock-out, and the one most in demand."""
    chosen = [demand[p.id] for a, p, _ in at_risk if a.kind == STOCKOUT][:1]
    busiest = max(demand.values(), key=lambda d: (d[0], d[1].name), default=None)
    if busiest is not None and all(busiest[1].id != c[1].id for c in chosen):
        chosen.append(busiest)
    return chosen


def _risks(result: AgentResult, found: list[tuple[Alert, ScopedProduct, Evidence]]) -> None:
    """The most pressing risks (stock-outs first, the highest severity, the most units) as
    risks with their actions; the rest counted in one insight, with their evidence."""
    ranked = sorted(
        found,
        key=lambda f: (f[0].kind != STOCKOUT, f[0].severity != "high", -f[0].units, f[1].name),
    )
    for alert, product, ev in ranked[:MAX_RISKS]:
        _risk(result, product, alert, ev)
    rest = ranked[MAX_RISKS:]
    for kind, words in (
        (STOCKOUT, "may run out of stock"),
        (OVERSTOCK, "hold more than they sell"),
    ):
        more = [(p, ev) for a, p, ev in rest if a.kind == kind]
        if more:
            names = ", ".join(p.name for p, _ in more[:3]) + (", ..." if len(more) > 3 else "")
            result.insights.append(
                Insight(
                    f"{len(more)} more products {words}: {names}.",
                    tuple(ev.id for _, ev in more),
                    AGENT,
                )
            )


def _risk(result: AgentResult, product: ScopedProduct, alert: Alert, ev: Evidence) -> None:
    severity = Severity.HIGH if alert.severity == "high" else Severity.MEDIUM
    if alert.kind == STOCKOUT:
        result.risks.append(
            Risk(
                f"stockout:{product.id}",
                f"{product.name} may run out of stock",
                severity,
                alert.message,
                (ev.id,),
                AGENT,
            )
        )
        result.actions.append(
            Action(
                f"reorder:{product.id}",
                f"Reorder about {alert.units} units of {product.name}",
                alert.message,
                Level.HIGH if severity is Severity.HIGH else Level.MEDIUM,
                Level.MEDIUM,
                (ev.id,),
                AGENT,
                ("stock", "revenue"),
            )
        )
        return
    result.risks.append(
        Risk(
            f"overstock:{product.id}",
            f"{product.name} holds more stock than it sells",
            severity,
            alert.message,
            (ev.id,),
            AGENT,
        )
    )
    result.actions.append(
        Action(
            f"clear:{product.id}",
            f"Clear about {alert.units} surplus units of {product.name}",
            "A promotion or a bundle moves surplus stock before it ties up more cash.",
            Level.MEDIUM,
            Level.MEDIUM,
            (ev.id,),
            AGENT,
            ("stock_clearance", "stock"),
        )
    )


async def _chart(
    ctx: AnalystContext, product: ScopedProduct, row: StoredForecast, ev: Evidence
) -> Chart:
    until = history.history_end(ctx.now)
    async with ctx.kernel.uow(writes=False) as uow:
        days = (
            await history.daily_units(
                uow, [product.id], until=until, since=until - timedelta(days=HISTORY_SHOWN - 1)
            )
        ).get(product.id, {})
    past = [
        {
            "date": (until - timedelta(days=i)).isoformat(),
            "units": float(days.get(until - timedelta(days=i), 0)),
        }
        for i in range(HISTORY_SHOWN - 1, -1, -1)
    ]
    return Chart(
        "forecast_band",
        f"{product.name}: demand forecast with its 80% and 95% intervals",
        {"product": product.name, "history": past, "points": list(row.points)},
        (ev.id,),
    )


def _totals(
    result: AgentResult, total: float, upper: float, supply_total: int, metric_ev: list[str]
) -> None:
    result.metrics += [
        Metric(
            "forecast_units_30d",
            "Forecast demand, next 30 days",
            round(total, 1),
            "units",
            evidence=tuple(metric_ev),
            agent=AGENT,
            period="the next 30 days",
        ),
        Metric(
            "stock_units",
            "Stock on hand and on order",
            float(supply_total),
            "units",
            evidence=tuple(metric_ev),
            agent=AGENT,
        ),
    ]
    if total > 0:
        result.metrics.append(
            Metric(
                "days_of_cover",
                "Days of cover",
                round(supply_total / (total / HORIZON), 1),
                "days",
                evidence=tuple(metric_ev),
                agent=AGENT,
            )
        )
    result.uncertainty = [
        f"Demand over the next 30 days is forecast at {round(total, 1)} units; with 80% "
        f"confidence it stays under {round(upper, 1)}."
    ]
