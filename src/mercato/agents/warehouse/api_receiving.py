"""Purchase orders, receipts against them, and putaway: parse → service → schema."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from mercato.agents.inventory import service as inventory
from mercato.agents.warehouse import service
from mercato.agents.warehouse.edge import Cursor, Limit, Manager
from mercato.agents.warehouse.problems import (
    BinNotFound,
    CodeTaken,
    InvalidStockRequest,
    InvalidWarehouseRequest,
    LocationNotFound,
    NoFreeBin,
    NotOnPurchaseOrder,
    PurchaseOrderClosed,
    PurchaseOrderNotFound,
    StockLimitExceeded,
    TaskNotFound,
    UnknownVariant,
    Unlocated,
)
from mercato.agents.warehouse.schemas import PurchaseOrderIn, PutawayIn, ReceiptIn
from mercato.agents.warehouse.schemas_out import (
    BinOut,
    PurchaseOrderOut,
    PurchaseOrderPage,
    ReceiptLineOut,
    ReceiptOut,
    SuggestionOut,
    SuggestionPage,
    bin_out,
    purchase_order_out,
)
from mercato.agents.warehouse.statuses import PurchaseOrderStatus
from mercato.kernel import paging
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/warehouse", tags=["warehouse"])


@router.get("/purchase-orders", response_model=PurchaseOrderPage, responses=problems(InvalidCursor))
async def list_purchase_orders(
    kernel: KernelDep,
    _: Manager,
    status: PurchaseOrderStatus | None = None,
    location_id: str | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> PurchaseOrderPage:
    """Purchase orders, newest first."""
    after = paging.decode(cursor, datetime, str)
    async with kernel.uow(writes=False) as uow:
        found = await service.list_purchase_orders(
            uow, status=status, location_id=location_id, after=after, limit=limit + 1
        )
    page, next_cursor = paging.cut(found, limit, lambda v: (v.order.created_at, v.order.id))
    return PurchaseOrderPage(items=[purchase_order_out(v) for v in page], next_cursor=next_cursor)


@router.post(
    "/purchase-orders",
    status_code=201,
    response_model=PurchaseOrderOut,
    responses=problems(LocationNotFound, UnknownVariant, CodeTaken, InvalidStockRequest),
)
async def create_purchase_order(
    body: PurchaseOrderIn, kernel: KernelDep, _: Manager
) -> PurchaseOrderOut:
    """A purchase order to receive at a location (its number unique in the store); a
    `receive` task is opened for it."""
    async with kernel.uow() as uow:
        view = await service.create_purchase_order(
            uow,
            number=body.number,
            supplier_name=body.supplier_name,
            location_id=body.location_id,
            lines=[(line.variant_id, line.sku, line.quantity) for line in body.lines],
            due_at=body.due_at,
            now=kernel.clock.now(),
        )
        out = purchase_order_out(view)
        await uow.commit()
    return out


@router.get(
    "/purchase-orders/{purchase_order_id}",
    response_model=PurchaseOrderOut,
    responses=problems(PurchaseOrderNotFound),
)
async def get_purchase_order(
    purchase_order_id: str, kernel: KernelDep, _: Manager
) -> PurchaseOrderOut:
    async with kernel.uow(writes=False) as uow:
        return purchase_order_out(await service.get_purchase_order(uow, purchase_order_id))


@router.post(
    "/purchase-orders/{purchase_order_id}/cancel",
    response_model=PurchaseOrderOut,
    responses=problems(PurchaseOrderNotFound, PurchaseOrderClosed),
)
async def cancel_purchase_order(
    purchase_order_id: str, kernel: KernelDep, _: Manager
) -> PurchaseOrderOut:
    """Cancel a purchase order nothing was received against (409 otherwise)."""
    async with kernel.uow() as uow:
        view = await service.cancel_purchase_order(
            uow, purchase_order_id=purchase_order_id, now=kernel.clock.now()
        )
        out = purchase_order_out(view)
        await uow.commit()
    return out


@router.post(
    "/receipts",
    status_code=201,
    response_model=ReceiptOut,
    responses=problems(
        PurchaseOrderNotFound,
        UnknownVariant,
        PurchaseOrderClosed,
        NotOnPurchaseOrder,
        InvalidStockRequest,
        StockLimitExceeded,
    ),
)
async def receive(body: ReceiptIn, kernel: KernelDep, principal: Manager) -> ReceiptOut:
    """A delivery against a purchase order: its units are booked into the location's stock
    (inventory's ledger, reference the PO's number), each line says what is over or still
    short, and a putaway task is opened per variant."""
    async with kernel.uow() as uow:
        receipt = await service.receive(
            uow,
            purchase_order_id=body.purchase_order_id,
            lines=[(line.variant_id, line.sku, line.quantity) for line in body.lines],
            actor=principal.id,
            now=kernel.clock.now(),
        )
        status = (await service.get_purchase_order(uow, body.purchase_order_id)).order.status
        out = ReceiptOut(
            id=receipt.id,
            purchase_order_id=receipt.purchase_order_id,
            purchase_order_status=status,
            location_id=receipt.location_id,
            lines=[ReceiptLineOut.model_validate(line) for line in receipt.lines],
            created_at=receipt.created_at,
        )
        await uow.commit()
    return out


@router.get(
    "/putaway/suggestions",
    response_model=SuggestionPage,
    responses=problems(LocationNotFound, UnknownVariant, InvalidStockRequest),
)
async def putaway_suggestions(
    kernel: KernelDep,
    _: Manager,
    location_id: Annotated[str, Query(max_length=36)],
    variant_id: Annotated[str | None, Query(max_length=36)] = None,
    sku: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> SuggestionPage:
    """Where to put a variant's units, best first: storage bins already holding it, then
    empty storage bins along the walk."""
    async with kernel.uow(writes=False) as uow:
        found_id, _sku = await inventory.resolve_variant(uow, variant_id=variant_id, sku=sku)
        found = await service.suggest(
            uow, location_id=location_id, variant_id=found_id, limit=limit
        )
    items = [
        SuggestionOut(
            bin_id=s.bin.id,
            bin_code=s.bin.code,
            zone_code=s.zone.code,
            reason=s.reason,
            quantity=s.quantity,
        )
        for s in found
    ]
    return SuggestionPage(items=items, next_cursor=None)


@router.post(
    "/putaway",
    response_model=BinOut,
    responses=problems(
        LocationNotFound,
        UnknownVariant,
        BinNotFound,
        TaskNotFound,
        InvalidWarehouseRequest,
        Unlocated,
        NoFreeBin,
    ),
)
async def put_away(body: PutawayIn, kernel: KernelDep, _: Manager) -> BinOut:
    """Put received units into a bin (the first suggestion when none is named): they must
    be in the location and in no bin yet (409 `more_than_unlocated`). The putaway task
    named is done. Answers the bin as it now is."""
    async with kernel.uow() as uow:
        view = await service.put_away(
            uow,
            location_id=body.location_id,
            variant_id=body.variant_id,
            sku=body.sku,
            quantity=body.quantity,
            bin_id=body.bin_id,
            task_id=body.task_id,
            now=kernel.clock.now(),
        )
        out = bin_out(view, await service.skus_of(uow, (v for v, _ in view.contents)))
        await uow.commit()
    return out
