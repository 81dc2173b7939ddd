"""Inventory commands and queries: the only code that writes the inventory agent's tables.

Stock is never read-then-written: every change is one conditional UPDATE (`… WHERE on_hand -
reserved >= :quantity`), rows of one command are changed in a fixed order (by id), and the
database's CHECK constraints back it up. Functions take the caller's unit of work and never
commit.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from mercato.agents.inventory.models import Location, StockLevel
from mercato.kernel.db import UnitOfWork


async def available(uow: UnitOfWork, variant_ids: Iterable[str]) -> dict[str, int]:
    """Units available to sell per variant, over the store's active locations (variants
    with no stock row are absent: treat them as 0)."""
    ids = list(set(variant_ids))
    if not ids:
        return {}
    rows = await uow.session.execute(
        select(StockLevel.variant_id, func.sum(StockLevel.on_hand - StockLevel.reserved))
        .join(Location, Location.id == StockLevel.location_id)
        .where(StockLevel.variant_id.in_(ids), Location.active.is_(True))
        .group_by(StockLevel.variant_id)
    )
    return {variant_id: int(total or 0) for variant_id, total in rows.tuples()}
