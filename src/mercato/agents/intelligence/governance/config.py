"""The governance part's limits, each with the default seed 001 names. Settings do not carry
them yet: the agent's `setup` may provide a `GovernanceConfig` built from Settings
(`kernel.wiring.provide(GovernanceConfig, ...)`); without one, these defaults hold."""

from __future__ import annotations

from dataclasses import dataclass, field

from mercato.kernel.db import UnitOfWork


@dataclass(frozen=True)
class BudgetDefaults:
    store_monthly_tokens: int = 2_000_000
    """A store's LLM tokens per calendar month (UTC) until an admin sets its own."""
    user_monthly_tokens: int | None = None
    """Every user's tokens per month; None: no per-user limit."""
    warn_percent: int = 80
    """The share of a budget whose use raises the `budget_warning` alert (once a month)."""


@dataclass(frozen=True)
class SlaLimits:
    quick_seconds: float = 120.0
    deep_seconds: float = 600.0
    anomaly_factor: float = 3.0
    """A question slower than this many times its mode's median is an anomaly."""
    anomaly_window: int = 50
    """How many of the mode's last finished questions the median is taken over."""
    anomaly_min_samples: int = 10

    def limit(self, mode: str) -> float:
        return self.deep_seconds if mode == "deep" else self.quick_seconds


@dataclass(frozen=True)
class RetentionPolicy:
    raw_days: int = 90
    """Raw payloads as fetched (`intel_raw_records`)."""
    processed_days: int = 365
    """Clean records (`intel_records`) and the analysis agents' runs (`intel_agent_runs`)."""
    reports_days: int = 1095
    """Reports' bodies (`intel_reports`); the report's row and metadata stay."""

    def days(self, kind: str) -> int:
        return {"raw": self.raw_days, "reports": self.reports_days}.get(kind, self.processed_days)


@dataclass(frozen=True)
class StorageThresholds:
    """Rows per kind past which a `storage_threshold` alert is raised."""

    raw_rows: int = 1_000_000
    processed_rows: int = 1_000_000
    reports_rows: int = 100_000

    def rows(self, kind: str) -> int:
        return {"raw": self.raw_rows, "reports": self.reports_rows}.get(kind, self.processed_rows)


@dataclass(frozen=True)
class GovernanceConfig:
    budget: BudgetDefaults = field(default_factory=BudgetDefaults)
    sla: SlaLimits = field(default_factory=SlaLimits)
    retention: RetentionPolicy = field(default_factory=RetentionPolicy)
    storage: StorageThresholds = field(default_factory=StorageThresholds)
    health_interval: float = 300.0
    """Seconds between health checks."""
    archive_interval: float = 86_400.0
    """Seconds between archival runs (daily)."""
    archive_batch: int = 1000
    """Rows archived per transaction."""


def config_of(uow: UnitOfWork) -> GovernanceConfig:
    """The deployment's governance limits: the wired ones, else the defaults."""
    return uow.wired(GovernanceConfig) or GovernanceConfig()
