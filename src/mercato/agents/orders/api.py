"""The orders' HTTP routes: parse → service → schema. Order answers carry `ETag: "<version>"`;
`PATCH` honours `If-Match`. Reading needs `orders:read` (the service scopes it: a customer's
own orders, a guest session's, a merchant's lines, every order for staff); cancelling,
modifying, notes and tags need `orders:write` (and the service's ownership or staff
checks); shipping and delivering need `orders:manage`. Every route names the order by its id
or its number, with the same access rules. The checkout's route
(`POST /v1/checkout`) is the `checkout` package's."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Response

from mercato.agents.inventory.service import InsufficientStock
from mercato.agents.orders import (
    access,
    rules,  # noqa: F401  (registers BR005, BR006, named in responses)
    service,
)
from mercato.agents.orders.problems import (
    InvalidCursor,
    InvalidModification,
    InvalidOrderRequest,
    NotYourOrder,
    OrderLineNotFound,
    OrderNotFound,
    OrderNotModifiable,
    OrderNotPaid,
    OrderStatusConflict,
    OrderUnderReview,
    OrderVersionConflict,
)
from mercato.agents.orders.schemas import (
    CancelIn,
    ModifyIn,
    NoteIn,
    NoteOut,
    OrderOut,
    OrdersPageOut,
    PaymentStatus,
    ShipIn,
    Status,
    TagsIn,
    TagsOut,
    note_out,
    order_out,
    page_out,
)
from mercato.agents.orders.service import OrderChanges, OrderFilters, OrderView
from mercato.agents.payments.service import PaymentGatewayUnavailable
from mercato.kernel.auth import Principal, require
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep
from mercato.kernel.security import AnotherStoresObject

router = APIRouter(prefix="/orders", tags=["orders"])

Reader = Annotated[Principal, Depends(require(access.READ))]
Writer = Annotated[Principal, Depends(require(access.WRITE))]
Manager = Annotated[Principal, Depends(require(access.MANAGE))]
IfMatch = Annotated[str | None, Header(alias="If-Match")]
OrderRef = Annotated[str, Path(description="The order's id or its number (`ORD-2026-0000042`)")]
CancelBody = Annotated[CancelIn, Body(default_factory=CancelIn)]
ShipBody = Annotated[ShipIn, Body(default_factory=ShipIn)]
"""Bodies whose every field has a default may be left out altogether (no body, no type)."""
_VERSION_TAG = re.compile(r"[0-9]{1,18}")


def if_match_version(value: str | None) -> int | None:
    """The version an `If-Match` names (`"3"`, `W/"3"`); None when absent or `*`; -1 (never
    current) when it names no version this API issued."""
    if value is None or value.strip() == "*":
        return None
    tag = value.split(",")[0].strip().removeprefix("W/").strip('"')
    return int(tag) if _VERSION_TAG.fullmatch(tag) else -1


def _answer(response: Response, view: OrderView) -> OrderOut:
    response.headers["ETag"] = f'"{view.version}"'
    return order_out(view)


async def _of_this_store(kernel: Kernel, principal: Principal, reference: str) -> str:
    """The id of this store's order `reference` names (its id or its number), or 404; an
    order of another store is recorded as a security violation (read-only, before the
    command's unit of work: on SQLite the record needs the write lock that unit of work would
    hold). What the principal may then see or do is the service's to say."""
    async with kernel.uow(writes=False) as uow:
        by_number = await service.id_of_number(uow, reference=reference)
        if by_number is not None:
            return by_number
        try:
            await service.check_this_store(uow, order_id=reference, principal=principal)
            return reference
        except AnotherStoresObject as exc:
            foreign = exc
    await foreign.record(kernel.uow)
    raise OrderNotFound(f"no order {reference!r}")


@router.get("", response_model=OrdersPageOut, responses=problems(InvalidCursor))
async def list_orders(
    kernel: KernelDep,
    principal: Reader,
    status: Status | None = None,
    payment_status: PaymentStatus | None = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=320)] = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> OrdersPageOut:
    """Orders, newest first: the caller's own (a customer's, a guest session's), a
    merchant's (its lines only), or every order for staff. `q` is an order number or an
    email address."""
    async with kernel.uow(writes=False) as uow:
        page = await service.list_orders(
            uow,
            principal=principal,
            filters=OrderFilters(status=status, payment_status=payment_status, tag=tag, q=q),
            cursor=cursor,
            limit=limit,
        )
    return page_out(page)


@router.get("/{order_id}", response_model=OrderOut, responses=problems(OrderNotFound))
async def get_order(
    order_id: OrderRef, kernel: KernelDep, response: Response, principal: Reader
) -> OrderOut:
    """The order with its lines, totals, addresses, payment status, review flag, timeline,
    notes (internal ones for staff) and tags (staff)."""
    order_id = await _of_this_store(kernel, principal, order_id)
    async with kernel.uow(writes=False) as uow:
        view = await service.get_order(uow, order_id=order_id, principal=principal)
    return _answer(response, view)


