"""The governance part's tables: LLM token usage (one row per call), token budgets, alerts
staff acknowledge, each component's run of failures, and the metadata of archived rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mercato.kernel.db import Base, TenantScoped, UTCDateTime


class IntelTokenUsage(TenantScoped, Base):
    """One LLM call: who caused it, for which question, for what, and its tokens."""

    __tablename__ = "intel_token_usage"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64))
    query_id: Mapped[str | None] = mapped_column(String(36))
    purpose: Mapped[str] = mapped_column(String(16))
    """plan (reading the question) or summary (writing the report's text)."""
    model: Mapped[str] = mapped_column(String(120))
    input_tokens: Mapped[int] = mapped_column(Integer)
    output_tokens: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_intel_token_usage_at", "tenant_id", "created_at"),
        Index("ix_intel_token_usage_user", "tenant_id", "user_id", "created_at"),
    )


class IntelBudget(TenantScoped, Base):
    """A monthly token budget: the store's (scope "store"), one user's (scope "user" and
    `user_id`), or every user's (scope "user", no `user_id`)."""

    __tablename__ = "intel_budgets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scope: Mapped[str] = mapped_column(String(8))
    user_id: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(80))
    """`store`, `user:*` or `user:<id>`: one budget per subject (NULLs are never equal)."""
    monthly_tokens: Mapped[int] = mapped_column(BigInteger)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "subject", name="uq_intel_budgets_subject"),)


class IntelAlert(TenantScoped, Base):
    """Something staff should look at. While open, raising the same `key` again counts it on
    this row instead of adding one."""

    __tablename__ = "intel_alerts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    severity: Mapped[str] = mapped_column(String(8))
    """low, medium, high or critical."""
    title: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200))
    open_key: Mapped[str | None] = mapped_column(String(200))
    """`key` while open, None once acknowledged: the store holds one open alert per key."""
    diagnostics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    count: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """When `intelligence.alert_raised` was written to the outbox (with the alert)."""
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))
    note: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("tenant_id", "open_key", name="uq_intel_alerts_open_key"),
        Index("ix_intel_alerts_key", "tenant_id", "key", "first_at"),
        Index("ix_intel_alerts_first", "tenant_id", "first_at", "id"),
    )


class IntelComponentHealth(TenantScoped, Base):
    """A component's (an analysis agent's, a source's, the LLM's) run of failures, shared by
    every process."""

    __tablename__ = "intel_component_health"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    component: Mapped[str] = mapped_column(String(64))
    consecutive_failures: Mapped[int] = mapped_column(Integer)
    last_outcome: Mapped[str] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(Text)
    recent: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """The last outcomes, newest last: `{outcome, error, at}`."""
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "component", name="uq_intel_component_health"),)


class IntelArchive(TenantScoped, Base):
    """An archived row's metadata: what it was, where its content went."""

    __tablename__ = "intel_archives"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    """raw, processed, agent_run or report."""
    record_id: Mapped[str] = mapped_column(String(36))
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON)
    location: Mapped[str] = mapped_column(String(500))
    """The archive file, relative to the data directory."""
    archived_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_intel_archives_record", "tenant_id", "record_id"),
        Index("ix_intel_archives_kind", "tenant_id", "kind", "archived_at"),
    )


TABLES = (
    "intel_token_usage",
    "intel_budgets",
    "intel_alerts",
    "intel_component_health",
    "intel_archives",
)
