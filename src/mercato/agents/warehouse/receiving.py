"""Purchase orders and the deliveries received against them.

A receipt books its units into the location's stock through inventory's `receive` (one
ledger movement per variant, reference the PO's number), adds them to the PO's lines, says
per line what came over or is still short, and opens a putaway task per variant: the units
are in the location but in no bin until someone puts them away.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from mercato.agents.inventory import service as inventory
from mercato.agents.warehouse import tasks
from mercato.agents.warehouse.models import GoodsReceipt, PurchaseOrder, PurchaseOrderLine
from mercato.agents.warehouse.problems import (
    CodeTaken,
    InvalidWarehouseRequest,
    NotOnPurchaseOrder,
    PurchaseOrderClosed,
    PurchaseOrderNotFound,
)
from mercato.agents.warehouse.statuses import LIVE_TASK, PurchaseOrderStatus, TaskKind, TaskStatus
from mercato.kernel import paging
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

Line = tuple[str | None, str | None, int]
"""(variant id, SKU, units): the variant named by exactly one of the two."""
RECEIVABLE = (PurchaseOrderStatus.OPEN, PurchaseOrderStatus.PARTIALLY_RECEIVED)


@dataclass(frozen=True)
class PurchaseOrderView:
    order: PurchaseOrder
    lines: list[PurchaseOrderLine]


async def _named(uow: UnitOfWork, lines: Sequence[Line]) -> dict[str, tuple[str, int]]:
    """variant id → (SKU, units), lines naming one variant summed, in order."""
    merged: dict[str, tuple[str, int]] = {}
    for variant_id, sku, quantity in lines:
        found, found_sku = await inventory.resolve_variant(uow, variant_id=variant_id, sku=sku)
        merged[found] = (found_sku, merged.get(found, (found_sku, 0))[1] + quantity)
    return merged


async def create_purchase_order(
    uow: UnitOfWork,
    *,
    number: str,
    supplier_name: str,
    location_id: str,
    lines: Sequence[Line],
    due_at: datetime | None = None,
    now: datetime,
) -> PurchaseOrderView:
    """A PO to receive at a location, and a `receive` task due when the goods are."""
    await inventory.get_location(uow, location_id)
    if await uow.session.scalar(select(PurchaseOrder.id).where(PurchaseOrder.number == number)):
        raise CodeTaken(f"a purchase order is already numbered {number!r}")
    named = await _named(uow, lines)
    order = PurchaseOrder(
        id=new_id(),
        number=number,
        supplier_name=supplier_name,
        location_id=location_id,
        status=PurchaseOrderStatus.OPEN,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(order)
    made = [
        PurchaseOrderLine(
            id=new_id(),
            purchase_order_id=order.id,
            position=index,
            variant_id=variant_id,
            sku=sku,
            quantity_ordered=quantity,
            quantity_received=0,
        )
        for index, (variant_id, (sku, quantity)) in enumerate(named.items())
    ]
    uow.session.add_all(made)
    tasks.open_task(
        uow,
        kind=TaskKind.RECEIVE,
        reference=order.id,
        due_at=due_at,
        now=now,
        note=f"{number} from {supplier_name}",
    )
    await uow.session.flush()
    return PurchaseOrderView(order, made)


async def get_purchase_order(uow: UnitOfWork, purchase_order_id: str) -> PurchaseOrderView:
    order = await uow.session.get(PurchaseOrder, purchase_order_id, populate_existing=True)
    if order is None:
        raise PurchaseOrderNotFound(f"no purchase order {purchase_order_id!r}")
    lines = await uow.session.scalars(
        select(PurchaseOrderLine)
        .where(PurchaseOrderLine.purchase_order_id == order.id)
        .order_by(PurchaseOrderLine.position)
        .execution_options(populate_existing=True)
    )
    return PurchaseOrderView(order, list(lines))


async def list_purchase_orders(
    uow: UnitOfWork,
    *,
    status: PurchaseOrderStatus | None = None,
    location_id: str | None = None,
    after: tuple[datetime, str] | None = None,
    limit: int = 50,
) -> list[PurchaseOrderView]:
    """Newest first."""
    order = (PurchaseOrder.created_at, PurchaseOrder.id)
    query = select(PurchaseOrder).where(paging.beyond(order, after, descending=True))
    if status is not None:
        query = query.where(PurchaseOrder.status == status)
    if location_id is not None:
        query = query.where(PurchaseOrder.location_id == location_id)
    found = await uow.session.scalars(query.order_by(*(c.desc() for c in order)).limit(limit))
    return [await get_purchase_order(uow, po.id) for po in found]


async def cancel_purchase_order(
    uow: UnitOfWork, *, purchase_order_id: str, now: datetime
) -> PurchaseOrderView:
    """Only a PO nothing was received against may be cancelled."""
    view = await get_purchase_order(uow, purchase_order_id)
    if view.order.status is not PurchaseOrderStatus.OPEN:
        raise PurchaseOrderClosed(f"a purchase order that is {view.order.status} stays so")
    view.order.status, view.order.updated_at = PurchaseOrderStatus.CANCELLED, now
    for task in await tasks.list_tasks(uow, kind=TaskKind.RECEIVE, reference=view.order.id):
        if task.status in LIVE_TASK:
            task.status, task.updated_at = TaskStatus.CANCELLED, now
    return view


async def receive(
    uow: UnitOfWork,
    *,
    purchase_order_id: str,
    lines: Sequence[Line],
    actor: str | None = None,
    now: datetime,
) -> GoodsReceipt:
    """Book a delivery against a PO (see the module). A variant not on the PO is 422
    `not_on_purchase_order`; a received or cancelled PO is 409 `purchase_order_closed`."""
    view = await get_purchase_order(uow, purchase_order_id)
    po = view.order
    if po.status not in RECEIVABLE:
        raise PurchaseOrderClosed(f"the purchase order is {po.status}: it takes no receipts")
    if not lines:
        raise InvalidWarehouseRequest("a receipt has at least one line")
    named = await _named(uow, lines)
    on_order = {line.variant_id: line for line in view.lines}
    stray = [sku for variant_id, (sku, _) in named.items() if variant_id not in on_order]
    if stray:
        raise NotOnPurchaseOrder(f"not on {po.number}: {', '.join(stray)}", skus=stray)
    await inventory.receive(
        uow,
        location_id=po.location_id,
        reference=po.number,
        actor=actor,
        now=now,
        lines=[(variant_id, None, quantity) for variant_id, (_, quantity) in named.items()],
        note=f"purchase order {po.number} from {po.supplier_name}",
    )
    booked: list[dict[str, Any]] = []
    for variant_id, (sku, quantity) in named.items():
        line = on_order[variant_id]
        line.quantity_received += quantity
        booked.append(
            {
                "variant_id": variant_id,
                "sku": sku,
                "quantity": quantity,
                "ordered": line.quantity_ordered,
                "received": line.quantity_received,
                "over": max(0, line.quantity_received - line.quantity_ordered),
                "short": max(0, line.quantity_ordered - line.quantity_received),
            }
        )
    complete = all(line.quantity_received >= line.quantity_ordered for line in view.lines)
    po.status = PurchaseOrderStatus.RECEIVED if complete else PurchaseOrderStatus.PARTIALLY_RECEIVED
    po.updated_at = now
    receipt = GoodsReceipt(
        id=new_id(),
        purchase_order_id=po.id,
        location_id=po.location_id,
        lines=booked,
        actor=actor,
        created_at=now,
    )
    uow.session.add(receipt)
    for entry in booked:
        tasks.open_task(
            uow,
            kind=TaskKind.PUTAWAY,
            reference=receipt.id,
            now=now,
            note=f"{entry['quantity']} x {entry['sku']}",
        )
    if complete:
        await tasks.finish(uow, kind=TaskKind.RECEIVE, reference=po.id, now=now)
    await uow.session.flush()
    return receipt
