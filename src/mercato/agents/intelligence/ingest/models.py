"""The ingest part's tables. Every row belongs to one store (`TenantScoped`).

- `intel_sources`: where data comes from; its secret is never here, only the name of the
  Settings entry holding it (`intel_credentials`).
- `intel_runs`: one fetch of one source, its counts and per-record errors.
- `intel_raw_records`: payloads as fetched, once per checksum per source.
- `intel_records`: clean records, one per source and key (most recent wins).
- `intel_lineage`: which raw records each clean record was derived from, by what step.
- `intel_matches`: an outside record matched to a store product, with its confidence.
- `intel_audit`: corrections and deletions of clean records: who, when, before, after, why.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.intelligence.ingest.statuses import MatchStatus, RunStatus
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime


class Source(TenantScoped, Base):
    __tablename__ = "intel_sources"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(120))
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    credential: Mapped[str | None] = mapped_column(String(64))
    """The name of the secret in Settings' `intel_credentials`, never the secret."""
    interval_seconds: Mapped[int | None] = mapped_column(Integer)
    """None: run on demand only."""
    rate_per_second: Mapped[float] = mapped_column(Float)
    enabled: Mapped[bool] = mapped_column(Boolean)
    next_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "name"),
        Index("ix_intel_sources_due", "tenant_id", "enabled", "next_run_at"),
    )


class Run(TenantScoped, Base):
    __tablename__ = "intel_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(36))
    status: Mapped[RunStatus] = mapped_column(StrEnumColumn(RunStatus, 16))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    fetched: Mapped[int] = mapped_column(Integer)
    stored: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    duplicates: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[dict[str, int]] = mapped_column(JSON)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """Per record: `{external_id, errors: [...]}` (the first 500)."""
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_intel_runs_source", "tenant_id", "source_id", "started_at", "id"),)


class RawRecord(TenantScoped, Base):
    __tablename__ = "intel_raw_records"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(36))
    run_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(500))
    payload: Mapped[Any] = mapped_column(JSON)
    checksum: Mapped[str] = mapped_column(String(64))
    """sha256 of the payload's canonical JSON (sorted keys, no spaces)."""
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "source_id", "checksum"),
        Index("ix_intel_raw_records_run", "tenant_id", "run_id"),
    )


class CleanRecord(TenantScoped, Base):
    __tablename__ = "intel_records"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    source_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(500))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    flags: Mapped[list[str]] = mapped_column(JSON)
    """Missing data and how it was handled (`clean.missing`)."""
    observed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "source_id", "kind", "key"),
        Index("ix_intel_records_kind", "tenant_id", "kind", "observed_at"),
    )


class Lineage(TenantScoped, Base):
    __tablename__ = "intel_lineage"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36))
    raw_id: Mapped[str] = mapped_column(String(36))
    step: Mapped[str] = mapped_column(String(120))
    """What made the record from the raw one (`validate+normalise`, `correction`, …)."""
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_intel_lineage_record", "tenant_id", "record_id", "at"),)


class Match(TenantScoped, Base):
    __tablename__ = "intel_matches"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36))
    product_id: Mapped[str] = mapped_column(String(36))
    method: Mapped[str] = mapped_column(String(16))
    """gtin, mpn_brand, sku, title."""
    confidence: Mapped[float] = mapped_column(Float)
    status: Mapped[MatchStatus] = mapped_column(StrEnumColumn(MatchStatus, 16))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "record_id"),
        Index("ix_intel_matches_status", "tenant_id", "status", "created_at", "id"),
        Index("ix_intel_matches_product", "tenant_id", "product_id", "status"),
    )


class AuditEntry(TenantScoped, Base):
    __tablename__ = "intel_audit"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(36))
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))
    """correct, delete."""
    reason: Mapped[str] = mapped_column(String(1000))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_intel_audit_at", "tenant_id", "at", "id"),
        Index("ix_intel_audit_record", "tenant_id", "record_id", "at"),
        Index("ix_intel_audit_actor", "tenant_id", "actor", "at"),
        Index("ix_intel_audit_action", "tenant_id", "action", "at"),
    )


TABLES = [
    "intel_sources",
    "intel_runs",
    "intel_raw_records",
    "intel_records",
    "intel_lineage",
    "intel_matches",
    "intel_audit",
]
