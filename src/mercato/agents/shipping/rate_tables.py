"""The store's own rate tables: their upkeep, and the price one of them puts on a parcel.

A parcel's billable weight is the larger of its weight and its dimensional weight (LxWxH in
cm ÷ 5000, in kg: what carriers charge a light, bulky box for). The price is the first
weight bracket that holds it; beyond the last bracket, that bracket's price plus
`per_kg_over` for each started kilogram (no `per_kg_over`: the service does not take it);
plus `value_percent` of the goods' value; nothing at all from `free_over` on.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mercato.agents.shipping.models import RateTable
from mercato.agents.shipping.problems import (
    InvalidShippingRequest,
    RateTableExists,
    RateTableNotFound,
)
from mercato.agents.shipping.providers.base import Parcel
from mercato.agents.shipping.zones import get_zone
from mercato.kernel import paging
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.money import is_valid_amount, round_money

DIMENSIONAL_DIVISOR = 5000
"""cm³ per kg: the divisor most carriers use for dimensional weight."""


def billable_grams(parcel: Parcel) -> int:
    volume_cm3 = parcel.length_mm * parcel.width_mm * parcel.height_mm / 1000
    dimensional = math.ceil(volume_cm3 / DIMENSIONAL_DIVISOR * 1000)
    return max(parcel.weight_grams, dimensional)


def price(table: RateTable, parcel: Parcel) -> Decimal | None:
    """What the table charges for `parcel`, or None when the service does not take it."""
    if table.max_length_mm is not None:
        longest = max(parcel.length_mm, parcel.width_mm, parcel.height_mm)
        if longest > table.max_length_mm:
            return None
    if table.free_over is not None and parcel.value >= table.free_over:
        return Decimal(0)
    grams = billable_grams(parcel)
    brackets = sorted(table.brackets, key=lambda b: int(b["up_to_grams"]))
    if not brackets:
        return None
    base: Decimal | None = None
    for bracket in brackets:
        if grams <= int(bracket["up_to_grams"]):
            base = Decimal(str(bracket["price"]))
            break
    if base is None:
        if not table.per_kg_over:
            return None
        last = brackets[-1]
        extra_kg = math.ceil((grams - int(last["up_to_grams"])) / 1000)
        base = Decimal(str(last["price"])) + table.per_kg_over * extra_kg
    insured = parcel.value * table.value_percent / 100
    return round_money(base + insured, table.currency)


def check_brackets(brackets: Sequence[Mapping[str, Any]], currency: str) -> list[dict[str, Any]]:
    """Brackets as stored: ascending, distinct weights, prices of the currency."""
    clean: list[dict[str, Any]] = []
    for bracket in brackets:
        grams, amount = int(bracket["up_to_grams"]), Decimal(str(bracket["price"]))
        if grams < 1 or amount < 0 or not is_valid_amount(amount, currency):
            raise InvalidShippingRequest(f"the bracket {dict(bracket)} is not valid")
        clean.append({"up_to_grams": grams, "price": format(amount, "f")})
    clean.sort(key=lambda b: b["up_to_grams"])
    weights = [b["up_to_grams"] for b in clean]
    if len(set(weights)) != len(weights) or not clean:
        raise InvalidShippingRequest("brackets need distinct weights, at least one")
    return clean


async def tables_for_zone(uow: UnitOfWork, zone_id: str) -> list[RateTable]:
    found = await uow.session.scalars(
        select(RateTable)
        .where(RateTable.zone_id == zone_id, RateTable.active.is_(True))
        .order_by(RateTable.carrier, RateTable.service)
    )
    return list(found)


async def list_tables(
    uow: UnitOfWork, *, cursor: str | None, limit: int, carrier: str | None = None
) -> tuple[list[RateTable], str | None]:
    key = paging.decode(cursor, str)
    query = (
        select(RateTable)
        .where(paging.beyond((RateTable.id,), key, descending=False))
        .order_by(RateTable.id)
    )
    if carrier:
        query = query.where(RateTable.carrier == carrier)
    rows = list(await uow.session.scalars(query.limit(limit + 1)))
    return paging.cut(rows, limit, lambda t: (t.id,))


async def get_table(uow: UnitOfWork, table_id: str) -> RateTable:
    table = await uow.session.get(RateTable, table_id)
    if table is None:
        raise RateTableNotFound(f"no rate table {table_id!r}")
    return table


async def create_table(uow: UnitOfWork, *, data: Mapping[str, Any], now: datetime) -> RateTable:
    """A rate table from `data` (the API's fields); 404 `zone_not_found`, 422 for bad
    brackets or days, 409 `rate_table_exists` for a second table of one service and zone."""
    await get_zone(uow, data["zone_id"])
    values = _checked(data)
    table = RateTable(id=new_id(), created_at=now, updated_at=now, active=True, **values)
    try:
        async with uow.session.begin_nested():
            uow.session.add(table)
            await uow.session.flush()
    except IntegrityError:
        raise RateTableExists(
            "the zone has a table for that carrier's service already: change it instead"
        ) from None
    return table


def _checked(data: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(data)
    currency = values["currency"]
    values["brackets"] = check_brackets(values["brackets"], currency)
    if values["days_min"] > values["days_max"]:
        raise InvalidShippingRequest("days_min is after days_max")
    for name in ("per_kg_over", "value_percent"):
        values[name] = values.get(name) or Decimal(0)
    return values


async def update_table(
    uow: UnitOfWork, *, table_id: str, changes: Mapping[str, Any], now: datetime
) -> RateTable:
    table = await get_table(uow, table_id)
    merged = {
        name: changes.get(name, getattr(table, name))
        for name in (
            "carrier",
            "carrier_name",
            "service",
            "service_name",
            "zone_id",
            "currency",
            "brackets",
            "per_kg_over",
            "value_percent",
            "free_over",
            "max_length_mm",
            "days_min",
            "days_max",
        )
    }
    if "zone_id" in changes:
        await get_zone(uow, changes["zone_id"])
    values = _checked(merged)
    try:
        async with uow.session.begin_nested():
            for name, value in values.items():
                setattr(table, name, value)
            if "active" in changes:
                table.active = bool(changes["active"])
            table.updated_at = now
            await uow.session.flush()
    except IntegrityError:
        raise RateTableExists(
            "the zone has a table for that carrier's service already: change it instead"
        ) from None
    return table


async def delete_table(uow: UnitOfWork, *, table_id: str) -> None:
    await uow.session.delete(await get_table(uow, table_id))
