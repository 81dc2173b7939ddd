"""The sentiment agent: what customers say about the scope's products, from the sentiment
part's scored reviews: the mean polarity over the question's period against the period
before, the share of negative reviews, the star rating, the aspects that draw complaints,
the most common complaint phrases, and the trend by month. Deep mode scores the reviews'
texts again with the active model instead of reading the stored scores."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select

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
from mercato.agents.intelligence.ask.scope import Period, last_days
from mercato.agents.intelligence.ask.trends import change_of, trend_of
from mercato.agents.intelligence.sentiment import complaints
from mercato.agents.intelligence.sentiment.models import ReviewSentiment
from mercato.agents.intelligence.sentiment.service import analyse_texts

AGENT = "sentiment"
MAX_ROWS = 5_000
RESCORED = 400
"""Deep mode scores the newest reviews again (a few seconds of CPU); older ones keep their
stored scores."""
TREND_MONTHS = 6
MIN_REVIEWS = 3
"""Fewer reviews than this in the period: too few to read the customers' mood."""
WIDER_DAYS = 365
"""Too few reviews in the question's period: they are read over this many days instead."""
ASPECT_MIN = 3
NEGATIVE_ASPECT = -0.15


@dataclass
class Scored:
    review_id: str
    product_id: str
    rating: int
    text: str
    polarity: float
    label: str
    aspects: list[dict[str, object]]
    published_at: datetime


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


async def _rows(ctx: AnalystContext, since: datetime) -> list[Scored]:
    ids = [p.id for p in ctx.products]
    async with ctx.kernel.uow(writes=False) as uow:
        rows = list(
            await uow.session.scalars(
                select(ReviewSentiment)
                .where(ReviewSentiment.product_id.in_(ids), ReviewSentiment.published_at >= since)
                .order_by(ReviewSentiment.published_at.desc(), ReviewSentiment.review_id)
                .limit(MAX_ROWS)
            )
        )
    ctx.budget.take(len(rows))
    scored = [
        Scored(
            r.review_id,
            r.product_id,
            r.rating,
            r.text,
            r.polarity,
            r.label,
            list(r.aspects),
            r.published_at,
        )
        for r in rows
    ]
    if ctx.deep and scored:
        again = scored[:RESCORED]
        fresh, _ = await analyse_texts([s.text for s in again])
        for s, a in zip(again, fresh, strict=True):
            s.polarity, s.label = a.polarity, a.label
            s.aspects = [
                {"aspect": x.aspect, "label": x.label, "polarity": x.polarity} for x in a.aspects
            ]
        ctx.notes.append(f"{len(again)} reviews scored again with the active sentiment model")
    return scored


async def analyse(ctx: AnalystContext) -> AgentResult:
    result = AgentResult(AGENT)
    period, before = ctx.period, ctx.period.previous()
    tz = ctx.now.tzinfo

    def at(d: object) -> datetime:
        return datetime.combine(d, time.min, tzinfo=tz)  # type: ignore[arg-type]

    widened = last_days(ctx.today, WIDER_DAYS)
    since = min(at(before.start), at(widened.start), ctx.now - timedelta(days=31 * TREND_MONTHS))
    rows = await _rows(ctx, since)
    result.records_read = ctx.budget.used
    names = ctx.names()

    def within(p: Period) -> list[Scored]:
        return [r for r in rows if at(p.start) <= r.published_at < at(p.end) + timedelta(days=1)]

    now_rows = within(period)
    if (
        len(now_rows) < MIN_REVIEWS
        and len(within(widened)) >= MIN_REVIEWS
        and period.days < WIDER_DAYS
    ):
        result.uncertainty.append(
            f"Only {len(now_rows)} reviews were published over {period.label}: customers' "
            f"views are read over {widened.label} instead."
        )
        period, before = widened, widened.previous()
        now_rows = within(period)
    then_rows = within(before)
    ev = {r.review_id: evidence.review(
        r.review_id, label=f"{'★' * r.rating} on {names.get(r.product_id, r.product_id)}: "
        f"\u201c{r.text[:80]}\u201d", published_at=r.published_at) for r in rows}  # fmt: skip
    if len(now_rows) < MIN_REVIEWS:
        result.insufficient = (
            f"{len(now_rows)} reviews were published on {ctx.scope_label()} over {period.label}: "
            f"at least {MIN_REVIEWS} are needed to read how customers feel"
        )
        result.warnings.append(QualityWarning("insufficient_data", result.insufficient, AGENT))
        if rows:
            result.charts.append(_trend_chart(rows, ctx))
            result.evidence += list(ev.values())[:30]
        result.confidence = 0.2
        return result
    now_ids = tuple(f"review:{r.review_id}" for r in now_rows)
    then_ids = tuple(f"review:{r.review_id}" for r in then_rows)
    result.evidence += [ev[r.review_id] for r in now_rows + then_rows]
    mood = _mean([r.polarity for r in now_rows])
    mood_then = _mean([r.polarity for r in then_rows])
    change, _ = change_of(mood or 0.0, mood_then or 0.0) if mood_then is not None else (None, None)
    result.metrics.append(
        Metric(
            "sentiment_polarity",
            "Review sentiment (-1 to 1)",
            mood,
            "score",
            mood_then,
            change,
            None,
            trend_of(None, change=change if change and abs(change) >= 0.05 else 0.0),
            period.label,
            now_ids + then_ids,
            AGENT,
        )
    )
    negative = sum(1 for r in now_rows if r.label == "negative")
    share = round(negative / len(now_rows) * 100, 1)
    neg_then = sum(1 for r in then_rows if r.label == "negative")
    share_then = round(neg_then / len(then_rows) * 100, 1) if then_rows else None
    result.metrics.append(
        Metric(
            "negative_share",
            "Negative reviews",
            share,
            "percent",
            share_then,
            round(share - share_then, 1) if share_then is not None else None,
            None,
            trend_of(None, change=(share - share_then) if share_then is not None else None),
            period.label,
            now_ids + then_ids,
            AGENT,
        )
    )
    rating = _mean([float(r.rating) for r in now_rows])
    rating_then = _mean([float(r.rating) for r in then_rows])
    result.metrics.append(
        Metric(
            "average_rating",
            "Average star rating",
            round(rating or 0, 2),
            "score",
            round(rating_then, 2) if rating_then is not None else None,
            round((rating or 0) - rating_then, 2) if rating_then is not None else None,
            None,
            trend_of(
                None, change=((rating or 0) - rating_then) if rating_then is not None else None
            ),
            period.label,
            now_ids + then_ids,
            AGENT,
        )
    )
    result.metrics.append(
        Metric(
            "review_count",
            "Reviews published",
            float(len(now_rows)),
            "count",
            float(len(then_rows)),
            float(len(now_rows) - len(then_rows)),
            None,
            trend_of(None, change=len(now_rows) - len(then_rows)),
            period.label,
            now_ids + then_ids,
            AGENT,
        )
    )
    _aspects(result, now_rows, ctx)
    _complaints(result, now_rows)
    result.charts.append(_trend_chart(rows, ctx))
    result.confidence = round(min(0.9, 0.4 + len(now_rows) / 50), 2)
    return result


