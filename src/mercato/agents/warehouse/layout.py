"""Zones and bins of a location, and what each bin holds.

Bin contents change only by one conditional UPDATE (`quantity = quantity + :n WHERE
quantity + :n >= 0`), never read-then-written, so two pickers cannot take the same unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from mercato.agents.catalog import service as catalog
from mercato.agents.inventory import service as inventory
from mercato.agents.warehouse.models import Bin, BinStock, Zone
from mercato.agents.warehouse.problems import (
    BinNotFound,
    CodeTaken,
    InvalidWarehouseRequest,
    ZoneNotFound,
)
from mercato.agents.warehouse.statuses import ZoneKind
from mercato.kernel import paging
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

BIN_CODE = re.compile(
    r"^(?P<aisle>[A-Z]{1,2}|\d{1,3})-(?P<bay>\d{1,3})-(?P<level>\d{1,2})"
    r"(?:-(?P<position>[A-Z0-9]{1,4}))?$"
)
"""`A-03-2-B`: aisle (letters or a number), bay, level and an optional position."""


def parse_bin_code(code: str) -> tuple[int, int, int, str]:
    """(aisle, bay, level, position) of a code such as `A-03-2-B` (aisle A is 1, Z 26,
    AA 27); 422 for a code of another shape."""
    found = BIN_CODE.match(code.upper())
    if found is None:
        raise InvalidWarehouseRequest(
            f"the bin code {code!r} is not aisle-bay-level[-position] (e.g. A-03-2-B): "
            "give aisle, bay and level"
        )
    aisle_text = found["aisle"]
    aisle = 0
    if aisle_text.isdigit():
        aisle = int(aisle_text)
    else:
        for letter in aisle_text:
            aisle = aisle * 26 + ord(letter) - ord("A") + 1
    return aisle, int(found["bay"]), int(found["level"]), found["position"] or ""


@dataclass(frozen=True)
class BinView:
    bin: Bin
    zone: Zone
    contents: list[tuple[str, int]]
    """(variant id, units) held, by variant."""


async def create_zone(
    uow: UnitOfWork,
    *,
    location_id: str,
    code: str,
    name: str,
    kind: ZoneKind,
    sequence: int,
    now: datetime,
) -> Zone:
    await inventory.get_location(uow, location_id)  # 404 location_not_found
    taken = await uow.session.scalar(
        select(Zone.id).where(Zone.location_id == location_id, Zone.code == code)
    )
    if taken is not None:
        raise CodeTaken(f"the location already has a zone {code!r}")
    zone = Zone(
        id=new_id(),
        location_id=location_id,
        code=code,
        name=name,
        kind=kind,
        sequence=sequence,
        created_at=now,
    )
    uow.session.add(zone)
    await uow.session.flush()
    return zone


async def get_zone(uow: UnitOfWork, zone_id: str) -> Zone:
    zone = await uow.session.get(Zone, zone_id)
    if zone is None:
        raise ZoneNotFound(f"no zone {zone_id!r}")
    return zone


async def list_zones(
    uow: UnitOfWork,
    *,
    location_id: str | None = None,
    after: tuple[str, int, str] | None = None,
    limit: int = 100,
) -> list[Zone]:
    """Zones by location, then walk order."""
    order = (Zone.location_id, Zone.sequence, Zone.code)
    query = select(Zone).where(paging.beyond(order, after, descending=False))
    if location_id is not None:
        query = query.where(Zone.location_id == location_id)
    return list(await uow.session.scalars(query.order_by(*order).limit(limit)))


async def create_bin(
    uow: UnitOfWork,
    *,
    zone_id: str,
    code: str,
    aisle: int | None = None,
    bay: int | None = None,
    level: int | None = None,
    position: str | None = None,
    now: datetime,
) -> BinView:
    """A bin in a zone; the parts of its place not given are read from its code."""
    zone = await get_zone(uow, zone_id)
    if aisle is None or bay is None or level is None:
        parsed = parse_bin_code(code)
        aisle = parsed[0] if aisle is None else aisle
        bay = parsed[1] if bay is None else bay
        level = parsed[2] if level is None else level
        position = parsed[3] if position is None else position
    taken = await uow.session.scalar(
        select(Bin.id).where(Bin.location_id == zone.location_id, Bin.code == code)
    )
    if taken is not None:
        raise CodeTaken(f"the location already has a bin {code!r}")
    made = Bin(
        id=new_id(),
        location_id=zone.location_id,
        zone_id=zone.id,
        code=code,
        aisle=aisle,
        bay=bay,
        level=level,
        position=position or "",
        created_at=now,
    )
    uow.session.add(made)
    await uow.session.flush()
    return BinView(made, zone, [])


async def get_bin(uow: UnitOfWork, bin_id: str) -> BinView:
    found = (
        await uow.session.execute(
            select(Bin, Zone).join(Zone, Zone.id == Bin.zone_id).where(Bin.id == bin_id)
        )
    ).first()
    if found is None:
        raise BinNotFound(f"no bin {bin_id!r}")
    return BinView(found[0], found[1], (await contents_of(uow, [bin_id])).get(bin_id, []))


async def list_bins(
    uow: UnitOfWork,
    *,
    location_id: str | None = None,
    zone_id: str | None = None,
    variant_id: str | None = None,
    after: tuple[str, str] | None = None,
    limit: int = 100,
) -> list[BinView]:
    """Bins by location, then code, with what they hold; `variant_id` keeps those holding it."""
    order = (Bin.location_id, Bin.code)
    query = (
        select(Bin, Zone)
        .join(Zone, Zone.id == Bin.zone_id)
        .where(paging.beyond(order, after, descending=False))
    )
    if location_id is not None:
        query = query.where(Bin.location_id == location_id)
    if zone_id is not None:
        query = query.where(Bin.zone_id == zone_id)
    if variant_id is not None:
        holding = select(BinStock.bin_id).where(
            BinStock.variant_id == variant_id, BinStock.quantity > 0
        )
        query = query.where(Bin.id.in_(holding))
    rows = list(await uow.session.execute(query.order_by(*order).limit(limit)))
    held = await contents_of(uow, [row[0].id for row in rows])
    return [BinView(b, z, held.get(b.id, [])) for b, z in rows]


async def contents_of(uow: UnitOfWork, bin_ids: Iterable[str]) -> dict[str, list[tuple[str, int]]]:
    ids = list(bin_ids)
    found: dict[str, list[tuple[str, int]]] = {}
    if not ids:
        return found
    rows = await uow.session.execute(
        select(BinStock.bin_id, BinStock.variant_id, BinStock.quantity)
        .where(BinStock.bin_id.in_(ids), BinStock.quantity > 0)
        .order_by(BinStock.bin_id, BinStock.variant_id)
    )
    for bin_id, variant_id, quantity in rows:
        found.setdefault(bin_id, []).append((variant_id, quantity))
    return found


async def holding(
    uow: UnitOfWork, *, location_id: str, variant_ids: Iterable[str]
) -> list[tuple[BinStock, Bin, Zone]]:
    """Every bin of the location holding units of the variants."""
    rows = await uow.session.execute(
        select(BinStock, Bin, Zone)
        .join(Bin, Bin.id == BinStock.bin_id)
        .join(Zone, Zone.id == Bin.zone_id)
        .where(
            BinStock.location_id == location_id,
            BinStock.variant_id.in_(list(variant_ids)),
            BinStock.quantity > 0,
        )
        .execution_options(populate_existing=True)
    )
    return [(s, b, z) for s, b, z in rows]


async def located(uow: UnitOfWork, *, location_id: str, variant_id: str) -> int:
    """Units of the variant in the location's bins."""
    rows = await holding(uow, location_id=location_id, variant_ids=[variant_id])
    return sum(stock.quantity for stock, _, _ in rows)


async def shift(uow: UnitOfWork, *, bin: Bin, variant_id: str, delta: int, now: datetime) -> bool:
    """Add (or, negative, take) units of a variant in a bin; False, changing nothing, when
    the bin holds fewer units than are taken."""
    changed = await uow.session.execute(
        update(BinStock)
        .where(
            BinStock.bin_id == bin.id,
            BinStock.variant_id == variant_id,
            BinStock.quantity + delta >= 0,
        )
        .values(quantity=BinStock.quantity + delta, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(changed, "rowcount", 0):
        return True
    if delta < 0:
        return False
    # no row yet (a positive delta always passes the condition): the first units here
    uow.session.add(
        BinStock(
            id=new_id(),
            bin_id=bin.id,
            location_id=bin.location_id,
            variant_id=variant_id,
            quantity=delta,
            updated_at=now,
        )
    )
    await uow.session.flush()
    return True


async def skus_of(uow: UnitOfWork, variant_ids: Iterable[str]) -> dict[str, str]:
    """Each variant's SKU, from the catalog (for people reading bins and counts)."""
    ids = list(dict.fromkeys(variant_ids))
    found = await catalog.sellable_variants(uow, ids) if ids else {}
    return {variant_id: variant.sku for variant_id, variant in found.items()}
