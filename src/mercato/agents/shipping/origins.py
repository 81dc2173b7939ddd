"""Where each inventory location ships from: its address on labels, rates asked from it,
and how near it is to a shopper (fulfilment planning picks the nearest location with stock).

Nearness is told from addresses alone, without geocoding: the same postal district (the
first three characters of the postal code), then the same region, then the same country,
then anywhere; Mercato ships no map data, and a store that wants more sets its locations'
priorities in inventory, which break the ties.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import select

from mercato.agents.shipping.models import Origin
from mercato.agents.shipping.problems import InvalidShippingRequest
from mercato.agents.shipping.providers.base import Address
from mercato.agents.shipping.zones import normal_postcode
from mercato.kernel.db import UnitOfWork

ADDRESS_FIELDS = (
    "name",
    "line1",
    "line2",
    "city",
    "region",
    "postal_code",
    "country",
    "phone",
    "email",
    "company",
)


def address_of(data: dict[str, Any] | None) -> Address | None:
    """An address from stored or posted data (an order's shipping address has the same
    names); None when it lacks a line, a city or a country."""
    if not data or not data.get("line1") or not data.get("country") or not data.get("city"):
        return None
    values = {name: data.get(name) for name in ADDRESS_FIELDS}
    return Address(
        name=str(values["name"] or data.get("full_name") or ""),
        line1=str(values["line1"]),
        city=str(values["city"]),
        postal_code=str(values["postal_code"] or ""),
        country=str(values["country"]).upper(),
        line2=values["line2"],
        region=values["region"],
        phone=values["phone"],
        email=values["email"],
        company=values["company"],
    )


def data_of(address: Address) -> dict[str, Any]:
    return {name: value for name, value in asdict(address).items() if value is not None}


def nearness(origin: Address | None, destination: Address) -> int:
    """0 the same postal district … 3 another country (4: the location has no address)."""
    if origin is None:
        return 4
    if origin.country != destination.country:
        return 3
    here, there = normal_postcode(origin.postal_code), normal_postcode(destination.postal_code)
    if here and there and here[:3] == there[:3]:
        return 0
    if origin.region and destination.region and origin.region == destination.region:
        return 1
    return 2


async def origins(uow: UnitOfWork) -> dict[str, Address]:
    """Location id → the address it ships from."""
    found = {}
    for row in await uow.session.scalars(select(Origin)):
        address = address_of(row.address)
        if address is not None:
            found[row.location_id] = address
    return found


async def origin_for(uow: UnitOfWork, location_id: str | None) -> Address | None:
    """The location's address; without one (or without a location), the store's first."""
    every = await origins(uow)
    if location_id is not None and location_id in every:
        return every[location_id]
    return every[min(every)] if every else None


async def set_origin(
    uow: UnitOfWork, *, location_id: str, address: dict[str, Any], now: datetime
) -> Address:
    parsed = address_of(address)
    if parsed is None:
        raise InvalidShippingRequest("a ship-from address needs line1, city and country")
    row = await uow.session.scalar(select(Origin).where(Origin.location_id == location_id))
    if row is None:
        uow.session.add(Origin(location_id=location_id, address=data_of(parsed), updated_at=now))
    else:
        row.address, row.updated_at = data_of(parsed), now
    return parsed
