"""Returns' commands and queries: the only code that writes the returns agent's tables.

The steps that reach outside (a return label bought from a carrier, the refund saga) take
`units` (the kernel's unit-of-work factory) and open their own transactions; the others take
the caller's unit of work and never commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

import structlog
from sqlalchemy import select

from mercato.agents.returns import credit, exchanges, handling
from mercato.agents.returns.models import CreditEntry, Return, ReturnLine
from mercato.agents.returns.problems import ReturnNotFound, ReturnStatusConflict
from mercato.agents.returns.refund_saga import ORIGINAL, STORE_CREDIT
from mercato.agents.returns.requesting import Asked, request_return
from mercato.agents.returns.statuses import Resolution, ReturnStatus
from mercato.agents.shipping import service as shipping
from mercato.kernel import paging
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem
from mercato.kernel.ids import new_id
from mercato.kernel.saga import SagaResult, SagaRunner

__all__ = [
    "Asked",
    "approve",
    "get_return",
    "list_returns",
    "refund",
    "request_return",
]

log = structlog.get_logger(__name__)
Units = Callable[..., UnitOfWork]


async def check_exchanges(
    uow: UnitOfWork, asked: Sequence[Asked], variants: Mapping[str, str]
) -> None:
    """Each exchange's variant against the line's (line id → variant id)."""
    for item in asked:
        await exchanges.check_swap(uow, variants[item.line_id], item.exchange_variant_id)


async def approve(
    units: Units,
    deps: shipping.ShippingDeps,
    *,
    return_id: str,
    now: Callable[[], datetime],
) -> None:
    """requested → approved, then its label: a carrier's label from the shopper back to the
    location that shipped the units. A carrier that cannot be reached leaves the return
    approved without a label (staff make it later: `make_label`)."""
    async with units() as uow:
        row = await handling.lock(uow, return_id)
        await handling.approve(uow, row, now=now())
        await uow.commit()
    await make_label(units, deps, return_id=return_id, now=now)


async def make_label(
    units: Units, deps: shipping.ShippingDeps, *, return_id: str, now: Callable[[], datetime]
) -> str | None:
    """The return's label (made once); None when the carrier could not make it now."""
    async with units(writes=False) as uow:
        row = await get_return(uow, return_id=return_id)
        if row.label_shipment_id is not None:
            return row.label_shipment_id
        if row.status != ReturnStatus.APPROVED:
            raise ReturnStatusConflict(f"a {row.status} return gets no label")
        lines = {line.order_line_id: line.quantity for line in await handling.lines_of(uow, row.id)}
    try:
        shipment = await shipping.create_return_shipment(
            units, deps, order_id=row.order_id, return_id=row.id, lines=lines, now=now
        )
    except Problem as failed:
        log.warning("returns.label_failed", return_id=return_id, problem=failed.code)
        return None
    async with units() as uow:
        current = await handling.lock(uow, return_id)
        handling.set_label(current, shipment.id, now())
        await uow.commit()
    return shipment.id


async def refund(
    units: Units, sagas: SagaRunner, *, return_id: str, method: str | None, tenant_id: str
) -> SagaResult | None:
    """Run the refund saga of an inspected return (None: it was refunded already)."""
    async with units(writes=False) as uow:
        row = await get_return(uow, return_id=return_id)
    if row.status == ReturnStatus.REFUNDED:
        return None
    if row.status != ReturnStatus.INSPECTED:
        raise ReturnStatusConflict(
            f"a {row.status} return cannot be refunded: it is refunded once inspected"
        )
    chosen = method or (STORE_CREDIT if row.resolution == Resolution.STORE_CREDIT else ORIGINAL)
    data = {"return_id": row.id, "method": ORIGINAL if chosen == "original" else chosen}
    return await sagas.start(
        "return_refund", data, tenant_id=tenant_id, saga_id=f"return_refund:{new_id()}"
    )  # a new saga per attempt (the last one's id is on the return); ids fit 64 characters


async def get_return(uow: UnitOfWork, *, return_id: str) -> Return:
    found = await uow.session.get(Return, return_id)
    if found is None:
        raise ReturnNotFound(f"no return {return_id!r}")
    return found


async def lines_of(uow: UnitOfWork, return_id: str) -> list[ReturnLine]:
    return await handling.lines_of(uow, return_id)


async def list_returns(
    uow: UnitOfWork,
    *,
    status: ReturnStatus | None,
    order_id: str | None,
    customer_id: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[Return], str | None]:
    """Newest first."""
    key = paging.decode(cursor, datetime, str)
    order = (Return.requested_at, Return.id)
    query = select(Return).where(paging.beyond(order, key, descending=True))
    if status is not None:
        query = query.where(Return.status == status)
    if order_id is not None:
        query = query.where(Return.order_id == order_id)
    if customer_id is not None:
        query = query.where(Return.customer_id == customer_id)
    rows = list(
        await uow.session.scalars(
            query.order_by(*(column.desc() for column in order)).limit(limit + 1)
        )
    )
    return paging.cut(rows, limit, lambda r: (r.requested_at, r.id))


async def store_credit(
    uow: UnitOfWork, *, owner: str, currency: str
) -> tuple[credit.Balance, list[CreditEntry]]:
    """A shopper's balance and its latest changes."""
    return (
        await credit.balance(uow, owner=owner, currency=currency),
        await credit.entries(uow, owner=owner),
    )
