"""What a rendered report shows, section by section: the view that view.py builds from a
stored report and that the HTML template and the PDF both render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Footnote:
    evidence_id: str
    number: int | None
    """Its place in the evidence list; None when the report does not hold that evidence."""
    anchor: str | None
    label: str


@dataclass(frozen=True)
class EvidenceView:
    number: int
    anchor: str
    evidence_id: str
    kind: str
    label: str
    record_id: str
    href: str | None
    lineage: str | None
    observed_at: str


@dataclass(frozen=True)
class MetricView:
    label: str
    value: str
    direction: str
    """"up", "down", "flat" or "" (no change known)."""
    change: str
    previous: str
    trend: str
    period: str
    agent: str
    notes: list[Footnote]


@dataclass(frozen=True)
class RiskView:
    title: str
    severity: str
    severity_label: str
    detail: str
    agent: str
    notes: list[Footnote]


@dataclass(frozen=True)
class ActionView:
    priority: str
    title: str
    detail: str
    impact: str
    effort: str
    topics: list[str]
    agent: str
    notes: list[Footnote]


@dataclass(frozen=True)
class InsightView:
    text: str
    confidence: str
    agent: str
    notes: list[Footnote]


@dataclass(frozen=True)
class WarningView:
    kind: str
    message: str
    agent: str
    records: list[Footnote]


@dataclass(frozen=True)
class ChartView:
    kind: str
    title: str
    data: Any
    notes: list[Footnote]


@dataclass(frozen=True)
class AgentView:
    name: str
    status: str
    duration: str
    records: str
    confidence: str
    cache: str
    error: str


@dataclass(frozen=True)
class SimilarView:
    question: str
    report_id: str
    score: str
    asked_at: str


@dataclass
class ReportView:
    store_name: str
    report_id: str
    query_id: str
    question: str
    mode: str
    status: str
    status_label: str
    created_at: str
    duration: str
    planned_by: str
    understood: bool
    follow_up: bool
    notes: list[str]
    scope: list[tuple[str, str]]
    confidence: float
    confidence_text: str
    confidence_label: str
    confidence_by_agent: list[tuple[str, str]]
    summary: str
    summary_by: str
    unverified: list[str]
    insufficient_reason: str
    insufficient_needed: list[str]
    metrics: list[MetricView] = field(default_factory=list)
    risks: list[RiskView] = field(default_factory=list)
    actions: list[ActionView] = field(default_factory=list)
    insights: list[InsightView] = field(default_factory=list)
    uncertainty: list[str] = field(default_factory=list)
    data_quality: list[WarningView] = field(default_factory=list)
    charts: list[ChartView] = field(default_factory=list)
    agents: list[AgentView] = field(default_factory=list)
    similar: list[SimilarView] = field(default_factory=list)
    evidence: list[EvidenceView] = field(default_factory=list)
    preferences: list[tuple[str, str]] = field(default_factory=list)
