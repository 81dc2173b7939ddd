"""Clean records after they are stored: their lineage back to the raw records (seed 001,
property 53), and corrections and deletions, each written to the audit log with who, when,
before, after and why (properties 55, 56)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, select

from mercato.agents.intelligence.ingest.clean.records import Kind, to_stored, validate
from mercato.agents.intelligence.ingest.models import (
    AuditEntry,
    CleanRecord,
    Lineage,
    Match,
    RawRecord,
)
from mercato.agents.intelligence.ingest.problems import InvalidCorrection
from mercato.kernel import paging
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.security import get_or_404


async def record_for(uow: UnitOfWork, record_id: str, *, principal: Principal) -> CleanRecord:
    return await get_or_404(uow, CleanRecord, record_id, principal=principal, what="record")


@dataclass(frozen=True)
class Derivation:
    raw: RawRecord
    step: str
    at: datetime


async def lineage(uow: UnitOfWork, *, record: CleanRecord) -> list[Derivation]:
    """The raw records `record` was derived from, newest first, with the step that did it."""
    rows = await uow.session.execute(
        select(Lineage, RawRecord)
        .join(RawRecord, RawRecord.id == Lineage.raw_id)
        .where(Lineage.record_id == record.id, RawRecord.tenant_id == Lineage.tenant_id)
        .order_by(Lineage.at.desc(), Lineage.id.desc())
    )
    return [Derivation(raw=raw, step=link.step, at=link.at) for link, raw in rows.all()]


async def correct(
    uow: UnitOfWork,
    *,
    record: CleanRecord,
    data: dict[str, Any],
    actor: str,
    reason: str,
    now: datetime,
) -> CleanRecord:
    """Replace the record's fields (validated as its kind), audited."""
    valid, errors = validate(cast(Kind, record.kind), data)
    if valid is None:
        raise InvalidCorrection("; ".join(errors), errors=errors)
    before, after = dict(record.data), to_stored(valid)
    record.data, record.updated_at = after, now
    last = await uow.session.scalar(
        select(Lineage.raw_id).where(Lineage.record_id == record.id).order_by(Lineage.at.desc())
    )
    if last is not None:
        uow.session.add(
            Lineage(
                id=new_id(), record_id=record.id, raw_id=last, step=f"correction by {actor}", at=now
            )
        )
    uow.session.add(
        AuditEntry(
            id=new_id(),
            record_id=record.id,
            actor=actor,
            action="correct",
            reason=reason,
            before=before,
            after=after,
            at=now,
        )
    )
    await uow.session.flush()
    return record


async def remove(
    uow: UnitOfWork, *, record: CleanRecord, actor: str, reason: str, now: datetime
) -> AuditEntry:
    """Delete the record (and its matches), audited with what it held."""
    entry = AuditEntry(
        id=new_id(),
        record_id=record.id,
        actor=actor,
        action="delete",
        reason=reason,
        before={"kind": record.kind, "source_id": record.source_id, "data": dict(record.data)},
        after=None,
        at=now,
    )
    uow.session.add(entry)
    await uow.session.execute(delete(Match).where(Match.record_id == record.id))
    await uow.session.delete(record)
    await uow.session.flush()
    return entry


@dataclass(frozen=True)
class AuditQuery:
    record_id: str | None = None
    actor: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


async def audit(
    uow: UnitOfWork, *, query: AuditQuery, limit: int, cursor: str | None
) -> tuple[list[AuditEntry], str | None]:
    """The store's audit entries matching every filter given, newest first."""
    key = paging.decode(cursor, datetime, str)
    select_ = select(AuditEntry)
    if query.record_id is not None:
        select_ = select_.where(AuditEntry.record_id == query.record_id)
    if query.actor is not None:
        select_ = select_.where(AuditEntry.actor == query.actor)
    if query.action is not None:
        select_ = select_.where(AuditEntry.action == query.action)
    if query.since is not None:
        select_ = select_.where(AuditEntry.at >= query.since)
    if query.until is not None:
        select_ = select_.where(AuditEntry.at < query.until)
    rows = (
        await uow.session.scalars(
            select_.where(paging.beyond((AuditEntry.at, AuditEntry.id), key, descending=True))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit + 1)
        )
    ).all()
    return paging.cut(rows, limit, lambda e: (e.at, e.id))


def matches_filter(entry: AuditEntry, query: AuditQuery) -> bool:
    """Whether `entry` answers `query` (the same rule as `audit`, for one entry)."""
    return (
        (query.record_id is None or entry.record_id == query.record_id)
        and (query.actor is None or entry.actor == query.actor)
        and (query.action is None or entry.action == query.action)
        and (query.since is None or entry.at >= query.since)
        and (query.until is None or entry.at < query.until)
    )