@router.post(
    "/{order_id}/cancel",
    response_model=OrderOut,
    responses=problems(OrderNotFound, NotYourOrder, OrderStatusConflict, "BR006"),
)
async def cancel(
    order_id: OrderRef, kernel: KernelDep, response: Response, principal: Writer, body: CancelBody
) -> OrderOut:
    """Cancel before shipping (409 `br006_cancel_before_ship` after): the stock is released
    and the payment voided or refunded."""
    order_id = await _of_this_store(kernel, principal, order_id)
    async with kernel.uow() as uow:
        view = await service.cancel(
            uow, order_id=order_id, principal=principal, reason=body.reason, now=kernel.clock.now()
        )
        await uow.commit()
    return _answer(response, view)


@router.patch(
    "/{order_id}",
    response_model=OrderOut,
    responses=problems(
        OrderNotFound,
        NotYourOrder,
        OrderLineNotFound,
        InvalidModification,
        OrderVersionConflict,
        OrderNotModifiable,
        InsufficientStock,
        PaymentGatewayUnavailable,
        "BR002",
        "BR005",
    ),
)
async def modify(
    order_id: OrderRef,
    body: ModifyIn,
    kernel: KernelDep,
    response: Response,
    principal: Writer,
    if_match: IfMatch = None,
) -> OrderOut:
    """Change the shipping address and/or line quantities before fulfilment: re-priced, the
    stock held adjusted (409 `insufficient_stock`), the payment told the new total."""
    order_id = await _of_this_store(kernel, principal, order_id)
    changes = OrderChanges(
        shipping_address=body.shipping_address,
        quantities={line.line_id: line.quantity for line in body.lines},
    )
    async with kernel.uow() as uow:
        view = await service.modify(
            uow,
            order_id=order_id,
            principal=principal,
            changes=changes,
            if_match=if_match_version(if_match),
            now=kernel.clock.now(),
        )
        await uow.commit()
    return _answer(response, view)


@router.post(
    "/{order_id}/notes",
    response_model=NoteOut,
    status_code=201,
    responses=problems(OrderNotFound, NotYourOrder, InvalidOrderRequest),
)
async def add_note(
    order_id: OrderRef, body: NoteIn, kernel: KernelDep, principal: Writer
) -> NoteOut:
    """A note on the order (`internal`: staff only)."""
    order_id = await _of_this_store(kernel, principal, order_id)
    async with kernel.uow() as uow:
        note = await service.add_note(
            uow,
            order_id=order_id,
            principal=principal,
            body=body.body,
            internal=body.internal,
            now=kernel.clock.now(),
        )
        await uow.commit()
    return note_out(note)


@router.put(
    "/{order_id}/tags",
    response_model=TagsOut,
    responses=problems(OrderNotFound, NotYourOrder, InvalidOrderRequest),
)
async def set_tags(
    order_id: OrderRef, body: TagsIn, kernel: KernelDep, principal: Writer
) -> TagsOut:
    """Make the order's tags exactly these (staff)."""
    order_id = await _of_this_store(kernel, principal, order_id)
    async with kernel.uow() as uow:
        tags = await service.set_tags(
            uow, order_id=order_id, principal=principal, tags=body.tags, now=kernel.clock.now()
        )
        await uow.commit()
    return TagsOut(tags=tags)


@router.post(
    "/{order_id}/ship",
    response_model=OrderOut,
    responses=problems(
        OrderNotFound, NotYourOrder, OrderStatusConflict, OrderUnderReview, OrderNotPaid
    ),
)
async def ship(
    order_id: OrderRef, kernel: KernelDep, response: Response, principal: Manager, body: ShipBody
) -> OrderOut:
    """confirmed → shipped: the units leave the stock and the payment is captured (409
    `order_under_review` while the payment is held for review)."""
    order_id = await _of_this_store(kernel, principal, order_id)
    async with kernel.uow() as uow:
        view = await service.ship(
            uow,
            order_id=order_id,
            principal=principal,
            carrier=body.carrier,
            tracking_number=body.tracking_number,
            now=kernel.clock.now(),
        )
        await uow.commit()
    return _answer(response, view)


@router.post(
    "/{order_id}/deliver",
    response_model=OrderOut,
    responses=problems(OrderNotFound, NotYourOrder, OrderStatusConflict),
)
async def deliver(
    order_id: OrderRef, kernel: KernelDep, response: Response, principal: Manager
) -> OrderOut:
    """shipped → delivered."""
    order_id = await _of_this_store(kernel, principal, order_id)
    async with kernel.uow() as uow:
        view = await service.deliver(
            uow, order_id=order_id, principal=principal, now=kernel.clock.now()
        )
        await uow.commit()
    return _answer(response, view)
