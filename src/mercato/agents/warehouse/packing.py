"""Packing: the store's box catalogue (a default set when it has none), the boxes chosen for
units (`boxes.choose` over the catalog's item sizes), and the packings recorded.

Sizes the catalog does not know are the deployment's defaults
(`shipping_default_weight_grams`, `shipping_default_box_mm`); units of variants that need no
shipping (a gift card) go in no package.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from mercato.agents.catalog import service as catalog
from mercato.agents.orders import service as orders
from mercato.agents.warehouse import tasks
from mercato.agents.warehouse.boxes import BoxSpec, Package, Unit, choose
from mercato.agents.warehouse.models import Box, Packing, PickLine, PickList
from mercato.agents.warehouse.problems import (
    CodeTaken,
    InvalidWarehouseRequest,
    OrderNotFound,
    PickListNotFound,
)
from mercato.agents.warehouse.statuses import PackingStatus, TaskKind
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

MAX_UNITS = 2000
"""The most units one packing takes (a larger shipment is packed in parts)."""

DEFAULT_BOXES = (
    BoxSpec("MAILER-S", 250, 180, 50, 1000, 40, Decimal("0.35")),
    BoxSpec("BOX-S", 300, 200, 150, 5000, 150, Decimal("0.80")),
    BoxSpec("BOX-M", 400, 300, 200, 10000, 300, Decimal("1.20")),
    BoxSpec("BOX-L", 500, 400, 300, 20000, 500, Decimal("1.90")),
    BoxSpec("BOX-XL", 600, 500, 400, 30000, 800, Decimal("2.60")),
)
"""A small mailer and four cartons, for a store that has set up no boxes of its own."""


def spec_of(box: Box) -> BoxSpec:
    return BoxSpec(
        box.code,
        box.length_mm,
        box.width_mm,
        box.height_mm,
        box.max_weight_grams,
        box.tare_grams,
        box.cost,
    )


async def list_boxes(uow: UnitOfWork) -> list[Box]:
    return list(await uow.session.scalars(select(Box).order_by(Box.cost, Box.code)))


async def create_box(
    uow: UnitOfWork,
    *,
    code: str,
    name: str,
    length_mm: int,
    width_mm: int,
    height_mm: int,
    max_weight_grams: int,
    tare_grams: int,
    cost: Decimal,
    now: datetime,
) -> Box:
    """A box of the store's catalogue (once it has one, the defaults no longer apply)."""
    if await uow.session.scalar(select(Box.id).where(Box.code == code)):
        raise CodeTaken(f"the store already has a box {code!r}")
    box = Box(
        id=new_id(),
        code=code,
        name=name,
        length_mm=length_mm,
        width_mm=width_mm,
        height_mm=height_mm,
        max_weight_grams=max_weight_grams,
        tare_grams=tare_grams,
        cost=cost,
        currency=uow.settings.default_currency,
        created_at=now,
    )
    uow.session.add(box)
    await uow.session.flush()
    return box


async def catalogue(uow: UnitOfWork) -> list[BoxSpec]:
    """The store's boxes, or the default set when it has none."""
    return [spec_of(box) for box in await list_boxes(uow)] or list(DEFAULT_BOXES)


def _default_sides(setting: str) -> tuple[int, int, int]:
    length, width, height = (int(part) for part in setting.lower().split("x"))
    return length, width, height


async def choose_packages(uow: UnitOfWork, *, items: Sequence[tuple[str, int]]) -> list[Package]:
    """The packages (box, size, weight with the box's own, units per variant) that ship
    `items` ((variant id, units) each) most cheaply from the store's box catalogue: one box
    when one takes them all, else a split (see `boxes.py`). Read only."""
    wanted: dict[str, int] = {}
    for variant_id, quantity in items:
        if quantity < 1:
            raise InvalidWarehouseRequest("each item has at least one unit")
        wanted[variant_id] = wanted.get(variant_id, 0) + quantity
    if sum(wanted.values()) > MAX_UNITS:
        raise InvalidWarehouseRequest(f"a packing takes at most {MAX_UNITS} units")
    sizes = await catalog.item_sizes(uow, list(wanted))
    weight = uow.settings.shipping_default_weight_grams
    length, width, height = _default_sides(uow.settings.shipping_default_box_mm)
    units: list[Unit] = []
    for variant_id, quantity in wanted.items():
        size = sizes.get(variant_id)
        if size is not None and not size.requires_shipping:
            continue
        unit = Unit(
            variant_id,
            (size and size.length_mm) or length,
            (size and size.width_mm) or width,
            (size and size.height_mm) or height,
            (size and size.weight_grams) or weight,
        )
        units.extend([unit] * quantity)
    return choose(await catalogue(uow), units)


async def pack(
    uow: UnitOfWork,
    *,
    order_id: str | None = None,
    pick_list_id: str | None = None,
    items: Sequence[tuple[str, int]] | None = None,
    actor: str | None = None,
    now: datetime,
) -> list[Packing]:
    """Record the packing of an order (its lines), of each order of a pick list (the units
    picked for it), or of loose items: exactly one of the three."""
    if sum(x is not None for x in (order_id, pick_list_id, items)) != 1:
        raise InvalidWarehouseRequest("give exactly one of order_id, pick_list_id and items")
    if pick_list_id is not None:
        made = [
            await _record(uow, order, pick_list_id, contents, actor, now)
            for order, contents in (await _picked(uow, pick_list_id)).items()
        ]
        await tasks.finish(uow, kind=TaskKind.PACK, reference=pick_list_id, now=now)
        return made
    if order_id is not None:
        info = await orders.order_info(uow, order_id=order_id)
        if info is None:
            raise OrderNotFound(f"no order {order_id!r}")
        contents = [(line.variant_id, line.quantity) for line in info.lines]
        return [await _record(uow, order_id, None, contents, actor, now)]
    assert items is not None
    if not items:
        raise InvalidWarehouseRequest("give at least one item")
    return [await _record(uow, None, None, list(items), actor, now)]


async def _picked(uow: UnitOfWork, pick_list_id: str) -> dict[str, list[tuple[str, int]]]:
    if await uow.session.get(PickList, pick_list_id) is None:
        raise PickListNotFound(f"no pick list {pick_list_id!r}")
    lines = await uow.session.scalars(
        select(PickLine)
        .where(PickLine.pick_list_id == pick_list_id, PickLine.picked > 0)
        .order_by(PickLine.tote, PickLine.stop)
    )
    by_order: dict[str, list[tuple[str, int]]] = {}
    for line in lines:
        by_order.setdefault(line.order_id, []).append((line.variant_id, line.picked))
    if not by_order:
        raise InvalidWarehouseRequest("nothing on the pick list has been picked yet")
    return by_order


async def _record(
    uow: UnitOfWork,
    order_id: str | None,
    pick_list_id: str | None,
    contents: list[tuple[str, int]],
    actor: str | None,
    now: datetime,
) -> Packing:
    packages = await choose_packages(uow, items=contents)
    packing = Packing(
        id=new_id(),
        order_id=order_id,
        pick_list_id=pick_list_id,
        status=PackingStatus.PACKED,
        packages=[package_data(p) for p in packages],
        actor=actor,
        created_at=now,
    )
    uow.session.add(packing)
    await uow.session.flush()
    return packing


def package_data(package: Package) -> dict[str, Any]:
    return {
        "box_code": package.box_code,
        "length_mm": package.length_mm,
        "width_mm": package.width_mm,
        "height_mm": package.height_mm,
        "weight_grams": package.weight_grams,
        "items": [{"variant_id": v, "quantity": q} for v, q in package.items],
    }
