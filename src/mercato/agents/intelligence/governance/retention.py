"""Retention and archival (seed 001 requirement 17): raw payloads are kept 90 days, clean
records and the analysis agents' runs a year, reports' bodies three years (`RetentionPolicy`).
Past that, a row's content goes to an archive file (`archive_files`) and its metadata to
`intel_archives`, findable by the row's id (70); raw and processed rows are then deleted,
while a report keeps its row (its body emptied, where it went recorded).

Clean records are archived only when nothing still uses them: their own times are all past
the policy, no match of theirs is pending review or younger than the policy, and no pricing
observation younger than the policy came from them. Their lineage goes with them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import delete, exists, inspect, or_, select

from mercato.agents.intelligence.ask.models import IntelAgentRun, IntelReport
from mercato.agents.intelligence.governance import archive_files
from mercato.agents.intelligence.governance.archive_files import jsonable
from mercato.agents.intelligence.governance.config import RetentionPolicy
from mercato.agents.intelligence.governance.models import IntelArchive
from mercato.agents.intelligence.ingest.models import CleanRecord, Lineage, Match, RawRecord
from mercato.agents.intelligence.ingest.statuses import MatchStatus
from mercato.agents.intelligence.pricing.models import Observation
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import TenantContextMissing
from mercato.kernel.ids import new_id

Kind = Literal["raw", "processed", "agent_run", "report"]
KINDS: tuple[Kind, ...] = ("raw", "processed", "agent_run", "report")
Row = RawRecord | CleanRecord | IntelAgentRun | IntelReport


def _size(value: Any) -> int:
    return len(json.dumps(value, default=jsonable, sort_keys=True, separators=(",", ":")))


def _at(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def metadata_of(kind: Kind, row: Row, *, raw_ids: Sequence[str] = ()) -> dict[str, Any]:
    """What identifies an archived row, kept in the database once its content is gone."""
    if isinstance(row, RawRecord):
        return {
            "source_id": row.source_id, "run_id": row.run_id, "kind": row.kind,
            "external_id": row.external_id, "checksum": row.checksum,
            "fetched_at": _at(row.fetched_at), "size": _size(row.payload),
        }  # fmt: skip
    if isinstance(row, CleanRecord):
        return {
            "source_id": row.source_id, "kind": row.kind, "key": row.key,
            "flags": list(row.flags), "observed_at": _at(row.observed_at),
            "updated_at": _at(row.updated_at), "size": _size(row.data),
            "raw_ids": sorted(raw_ids),
        }  # fmt: skip
    if isinstance(row, IntelAgentRun):
        return {
            "query_id": row.query_id, "agent": row.agent, "mode": row.mode,
            "status": row.status, "started_at": _at(row.started_at),
            "duration_ms": row.duration_ms, "records_read": row.records_read,
            "result_bytes": row.result_bytes,
        }  # fmt: skip
    return {
        "query_id": row.query_id, "user_id": row.user_id, "mode": row.mode,
        "status": jsonable(row.status), "confidence": row.confidence,
        "created_at": _at(row.created_at), "size": _size(row.body),
    }  # fmt: skip


def content_of(row: object) -> dict[str, Any]:
    """Every column of a row, as JSON values, by column name."""
    mapper = inspect(row).mapper
    return {attr.columns[0].name: jsonable(getattr(row, attr.key)) for attr in mapper.column_attrs}


async def expired(
    uow: UnitOfWork, *, kind: Kind, policy: RetentionPolicy, now: datetime, limit: int
) -> list[Row]:
    """The oldest rows of `kind` past the policy (at most `limit`)."""
    cutoff = now - timedelta(days=policy.days(policy_kind(kind)))
    query: Any
    if kind == "raw":
        query = (
            select(RawRecord)
            .where(RawRecord.fetched_at < cutoff)
            .order_by(RawRecord.fetched_at, RawRecord.id)
        )
    elif kind == "processed":
        in_use = exists().where(
            Match.record_id == CleanRecord.id,
            or_(
                Match.status == MatchStatus.PENDING,
                Match.created_at >= cutoff,
                Match.decided_at >= cutoff,
            ),
        )
        observed = exists().where(
            Observation.source_record_id == CleanRecord.id, Observation.observed_at >= cutoff
        )
        query = (
            select(CleanRecord)
            .where(CleanRecord.observed_at < cutoff, CleanRecord.updated_at < cutoff)
            .where(~in_use, ~observed)
            .order_by(CleanRecord.updated_at, CleanRecord.id)
        )
    elif kind == "agent_run":
        query = (
            select(IntelAgentRun)
            .where(IntelAgentRun.started_at < cutoff)
            .order_by(IntelAgentRun.started_at, IntelAgentRun.id)
        )
    else:
        query = (
            select(IntelReport)
            .where(IntelReport.created_at < cutoff, IntelReport.archived_at.is_(None))
            .order_by(IntelReport.created_at, IntelReport.id)
        )
    return list(await uow.session.scalars(query.limit(limit)))


def policy_kind(kind: Kind) -> str:
    """The policy's name for a kind: raw, processed (clean records, agents' runs), reports."""
    return {"raw": "raw", "report": "reports"}.get(kind, "processed")


async def archive_batch(
    uow: UnitOfWork,
    *,
    kind: Kind,
    policy: RetentionPolicy,
    now: datetime,
    data_dir: Path,
    run_id: str,
    limit: int = 1000,
) -> int:
    """Archive one batch of `kind`'s expired rows in this unit of work; answers how many.
    The file is written before the rows change: should the transaction then fail, the rows
    stay and a later run archives them again (into its own file)."""
    store = context.current_tenant()
    if store is None:
        raise TenantContextMissing()
    rows = await expired(uow, kind=kind, policy=policy, now=now, limit=limit)
    if not rows:
        return 0
    lineage = await _lineage_rows(uow, [r.id for r in rows]) if kind == "processed" else {}
    location = archive_files.relative_location(store, kind, run_id)
    lines, entries = [], []
    for row in rows:
        links = lineage.get(row.id, [])
        meta = metadata_of(kind, row, raw_ids=[link["raw_id"] for link in links])
        lines.append(
            {"kind": kind, "id": row.id, "metadata": meta, "row": content_of(row), "lineage": links}
        )
        entries.append(
            IntelArchive(
                id=new_id(), kind=kind, record_id=row.id, meta=meta, location=location,
                archived_at=now,
            )
        )  # fmt: skip
    await archive_files.append(data_dir / location, lines)
    uow.session.add_all(entries)
    await _retire(uow, kind=kind, rows=rows, location=location, now=now)
    await uow.session.flush()
    return len(rows)


async def _lineage_rows(
    uow: UnitOfWork, record_ids: Sequence[str]
) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for link in await uow.session.scalars(select(Lineage).where(Lineage.record_id.in_(record_ids))):
        found.setdefault(link.record_id, []).append(content_of(link))
    return found


async def _retire(
    uow: UnitOfWork, *, kind: Kind, rows: Sequence[Row], location: str, now: datetime
) -> None:
    ids = [r.id for r in rows]
    if kind == "raw":
        await uow.session.execute(delete(RawRecord).where(RawRecord.id.in_(ids)))
    elif kind == "processed":
        await uow.session.execute(delete(Lineage).where(Lineage.record_id.in_(ids)))
        await uow.session.execute(delete(CleanRecord).where(CleanRecord.id.in_(ids)))
    elif kind == "agent_run":
        await uow.session.execute(delete(IntelAgentRun).where(IntelAgentRun.id.in_(ids)))
    else:
        for row in rows:
            assert isinstance(row, IntelReport)
            row.body, row.archived_at, row.archive_location = None, now, location


async def archived(uow: UnitOfWork, *, record_id: str) -> IntelArchive | None:
    """An archived row's metadata and where its content went, by the row's id."""
    return await uow.session.scalar(
        select(IntelArchive)
        .where(IntelArchive.record_id == record_id)
        .order_by(IntelArchive.archived_at.desc())
        .limit(1)
    )
