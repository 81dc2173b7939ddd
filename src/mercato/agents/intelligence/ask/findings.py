"""What each analysis agent of a question finds, in one shape the synthesizer and the report
share: metrics, risks, actions, insights, evidence, data-quality warnings and charts. Every
finding names the evidence it stands on by id (`Evidence.id`), and every evidence leads to the
records it came from (seed 001 property 35)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


SEVERITY_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}


class Level(StrEnum):
    """An action's impact or effort."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


LEVEL_RANK = {Level.LOW: 1, Level.MEDIUM: 2, Level.HIGH: 3}


class Trend(StrEnum):
    UP = "up"
    DOWN = "down"
    FLAT = "flat"
    UNKNOWN = "unknown"


class AgentStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    TIMEOUT = "timeout"
    LIMITED = "limited"
    """Stopped at its memory limit (the records it may load): what it found so far stands."""
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Evidence:
    """A record a finding stands on: its kind ("competitor_observation", "review",
    "daily_demand", "forecast", "store_price", "clean_record", "order_line"), its id, a label
    a person reads, and `href`, the API path that shows it (its lineage, for records that
    came through ingestion)."""

    id: str
    kind: str
    record_id: str
    label: str
    href: str
    observed_at: str | None = None
    lineage: str | None = None
    """The API path of the record's lineage back to its raw payloads, when it has one."""


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    value: float | None
    unit: str
    """"currency:EUR", "percent", "units", "score", "count"."""
    previous: float | None = None
    change: float | None = None
    change_percent: float | None = None
    trend: Trend = Trend.UNKNOWN
    period: str | None = None
    evidence: tuple[str, ...] = ()
    agent: str = ""


@dataclass(frozen=True)
class Risk:
    key: str
    title: str
    severity: Severity
    detail: str
    evidence: tuple[str, ...] = ()
    agent: str = ""


@dataclass(frozen=True)
class Action:
    key: str
    title: str
    detail: str
    impact: Level
    effort: Level
    evidence: tuple[str, ...] = ()
    agent: str = ""
    topics: tuple[str, ...] = ()
    """What it is about ("price", "margin", "stock", "reviews", "marketplace:amazon"): how
    preferences and goals weigh it."""
    priority: int = 0
    """1 is first; set by the synthesizer."""


@dataclass(frozen=True)
class Insight:
    text: str
    evidence: tuple[str, ...]
    agent: str = ""
    confidence: float = 1.0


@dataclass(frozen=True)
class QualityWarning:
    """Missing or stale data, a low-confidence match, an agent that failed or was cut short,
    data too thin to conclude (seed 001 properties 47, 48, 50)."""

    kind: str
    message: str
    agent: str = ""
    records: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chart:
    """A chart the report draws: `kind` is "price_gap", "sentiment_trend", "forecast_band" or
    "sales_trend"; `data` its series (see `ask/charts.md`... the renderers' docstrings)."""

    kind: str
    title: str
    data: dict[str, Any]
    evidence: tuple[str, ...] = ()


@dataclass
class AgentResult:
    agent: str
    status: AgentStatus = AgentStatus.OK
    metrics: list[Metric] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    insights: list[Insight] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    warnings: list[QualityWarning] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    confidence: float = 0.0
    """0..1: how far its findings can be trusted (0 when it found nothing)."""
    uncertainty: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What it did besides reading (a fresh crawl, forecasts made again)."""
    """What its figures cannot say, in plain sentences (interval widths, thin data)."""
    insufficient: str | None = None
    """Why its data cannot support a conclusion, when it cannot."""
    records_read: int = 0
    duration_ms: float = 0.0
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
