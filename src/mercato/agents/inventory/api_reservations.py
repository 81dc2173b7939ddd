"""Reservation routes (under /v1/inventory): what the checkout saga does through the
service, offered to integrations and admins."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Query

from mercato.agents.inventory import service
from mercato.agents.inventory.edge import Cursor, Reader, Writer
from mercato.agents.inventory.errors import (
    InsufficientStock,
    InvalidStockRequest,
    ReservationMismatch,
    ReservationNotActive,
    ReservationNotFound,
)
from mercato.agents.inventory.schemas import (
    ReleaseIn,
    ReservationIn,
    ReservationOut,
    ReservationPage,
)
from mercato.agents.inventory.statuses import ReservationStatus
from mercato.kernel import paging
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter()


@router.post(
    "/reservations",
    status_code=201,
    response_model=list[ReservationOut],
    responses=problems(InvalidStockRequest, InsufficientStock, ReservationMismatch),
)
async def reserve(body: ReservationIn, kernel: KernelDep, _: Writer) -> list[ReservationOut]:
    """Hold every line for a reference, or nothing (409 `insufficient_stock` lists the
    short lines). Reserving the same lines again for a reference that holds stock returns
    its holds; other lines for it are refused (409 `reservation_mismatch`)."""
    async with kernel.uow() as uow:
        made = await service.reserve(
            uow,
            reference=body.reference,
            lines=[(line.variant_id, line.quantity) for line in body.lines],
            now=kernel.clock.now(),
            ttl=timedelta(seconds=body.ttl_seconds) if body.ttl_seconds else None,
        )
        await uow.commit()
    return [ReservationOut.model_validate(r) for r in made]


@router.get("/reservations", response_model=ReservationPage)
async def list_reservations(
    kernel: KernelDep,
    _: Reader,
    reference: str | None = None,
    status: (
        Literal[
            ReservationStatus.ACTIVE,
            ReservationStatus.ALLOCATED,
            ReservationStatus.COMMITTED,
            ReservationStatus.RELEASED,
            ReservationStatus.EXPIRED,
        ]
        | None
    ) = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> ReservationPage:
    """A reference's reservations (oldest first), or the store's latest (newest first)."""
    after = paging.decode(cursor, datetime, str)
    async with kernel.uow(writes=False) as uow:
        found = await service.reservations_of(
            uow, reference=reference, status=status, after=after, limit=limit + 1
        )
    page, next_cursor = paging.cut(found, limit, lambda r: (r.created_at, r.id))
    return ReservationPage(
        items=[ReservationOut.model_validate(r) for r in page], next_cursor=next_cursor
    )


@router.post(
    "/reservations/{reference}/commit",
    response_model=list[ReservationOut],
    responses=problems(ReservationNotFound, ReservationNotActive),
)
async def commit_reservation(reference: str, kernel: KernelDep, _: Writer) -> list[ReservationOut]:
    """The held units leave stock (the order shipped or was confirmed). 409
    `reservation_not_active` when they expired or were released (BR018)."""
    async with kernel.uow() as uow:
        done = await service.commit(uow, reference=reference, now=kernel.clock.now())
        await uow.commit()
    return [ReservationOut.model_validate(r) for r in done]


@router.post(
    "/reservations/{reference}/release",
    response_model=list[ReservationOut],
    responses=problems(InvalidStockRequest, ReservationNotFound, ReservationNotActive),
)
async def release_reservation(
    reference: str,
    kernel: KernelDep,
    _: Writer,
    body: Annotated[ReleaseIn, Body(default_factory=ReleaseIn)],
) -> list[ReservationOut]:
    """Give the held units back; answers the reservations this call released."""
    async with kernel.uow() as uow:
        done = await service.release(
            uow,
            reference=reference,
            now=kernel.clock.now(),
            reason=body.reason,
        )
        await uow.commit()
    return [ReservationOut.model_validate(r) for r in done]
