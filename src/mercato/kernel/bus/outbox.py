"""Writing to and reading from the outbox."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.events import Envelope
from mercato.kernel.prepared import Prepared

if TYPE_CHECKING:
    from mercato.kernel.db import UnitOfWork


def partition_of(aggregate_id: str, partitions: int) -> int:
    """Events of one aggregate always land in one partition, so they stay in order."""
    return zlib.crc32(aggregate_id.encode()) % partitions


class Outbox:
    def __init__(self, partitions: int) -> None:
        self.partitions = partitions

    async def write(self, uow: UnitOfWork, envelopes: Sequence[Envelope]) -> None:
        """Insert the events in the unit of work's transaction (called by it just before it
        commits)."""
        await _WRITE.run_many(uow, [self.row(e) for e in envelopes])

    def row(self, envelope: Envelope) -> dict[str, Any]:
        return {
            "id": envelope.id,
            "type": envelope.type,
            "version": envelope.version,
            "tenant_id": envelope.tenant_id,
            "aggregate_id": envelope.aggregate_id,
            "partition": partition_of(envelope.aggregate_id, self.partitions),
            "occurred_at": envelope.occurred_at,
            "correlation_id": envelope.correlation_id,
            "causation_id": envelope.causation_id,
            "payload": envelope.payload,
            "trace": envelope.trace,
        }


OUTBOX = cast(Table, OutboxRecord.__table__)
_COLUMNS = [
    "id",
    "type",
    "version",
    "tenant_id",
    "aggregate_id",
    "partition",
    "occurred_at",
    "correlation_id",
    "causation_id",
    "payload",
    "trace",
]
_WRITE = Prepared(insert(OUTBOX), columns=_COLUMNS)


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
    before_seq: int | None = None,
    newest_first: bool = False,
    limit: int = 100,
) -> list[OutboxRecord]:
    """Events in the order they were written (or the reverse, `newest_first`) between
    `after_seq` and `before_seq`; the audit log and the replay source."""
    query = select(OutboxRecord).where(OutboxRecord.seq > after_seq)
    if before_seq is not None:
        query = query.where(OutboxRecord.seq < before_seq)
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
    order = OutboxRecord.seq.desc() if newest_first else OutboxRecord.seq
    rows = await session.scalars(query.order_by(order).limit(limit))
    return list(rows)
