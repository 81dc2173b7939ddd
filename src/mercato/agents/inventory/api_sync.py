"""Stock feed routes (under /v1/inventory): the inventory_sync workflow's import, and the
review of the lines it held (BR019)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from mercato.agents.inventory import sync
from mercato.agents.inventory.edge import Cursor, Reader, Writer, owned
from mercato.agents.inventory.errors import (
    DiscrepancyAlreadyDecided,
    DiscrepancyNotFound,
    FeedBelowReserved,
    InvalidStockRequest,
    LocationNotFound,
    StockBusy,
    StockMovedSinceFeed,
)
from mercato.agents.inventory.schemas import (
    DiscrepancyOut,
    DiscrepancyPage,
    RejectedLineOut,
    SyncIn,
    SyncRunOut,
    feed_from_csv,
    feed_from_json,
)
from mercato.agents.inventory.statuses import DiscrepancyStatus
from mercato.kernel import paging
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.errors import Problem
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter()


class UnsupportedMediaType(Problem):
    status, code, title = 415, "unsupported_media_type", "Send the feed as JSON or text/csv"


_FEED_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": SyncIn.model_json_schema()},
            "text/csv": {
                "schema": {"type": "string"},
                "example": "sku,on_hand\nTEE-S,12\nTEE-M,7\n",
            },
        },
    }
}


@router.post(
    "/sync",
    status_code=201,
    response_model=SyncRunOut,
    openapi_extra=_FEED_BODY,
    responses=problems(UnsupportedMediaType, InvalidStockRequest, LocationNotFound, StockBusy),
)
async def sync_feed(
    request: Request,
    kernel: KernelDep,
    principal: Writer,
    location_id: Annotated[str | None, Query(description="For a text/csv feed")] = None,
    source: Annotated[str | None, Query(description="For a text/csv feed")] = None,
) -> SyncRunOut:
    """Import a warehouse's stock feed (JSON, or `text/csv` with a `sku,on_hand` header and
    `?location_id=&source=`): lines within the store's threshold (10 % unless configured) of
    the system are applied, larger differences wait for review (BR019), unknown SKUs are
    rejected."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    feed: SyncIn
    if media == "text/csv":
        feed = feed_from_csv(body, location_id=location_id, source=source)
    elif media in ("application/json", ""):
        feed = feed_from_json(body)
    else:
        raise UnsupportedMediaType(f"{media!r} is neither application/json nor text/csv")
    async with kernel.uow() as uow:
        outcome = await sync.sync_feed(
            uow,
            location_id=feed.location_id,
            source=feed.source,
            lines=[(line.sku, line.on_hand) for line in feed.lines],
            now=kernel.clock.now(),
            actor=principal.id,
        )
        await uow.commit()
    run = outcome.run
    return SyncRunOut(
        id=run.id,
        location_id=run.location_id,
        source=run.source,
        lines=run.lines,
        in_sync=run.in_sync,
        applied=run.applied,
        held=run.held,
        rejected=run.rejected,
        created_at=run.created_at,
        held_lines=[DiscrepancyOut.model_validate(d) for d in outcome.held],
        rejected_lines=[RejectedLineOut.model_validate(r) for r in outcome.rejected],
    )


@router.get("/sync/discrepancies", response_model=DiscrepancyPage)
async def list_discrepancies(
    kernel: KernelDep,
    _: Reader,
    status: (
        Literal[
            DiscrepancyStatus.PENDING,
            DiscrepancyStatus.APPROVED,
            DiscrepancyStatus.REJECTED,
            DiscrepancyStatus.SUPERSEDED,
        ]
        | None
    ) = None,
    location_id: str | None = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> DiscrepancyPage:
    """Feed lines held for review (and how they were decided), newest first."""
    after = paging.decode(cursor, datetime, str)
    async with kernel.uow(writes=False) as uow:
        found = await sync.discrepancies(
            uow, status=status, location_id=location_id, after=after, limit=limit + 1
        )
    page, next_cursor = paging.cut(found, limit, lambda d: (d.created_at, d.id))
    return DiscrepancyPage(
        items=[DiscrepancyOut.model_validate(d) for d in page], next_cursor=next_cursor
    )


async def _decide(
    discrepancy_id: str, approve: bool, kernel: Kernel, principal: Principal
) -> DiscrepancyOut:
    await owned(kernel, principal, "sync discrepancy", discrepancy_id)
    async with kernel.uow() as uow:
        decided = await sync.decide(
            uow,
            discrepancy_id=discrepancy_id,
            approve=approve,
            actor=principal.id,
            now=kernel.clock.now(),
        )
        await uow.commit()
    return DiscrepancyOut.model_validate(decided)


@router.post(
    "/sync/discrepancies/{discrepancy_id}/approve",
    response_model=DiscrepancyOut,
    responses=problems(
        DiscrepancyNotFound,
        DiscrepancyAlreadyDecided,
        StockMovedSinceFeed,
        FeedBelowReserved,
        StockBusy,
    ),
)
async def approve_discrepancy(
    discrepancy_id: str, kernel: KernelDep, principal: Writer
) -> DiscrepancyOut:
    """Apply the held feed value, if the stock has not moved since the feed (409
    `stock_moved_since_feed`: count again or send a new feed) and never below the units
    reserved (409 `feed_below_reserved`); a refusal leaves the line pending."""
    return await _decide(discrepancy_id, True, kernel, principal)


@router.post(
    "/sync/discrepancies/{discrepancy_id}/reject",
    response_model=DiscrepancyOut,
    responses=problems(DiscrepancyNotFound, DiscrepancyAlreadyDecided),
)
async def reject_discrepancy(
    discrepancy_id: str, kernel: KernelDep, principal: Writer
) -> DiscrepancyOut:
    """Leave the stock as it is."""
    return await _decide(discrepancy_id, False, kernel, principal)
