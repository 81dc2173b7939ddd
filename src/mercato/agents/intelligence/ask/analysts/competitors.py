"""The competitors agent: what the competitors did over the question's period: their price
moves (the pricing part's alerts), which way and how far, and the promotions they run now.
Deep mode first runs the store's competitor sources again when the store allows it
(`intel_deep_crawl`), so the moves are read from fresh pages."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import structlog
from sqlalchemy import select

from mercato.agents.intelligence.ask import evidence
from mercato.agents.intelligence.ask.context import AnalystContext
from mercato.agents.intelligence.ask.findings import (
    Action,
    AgentResult,
    Insight,
    Level,
    Metric,
    QualityWarning,
    Risk,
    Severity,
    Trend,
)
from mercato.agents.intelligence.ingest.models import Source
from mercato.agents.intelligence.ingest.runner import run_source
from mercato.agents.intelligence.pricing.models import Alert, Observation
from mercato.agents.intelligence.pricing.suggesting import latest_offers_of

AGENT = "competitors"
BIG_DROP_PERCENT = 10
MAX_ALERTS = 500
WATCHED = 50
"""Products whose competitors' latest offers are read (for promotions)."""
WATCHED_EVIDENCE = 20
log = structlog.get_logger("mercato.intelligence.ask")


async def crawl(ctx: AnalystContext) -> int:
    """Run the store's enabled competitor sources now (Deep mode, when allowed): the runs'
    failures are the runs' own, noted, never the question's."""
    async with ctx.kernel.uow(writes=False) as uow:
        ids = list(
            await uow.session.scalars(
                select(Source.id).where(Source.kind == "competitor", Source.enabled.is_(True))
            )
        )
    ran = 0
    for source_id in ids:
        try:
            await run_source(ctx.kernel, source_id=source_id)
            ran += 1
        except Exception as exc:  # one source's failure is its own
            log.warning("deep_crawl_source_failed", source=source_id, error=repr(exc))
            ctx.notes.append(f"competitor source {source_id} could not be crawled: {exc}")
    return ran


