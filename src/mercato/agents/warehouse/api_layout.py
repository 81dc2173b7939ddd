"""Zones, bins and the box catalogue: parse → service → schema. The edge commits."""

from __future__ import annotations

from fastapi import APIRouter

from mercato.agents.warehouse import service
from mercato.agents.warehouse.edge import Cursor, Limit, Manager
from mercato.agents.warehouse.problems import (
    CodeTaken,
    InvalidWarehouseRequest,
    LocationNotFound,
    ZoneNotFound,
)
from mercato.agents.warehouse.schemas import BinIn, BoxIn, ZoneIn
from mercato.agents.warehouse.schemas_out import (
    BinOut,
    BinPage,
    BoxOut,
    BoxPage,
    ZoneOut,
    ZonePage,
    bin_out,
    box_out,
)
from mercato.kernel import paging
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/warehouse", tags=["warehouse"])


@router.get("/zones", response_model=ZonePage, responses=problems(InvalidCursor))
async def list_zones(
    kernel: KernelDep,
    _: Manager,
    location_id: str | None = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> ZonePage:
    """Zones by location, in walk order."""
    after = paging.decode(cursor, str, int, str)
    async with kernel.uow(writes=False) as uow:
        found = await service.list_zones(uow, location_id=location_id, after=after, limit=limit + 1)
    page, next_cursor = paging.cut(found, limit, lambda z: (z.location_id, z.sequence, z.code))
    return ZonePage(items=[ZoneOut.model_validate(z) for z in page], next_cursor=next_cursor)


@router.post(
    "/zones",
    status_code=201,
    response_model=ZoneOut,
    responses=problems(LocationNotFound, CodeTaken),
)
async def create_zone(body: ZoneIn, kernel: KernelDep, _: Manager) -> ZoneOut:
    """A zone of a location; its code is unique there (409 `warehouse_code_taken`)."""
    async with kernel.uow() as uow:
        zone = await service.create_zone(
            uow,
            location_id=body.location_id,
            code=body.code,
            name=body.name,
            kind=body.kind,
            sequence=body.sequence,
            now=kernel.clock.now(),
        )
        out = ZoneOut.model_validate(zone)
        await uow.commit()
    return out


@router.get("/bins", response_model=BinPage, responses=problems(InvalidCursor))
async def list_bins(
    kernel: KernelDep,
    _: Manager,
    location_id: str | None = None,
    zone_id: str | None = None,
    variant_id: str | None = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> BinPage:
    """Bins by location and code, with what each holds; `variant_id` keeps those holding it."""
    after = paging.decode(cursor, str, str)
    async with kernel.uow(writes=False) as uow:
        found = await service.list_bins(
            uow,
            location_id=location_id,
            zone_id=zone_id,
            variant_id=variant_id,
            after=after,
            limit=limit + 1,
        )
        page, next_cursor = paging.cut(found, limit, lambda v: (v.bin.location_id, v.bin.code))
        skus = await service.skus_of(uow, (v for b in page for v, _ in b.contents))
    return BinPage(items=[bin_out(v, skus) for v in page], next_cursor=next_cursor)


@router.post(
    "/bins",
    status_code=201,
    response_model=BinOut,
    responses=problems(ZoneNotFound, CodeTaken, InvalidWarehouseRequest),
)
async def create_bin(body: BinIn, kernel: KernelDep, _: Manager) -> BinOut:
    """A bin in a zone. Its aisle, bay, level and position are read from a code such as
    `A-03-2-B` unless given (422 `invalid_warehouse_request` when neither says)."""
    async with kernel.uow() as uow:
        made = await service.create_bin(
            uow,
            zone_id=body.zone_id,
            code=body.code.upper(),
            aisle=body.aisle,
            bay=body.bay,
            level=body.level,
            position=body.position,
            now=kernel.clock.now(),
        )
        out = bin_out(made, {})
        await uow.commit()
    return out


@router.get("/boxes", response_model=BoxPage)
async def list_boxes(kernel: KernelDep, _: Manager) -> BoxPage:
    """The store's boxes, cheapest first; the default set while it has none of its own."""
    currency = kernel.settings.default_currency
    async with kernel.uow(writes=False) as uow:
        own = await service.list_boxes(uow)
    if own:
        items = [
            box_out(service.spec_of(b), currency=b.currency, default=False, name=b.name)
            for b in own
        ]
    else:
        items = [box_out(s, currency=currency, default=True) for s in service.DEFAULT_BOXES]
    return BoxPage(items=items, next_cursor=None)


@router.post("/boxes", status_code=201, response_model=BoxOut, responses=problems(CodeTaken))
async def create_box(body: BoxIn, kernel: KernelDep, _: Manager) -> BoxOut:
    """A box of the store's catalogue; from the first one, the default set no longer applies."""
    async with kernel.uow() as uow:
        box = await service.create_box(uow, now=kernel.clock.now(), **body.model_dump())
        out = box_out(service.spec_of(box), currency=box.currency, default=False, name=box.name)
        await uow.commit()
    return out
