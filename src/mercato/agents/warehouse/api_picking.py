"""Pick lists and packing: parse → service → schema."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body

from mercato.agents.warehouse import service
from mercato.agents.warehouse.edge import Cursor, Limit, Manager
from mercato.agents.warehouse.problems import (
    BinShort,
    InvalidWarehouseRequest,
    OrderNotFound,
    OrderNotPickable,
    OverPick,
    PickLineNotFound,
    PickListClosed,
    PickListNotFound,
)
from mercato.agents.warehouse.schemas import (
    PackingIn,
    PackItemsIn,
    PackOrderIn,
    PackPickListIn,
    PickIn,
    PickListIn,
)
from mercato.agents.warehouse.schemas_out import (
    PackingOut,
    PackingsOut,
    PickListOut,
    PickListPage,
    PickListSummaryOut,
    pick_list_out,
)
from mercato.agents.warehouse.statuses import PickListStatus
from mercato.kernel import paging
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/warehouse", tags=["warehouse"])


@router.get("/pick-lists", response_model=PickListPage, responses=problems(InvalidCursor))
async def list_pick_lists(
    kernel: KernelDep,
    _: Manager,
    status: PickListStatus | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PickListPage:
    """Pick lists, newest first."""
    after = paging.decode(cursor, datetime, str)
    async with kernel.uow(writes=False) as uow:
        found = await service.list_pick_lists(uow, status=status, after=after, limit=limit + 1)
    page, next_cursor = paging.cut(found, limit, lambda p: (p.created_at, p.id))
    return PickListPage(
        items=[PickListSummaryOut.model_validate(p) for p in page], next_cursor=next_cursor
    )


@router.post(
    "/pick-lists",
    status_code=201,
    response_model=PickListOut,
    responses=problems(OrderNotFound, OrderNotPickable, InvalidWarehouseRequest),
)
async def create_pick_list(body: PickListIn, kernel: KernelDep, principal: Manager) -> PickListOut:
    """One walk for the orders' reserved units: stops sorted by zone, aisle (serpentine),
    bay and level, each a bin and a variant with the units per order (tote); units no bin
    holds come last, unlocated. The orders must be confirmed and on no open pick list."""
    async with kernel.uow() as uow:
        view = await service.create_pick_list(
            uow, order_ids=body.order_ids, actor=principal.id, now=kernel.clock.now()
        )
        out = pick_list_out(view)
        await uow.commit()
    return out


@router.get(
    "/pick-lists/{pick_list_id}",
    response_model=PickListOut,
    responses=problems(PickListNotFound),
)
async def get_pick_list(pick_list_id: str, kernel: KernelDep, _: Manager) -> PickListOut:
    async with kernel.uow(writes=False) as uow:
        return pick_list_out(await service.get_pick_list(uow, pick_list_id))


@router.post(
    "/pick-lists/{pick_list_id}/pick",
    response_model=PickListOut,
    responses=problems(PickListNotFound, PickLineNotFound, PickListClosed, OverPick, BinShort),
)
async def pick(
    pick_list_id: str,
    kernel: KernelDep,
    _: Manager,
    body: Annotated[PickIn, Body(default_factory=PickIn)],
) -> PickListOut:
    """Confirm units picked, per line (a tote's share of a stop), or every unit still to
    pick when no lines are given: they leave their bins (409 `bin_short` if a bin no longer
    holds them). The list is `picked` once every unit is."""
    lines = None if body.lines is None else [(x.line_id, x.quantity) for x in body.lines]
    async with kernel.uow() as uow:
        view = await service.pick(
            uow, pick_list_id=pick_list_id, lines=lines, now=kernel.clock.now()
        )
        out = pick_list_out(view)
        await uow.commit()
    return out


@router.post(
    "/pick-lists/{pick_list_id}/cancel",
    response_model=PickListOut,
    responses=problems(PickListNotFound, PickListClosed),
)
async def cancel_pick_list(pick_list_id: str, kernel: KernelDep, _: Manager) -> PickListOut:
    """Close a pick list still open or being picked; its orders may be listed again."""
    async with kernel.uow() as uow:
        view = await service.cancel_pick_list(
            uow, pick_list_id=pick_list_id, now=kernel.clock.now()
        )
        out = pick_list_out(view)
        await uow.commit()
    return out


@router.post(
    "/packing",
    status_code=201,
    response_model=PackingsOut,
    responses=problems(OrderNotFound, PickListNotFound, InvalidWarehouseRequest),
)
async def pack(body: PackingIn, kernel: KernelDep, principal: Manager) -> PackingsOut:
    """Pack an order, each order of a pick list (what was picked for it), or loose items:
    the cheapest box of the store's catalogue that takes them all, else several packages."""
    items = (
        [(i.variant_id, i.quantity) for i in body.items] if isinstance(body, PackItemsIn) else None
    )
    async with kernel.uow() as uow:
        made = await service.pack(
            uow,
            order_id=body.order_id if isinstance(body, PackOrderIn) else None,
            pick_list_id=body.pick_list_id if isinstance(body, PackPickListIn) else None,
            items=items,
            actor=principal.id,
            now=kernel.clock.now(),
        )
        out = PackingsOut(packings=[PackingOut.model_validate(p) for p in made])
        await uow.commit()
    return out
