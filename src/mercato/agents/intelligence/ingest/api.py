"""The ingest routes under /v1/intelligence: sources and their runs, the match review
queue, lineage, and the audit log with the corrections and deletions it records. Reading
needs `intelligence:read`; changing anything `intelligence:manage`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Response

from mercato.agents.intelligence.access import MANAGE, READ
from mercato.agents.intelligence.ingest import matches, pricing_feed, records, runner, sources
from mercato.agents.intelligence.ingest.problems import (
    InvalidCorrection,
    InvalidSource,
    MatchAlreadyDecided,
    SourceNameTaken,
)
from mercato.agents.intelligence.ingest.schemas import (
    AuditOut,
    AuditPage,
    CorrectionIn,
    DeletionIn,
    LineageOut,
    MatchOut,
    MatchPage,
    RawOut,
    RecordOut,
    RunOut,
    RunPage,
    SourceChange,
    SourceIn,
    SourceOut,
    SourcePage,
)
from mercato.kernel.auth import Principal, require
from mercato.kernel.errors import NotFound
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep

router = APIRouter(tags=["intelligence"])

Reader = Annotated[Principal, Depends(require(READ))]
Manager = Annotated[Principal, Depends(require(MANAGE))]
Id = Annotated[str, Path(min_length=1, max_length=36)]
Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[str | None, Query(max_length=600)]


def _source(row: Any) -> SourceOut:
    return SourceOut.model_validate(row, from_attributes=True)


@router.get("/sources", response_model=SourcePage, responses=problems(InvalidCursor))
async def get_sources(
    kernel: KernelDep, _: Reader, limit: Limit = 50, cursor: Cursor = None
) -> SourcePage:
    """The store's sources, by name."""
    async with kernel.uow(writes=False) as uow:
        rows, next_cursor = await sources.list_sources(uow, limit=limit, cursor=cursor)
        return SourcePage(items=[_source(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/sources",
    status_code=201,
    response_model=SourceOut,
    responses=problems(InvalidSource, SourceNameTaken),
)
async def post_source(body: SourceIn, kernel: KernelDep, _: Manager) -> SourceOut:
    """Add a source; its secret stays in Settings (`credential` names it)."""
    async with kernel.uow() as uow:
        made = await sources.create_source(uow, **body.model_dump(), now=kernel.clock.now())
        await uow.commit()
        return _source(made)


@router.patch(
    "/sources/{source_id}",
    response_model=SourceOut,
    responses=problems(NotFound, InvalidSource, SourceNameTaken),
)
async def patch_source(
    source_id: Id, body: SourceChange, kernel: KernelDep, principal: Manager
) -> SourceOut:
    async with kernel.uow() as uow:
        found = await sources.source_for(uow, source_id, principal=principal)
        changes = body.model_dump(exclude_unset=True)
        changed = await sources.change_source(
            uow, source=found, changes=changes, now=kernel.clock.now()
        )
        await uow.commit()
        return _source(changed)


@router.delete("/sources/{source_id}", status_code=204, responses=problems(NotFound))
async def delete_source(source_id: Id, kernel: KernelDep, principal: Manager) -> Response:
    """Remove the source; the records it fetched stay, with their lineage."""
    async with kernel.uow() as uow:
        found = await sources.source_for(uow, source_id, principal=principal)
        await sources.delete_source(uow, source=found)
        await uow.commit()
    return Response(status_code=204)


@router.post(
    "/sources/{source_id}/runs",
    status_code=201,
    response_model=RunOut,
    responses=problems(NotFound),
)
async def post_run(source_id: Id, kernel: KernelDep, principal: Manager) -> RunOut:
    """Run the source now and answer the finished run (a failed source answers its run,
    `failed` with the error: the request itself succeeded)."""
    async with kernel.uow(writes=False) as uow:
        await sources.source_for(uow, source_id, principal=principal)
    run = await runner.run_source(kernel, source_id=source_id)
    return RunOut.model_validate(run, from_attributes=True)


@router.get(
    "/sources/{source_id}/runs",
    response_model=RunPage,
    responses=problems(NotFound, InvalidCursor),
)
async def get_runs(
    source_id: Id, kernel: KernelDep, principal: Reader, limit: Limit = 50, cursor: Cursor = None
) -> RunPage:
    """The source's runs, newest first, with their counts and per-record errors."""
    async with kernel.uow(writes=False) as uow:
        await sources.source_for(uow, source_id, principal=principal)
        rows, next_cursor = await sources.list_runs(
            uow, source_id=source_id, limit=limit, cursor=cursor
        )
        items = [RunOut.model_validate(r, from_attributes=True) for r in rows]
    return RunPage(items=items, next_cursor=next_cursor)


@router.get("/matches", response_model=MatchPage, responses=problems(InvalidCursor))
async def get_matches(
    kernel: KernelDep,
    _: Reader,
    status: Annotated[
        Literal["pending", "accepted", "rejected"] | None,
        Query(description="pending: the review queue"),
    ] = None,
    product_id: Annotated[str | None, Query(max_length=36)] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> MatchPage:
    """Outside records matched to the store's products, newest first."""
    async with kernel.uow(writes=False) as uow:
        rows, next_cursor = await matches.list_matches(
            uow, status=status, product_id=product_id, limit=limit, cursor=cursor
        )
    items = [
        MatchOut.model_validate({**_fields(m), "record": r.data if r is not None else None})
        for m, r in rows
    ]
    return MatchPage(items=items, next_cursor=next_cursor)


def _aware(moment: datetime | None) -> datetime | None:
    """A time without an offset is read as UTC."""
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def _fields(match: Any) -> dict[str, Any]:
    names = (
        "id",
        "record_id",
        "product_id",
        "method",
        "confidence",
        "status",
        "decided_by",
        "decided_at",
        "created_at",
    )
    return {name: getattr(match, name) for name in names}


async def _decide(kernel: KernelDep, principal: Principal, match_id: str, accept: bool) -> MatchOut:
    async with kernel.uow() as uow:
        match = await matches.decide(
            uow, match_id=match_id, accept=accept, principal=principal, now=kernel.clock.now()
        )
        if accept:
            await pricing_feed.feed(uow, product_ids=[match.product_id])
        await uow.commit()
        return MatchOut.model_validate({**_fields(match), "record": None})


@router.post(
    "/matches/{match_id}/accept",
    response_model=MatchOut,
    responses=problems(NotFound, MatchAlreadyDecided),
)
async def accept_match(match_id: Id, kernel: KernelDep, principal: Manager) -> MatchOut:
    """A reviewer confirms the match: the pricing part uses it from now on."""
    return await _decide(kernel, principal, match_id, True)


@router.post(
    "/matches/{match_id}/reject",
    response_model=MatchOut,
    responses=problems(NotFound, MatchAlreadyDecided),
)
async def reject_match(match_id: Id, kernel: KernelDep, principal: Manager) -> MatchOut:
    """A reviewer refuses the match: it is never proposed again for that record."""
    return await _decide(kernel, principal, match_id, False)


@router.get("/lineage/{record_id}", response_model=LineageOut, responses=problems(NotFound))
async def get_lineage(record_id: Id, kernel: KernelDep, principal: Reader) -> LineageOut:
    """A clean record and the raw records it was derived from, with each step."""
    async with kernel.uow(writes=False) as uow:
        record = await records.record_for(uow, record_id, principal=principal)
        steps = await records.lineage(uow, record=record)
        return LineageOut(
            record_id=record.id,
            kind=record.kind,
            source_id=record.source_id,
            data=record.data,
            flags=record.flags,
            observed_at=record.observed_at,
            raw=[
                RawOut(
                    id=d.raw.id,
                    source_id=d.raw.source_id,
                    run_id=d.raw.run_id,
                    kind=d.raw.kind,
                    external_id=d.raw.external_id,
                    checksum=d.raw.checksum,
                    fetched_at=d.raw.fetched_at,
                    step=d.step,
                )
                for d in steps
            ],
        )


@router.put(
    "/records/{record_id}",
    response_model=RecordOut,
    responses=problems(NotFound, InvalidCorrection),
)
async def put_record(
    record_id: Id, body: CorrectionIn, kernel: KernelDep, principal: Manager
) -> RecordOut:
    """Correct a clean record (validated as its kind); the audit log keeps before and after."""
    async with kernel.uow() as uow:
        record = await records.record_for(uow, record_id, principal=principal)
        await records.correct(
            uow,
            record=record,
            data=body.data,
            actor=principal.id,
            reason=body.reason,
            now=kernel.clock.now(),
        )
        await uow.commit()
        return RecordOut.model_validate(record, from_attributes=True)


@router.post("/records/{record_id}/delete", status_code=204, responses=problems(NotFound))
async def delete_record(
    record_id: Id, body: DeletionIn, kernel: KernelDep, principal: Manager
) -> Response:
    """Delete a clean record with a reason; the audit log keeps what it held."""
    async with kernel.uow() as uow:
        record = await records.record_for(uow, record_id, principal=principal)
        await records.remove(
            uow, record=record, actor=principal.id, reason=body.reason, now=kernel.clock.now()
        )
        await uow.commit()
    return Response(status_code=204)


@router.get("/audit", response_model=AuditPage, responses=problems(InvalidCursor))
async def get_audit(
    kernel: KernelDep,
    _: Reader,
    record_id: Annotated[str | None, Query(max_length=36)] = None,
    actor: Annotated[str | None, Query(max_length=64)] = None,
    action: Annotated[Literal["correct", "delete"] | None, Query()] = None,
    from_: Annotated[datetime | None, Query(alias="from", description="At or after")] = None,
    to: Annotated[datetime | None, Query(description="Before")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> AuditPage:
    """Corrections and deletions of clean records, newest first, by record, actor, action
    and time range."""
    from_, to = _aware(from_), _aware(to)
    query = records.AuditQuery(
        record_id=record_id, actor=actor, action=action, since=from_, until=to
    )
    async with kernel.uow(writes=False) as uow:
        rows, next_cursor = await records.audit(uow, query=query, limit=limit, cursor=cursor)
        items = [AuditOut.model_validate(r, from_attributes=True) for r in rows]
    return AuditPage(items=items, next_cursor=next_cursor)
