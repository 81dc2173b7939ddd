"""Inventory's read side: stock levels with their location and totals, and the ledger of
movements, newest first, paged by a keyset cursor."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from mercato.agents.inventory.errors import InvalidCursor, StockLevelNotFound
from mercato.agents.inventory.models import Location, Movement, StockLevel
from mercato.kernel.db import UnitOfWork


@dataclass(frozen=True)
class LevelView:
    id: str
    variant_id: str
    sku: str
    location_id: str
    location_code: str
    on_hand: int
    reserved: int
    available: int
    reorder_point: int | None
    low_alerted: bool
    updated_at: datetime


@dataclass(frozen=True)
class Totals:
    on_hand: int
    reserved: int
    available: int


@dataclass(frozen=True)
class LevelsPage:
    items: list[LevelView]
    totals: Totals
    next_cursor: str | None


def _level_query() -> Select[StockLevel, str]:
    return select(StockLevel, Location.code).join(Location, Location.id == StockLevel.location_id)


def _view(level: StockLevel, code: str) -> LevelView:
    return LevelView(
        id=level.id,
        variant_id=level.variant_id,
        sku=level.sku,
        location_id=level.location_id,
        location_code=code,
        on_hand=level.on_hand,
        reserved=level.reserved,
        available=level.on_hand - level.reserved,
        reorder_point=level.reorder_point,
        low_alerted=level.low_alerted,
        updated_at=level.updated_at,
    )


async def level(uow: UnitOfWork, level_id: str) -> LevelView:
    """One stock level as it is now (re-read: commands change rows with UPDATE statements)."""
    return await _one(uow, StockLevel.id == level_id, f"no stock level {level_id!r}")


async def level_at(uow: UnitOfWork, *, variant_id: str, location_id: str) -> LevelView:
    """The stock level of a variant at a location, as it is now."""
    return await _one(
        uow,
        and_(StockLevel.variant_id == variant_id, StockLevel.location_id == location_id),
        f"no stock of {variant_id!r} at {location_id!r}",
    )


async def _one(uow: UnitOfWork, where: ColumnElement[bool], missing: str) -> LevelView:
    found = (
        await uow.session.execute(
            _level_query().where(where).execution_options(populate_existing=True)
        )
    ).first()
    if found is None:
        raise StockLevelNotFound(missing)
    return _view(*found)


async def levels(
    uow: UnitOfWork,
    *,
    sku: str | None = None,
    variant_id: str | None = None,
    location_id: str | None = None,
    low: bool = False,
    cursor: str | None = None,
    limit: int = 200,
) -> LevelsPage:
    """Stock levels matching the filters (by id), with the totals over all of them. `low`
    keeps the rows at or below their reorder point."""
    filters: list[ColumnElement[bool]] = []
    if sku is not None:
        filters.append(StockLevel.sku == sku)
    if variant_id is not None:
        filters.append(StockLevel.variant_id == variant_id)
    if location_id is not None:
        filters.append(StockLevel.location_id == location_id)
    if low:
        filters.append(StockLevel.reorder_point.is_not(None))
        filters.append(StockLevel.on_hand - StockLevel.reserved <= StockLevel.reorder_point)
    sums = (
        await uow.session.execute(
            select(func.sum(StockLevel.on_hand), func.sum(StockLevel.reserved)).where(*filters)
        )
    ).one()
    on_hand, reserved = int(sums[0] or 0), int(sums[1] or 0)
    query = _level_query().where(*filters).order_by(StockLevel.id).limit(limit + 1)
    if cursor:
        query = query.where(StockLevel.id > _decode(cursor)[0])
    found = [_view(*row) for row in (await uow.session.execute(query)).all()]
    more = len(found) > limit
    found = found[:limit]
    return LevelsPage(
        items=found,
        totals=Totals(on_hand, reserved, on_hand - reserved),
        next_cursor=_encode(found[-1].id) if more and found else None,
    )


@dataclass(frozen=True)
class MovementsPage:
    items: list[Movement]
    next_cursor: str | None


async def movements(
    uow: UnitOfWork,
    *,
    sku: str | None = None,
    variant_id: str | None = None,
    location_id: str | None = None,
    kind: str | None = None,
    reference: str | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> MovementsPage:
    """The ledger, newest first; `cursor` continues after the last movement of a page."""
    query = select(Movement).order_by(Movement.created_at.desc(), Movement.id.desc())
    for column, value in (
        (Movement.sku, sku),
        (Movement.variant_id, variant_id),
        (Movement.location_id, location_id),
        (Movement.kind, kind),
        (Movement.reference, reference),
    ):
        if value is not None:
            query = query.where(column == value)
    if cursor:
        movement_id, created = _decode(cursor, with_time=True)
        assert created is not None
        query = query.where(
            or_(
                Movement.created_at < created,
                and_(Movement.created_at == created, Movement.id < movement_id),
            )
        )
    found = list(await uow.session.scalars(query.limit(limit + 1)))
    more = len(found) > limit
    found = found[:limit]
    last = found[-1] if found else None
    return MovementsPage(
        items=found,
        next_cursor=_encode(last.id, last.created_at) if more and last else None,
    )


def _encode(row_id: str, at: datetime | None = None) -> str:
    raw = row_id if at is None else f"{at.isoformat()}|{row_id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(cursor: str, *, with_time: bool = False) -> tuple[str, datetime | None]:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if not with_time:
            if "|" in raw or not raw:
                raise ValueError(raw)
            return raw, None
        stamp, row_id = raw.split("|", 1)
        at = datetime.fromisoformat(stamp)
        if at.tzinfo is None or not row_id:
            raise ValueError(raw)
        return row_id, at
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise InvalidCursor("the cursor is not one this API issued") from None