def _aspects(result: AgentResult, rows: list[Scored], ctx: AnalystContext) -> None:
    by_aspect: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for r in rows:
        for a in r.aspects:
            by_aspect[str(a["aspect"])].append((float(a["polarity"]), r.review_id))  # type: ignore[arg-type]
    for aspect, said in sorted(
        by_aspect.items(), key=lambda kv: (sum(p for p, _ in kv[1]) / len(kv[1]), kv[0])
    ):
        if len(said) < ASPECT_MIN:
            continue
        mean = round(sum(p for p, _ in said) / len(said), 2)
        ids = tuple(f"review:{i}" for _, i in said)
        name = aspect.replace("_", " ")
        if mean <= NEGATIVE_ASPECT:
            negatives = sum(1 for p, _ in said if p < 0)
            result.risks.append(
                Risk(
                    f"aspect:{aspect}",
                    f"Customers complain about {name}",
                    Severity.HIGH if mean <= -0.4 and len(said) >= 5 else Severity.MEDIUM,
                    f"{negatives} of {len(said)} reviews that mention {name} are negative "
                    f"(mean {mean}).",
                    ids,
                    AGENT,
                )
            )
            result.actions.append(
                Action(
                    f"fix_aspect:{aspect}",
                    f"Address the {name} complaints on {ctx.scope_label()}",
                    f"Read the reviews that mention {name}, fix the cause (product page, sizing "
                    "guide, supplier, packaging) and reply to the customers.",
                    Level.HIGH if mean <= -0.4 else Level.MEDIUM,
                    Level.MEDIUM,
                    ids,
                    AGENT,
                    ("reviews", aspect),
                )
            )
        elif mean >= 0.3:
            result.insights.append(
                Insight(
                    f"Customers praise the {name} ({len(said)} mentions, mean {mean}).", ids, AGENT
                )
            )


def _complaints(result: AgentResult, rows: list[Scored]) -> None:
    facts = [
        complaints.ReviewFacts(
            r.review_id, r.text, [str(a["aspect"]) for a in r.aspects if a["label"] == "negative"]
        )
        for r in rows
    ]
    for pattern in complaints.patterns(facts)[:3]:
        ids = tuple(f"review:{e['review_id']}" for e in pattern.examples if "review_id" in e)
        if not ids or pattern.count < 2:
            continue
        result.insights.append(
            Insight(
                f"A recurring complaint: \u201c{pattern.pattern}\u201d ({pattern.count} reviews).",
                ids,
                AGENT,
            )
        )


def _trend_chart(rows: list[Scored], ctx: AnalystContext) -> Chart:
    months: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        months[f"{r.published_at:%Y-%m}"].append(r.polarity)
    points = [
        {"period": m, "polarity": round(sum(v) / len(v), 3), "count": len(v)}
        for m, v in sorted(months.items())
    ][-TREND_MONTHS:]
    return Chart(
        "sentiment_trend",
        f"Review sentiment by month, {ctx.scope_label()}",
        {"granularity": "month", "points": points},
        tuple(f"review:{r.review_id}" for r in rows[:50]),
    )