async def analyse(ctx: AnalystContext) -> AgentResult:
    result = AgentResult(AGENT)
    if ctx.deep and ctx.allow_crawl:
        ran = await crawl(ctx)
        ctx.notes.append(f"{ran} competitor sources crawled again for this question")
    names = ctx.names()
    ids = list(names)
    start = datetime.combine(ctx.period.start, time.min, tzinfo=ctx.now.tzinfo)
    end = datetime.combine(ctx.period.end + timedelta(days=1), time.min, tzinfo=ctx.now.tzinfo)
    async with ctx.kernel.uow(writes=False) as uow:
        alerts = list(
            await uow.session.scalars(
                select(Alert)
                .where(
                    Alert.product_id.in_(ids), Alert.observed_at >= start, Alert.observed_at < end
                )
                .order_by(Alert.observed_at.desc(), Alert.id)
                .limit(MAX_ALERTS)
            )
        )
        ctx.budget.take(len(alerts))
        observed = set(
            await uow.session.scalars(
                select(Observation.product_id).where(Observation.product_id.in_(ids)).distinct()
            )
        )
        promos: list[tuple[str, Observation]] = []
        watched: list[tuple[str, Observation]] = []
        chosen = sorted(observed, key=lambda p: names[p])[:WATCHED]
        latest = await latest_offers_of(uow, chosen)
        for product_id in chosen:
            offers = latest[product_id]
            ctx.budget.take(len(offers))
            watched += [(product_id, o) for o in offers]
            promos += [(product_id, o) for o in offers if o.promotion_text]
    result.records_read = ctx.budget.used
    if not observed:
        result.insufficient = f"no competitor prices are known for {ctx.scope_label()}"
        result.warnings.append(
            QualityWarning("missing_data", "no competitor is watched for these products", AGENT)
        )
        return result
    if competitor := ctx.scope.competitor:
        alerts = [a for a in alerts if a.competitor.lower() == competitor.lower()]
        promos = [(p, o) for p, o in promos if o.competitor.lower() == competitor.lower()]
        watched = [(p, o) for p, o in watched if o.competitor.lower() == competitor.lower()]
        if not watched:
            result.insufficient = f"no prices of {competitor} are known for {ctx.scope_label()}"
            result.warnings.append(QualityWarning("missing_data", result.insufficient, AGENT))
            return result
    alert_ev = {
        a.id: evidence.price_alert(
            a.id,
            product_id=a.product_id,
            competitor=a.competitor,
            old=f"{a.old_price}",
            new=f"{a.new_price}",
            currency=a.currency,
            observed_at=a.observed_at,
        )
        for a in alerts
    }
    promo_ev = {
        o.id: evidence.observation(
            o.id,
            product_id=p,
            competitor=o.competitor,
            price=f"{o.price}",
            currency=o.currency,
            observed_at=o.observed_at,
            source_record_id=o.source_record_id,
        )
        for p, o in promos + watched[:WATCHED_EVIDENCE]
    }
    result.evidence += [*alert_ev.values(), *promo_ev.values()]
    seen = tuple(f"obs:{o.id}" for _, o in watched[:WATCHED_EVIDENCE])  # what "none" rests on
    drops = [a for a in alerts if a.new_price < a.old_price]
    raises = [a for a in alerts if a.new_price > a.old_price]
    all_ids = tuple(alert_ev)
    result.metrics += [
        Metric(
            "competitor_price_moves",
            "Competitor price moves",
            float(len(alerts)),
            "count",
            period=ctx.period.label,
            evidence=tuple(f"alert:{i}" for i in all_ids) or seen,
            agent=AGENT,
        ),
        Metric(
            "competitor_price_drops",
            "Competitor price drops",
            float(len(drops)),
            "count",
            trend=Trend.DOWN if drops else Trend.FLAT,
            period=ctx.period.label,
            evidence=tuple(f"alert:{a.id}" for a in drops) or seen,
            agent=AGENT,
        ),
        Metric(
            "competitor_price_raises",
            "Competitor price rises",
            float(len(raises)),
            "count",
            period=ctx.period.label,
            evidence=tuple(f"alert:{a.id}" for a in raises) or seen,
            agent=AGENT,
        ),
        Metric(
            "competitor_promotions",
            "Competitor promotions running",
            float(len(promos)),
            "count",
            evidence=tuple(f"obs:{o.id}" for _, o in promos) or seen,
            agent=AGENT,
        ),
    ]
    if alerts:
        mean = round(sum(float(a.change_percent) for a in alerts) / len(alerts), 1)
        result.metrics.append(
            Metric(
                "competitor_mean_move",
                "Average competitor price move",
                mean,
                "percent",
                period=ctx.period.label,
                evidence=tuple(f"alert:{i}" for i in all_ids),
                agent=AGENT,
            )
        )
    for a in sorted(drops, key=lambda a: a.change_percent)[:5]:
        if abs(float(a.change_percent)) < BIG_DROP_PERCENT:
            continue
        name = names.get(a.product_id, a.product_id)
        result.risks.append(
            Risk(
                f"competitor_drop:{a.id}",
                f"{a.competitor} cut {name} by {abs(float(a.change_percent))}%",
                Severity.HIGH if abs(float(a.change_percent)) >= 20 else Severity.MEDIUM,
                f"From {a.old_price} to {a.new_price} {a.currency} on {a.observed_at:%d %b %Y}.",
                (f"alert:{a.id}",),
                AGENT,
            )
        )
        result.actions.append(
            Action(
                f"answer_drop:{a.id}",
                f"Decide whether to answer {a.competitor}'s cut on {name}",
                "Match it where your margin allows (see the pricing suggestions), or hold and "
                "watch your sales of it.",
                Level.MEDIUM,
                Level.LOW,
                (f"alert:{a.id}",),
                AGENT,
                ("price", "price_match"),
            )
        )
    for product_id, o in promos[:5]:
        result.insights.append(
            Insight(
                f"{o.competitor} runs a promotion on {names.get(product_id, product_id)}: "
                f"\u201c{o.promotion_text}\u201d.",
                (f"obs:{o.id}",),
                AGENT,
            )
        )
    result.confidence = 0.9 if alerts or promos else 0.6
    return result
