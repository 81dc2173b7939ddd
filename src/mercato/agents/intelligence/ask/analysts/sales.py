"""The sales agent: units sold over the question's period against the period before, per
product and in all, from the demand part's daily history (orders' events and imported
history). Each figure links to the daily units it adds up."""

from __future__ import annotations

from datetime import date, timedelta

from mercato.agents.intelligence.ask import evidence
from mercato.agents.intelligence.ask.context import AnalystContext
from mercato.agents.intelligence.ask.findings import (
    Action,
    AgentResult,
    Chart,
    Insight,
    Level,
    Metric,
    QualityWarning,
    Risk,
    Severity,
)
from mercato.agents.intelligence.ask.trends import change_of, trend_of
from mercato.agents.intelligence.demand import history

AGENT = "sales"
MIN_UNITS = 5
"""Fewer units in both periods than this: too few sales to say anything about a trend."""
MOVERS = 3


def _total(days: dict[date, int], start: date, end: date) -> int:
    return sum(units for day, units in days.items() if start <= day <= end)


async def analyse(ctx: AnalystContext) -> AgentResult:
    result = AgentResult(AGENT)
    period, before = ctx.period, ctx.period.previous()
    ids = [p.id for p in ctx.products]
    if not ids:
        result.insufficient = "no products match the question"
        return result
    async with ctx.kernel.uow(writes=False) as uow:
        units = await history.daily_units(uow, ids, until=period.end, since=before.start)
    ctx.budget.take(sum(len(d) for d in units.values()))
    result.records_read = ctx.budget.used
    names = ctx.names()
    current = {p: _total(units.get(p, {}), period.start, period.end) for p in ids}
    previous = {p: _total(units.get(p, {}), before.start, before.end) for p in ids}
    now_total, then_total = sum(current.values()), sum(previous.values())
    store_ev = evidence.sales_scope(ctx.scope, period.start, period.end, ctx.scope_label())
    before_ev = evidence.sales_scope(ctx.scope, before.start, before.end, ctx.scope_label())
    result.evidence += [store_ev, before_ev]
    silent = [p for p in ids if not units.get(p)]
    if silent:
        result.warnings.append(
            QualityWarning(
                "missing_data",
                f"{len(silent)} of {len(ids)} products have no sales recorded in either period",
                AGENT,
                tuple(silent[:20]),
            )
        )
    last_day = max((d for days in units.values() for d in days), default=None)
    if last_day is not None and last_day < period.end - timedelta(days=2):
        result.warnings.append(
            QualityWarning(
                "stale_data", f"the last sale recorded is from {last_day:%d %b %Y}", AGENT
            )
        )
    if now_total + then_total < MIN_UNITS:
        result.insufficient = (
            f"{now_total + then_total} units were sold over {period.label} and the period "
            f"before: too few to read a trend"
        )
        result.confidence = 0.2
        return result
    change, pct = change_of(now_total, then_total)
    result.metrics.append(
        Metric(
            "units_sold",
            "Units sold",
            float(now_total),
            "units",
            float(then_total),
            change,
            pct,
            trend_of(pct),
            period.label,
            (store_ev.id, before_ev.id),
            AGENT,
        )
    )
    movers = sorted(ids, key=lambda p: (current[p] - previous[p], names[p]))
    for product_id in movers[:MOVERS]:
        delta = current[product_id] - previous[product_id]
        if delta >= 0:
            break
        ev = evidence.sales(product_id, names[product_id], before.start, period.end)
        result.evidence.append(ev)
        result.insights.append(
            Insight(
                f"{names[product_id]} sold {current[product_id]} units against "
                f"{previous[product_id]} the period before ({delta:+d}).",
                (ev.id,),
                AGENT,
            )
        )
    if pct is not None and pct <= -15:
        severity = Severity.HIGH if pct <= -40 else Severity.MEDIUM
        result.risks.append(
            Risk(
                "sales_drop",
                f"Sales of {ctx.scope_label()} fell {abs(pct):.1f}%",
                severity,
                f"{now_total} units over {period.label} against {then_total} the period before.",
                (store_ev.id, before_ev.id),
                AGENT,
            )
        )
        result.actions.append(
            Action(
                "investigate_drop",
                f"Look into the products that lost the most sales in {ctx.scope_label()}",
                "Compare their prices, reviews and stock with the period before (see the "
                "insights and the other agents' findings).",
                Level.MEDIUM,
                Level.LOW,
                (store_ev.id,),
                AGENT,
                ("revenue",),
            )
        )
    result.charts.append(
        Chart(
            "sales_trend",
            f"Units sold per day, {ctx.scope_label()}",
            {
                "points": [
                    {
                        "date": (period.start + timedelta(days=i)).isoformat(),
                        "units": float(
                            sum(
                                units.get(p, {}).get(period.start + timedelta(days=i), 0)
                                for p in ids
                            )
                        ),
                    }
                    for i in range(period.days)
                ],
                "current_total": float(now_total),
                "previous_total": float(then_total),
                "period": period.label,
            },
            (store_ev.id,),
        )
    )
    volume = now_total + then_total
    result.confidence = round(min(0.95, 0.5 + volume / 200), 2)
    return result
