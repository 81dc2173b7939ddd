"""Visits, carts and stock as analytics keeps them: guest sessions (the funnel's first step),
carts from opened to abandoned or checked out, and each change of units on hand. Inserts are
keyed by the event's ids and updates keep the earliest moment, so a redelivered or replayed
event changes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from mercato.agents.analytics.calendar import local_dates
from mercato.agents.analytics.statements import (
    CART_ABANDONED,
    CART_CHECKED_OUT,
    CART_FILLED,
    ENSURE_CART,
    INSERT_MOVES,
    INSERT_SESSION,
    OPEN_CART,
    for_dialect,
)
from mercato.kernel.db import UnitOfWork
from mercato.kernel.prepared import Prepared


async def record_session(uow: UnitOfWork, *, session_id: str, at: datetime, tz: ZoneInfo) -> None:
    await for_dialect(INSERT_SESSION, uow).run(
        uow, session_id=session_id, started_at=at, **local_dates(at, tz).as_dict()
    )


async def cart_opened(
    uow: UnitOfWork,
    *,
    cart_id: str,
    session_id: str | None,
    user_id: str | None,
    at: datetime,
    tz: ZoneInfo,
) -> None:
    await for_dialect(OPEN_CART, uow).run(
        uow,
        cart_id=cart_id,
        created_at=at,
        session_id=session_id,
        user_id=user_id,
        **local_dates(at, tz).as_dict(),
    )


async def cart_filled(uow: UnitOfWork, *, cart_id: str, at: datetime, tz: ZoneInfo) -> None:
    """A line was put in the cart: it counts as a cart in the funnel from its first one."""
    await _earliest(uow, CART_FILLED, cart_id, at, tz)


async def cart_abandoned(uow: UnitOfWork, *, cart_id: str, at: datetime, tz: ZoneInfo) -> None:
    await _earliest(uow, CART_ABANDONED, cart_id, at, tz)


async def cart_checked_out(
    uow: UnitOfWork, *, cart_id: str, order_id: str, at: datetime, tz: ZoneInfo
) -> None:
    await _earliest(uow, CART_CHECKED_OUT, cart_id, at, tz, new_order_id=order_id)


async def _earliest(
    uow: UnitOfWork, setting: Prepared, cart_id: str, at: datetime, tz: ZoneInfo, **more: Any
) -> None:
    """Set the moment unless the cart holds an earlier one (the cart's row made first if its
    `cart.created` was never handled: opened when this happened)."""
    await for_dialect(ENSURE_CART, uow).run(
        uow, cart_id=cart_id, created_at=at, **local_dates(at, tz).as_dict()
    )
    await setting.run(uow, cart_id=cart_id, at=at, **more)


async def record_stock_moves(
    uow: UnitOfWork,
    *,
    event_id: str,
    moves: list[tuple[str, str, int]],
    at: datetime,
    tz: ZoneInfo,
) -> None:
    """(variant id, SKU, change of units on hand) of one event."""
    day = local_dates(at, tz).day
    rows = [
        {"event_id": event_id, "variant_id": variant_id, "sku": sku, "delta": delta,
         "moved_at": at, "day": day}
        for variant_id, sku, delta in moves
        if delta
    ]  # fmt: skip
    await for_dialect(INSERT_MOVES, uow).run_many(uow, rows)
