"""The questions asked (a queue held in the database: any process may run a queued question),
their reports, and each analysis agent's run with its telemetry (seed 001 property 62)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.intelligence.ask.findings import AgentStatus
from mercato.agents.intelligence.ask.statuses import QueryStatus, ReportStatus
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime


class IntelQuery(TenantScoped, Base):
    __tablename__ = "intel_queries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64))
    """Who asked (the principal's id): only they, and the store's staff, read it."""
    asker: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The principal as it asked (kind, roles, merchant): what it may see is what the agents
    read, whichever process runs the question."""
    question: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(8))
    priority: Mapped[int] = mapped_column(Integer)
    """Lower runs first: Quick questions (0) before Deep ones (1)."""
    status: Mapped[QueryStatus] = mapped_column(StrEnumColumn(QueryStatus, 16))
    route: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The router's reading: intents, scope, who planned it, notes."""
    agents: Mapped[list[str]] = mapped_column(JSON, default=list)
    progress: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Per agent: its status and time so far (what `WS …/ws/{query_id}` reports)."""
    conversation_id: Mapped[str | None] = mapped_column(String(36))
    report_id: Mapped[str | None] = mapped_column(String(36))
    error: Mapped[str | None] = mapped_column(Text)
    estimated_wait_s: Mapped[float] = mapped_column(Float, default=0.0)
    enqueued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    """The process running it."""
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """A running question whose process stopped renewing this is queued again."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    trace_id: Mapped[str | None] = mapped_column(String(32))
    trace: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    """The asking request's trace context (W3C `traceparent`): the question runs in its
    trace, whichever process takes it."""

    __table_args__ = (
        Index("ix_intel_queries_queue", "status", "priority", "enqueued_at"),
        Index("ix_intel_queries_user", "tenant_id", "user_id", "enqueued_at"),
    )


class IntelReport(TenantScoped, Base):
    __tablename__ = "intel_reports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    query_id: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[str] = mapped_column(String(64))
    question: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(8))
    status: Mapped[ReportStatus] = mapped_column(StrEnumColumn(ReportStatus, 16))
    summary: Mapped[str] = mapped_column(Text)
    confidence: Mapped[float] = mapped_column(Float)
    body: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The whole report (`ask/report.py`); None once archived (its metadata stays here)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archive_location: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (Index("ix_intel_reports_created", "tenant_id", "created_at"),)


class IntelAgentRun(TenantScoped, Base):
    """One analysis agent's run for one question: logged with its telemetry."""

    __tablename__ = "intel_agent_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    query_id: Mapped[str] = mapped_column(String(36))
    agent: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(8))
    status: Mapped[AgentStatus] = mapped_column(StrEnumColumn(AgentStatus, 16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    duration_ms: Mapped[float] = mapped_column(Float)
    records_read: Mapped[int] = mapped_column(Integer)
    result_bytes: Mapped[int] = mapped_column(Integer)
    cache: Mapped[str] = mapped_column(String(16))
    """"hit", "miss", "refreshed" (stale, made again), or "bypass" (Deep mode)."""
    error: Mapped[str | None] = mapped_column(Text)
    trace_id: Mapped[str | None] = mapped_column(String(32))

    __table_args__ = (Index("ix_intel_agent_runs_query", "tenant_id", "query_id"),)


TABLES = ("intel_queries", "intel_reports", "intel_agent_runs")
