"""An agent's result to and from JSON (the cache keeps results as JSON)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from mercato.agents.intelligence.ask.findings import (
    Action,
    AgentResult,
    AgentStatus,
    Chart,
    Evidence,
    Insight,
    Level,
    Metric,
    QualityWarning,
    Risk,
    Severity,
    Trend,
)


def encode(result: AgentResult) -> dict[str, Any]:
    return asdict(result)


def _t(items: Any) -> tuple[str, ...]:
    return tuple(items or ())


def decode(data: dict[str, Any]) -> AgentResult:
    return AgentResult(
        agent=data["agent"],
        status=AgentStatus(data["status"]),
        metrics=[
            Metric(**{**m, "trend": Trend(m["trend"]), "evidence": _t(m["evidence"])})
            for m in data["metrics"]
        ],
        risks=[
            Risk(**{**r, "severity": Severity(r["severity"]), "evidence": _t(r["evidence"])})
            for r in data["risks"]
        ],
        actions=[
            Action(
                **{
                    **a,
                    "impact": Level(a["impact"]),
                    "effort": Level(a["effort"]),
                    "evidence": _t(a["evidence"]),
                    "topics": _t(a["topics"]),
                }
            )
            for a in data["actions"]
        ],
        insights=[Insight(**{**i, "evidence": _t(i["evidence"])}) for i in data["insights"]],
        evidence=[Evidence(**e) for e in data["evidence"]],
        warnings=[QualityWarning(**{**w, "records": _t(w["records"])}) for w in data["warnings"]],
        charts=[Chart(**{**c, "evidence": _t(c["evidence"])}) for c in data["charts"]],
        confidence=float(data["confidence"]),
        uncertainty=list(data.get("uncertainty") or []),
        notes=list(data.get("notes") or []),
        insufficient=data.get("insufficient"),
        records_read=int(data.get("records_read") or 0),
        duration_ms=float(data.get("duration_ms") or 0.0),
        error=data.get("error"),
    )
