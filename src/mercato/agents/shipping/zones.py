"""Shipping zones: which of a store's zones an address is in, and their upkeep.

The most specific zone wins: a postal-code range that holds the address, then its region,
then its country. Postal codes are compared as upper-case text without spaces or dashes,
padded to the range's length ("12345" is in ["10000", "19999"]; "SW1A 1AA" in ["SW1", "SW9"]
by its first three characters), so one rule serves numeric and lettered codes alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mercato.agents.shipping.models import Zone
from mercato.agents.shipping.problems import InvalidShippingRequest, ZoneCodeTaken, ZoneNotFound
from mercato.kernel import paging
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

MAX_ZONES = 500


def normal_postcode(code: str | None) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


@dataclass(frozen=True)
class Destination:
    country: str
    region: str | None = None
    postal_code: str | None = None


def specificity(zone: Zone, where: Destination) -> int | None:
    """How closely `zone` matches the address (3 postal range, 2 region, 1 country), or None."""
    postcode = normal_postcode(where.postal_code)
    if postcode and (not zone.countries or where.country in zone.countries):
        for low, high in zone.postal_ranges:
            lo, hi = normal_postcode(low), normal_postcode(high)
            probe = postcode[: max(len(lo), len(hi))]
            if lo <= probe <= hi:
                return 3
    region = f"{where.country}-{where.region}".upper() if where.region else None
    if region and region in {r.upper() for r in zone.regions}:
        return 2
    if where.country in zone.countries and not zone.postal_ranges and not zone.regions:
        return 1
    return None


def zone_for(zones: Sequence[Zone], where: Destination) -> Zone | None:
    """The most specific zone holding `where` (ties: the lower position, then code)."""
    ranked = [(score, zone) for zone in zones if (score := specificity(zone, where)) is not None]
    if not ranked:
        return None
    ranked.sort(key=lambda item: (-item[0], item[1].position, item[1].code))
    return ranked[0][1]


async def all_zones(uow: UnitOfWork) -> list[Zone]:
    found = await uow.session.scalars(
        select(Zone).order_by(Zone.position, Zone.code).limit(MAX_ZONES)
    )
    return list(found)


async def list_zones(
    uow: UnitOfWork, *, cursor: str | None, limit: int
) -> tuple[list[Zone], str | None]:
    key = paging.decode(cursor, str)
    query = (
        select(Zone).where(paging.beyond((Zone.code,), key, descending=False)).order_by(Zone.code)
    )
    rows = list(await uow.session.scalars(query.limit(limit + 1)))
    return paging.cut(rows, limit, lambda z: (z.code,))


async def get_zone(uow: UnitOfWork, zone_id: str) -> Zone:
    zone = await uow.session.get(Zone, zone_id)
    if zone is None:
        raise ZoneNotFound(f"no shipping zone {zone_id!r}")
    return zone


def _check(
    countries: Sequence[str], regions: Sequence[str], ranges: Sequence[Sequence[str]]
) -> None:
    if not countries and not regions:
        raise InvalidShippingRequest("a zone needs at least one country or region")
    for pair in ranges:
        if len(pair) != 2 or normal_postcode(pair[0]) > normal_postcode(pair[1]):
            raise InvalidShippingRequest(f"the postal range {list(pair)} is not [low, high]")


async def create_zone(
    uow: UnitOfWork,
    *,
    code: str,
    name: str,
    countries: Sequence[str],
    regions: Sequence[str] = (),
    postal_ranges: Sequence[Sequence[str]] = (),
    position: int = 0,
    now: datetime,
) -> Zone:
    _check(countries, regions, postal_ranges)
    zone = Zone(
        id=new_id(),
        code=code,
        name=name,
        countries=[c.upper() for c in countries],
        regions=[r.upper() for r in regions],
        postal_ranges=[[low, high] for low, high in postal_ranges],
        position=position,
        created_at=now,
    )
    try:
        async with uow.session.begin_nested():
            uow.session.add(zone)
            await uow.session.flush()
    except IntegrityError:
        raise ZoneCodeTaken(f"the store has a zone {code!r} already") from None
    return zone


async def update_zone(
    uow: UnitOfWork,
    *,
    zone_id: str,
    name: str | None = None,
    countries: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
    postal_ranges: Sequence[Sequence[str]] | None = None,
    position: int | None = None,
) -> Zone:
    zone = await get_zone(uow, zone_id)
    new_countries = [c.upper() for c in countries] if countries is not None else zone.countries
    new_regions = [r.upper() for r in regions] if regions is not None else zone.regions
    new_ranges = (
        [[low, high] for low, high in postal_ranges]
        if postal_ranges is not None
        else zone.postal_ranges
    )
    _check(new_countries, new_regions, new_ranges)
    zone.countries, zone.regions, zone.postal_ranges = new_countries, new_regions, new_ranges
    if name is not None:
        zone.name = name
    if position is not None:
        zone.position = position
    return zone


async def delete_zone(uow: UnitOfWork, *, zone_id: str) -> None:
    zone = await get_zone(uow, zone_id)
    await uow.session.delete(zone)
