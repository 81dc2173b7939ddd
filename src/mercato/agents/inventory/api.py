"""Inventory's HTTP routes: parse → service → schema. The edge commits, then answers.

Reading stock needs `inventory:read` (support, integrations); changing it needs
`inventory:write` (integrations' system keys and admins). This module holds locations,
levels, adjustments, receipts, transfers and the ledger, and mounts the reservation routes
(`api_reservations.py`) and the stock feed routes (`api_sync.py`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from mercato.agents.inventory import listing, service
from mercato.agents.inventory.api_reservations import router as reservation_routes
from mercato.agents.inventory.api_sync import router as sync_routes
from mercato.agents.inventory.edge import Cursor, Reader, Writer, owned
from mercato.agents.inventory.errors import (
    CountBelowReserved,
    InsufficientStock,
    InvalidCursor,
    InvalidStockRequest,
    LocationCodeTaken,
    LocationNotFound,
    SameLocation,
    StockBusy,
    StockLevelNotFound,
    StockLimitExceeded,
    UnknownVariant,
)
from mercato.agents.inventory.schemas import (
    AdjustmentIn,
    AdjustmentOut,
    LevelOut,
    LevelsPage,
    LocationIn,
    LocationOut,
    LocationPage,
    LocationPatchIn,
    MovementOut,
    MovementPage,
    ReceiptIn,
    ReceiptOut,
    ReorderPointIn,
    TotalsOut,
    TransferIn,
    TransferOut,
)
from mercato.kernel import paging
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/inventory", tags=["inventory"])


# -- locations -------------------------------------------------------------------------


@router.get("/locations", response_model=LocationPage)
async def list_locations(
    kernel: KernelDep,
    _: Reader,
    active: bool | None = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> LocationPage:
    """The store's warehouses and shops, by priority (lowest drawn from first)."""
    after = paging.decode(cursor, int, str)
    async with kernel.uow(writes=False) as uow:
        found = await service.list_locations(uow, active=active, after=after, limit=limit + 1)
    page, next_cursor = paging.cut(found, limit, lambda loc: (loc.priority, loc.code))
    return LocationPage(
        items=[LocationOut.model_validate(location) for location in page], next_cursor=next_cursor
    )


@router.post(
    "/locations",
    status_code=201,
    response_model=LocationOut,
    responses=problems(InvalidStockRequest, LocationCodeTaken),
)
async def create_location(body: LocationIn, kernel: KernelDep, _: Writer) -> LocationOut:
    """A new location; its code is unique in the store (409 `location_code_taken`)."""
    async with kernel.uow() as uow:
        location = await service.create_location(
            uow,
            code=body.code,
            name=body.name,
            kind=body.kind,
            priority=body.priority,
            active=body.active,
            now=kernel.clock.now(),
        )
        await uow.commit()
    return LocationOut.model_validate(location)


@router.patch(
    "/locations/{location_id}",
    response_model=LocationOut,
    responses=problems(InvalidStockRequest, LocationNotFound),
)
async def update_location(
    location_id: str, body: LocationPatchIn, kernel: KernelDep, principal: Writer
) -> LocationOut:
    """Rename, re-kind, re-prioritise or (de)activate a location."""
    await owned(kernel, principal, "location", location_id)
    async with kernel.uow() as uow:
        location = await service.update_location(
            uow,
            location_id=location_id,
            name=body.name,
            kind=body.kind,
            priority=body.priority,
            active=body.active,
        )
        await uow.commit()
    return LocationOut.model_validate(location)


# -- levels, adjustments, transfers, movements -----------------------------------------


