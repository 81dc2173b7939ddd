"""The store's shipping set-up (admins): carriers and their services, zones, rate tables,
and the address each inventory location ships from."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from mercato.agents.inventory import service as inventory
from mercato.agents.shipping import carriers, origins, rate_tables, zones
from mercato.agents.shipping.access import MANAGE, READ
from mercato.agents.shipping.deps import ShippingDeps
from mercato.agents.shipping.problems import (
    InvalidShippingRequest,
    RateTableExists,
    RateTableNotFound,
    UnknownCarrier,
    ZoneCodeTaken,
    ZoneNotFound,
)
from mercato.agents.shipping.schemas import (
    AddressIn,
    CarrierOut,
    CarrierPatch,
    CarriersOut,
    OriginOut,
    OriginsOut,
    RateTableIn,
    RateTableOut,
    RateTablePatch,
    RateTablesOut,
    ServiceOut,
    ZoneIn,
    ZoneOut,
    ZonePatch,
    ZonesOut,
)
from mercato.kernel.auth import Principal, require
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/shipping", tags=["shipping"])
Staff = Annotated[Principal, Depends(require(READ))]
Admin = Annotated[Principal, Depends(require(MANAGE))]
Cursor = Annotated[str | None, Query(max_length=300)]
Limit = Annotated[int, Query(ge=1, le=200)]


def carrier_out(found: carriers.CarrierView) -> CarrierOut:
    return CarrierOut(
        code=found.code,
        name=found.name,
        kind=found.kind,
        enabled=found.enabled,
        services=[ServiceOut(code=c, name=n, enabled=e) for c, n, e in found.services],
    )


@router.get("/carriers", response_model=CarriersOut)
async def list_carriers(kernel: KernelDep, _: Staff) -> CarriersOut:
    """The carriers rate shopping asks: those with an API (the local courier, EasyPost when
    configured) and the store's table carriers, each with its services and whether the store
    has them on."""
    async with kernel.uow(writes=False) as uow:
        found = await carriers.carriers(uow, kernel.deps(ShippingDeps))
    return CarriersOut(items=[carrier_out(c) for c in found], next_cursor=None)


@router.patch(
    "/carriers/{code}",
    response_model=CarrierOut,
    responses=problems(UnknownCarrier, InvalidShippingRequest),
)
async def change_carrier(code: str, body: CarrierPatch, kernel: KernelDep, _: Admin) -> CarrierOut:
    """Switch a carrier, or some of its services, off (or on again) for rate shopping."""
    async with kernel.uow() as uow:
        found = await carriers.change(
            uow,
            kernel.deps(ShippingDeps),
            code=code,
            enabled=body.enabled,
            disabled_services=body.disabled_services,
            now=kernel.clock.now(),
        )
        await uow.commit()
    return carrier_out(found)


def zone_out(row: Any) -> ZoneOut:
    return ZoneOut.model_validate(row, from_attributes=True)


@router.get("/zones", response_model=ZonesOut, responses=problems(InvalidCursor))
async def list_zones(
    kernel: KernelDep, _: Staff, cursor: Cursor = None, limit: Limit = 50
) -> ZonesOut:
    """The store's zones, by code."""
    async with kernel.uow(writes=False) as uow:
        rows, next_cursor = await zones.list_zones(uow, cursor=cursor, limit=limit)
    return ZonesOut(items=[zone_out(z) for z in rows], next_cursor=next_cursor)


@router.post(
    "/zones",
    response_model=ZoneOut,
    status_code=201,
    responses=problems(ZoneCodeTaken, InvalidShippingRequest),
)
async def create_zone(body: ZoneIn, kernel: KernelDep, _: Admin) -> ZoneOut:
    """A zone: countries, regions ("US-CA") and postal-code ranges; the most specific zone
    holding an address prices it."""
    async with kernel.uow() as uow:
        zone = await zones.create_zone(
            uow,
            code=body.code,
            name=body.name,
            countries=body.countries,
            regions=body.regions,
            postal_ranges=body.postal_ranges,
            position=body.position,
            now=kernel.clock.now(),
        )
        out = zone_out(zone)
        await uow.commit()
    return out


@router.get("/zones/{zone_id}", response_model=ZoneOut, responses=problems(ZoneNotFound))
async def get_zone(zone_id: str, kernel: KernelDep, _: Staff) -> ZoneOut:
    async with kernel.uow(writes=False) as uow:
        return zone_out(await zones.get_zone(uow, zone_id))


