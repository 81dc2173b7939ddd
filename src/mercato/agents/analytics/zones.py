"""A store's time zone: what its days are counted in. Read by every handler that dates a
row, and changed by the store's admin, which dates every row of the store again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, select, update

from mercato.agents.analytics.calendar import local_dates, zone
from mercato.agents.analytics.models import (
    CartFact,
    OrderFact,
    RefundFact,
    SessionFact,
    StockMove,
    StoreSettings,
)
from mercato.kernel import context
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.store_sql import in_store

BATCH = 2000


async def time_zone_name(uow: UnitOfWork) -> str:
    """The store's time zone (the deployment's default until its admin sets one)."""
    name = await uow.session.scalar(select(StoreSettings.time_zone))
    return name or uow.settings.default_time_zone


async def store_zone(uow: UnitOfWork) -> ZoneInfo:
    """The store's time zone, read once per unit of work (a handler's run of events shares
    one transaction, and so one answer)."""
    known = _ZONES.setdefault(uow, {})
    store = context.current_tenant() or ""  # one run may hold several stores' events
    found = known.get(store)
    if found is None:
        found = known[store] = zone(await time_zone_name(uow))
    return found


_ZONES: WeakKeyDictionary[UnitOfWork, dict[str, ZoneInfo]] = WeakKeyDictionary()


async def set_time_zone(uow: UnitOfWork, *, name: str, now: datetime) -> str:
    """Count the store's days in `name` from now on, and date every row of the store again
    in it (422 `invalid_time_zone` for a name that is no IANA zone; nothing changes)."""
    tz = zone(name)
    if name == await time_zone_name(uow):
        return name
    statement = upsert_insert(uow.session)(StoreSettings).values(
        tenant_id=context.current_tenant(), time_zone=name, updated_at=now
    )
    await uow.session.execute(
        statement.on_conflict_do_update(
            index_elements=["tenant_id"], set_={"time_zone": name, "updated_at": now}
        )
    )
    _ZONES.pop(uow, None)
    await relocalize(uow, tz)
    return name


async def relocalize(uow: UnitOfWork, tz: ZoneInfo) -> int:
    """Every dated row of the store, dated again in `tz`; how many rows."""
    moved = 0
    for redating in _REDATINGS:
        moved += await redating.run(uow, tz)
    return moved


class _Redating:
    """One table's rows read (key, moment) and updated BATCH at a time by key, in one
    statement run for many rows (scoped to the store by `in_store`)."""

    def __init__(self, model: Any, at: str, keys: Sequence[str], dates: Sequence[str]) -> None:
        table = cast(Table, model.__table__)
        self.read = in_store(select(table.c[at], *(table.c[k] for k in keys)))
        self.keys, self.dates = list(keys), list(dates)
        self.write = in_store(
            update(table)
            .where(*(table.c[k] == bindparam(f"key_{k}") for k in keys))
            .values({d: bindparam(f"new_{d}") for d in dates})
        )

    async def run(self, uow: UnitOfWork, tz: ZoneInfo) -> int:
        rows = (await uow.session.execute(self.read)).all()
        changes: list[dict[str, Any]] = []
        for at, *ids in rows:
            dates = local_dates(at, tz).as_dict()
            keys = {f"key_{k}": v for k, v in zip(self.keys, ids, strict=True)}
            changes.append({**keys, **{f"new_{d}": dates[d] for d in self.dates}})
        for start in range(0, len(changes), BATCH):
            await uow.session.execute(self.write, changes[start : start + BATCH])
        return len(changes)


_ALL = ("day", "week", "month")
_REDATINGS = (
    _Redating(OrderFact, "placed_at", ["order_id"], _ALL),
    _Redating(RefundFact, "refunded_at", ["refund_id"], _ALL),
    _Redating(CartFact, "created_at", ["cart_id"], _ALL),
    _Redating(SessionFact, "started_at", ["session_id"], _ALL),
    _Redating(StockMove, "moved_at", ["event_id", "variant_id"], ["day"]),
)