@router.get("/levels", response_model=LevelsPage, responses=problems(InvalidCursor))
async def list_levels(
    kernel: KernelDep,
    _: Reader,
    sku: str | None = None,
    variant_id: str | None = None,
    location_id: str | None = None,
    low: bool = False,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> LevelsPage:
    """Stock per variant per location (on hand, reserved, available) and their totals;
    `low=true` keeps the rows at or below their reorder point."""
    async with kernel.uow(writes=False) as uow:
        page = await listing.levels(
            uow,
            sku=sku,
            variant_id=variant_id,
            location_id=location_id,
            low=low,
            cursor=cursor,
            limit=limit,
        )
    return LevelsPage(
        items=[LevelOut.model_validate(item) for item in page.items],
        totals=TotalsOut.model_validate(page.totals),
        next_cursor=page.next_cursor,
    )


@router.patch(
    "/levels/{level_id}",
    response_model=LevelOut,
    responses=problems(InvalidStockRequest, StockLevelNotFound),
)
async def update_level(
    level_id: str, body: ReorderPointIn, kernel: KernelDep, principal: Writer
) -> LevelOut:
    """Set or clear (null) the reorder point: `stock.low` is published once each time the
    available stock falls to or below it."""
    await owned(kernel, principal, "stock level", level_id)
    async with kernel.uow() as uow:
        await service.set_reorder_point(
            uow, level_id=level_id, reorder_point=body.reorder_point, now=kernel.clock.now()
        )
        view = await listing.level(uow, level_id)
        await uow.commit()
    return LevelOut.model_validate(view)


@router.post(
    "/adjustments",
    status_code=201,
    response_model=AdjustmentOut,
    responses=problems(
        InvalidStockRequest,
        LocationNotFound,
        UnknownVariant,
        StockLevelNotFound,
        InsufficientStock,
        CountBelowReserved,
        StockLimitExceeded,
        StockBusy,
    ),
)
async def adjust(body: AdjustmentIn, kernel: KernelDep, principal: Writer) -> AdjustmentOut:
    """Add or remove units with a reason (received, damaged, lost, stolen, count, returned,
    correction), or set on hand to a count. Available stock never goes below zero."""
    async with kernel.uow() as uow:
        done = await service.adjust(
            uow,
            variant_id=body.variant_id,
            sku=body.sku,
            location_id=body.location_id,
            delta=body.delta,
            counted=body.counted,
            reason=body.reason,
            note=body.note,
            actor=principal.id,
            now=kernel.clock.now(),
        )
        view = await listing.level(uow, done.level.id)
        await uow.commit()
    return AdjustmentOut(
        movement=MovementOut.model_validate(done.movement), level=LevelOut.model_validate(view)
    )


@router.post(
    "/receipts",
    status_code=201,
    response_model=ReceiptOut,
    responses=problems(
        InvalidStockRequest, LocationNotFound, UnknownVariant, StockLimitExceeded, StockBusy
    ),
)
async def receive(body: ReceiptIn, kernel: KernelDep, principal: Writer) -> ReceiptOut:
    """Book a delivery of up to 1,000 lines in at a location (a purchase order arriving):
    all lines or none (404 `unknown_variant` lists every unknown SKU and variant id); one
    `receipt` movement per variant, one `stock.received` event for the whole receipt."""
    async with kernel.uow() as uow:
        receipt = await service.receive(
            uow,
            location_id=body.location_id,
            lines=[(line.variant_id, line.sku, line.quantity) for line in body.lines],
            reference=body.reference,
            note=body.note,
            actor=principal.id,
            now=kernel.clock.now(),
        )
        await uow.commit()
    return ReceiptOut.model_validate(receipt)


@router.post(
    "/transfers",
    status_code=201,
    response_model=TransferOut,
    responses=problems(
        InvalidStockRequest,
        LocationNotFound,
        UnknownVariant,
        StockLevelNotFound,
        SameLocation,
        InsufficientStock,
        StockLimitExceeded,
        StockBusy,
    ),
)
async def transfer(body: TransferIn, kernel: KernelDep, principal: Writer) -> TransferOut:
    """Move units between two locations (both rows change together, or neither)."""
    async with kernel.uow() as uow:
        moved = await service.transfer(
            uow,
            variant_id=body.variant_id,
            sku=body.sku,
            from_location_id=body.from_location_id,
            to_location_id=body.to_location_id,
            quantity=body.quantity,
            note=body.note,
            actor=principal.id,
            now=kernel.clock.now(),
        )
        source = await listing.level_at(
            uow, variant_id=moved.variant_id, location_id=moved.from_location_id
        )
        target = await listing.level_at(
            uow, variant_id=moved.variant_id, location_id=moved.to_location_id
        )
        await uow.commit()
    return TransferOut(
        id=moved.id,
        variant_id=moved.variant_id,
        sku=moved.sku,
        from_location_id=moved.from_location_id,
        to_location_id=moved.to_location_id,
        quantity=moved.quantity,
        note=moved.note,
        actor=moved.actor,
        created_at=moved.created_at,
        from_level=LevelOut.model_validate(source),
        to_level=LevelOut.model_validate(target),
    )


MovementKind = Literal[
    "adjustment",
    "receipt",
    "transfer_out",
    "transfer_in",
    "reservation",
    "release",
    "expiry",
    "commit",
    "sync",
]


@router.get("/movements", response_model=MovementPage, responses=problems(InvalidCursor))
async def list_movements(
    kernel: KernelDep,
    _: Reader,
    sku: str | None = None,
    variant_id: str | None = None,
    location_id: str | None = None,
    kind: MovementKind | None = None,
    reference: str | None = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> MovementPage:
    """The ledger of every stock change, newest first."""
    async with kernel.uow(writes=False) as uow:
        page = await listing.movements(
            uow,
            sku=sku,
            variant_id=variant_id,
            location_id=location_id,
            kind=kind,
            reference=reference,
            cursor=cursor,
            limit=limit,
        )
    return MovementPage(
        items=[MovementOut.model_validate(m) for m in page.items], next_cursor=page.next_cursor
    )


router.include_router(reservation_routes)
router.include_router(sync_routes)
