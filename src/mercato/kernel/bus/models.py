"""The kernel's event tables: the outbox (also the audit log and event store), the inbox and
the dead letters."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mercato.kernel.db import Base, StrEnumColumn, UTCDateTime

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
SeqType = BigInteger().with_variant(Integer(), "sqlite")


class OutboxRecord(Base):
    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    type: Mapped[str] = mapped_column(String(120), index=True)
    version: Mapped[int] = mapped_column(Integer)
    tenant_id: Mapped[str] = mapped_column(String(64))
    aggregate_id: Mapped[str] = mapped_column(String(120))
    partition: Mapped[int] = mapped_column(Integer)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    correlation_id: Mapped[str] = mapped_column(String(64))
    causation_id: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    trace: Mapped[dict[str, str]] = mapped_column(JSON)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index(
            "ix_outbox_unpublished",
            "partition",
            "seq",
            postgresql_where=published_at.is_(None),
            sqlite_where=published_at.is_(None),
        ),
        # What the SQLite relay polls (oldest unpublished first): without it SQLite walks the
        # whole outbox, which keeps every event, twenty times a second.
        Index(
            "ix_outbox_pending",
            "seq",
            postgresql_where=published_at.is_(None),
            sqlite_where=published_at.is_(None),
        ),
        Index("ix_outbox_tenant_aggregate", "tenant_id", "aggregate_id", "seq"),
        Index("ix_outbox_tenant_occurred", "tenant_id", "occurred_at"),
    )


class InboxRecord(Base):
    """One row per (event, handler) that has been handled: the idempotency record."""

    __tablename__ = "inbox"

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    handler: Mapped[str] = mapped_column(String(160), primary_key=True)
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime)


class DeadLetterStatus(StrEnum):
    DEAD = "dead"
    REDELIVERED = "redelivered"
    SUPERSEDED = "superseded"
    """Not redelivered: redelivery found the event handled meanwhile, or dead-lettered again."""


class DeadLetter(Base):
    """An event a handler could not process after every retry."""

    __tablename__ = "dead_letters"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    event_id: Mapped[str] = mapped_column(String(36), index=True)
    event_type: Mapped[str] = mapped_column(String(120))
    handler: Mapped[str] = mapped_column(String(160), index=True)
    tenant_id: Mapped[str] = mapped_column(String(64))
    envelope: Mapped[dict[str, Any]] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer)
    status: Mapped[DeadLetterStatus] = mapped_column(
        StrEnumColumn(DeadLetterStatus, 16), index=True
    )
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    redelivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
