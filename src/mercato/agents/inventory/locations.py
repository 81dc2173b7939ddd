"""Locations: the warehouses and shops stock is kept at. Closing (or opening) one changes
what is sellable without moving stock, so it is announced (`inventory.location_changed`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from mercato.agents.inventory import events
from mercato.agents.inventory.errors import (
    InvalidStockRequest,
    LocationCodeTaken,
    LocationNotFound,
)
from mercato.agents.inventory.models import Location, StockLevel
from mercato.kernel import paging
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

LOCATION_KINDS = ("warehouse", "store")


async def create_location(
    uow: UnitOfWork,
    *,
    code: str,
    name: str,
    kind: str = "warehouse",
    priority: int = 100,
    active: bool = True,
    now: datetime,
) -> Location:
    """A warehouse or store; its code is unique in the store (409 `location_code_taken`)."""
    _check_kind(kind)
    taken = await uow.session.scalar(select(Location.id).where(Location.code == code))
    if taken is not None:
        raise LocationCodeTaken(f"location code {code!r} is already used")
    location = Location(
        id=new_id(),
        code=code,
        name=name,
        kind=kind,
        priority=priority,
        active=active,
        created_at=now,
    )
    uow.session.add(location)
    try:
        async with uow.session.begin_nested():
            await uow.session.flush()
    except IntegrityError:  # a concurrent request took the code between the check and here
        raise LocationCodeTaken(f"location code {code!r} is already used") from None
    return location


async def get_location(uow: UnitOfWork, location_id: str) -> Location:
    location = await uow.session.get(Location, location_id)
    if location is None:
        raise LocationNotFound(f"no location {location_id!r}")
    return location


async def update_location(
    uow: UnitOfWork,
    *,
    location_id: str,
    name: str | None = None,
    kind: str | None = None,
    priority: int | None = None,
    active: bool | None = None,
) -> Location:
    """Rename, re-kind, re-prioritise, or (de)activate a location. An inactive location keeps
    its stock but is not sold from nor reserved from, so opening or closing it publishes
    `inventory.location_changed` with the variants stocked there (once per flip, even under
    concurrent requests: the flip is a conditional UPDATE)."""
    location = await get_location(uow, location_id)
    if kind is not None:
        _check_kind(kind)
        location.kind = kind
    if name is not None:
        location.name = name
    if priority is not None:
        location.priority = priority
    await uow.session.flush()
    if active is not None and await _flip_active(uow, location, active):
        variant_ids = await uow.session.scalars(
            select(StockLevel.variant_id)
            .where(StockLevel.location_id == location_id)
            .distinct()
            .order_by(StockLevel.variant_id)
        )
        uow.publish(
            events.LocationChanged(
                location_id=location_id, active=active, variant_ids=list(variant_ids)
            ),
            aggregate_id=location_id,
        )
    return location


async def _flip_active(uow: UnitOfWork, location: Location, active: bool) -> bool:
    """Set `active` if it differs (one conditional UPDATE); whether this call changed it."""
    flipped = await uow.session.execute(
        update(Location)
        .where(Location.id == location.id, Location.active.is_not(active))
        .values(active=active)
        .returning(Location.id)
        .execution_options(synchronize_session=False)
    )
    if flipped.first() is None:
        return False
    set_committed_value(location, "active", active)
    return True


async def list_locations(
    uow: UnitOfWork,
    *,
    active: bool | None = None,
    after: tuple[int, str] | None = None,
    limit: int | None = None,
) -> list[Location]:
    """Locations by priority, then code: those after the (priority, code) key `after`."""
    order = (Location.priority, Location.code)
    query = select(Location).where(paging.beyond(order, after, descending=False)).order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    if active is not None:
        query = query.where(Location.active.is_(active))
    return list(await uow.session.scalars(query))


def _check_kind(kind: str) -> None:
    if kind not in LOCATION_KINDS:
        raise InvalidStockRequest(f"a location is one of {', '.join(LOCATION_KINDS)}")
