"""The demo store's warehouse: a layout for each of its locations (a receiving dock, a
forward picking zone, four aisles of storage and a packing bench), the default boxes as the
store's own catalogue, and every unit the locations hold put into a storage bin.
Idempotent: a location that already has zones is left as it is."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from mercato.agents.inventory import service as inventory
from mercato.agents.warehouse import layout, packing
from mercato.agents.warehouse.models import BinStock, Zone
from mercato.agents.warehouse.statuses import ZoneKind
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

STORAGE_AISLES = "ABCD"
BAYS = 8
LEVELS = 3


async def seed(uow: UnitOfWork, *, location_ids: Sequence[str], now: datetime) -> None:
    if not await packing.list_boxes(uow):
        for box in packing.DEFAULT_BOXES:
            await packing.create_box(
                uow,
                code=box.code,
                name=box.code.replace("-", " ").title(),
                length_mm=box.length_mm,
                width_mm=box.width_mm,
                height_mm=box.height_mm,
                max_weight_grams=box.max_weight_grams,
                tare_grams=box.tare_grams,
                cost=box.cost,
                now=now,
            )
    for location_id in location_ids:
        if await uow.session.scalar(select(Zone.id).where(Zone.location_id == location_id)):
            continue
        storage = await _layout(uow, location_id, now)
        await _stock_into_bins(uow, location_id, storage, now)


async def _layout(uow: UnitOfWork, location_id: str, now: datetime) -> list[layout.BinView]:
    """The zones and bins of one location; its storage bins in walk order."""
    zones = {}
    for sequence, (code, name, kind) in enumerate(
        [
            ("RCV", "Receiving dock", ZoneKind.RECEIVING),
            ("FWD", "Forward picking", ZoneKind.PICKING),
            ("STO", "Storage", ZoneKind.STORAGE),
            ("PACK", "Packing bench", ZoneKind.PACKING),
        ]
    ):
        zones[code] = await layout.create_zone(
            uow,
            location_id=location_id,
            code=code,
            name=name,
            kind=kind,
            sequence=sequence,
            now=now,
        )
    await layout.create_bin(uow, zone_id=zones["RCV"].id, code="R-01-1", now=now)
    await layout.create_bin(uow, zone_id=zones["PACK"].id, code="K-01-1", now=now)
    for bay in range(1, 11):
        await layout.create_bin(uow, zone_id=zones["FWD"].id, code=f"P-{bay:02}-1", now=now)
    storage = []
    for aisle in STORAGE_AISLES:
        for bay in range(1, BAYS + 1):
            for level in range(1, LEVELS + 1):
                code = f"{aisle}-{bay:02}-{level}"
                storage.append(
                    await layout.create_bin(uow, zone_id=zones["STO"].id, code=code, now=now)
                )
    return storage


async def _stock_into_bins(
    uow: UnitOfWork, location_id: str, storage: list[layout.BinView], now: datetime
) -> None:
    """Each variant's units in one storage bin, the variants dealt round the bins."""
    held = await inventory.on_hand_at(uow, location_id=location_id)
    uow.session.add_all(
        BinStock(
            id=new_id(),
            bin_id=storage[index % len(storage)].bin.id,
            location_id=location_id,
            variant_id=variant_id,
            quantity=quantity,
            updated_at=now,
        )
        for index, (variant_id, quantity) in enumerate(sorted(held.items()))
    )
    await uow.session.flush()
