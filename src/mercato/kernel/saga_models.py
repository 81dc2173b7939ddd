"""Tables of persisted sagas: the instances and a log of every step they took."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from mercato.kernel.bus.models import SeqType
from mercato.kernel.db import Base, StrEnumColumn, UTCDateTime
from mercato.kernel.saga_definitions import SagaStatus


class SagaInstance(Base):
    __tablename__ = "saga_instances"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    saga: Mapped[str] = mapped_column(String(80))
    tenant_id: Mapped[str] = mapped_column(String(64))
    correlation_id: Mapped[str] = mapped_column(String(64))
    # running → completed, or running → compensating → compensated
    status: Mapped[SagaStatus] = mapped_column(StrEnumColumn(SagaStatus, 16))
    # running: the next step to do; compensating: the next step to undo (counting down)
    step: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(120))
    lease_until: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_saga_instances_status_lease", "status", "lease_until"),)


class SagaLogEntry(Base):
    __tablename__ = "saga_log"

    seq: Mapped[int] = mapped_column(SeqType, primary_key=True, autoincrement=True)
    saga_id: Mapped[str] = mapped_column(String(64), index=True)
    step: Mapped[str] = mapped_column(String(80))
    result: Mapped[str] = mapped_column(String(24))  # done | failed | timed_out | compensated | …
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