@router.patch(
    "/zones/{zone_id}",
    response_model=ZoneOut,
    responses=problems(ZoneNotFound, InvalidShippingRequest),
)
async def change_zone(zone_id: str, body: ZonePatch, kernel: KernelDep, _: Admin) -> ZoneOut:
    async with kernel.uow() as uow:
        zone = await zones.update_zone(
            uow, zone_id=zone_id, **{name: getattr(body, name) for name in body.model_fields_set}
        )
        out = zone_out(zone)
        await uow.commit()
    return out


@router.delete(
    "/zones/{zone_id}", status_code=204, response_class=Response, responses=problems(ZoneNotFound)
)
async def delete_zone(zone_id: str, kernel: KernelDep, _: Admin) -> Response:
    """The zone and its rate tables."""
    async with kernel.uow() as uow:
        await zones.delete_zone(uow, zone_id=zone_id)
        await uow.commit()
    return Response(status_code=204)


def table_out(row: Any) -> RateTableOut:
    return RateTableOut.model_validate(row, from_attributes=True)


@router.get("/rate-tables", response_model=RateTablesOut, responses=problems(InvalidCursor))
async def list_rate_tables(
    kernel: KernelDep,
    _: Staff,
    carrier: Annotated[str | None, Query(max_length=40)] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> RateTablesOut:
    async with kernel.uow(writes=False) as uow:
        rows, next_cursor = await rate_tables.list_tables(
            uow, cursor=cursor, limit=limit, carrier=carrier
        )
    return RateTablesOut(items=[table_out(t) for t in rows], next_cursor=next_cursor)


@router.post(
    "/rate-tables",
    response_model=RateTableOut,
    status_code=201,
    responses=problems(ZoneNotFound, RateTableExists, InvalidShippingRequest),
)
async def create_rate_table(body: RateTableIn, kernel: KernelDep, _: Admin) -> RateTableOut:
    """One carrier service's prices to a zone: weight brackets, per kg beyond the last, a
    percentage of the goods' value, free from an amount on."""
    data = body.model_dump()
    data["brackets"] = [dict(b) for b in data["brackets"]]
    async with kernel.uow() as uow:
        table = await rate_tables.create_table(uow, data=data, now=kernel.clock.now())
        out = table_out(table)
        await uow.commit()
    return out


@router.get(
    "/rate-tables/{table_id}", response_model=RateTableOut, responses=problems(RateTableNotFound)
)
async def get_rate_table(table_id: str, kernel: KernelDep, _: Staff) -> RateTableOut:
    async with kernel.uow(writes=False) as uow:
        return table_out(await rate_tables.get_table(uow, table_id))


@router.patch(
    "/rate-tables/{table_id}",
    response_model=RateTableOut,
    responses=problems(RateTableNotFound, ZoneNotFound, RateTableExists, InvalidShippingRequest),
)
async def change_rate_table(
    table_id: str, body: RateTablePatch, kernel: KernelDep, _: Admin
) -> RateTableOut:
    changes = {
        name: getattr(body, name)
        for name in body.model_fields_set
        if getattr(body, name) is not None or name in RateTablePatch.nullable
    }
    if "brackets" in changes:
        changes["brackets"] = [b.model_dump() for b in body.brackets or []]
    async with kernel.uow() as uow:
        table = await rate_tables.update_table(
            uow, table_id=table_id, changes=changes, now=kernel.clock.now()
        )
        out = table_out(table)
        await uow.commit()
    return out


@router.delete(
    "/rate-tables/{table_id}",
    status_code=204,
    response_class=Response,
    responses=problems(RateTableNotFound),
)
async def delete_rate_table(table_id: str, kernel: KernelDep, _: Admin) -> Response:
    async with kernel.uow() as uow:
        await rate_tables.delete_table(uow, table_id=table_id)
        await uow.commit()
    return Response(status_code=204)


@router.get("/origins", response_model=OriginsOut)
async def list_origins(kernel: KernelDep, _: Staff) -> OriginsOut:
    """The address each location ships from."""
    async with kernel.uow(writes=False) as uow:
        found = await origins.origins(uow)
    return OriginsOut(
        items=[
            OriginOut(location_id=location, address=origins.data_of(address))
            for location, address in sorted(found.items())
        ],
        next_cursor=None,
    )


@router.put(
    "/origins/{location_id}",
    response_model=OriginOut,
    responses=problems(inventory.LocationNotFound, InvalidShippingRequest),
)
async def set_origin(location_id: str, body: AddressIn, kernel: KernelDep, _: Admin) -> OriginOut:
    """Where the location ships from (labels, rates, the nearest location to a shopper)."""
    async with kernel.uow() as uow:
        await inventory.get_location(uow, location_id)
        address = await origins.set_origin(
            uow, location_id=location_id, address=body.model_dump(), now=kernel.clock.now()
        )
        await uow.commit()
    return OriginOut(location_id=location_id, address=origins.data_of(address))
