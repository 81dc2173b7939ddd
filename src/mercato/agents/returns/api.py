"""Returns over HTTP: a shopper asks to return some of an order's units; staff approve or
reject, receive, inspect and refund; a shopper's store credit."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query

from mercato.agents.orders import service as orders
from mercato.agents.returns import credit, handling, service
from mercato.agents.returns.access import MANAGE, READ
from mercato.agents.returns.problems import (
    InvalidReturn,
    NotReturnable,
    ReturnNotFound,
    ReturnStatusConflict,
)
from mercato.agents.returns.schemas import (
    CreditEntryOut,
    InspectIn,
    ReceiveIn,
    RefundIn,
    RejectIn,
    ReturnIn,
    ReturnLineOut,
    ReturnOut,
    ReturnsOut,
    StoreCreditOut,
)
from mercato.agents.returns.statuses import ReturnStatus
from mercato.agents.shipping import service as shipping
from mercato.kernel.auth import Principal, require
from mercato.kernel.money import round_money
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep
from mercato.kernel.rules import RuleViolated

router = APIRouter(tags=["returns"])
Shopper = Annotated[Principal, Depends(require("orders:read"))]
Staff = Annotated[Principal, Depends(require(READ))]
Admin = Annotated[Principal, Depends(require(MANAGE))]
Me = Annotated[Principal, Depends(require("me:read"))]
MOVING = (ReturnNotFound, ReturnStatusConflict, InvalidReturn)
InspectBody = Annotated[InspectIn, Body(default_factory=InspectIn)]
ReceiveBody = Annotated[ReceiveIn, Body(default_factory=ReceiveIn)]
RefundBody = Annotated[RefundIn, Body(default_factory=RefundIn)]


MONEY = ("paid_amount", "fee_amount", "refund_amount", "refunded_to_payment", "refunded_to_credit")


def _money(data: dict[str, Any], currency: str) -> dict[str, Any]:
    """Amounts to the currency's minor unit ("0.00", not "0")."""
    return {
        k: round_money(v, currency) if k in MONEY and v is not None else v for k, v in data.items()
    }


async def return_out(uow: Any, row: Any) -> ReturnOut:
    lines = await service.lines_of(uow, row.id)
    data = {name: getattr(row, name) for name in ReturnOut.model_fields if hasattr(row, name)}
    data = _money(data, row.currency)
    data["label_url"] = (
        f"/v1/shipments/{row.label_shipment_id}/label.pdf" if row.label_shipment_id else None
    )
    data["lines"] = [
        ReturnLineOut.model_validate(
            {
                **_money(
                    {n: getattr(x, n) for n in ReturnLineOut.model_fields if hasattr(x, n)},
                    row.currency,
                ),
                "line_id": x.order_line_id,
            }
        )
        for x in lines
    ]
    return ReturnOut.model_validate(data)


@router.post(
    "/orders/{order_id}/returns",
    response_model=ReturnOut,
    status_code=201,
    responses=problems(orders.OrderNotFound, NotReturnable, InvalidReturn, RuleViolated),
)
async def request_return(
    order_id: str, body: ReturnIn, kernel: KernelDep, principal: Shopper
) -> ReturnOut:
    """Ask to return some delivered units of the order (its shopper, or staff for them),
    within 30 days of delivery (BR009; staff may accept a late one with `exception_note`).
    A return that screening does not hold (many recent returns, a high value) is approved
    at once and gets its return label (`label_url`)."""
    asked = [
        service.Asked(
            line_id=line.line_id,
            quantity=line.quantity,
            reason=line.reason or body.reason or "other",
            note=line.note,
            exchange_variant_id=line.exchange_variant_id,
        )
        for line in body.lines
    ]
    async with kernel.uow() as uow:
        await orders.get_order(uow, order_id=order_id, principal=principal)  # 404 first
        order = await orders.fulfilment_of(uow, order_id=order_id)
        variants = {line.id: line.variant_id for line in order.lines} if order else {}
        if order is not None and all(item.line_id in variants for item in asked):
            await service.check_exchanges(uow, asked, variants)
        row = await service.request_return(
            uow,
            kernel.settings,
            order_id=order_id,
            principal=principal,
            asked=asked,
            resolution=body.resolution,
            exception_note=body.exception_note,
            now=kernel.clock.now(),
        )
        return_id, held = row.id, bool(row.flags)
        await uow.commit()
    if not held:
        await service.approve(
            kernel.uow,
            kernel.deps(shipping.ShippingDeps),
            return_id=return_id,
            now=kernel.clock.now,
        )
    return await _answer(kernel, return_id)


async def _answer(kernel: KernelDep, return_id: str) -> ReturnOut:
    async with kernel.uow(writes=False) as uow:
        return await return_out(uow, await service.get_return(uow, return_id=return_id))


