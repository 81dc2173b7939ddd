"""One report from the agents' findings (seed 001 properties 31, 33 to 38, 47, 48, 50): the
metrics (the asker's KPIs first), risks by severity, actions prioritised by impact, effort and
the asker's goals, the insights, including those only the agents together show (a sales drop
next to a price gap that widened, or reviews that soured), the overall confidence, what the
figures cannot say, the data-quality warnings, and every evidence record they link to.

The report is a plain dict (`/v1/intelligence/reports/{id}`); its summary is written after,
from it (`summarising.py`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from mercato.agents.intelligence.ask.findings import (
    SEVERITY_RANK,
    Action,
    AgentResult,
    AgentStatus,
    Evidence,
    Insight,
    Metric,
    QualityWarning,
)
from mercato.agents.intelligence.ask.scope import Route

HIGH, MEDIUM = 0.75, 0.5
"""Overall confidence from which a report is labelled high, medium (else low)."""
THIN = 0.5
"""An agent below this confidence: its findings rest on thin data, and the report says so."""
NEEDED = {
    "pricing": "competitor prices for these products (a competitor source or an import)",
    "competitors": "competitors watched for these products",
    "sentiment": "published reviews of these products",
    "demand": "a forecast of these products (Deep mode makes one now)",
    "sales": "sales of these products over the period",
}
FAILURE_WORDS = {
    AgentStatus.FAILED: "failed",
    AgentStatus.TIMEOUT: "ran out of time",
    AgentStatus.LIMITED: "stopped at its memory limit",
    AgentStatus.SKIPPED: "was skipped",
}


@dataclass(frozen=True)
class Asked:
    query_id: str
    report_id: str
    question: str
    mode: str
    route: Route
    created_at: datetime
    duration_ms: float


@dataclass(frozen=True)
class AgentRow:
    result: AgentResult
    cache: str


LEADS = {
    "price_position": "pricing",
    "competitor_moves": "competitors",
    "sentiment": "sentiment",
    "forecast": "demand",
    "stock_risk": "demand",
    "sales_trend": "sales",
}
"""The agent that answers each intent first: its findings lead the report."""

Ranker = Callable[[list[Action]], list[Action]]
MetricOrder = Callable[[list[Metric]], list[Metric]]


def _plain(obj: Any) -> dict[str, Any]:
    return asdict(obj)


def confidence_label(overall: float) -> str:
    return "high" if overall >= HIGH else "medium" if overall >= MEDIUM else "low"


def overall_confidence(results: Sequence[AgentResult]) -> float:
    """The mean of the agents' confidence (0 for an agent that gave nothing), so a failed or
    empty agent pulls the whole down."""
    if not results:
        return 0.0
    scores = [r.confidence if r.status is AgentStatus.OK else 0.0 for r in results]
    return round(sum(scores) / len(scores), 2)


def _metric(results: Sequence[AgentResult], agent: str, key: str) -> Metric | None:
    for r in results:
        if r.agent == agent:
            return next((m for m in r.metrics if m.key == key), None)
    return None


def cross_insights(results: Sequence[AgentResult]) -> list[Insight]:
    """What the agents show together: what moved with a fall in sales."""
    sales = _metric(results, "sales", "units_sold")
    if sales is None or sales.change_percent is None or sales.change_percent > -10:
        return []
    found: list[Insight] = []
    drop = f"Sales fell {abs(sales.change_percent)}%"
    gap = _metric(results, "pricing", "price_gap_to_median")
    if gap is not None and gap.change is not None and gap.change > 0:
        found.append(
            Insight(
                f"{drop} while your prices moved {gap.change} points further above the market "
                f"median (now {gap.value}%).",
                sales.evidence + gap.evidence,
                "synthesis",
            )
        )
    mood = _metric(results, "sentiment", "sentiment_polarity")
    if mood is not None and mood.change is not None and mood.change <= -0.05:
        found.append(
            Insight(
                f"{drop} while review sentiment fell from {mood.previous} to {mood.value}.",
                sales.evidence + mood.evidence,
                "synthesis",
            )
        )
    cuts = _metric(results, "competitors", "competitor_price_drops")
    if cuts is not None and cuts.value:
        found.append(
            Insight(
                f"{drop} over a period in which competitors cut prices {int(cuts.value)} times.",
                sales.evidence + cuts.evidence,
                "synthesis",
            )
        )
    if not found:
        found.append(
            Insight(
                f"{drop}, and neither your prices, your reviews nor your competitors' moves "
                "changed enough to explain it: look at traffic, seasonality and stock-outs.",
                sales.evidence,
                "synthesis",
            )
        )
    return found


def _uncertainty(results: Sequence[AgentResult], route: Route) -> list[str]:
    said: list[str] = []
    if not route.understood:
        said.append(
            "The question was not understood, so this is a general overview of "
            "the store's pricing, reviews, demand and sales."
        )
    for r in results:
        if r.status is not AgentStatus.OK:
            said.append(
                f"The {r.agent} analysis {FAILURE_WORDS[r.status]}: its findings are missing "
                "from this report."
            )
        elif r.insufficient:
            said.append(f"{r.agent.capitalize()}: {r.insufficient}.")
        elif r.confidence < THIN:
            said.append(
                f"The {r.agent} findings rest on thin data (confidence {r.confidence:.2f})."
            )
        said += r.uncertainty
    return said


def _evidence(results: Sequence[AgentResult]) -> list[Evidence]:
    seen: dict[str, Evidence] = {}
    for r in results:
        for e in r.evidence:
            seen.setdefault(e.id, e)
    return list(seen.values())


def _insufficient(results: Sequence[AgentResult], has_metrics: bool) -> dict[str, Any] | None:
    if has_metrics:
        return None
    reasons = [f"{r.agent}: {r.insufficient}" for r in results if r.insufficient]
    reasons += [f"{r.agent}: {r.error}" for r in results if r.status is not AgentStatus.OK]
    return {
        "reason": "; ".join(reasons) or "no analysis could answer the question",
        "needed": [NEEDED[r.agent] for r in results if r.agent in NEEDED],
    }


def synthesize(
    asked: Asked,
    rows: Sequence[AgentRow],
    *,
    rank_actions: Ranker,
    order_metrics: MetricOrder,
    preferences: dict[str, Any],
    similar: list[dict[str, Any]],
) -> dict[str, Any]:
    """The report, every part of it from the agents' results (its summary comes after)."""
    leads = [LEADS[str(i)] for i in asked.route.intents if str(i) in LEADS]
    rows = sorted(
        rows, key=lambda r: leads.index(r.result.agent) if r.result.agent in leads else len(leads)
    )
    results = [row.result for row in rows]
    metrics = order_metrics([m for r in results for m in r.metrics])
    risks = sorted(
        (k for r in results for k in r.risks), key=lambda k: (-SEVERITY_RANK[k.severity], k.key)
    )
    actions = rank_actions(list({a.key: a for r in results for a in r.actions}.values()))
    insights = [i for r in results for i in r.insights] + cross_insights(results)
    warnings: list[QualityWarning] = [w for r in results for w in r.warnings]
    if not asked.route.understood:
        warnings.append(
            QualityWarning("not_understood", "the question was not understood", "router")
        )
    evidence = _evidence(results)
    known = {e.id for e in evidence}
    overall = overall_confidence(results)
    insufficient = _insufficient(results, bool(metrics))
    status = (
        "insufficient"
        if insufficient
        else "partial"
        if any(r.status is not AgentStatus.OK for r in results)
        else "complete"
    )
    route = asked.route
    return {
        "id": asked.report_id,
        "query_id": asked.query_id,
        "question": asked.question,
        "mode": asked.mode,
        "status": status,
        "created_at": asked.created_at.isoformat(),
        "duration_ms": round(asked.duration_ms, 1),
        "scope": route.scope.as_dict(),
        "intents": [str(i) for i in route.intents],
        "planned_by": route.planned_by,
        "understood": route.understood,
        "follow_up": route.follow_up,
        "notes": list(route.notes),
        "metrics": [_linked(_plain(m), known) for m in metrics],
        "risks": [_linked(_plain(k), known) for k in risks],
        "actions": [_linked(_plain(a), known) for a in actions],
        "insights": [_linked(_plain(i), known) for i in insights],
        "confidence": {
            "overall": overall,
            "label": confidence_label(overall),
            "by_agent": {r.agent: r.confidence for r in results},
        },
        "uncertainty": _uncertainty(results, route),
        "data_quality": [_plain(w) for w in warnings],
        "insufficient_data": insufficient,
        "evidence": [_plain(e) for e in evidence],
        "charts": [_linked(_plain(c), known) for r in results for c in r.charts],
        "agents": [
            {
                "agent": r.agent,
                "status": str(r.status),
                "duration_ms": r.duration_ms,
                "records_read": r.records_read,
                "confidence": r.confidence,
                "error": r.error,
                "cache": row.cache,
            }
            for row, r in zip(rows, results, strict=True)
        ],
        "preferences": preferences,
        "similar_questions": similar,
    }


def _linked(item: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """Its evidence ids, each one of the report's evidence (an agent's link to a record it
    did not list would lead nowhere)."""
    item["evidence"] = [e for e in item.get("evidence", ()) if e in known]
    for key in ("severity", "impact", "effort", "trend"):
        if key in item:
            item[key] = str(item[key])
    return item
