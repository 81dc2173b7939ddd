"""Writing to and reading from the outbox."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.events import Envelope


def partition_of(aggregate_id: str, partitions: int) -> int:
    """Events of one aggregate always land in one partition, so they stay in order."""
    return zlib.crc32(aggregate_id.encode()) % partitions


class Outbox:
    def __init__(self, partitions: int) -> None:
        self.partitions = partitions

    def stage(self, session: AsyncSession, envelopes: Sequence[Envelope]) -> None:
        """Add the events to the session's transaction (called by the unit of work)."""
        session.add_all([self.to_record(e) for e in envelopes])

    def to_record(self, envelope: Envelope) -> OutboxRecord:
        return OutboxRecord(
            id=envelope.id,
            type=envelope.type,
            version=envelope.version,
            tenant_id=envelope.tenant_id,
            aggregate_id=envelope.aggregate_id,
            partition=partition_of(envelope.aggregate_id, self.partitions),
            occurred_at=envelope.occurred_at,
            correlation_id=envelope.correlation_id,
            causation_id=envelope.causation_id,
            payload=envelope.payload,
            trace=envelope.trace,
        )


def to_envelope(record: OutboxRecord) -> Envelope:
    return Envelope(
        id=record.id,
        type=record.type,
        version=record.version,
        tenant_id=record.tenant_id,
        aggregate_id=record.aggregate_id,
        occurred_at=record.occurred_at,
        correlation_id=record.correlation_id,
        causation_id=record.causation_id,
        payload=record.payload,
        trace=record.trace or {},
    )


async def history(
    session: AsyncSession,
    *,
    tenant_id: str | None,
    types: Sequence[str] = (),
    aggregate_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    after_seq: int = 0,
    limit: int = 100,
) -> list[OutboxRecord]:
    """Events in the order they were written; the audit log and the replay source."""
    query = select(OutboxRecord).where(OutboxRecord.seq > after_seq)
    if tenant_id is not None:
        query = query.where(OutboxRecord.tenant_id == tenant_id)
    if types:
        query = query.where(OutboxRecord.type.in_(types))
    if aggregate_id is not None:
        query = query.where(OutboxRecord.aggregate_id == aggregate_id)
    if since is not None:
        query = query.where(OutboxRecord.occurred_at >= since)
    if until is not None:
        query = query.where(OutboxRecord.occurred_at < until)
    rows = await session.scalars(query.order_by(OutboxRecord.seq).limit(limit))
    return list(rows)