@router.get("/returns", response_model=ReturnsOut, responses=problems(InvalidCursor))
async def list_returns(
    kernel: KernelDep,
    principal: Shopper,
    status: ReturnStatus | None = None,
    order_id: Annotated[str | None, Query(max_length=64)] = None,
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ReturnsOut:
    """Staff: every return (the returns queue: `status=requested` waits for a decision).
    A signed-in shopper: their own."""
    staff = principal.can(READ)
    customer = None if staff else principal.id
    if not staff and principal.kind != "user":
        return ReturnsOut(items=[], next_cursor=None)
    async with kernel.uow(writes=False) as uow:
        rows, next_cursor = await service.list_returns(
            uow,
            status=status,
            order_id=order_id,
            customer_id=customer,
            cursor=cursor,
            limit=limit,
        )
        items = [await return_out(uow, r) for r in rows]
    return ReturnsOut(items=items, next_cursor=next_cursor)


@router.get("/returns/{return_id}", response_model=ReturnOut, responses=problems(ReturnNotFound))
async def get_return(return_id: str, kernel: KernelDep, principal: Shopper) -> ReturnOut:
    async with kernel.uow(writes=False) as uow:
        row = await service.get_return(uow, return_id=return_id)
        if not principal.can(READ):
            try:
                await orders.get_order(uow, order_id=row.order_id, principal=principal)
            except orders.OrderNotFound:
                raise ReturnNotFound(f"no return {return_id!r}") from None
        return await return_out(uow, row)


async def _step(kernel: KernelDep, return_id: str, act: Any) -> ReturnOut:
    async with kernel.uow() as uow:
        row = await handling.lock(uow, return_id)
        await act(uow, row)
        await uow.commit()
    return await _answer(kernel, return_id)


@router.post("/returns/{return_id}/approve", response_model=ReturnOut, responses=problems(*MOVING))
async def approve(return_id: str, kernel: KernelDep, _: Admin) -> ReturnOut:
    """Approve a return screening held (or again: nothing changes), and make its label."""
    await service.approve(
        kernel.uow, kernel.deps(shipping.ShippingDeps), return_id=return_id, now=kernel.clock.now
    )
    return await _answer(kernel, return_id)


@router.post("/returns/{return_id}/reject", response_model=ReturnOut, responses=problems(*MOVING))
async def reject(return_id: str, body: RejectIn, kernel: KernelDep, _: Admin) -> ReturnOut:
    now = kernel.clock.now()
    return await _step(
        kernel, return_id, lambda uow, row: handling.reject(uow, row, reason=body.reason, now=now)
    )


@router.post("/returns/{return_id}/cancel", response_model=ReturnOut, responses=problems(*MOVING))
async def cancel(return_id: str, kernel: KernelDep, principal: Shopper) -> ReturnOut:
    """The shopper changed their mind before sending it back."""
    await get_return(return_id, kernel, principal)  # 404 unless theirs or staff
    now = kernel.clock.now()
    return await _step(kernel, return_id, lambda uow, row: handling.cancel(uow, row, now=now))


@router.post(
    "/returns/{return_id}/receive",
    response_model=ReturnOut,
    responses=problems(*MOVING, orders.FulfilmentConflict),
)
async def receive(return_id: str, kernel: KernelDep, _: Admin, body: ReceiveBody) -> ReturnOut:
    """The parcel arrived: the units that came back per line (all asked when absent; the
    rest is missing). What the shopper paid for them is what inspection starts from."""
    counts = None if body.lines is None else {x.line_id: x.quantity for x in body.lines}
    now = kernel.clock.now()
    return await _step(
        kernel,
        return_id,
        lambda uow, row: handling.receive(
            uow, row, received=counts, location_id=body.location_id, now=now
        ),
    )


@router.post(
    "/returns/{return_id}/inspect",
    response_model=ReturnOut,
    responses=problems(*MOVING, RuleViolated),
)
async def inspect(return_id: str, kernel: KernelDep, _: Admin, body: InspectBody) -> ReturnOut:
    """Each item's condition (BR010: original refunds in full; opened less the restocking
    fee; damaged in part; missing nothing) and whether it goes back to stock."""
    found = {
        x.line_id: handling.Inspection(
            x.condition,
            x.disposition or body.disposition,
            Decimal(x.refund_amount) if x.refund_amount is not None else None,
        )
        for x in body.lines or []
    }
    default = handling.Inspection(body.condition, body.disposition) if body.condition else None
    now = kernel.clock.now()
    return await _step(
        kernel,
        return_id,
        lambda uow, row: handling.inspect(
            uow, kernel.settings, row, found=found, default=default, now=now
        ),
    )


@router.post("/returns/{return_id}/refund", response_model=ReturnOut, responses=problems(*MOVING))
async def refund(
    return_id: str, kernel: KernelDep, principal: Admin, body: RefundBody
) -> ReturnOut:
    """Refund an inspected return (a saga: restock, then the money): to the original
    payment, or to store credit (chosen by the shopper, or when the card cannot take it);
    an exchange's replacement order instead. A gateway that cannot be reached leaves it
    inspected, with `refund_note` saying why: refund again later."""
    await service.refund(
        kernel.uow,
        kernel.sagas,
        return_id=return_id,
        method=body.method,
        tenant_id=principal.tenant_id,
    )
    return await _answer(kernel, return_id)


@router.post("/returns/{return_id}/label", response_model=ReturnOut, responses=problems(*MOVING))
async def label(return_id: str, kernel: KernelDep, _: Admin) -> ReturnOut:
    """Make the approved return's label again (the carrier could not be reached)."""
    await service.make_label(
        kernel.uow, kernel.deps(shipping.ShippingDeps), return_id=return_id, now=kernel.clock.now
    )
    return await _answer(kernel, return_id)


@router.get("/me/store-credit", response_model=StoreCreditOut)
async def my_store_credit(kernel: KernelDep, principal: Me) -> StoreCreditOut:
    """The signed-in shopper's store credit and its latest changes."""
    owner = credit.owner_of(customer_id=principal.id, email=None)
    async with kernel.uow(writes=False) as uow:
        balance, entries = await service.store_credit(
            uow, owner=owner, currency=kernel.settings.default_currency
        )
    return StoreCreditOut(
        balance=balance.amount,
        currency=balance.currency,
        items=[
            CreditEntryOut(
                amount=round_money(e.amount, e.currency),
                currency=e.currency,
                reason=e.reason,
                reference=e.reference,
                note=e.note,
                created_at=e.created_at,
            )
            for e in entries
        ],
        next_cursor=None,
    )
