"""Cycle counts and tasks: parse → service → schema."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from mercato.agents.inventory import service as inventory
from mercato.agents.warehouse import service
from mercato.agents.warehouse.edge import Cursor, Limit, Manager
from mercato.agents.warehouse.problems import (
    CountClosed,
    CountNotFound,
    CountStale,
    InvalidStockRequest,
    InvalidTransition,
    InvalidWarehouseRequest,
    LocationNotFound,
    TaskNotFound,
    UnknownVariant,
    ZoneNotFound,
)
from mercato.agents.warehouse.schemas import AssignIn, CountIn, CountLinesIn, TaskIn
from mercato.agents.warehouse.schemas_out import (
    CountOut,
    CountPage,
    CountSummaryOut,
    TaskOut,
    TaskPage,
    count_out,
)
from mercato.agents.warehouse.statuses import CountStatus, TaskKind, TaskStatus
from mercato.kernel import paging
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.db import UnitOfWork
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/warehouse", tags=["warehouse"])


# -- cycle counts ----------------------------------------------------------------------


@router.get("/cycle-counts", response_model=CountPage, responses=problems(InvalidCursor))
async def list_counts(
    kernel: KernelDep,
    _: Manager,
    status: CountStatus | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> CountPage:
    """Cycle counts, newest first."""
    after = paging.decode(cursor, datetime, str)
    async with kernel.uow(writes=False) as uow:
        found = await service.list_counts(uow, status=status, after=after, limit=limit + 1)
    page, next_cursor = paging.cut(found, limit, lambda c: (c.created_at, c.id))
    return CountPage(
        items=[CountSummaryOut.model_validate(c) for c in page], next_cursor=next_cursor
    )


@router.post(
    "/cycle-counts",
    status_code=201,
    response_model=CountOut,
    responses=problems(LocationNotFound, ZoneNotFound, InvalidWarehouseRequest),
)
async def create_count(body: CountIn, kernel: KernelDep, principal: Manager) -> CountOut:
    """A count of a zone's bins or of the bins named: a line per variant each bin holds,
    with what the bin says (`expected`); a count task is opened."""
    async with kernel.uow() as uow:
        view = await service.create_count(
            uow,
            location_id=body.location_id,
            zone_id=body.zone_id,
            bin_ids=body.bin_ids,
            actor=principal.id,
            now=kernel.clock.now(),
        )
        out = await _count_out(uow, view)
        await uow.commit()
    return out


@router.get("/cycle-counts/{count_id}", response_model=CountOut, responses=problems(CountNotFound))
async def get_count(count_id: str, kernel: KernelDep, _: Manager) -> CountOut:
    async with kernel.uow(writes=False) as uow:
        return await _count_out(uow, await service.get_count(uow, count_id))


@router.post(
    "/cycle-counts/{count_id}/lines",
    response_model=CountOut,
    responses=problems(
        CountNotFound, UnknownVariant, CountClosed, InvalidWarehouseRequest, InvalidStockRequest
    ),
)
async def record_count(
    count_id: str, body: CountLinesIn, kernel: KernelDep, _: Manager
) -> CountOut:
    """What was found per bin and variant (a variant not expected in a counted bin gets a
    line); each line's `expected` becomes what its bin holds at this moment."""
    lines = [(x.bin_id, x.variant_id, x.sku, x.counted) for x in body.lines]
    async with kernel.uow() as uow:
        view = await service.record(uow, count_id=count_id, lines=lines, now=kernel.clock.now())
        out = await _count_out(uow, view)
        await uow.commit()
    return out


@router.post(
    "/cycle-counts/{count_id}/complete",
    response_model=CountOut,
    responses=problems(CountNotFound, CountClosed, CountStale, inventory.InsufficientStock),
)
async def complete_count(count_id: str, kernel: KernelDep, principal: Manager) -> CountOut:
    """Book each counted difference to its bin and, as an adjustment (reason `count`), to
    inventory's ledger. All or nothing: a decrease below what is reserved is 409
    `insufficient_stock`, a bin emptied since it was counted 409 `cycle_count_stale`."""
    async with kernel.uow() as uow:
        view = await service.complete(
            uow, count_id=count_id, actor=principal.id, now=kernel.clock.now()
        )
        out = await _count_out(uow, view)
        await uow.commit()
    return out


@router.post(
    "/cycle-counts/{count_id}/cancel",
    response_model=CountOut,
    responses=problems(CountNotFound, CountClosed),
)
async def cancel_count(count_id: str, kernel: KernelDep, _: Manager) -> CountOut:
    async with kernel.uow() as uow:
        view = await service.cancel_count(uow, count_id=count_id, now=kernel.clock.now())
        out = await _count_out(uow, view)
        await uow.commit()
    return out


async def _count_out(uow: UnitOfWork, view: service.CountView) -> CountOut:
    return count_out(view, await service.skus_of(uow, (line.variant_id for line in view.lines)))


# -- tasks -----------------------------------------------------------------------------


@router.get("/tasks", response_model=TaskPage, responses=problems(InvalidCursor))
async def list_tasks(
    kernel: KernelDep,
    _: Manager,
    status: TaskStatus | None = None,
    assignee: Annotated[str | None, Query(max_length=320)] = None,
    kind: TaskKind | None = None,
    reference: Annotated[str | None, Query(max_length=120)] = None,
    cursor: Cursor = None,
    limit: Limit = 100,
) -> TaskPage:
    """Tasks, oldest first (the queue's order)."""
    after = paging.decode(cursor, datetime, str)
    async with kernel.uow(writes=False) as uow:
        found = await service.list_tasks(
            uow,
            status=status,
            assignee=assignee,
            kind=kind,
            reference=reference,
            after=after,
            limit=limit + 1,
        )
    page, next_cursor = paging.cut(found, limit, lambda t: (t.created_at, t.id))
    return TaskPage(items=[TaskOut.model_validate(t) for t in page], next_cursor=next_cursor)


@router.post("/tasks", status_code=201, response_model=TaskOut)
async def create_task(body: TaskIn, kernel: KernelDep, _: Manager) -> TaskOut:
    """A task (assigned at once when an assignee is given)."""
    async with kernel.uow() as uow:
        task = service.open_task(uow, now=kernel.clock.now(), **body.model_dump())
        out = TaskOut.model_validate(task)
        await uow.commit()
    return out


@router.post(
    "/tasks/{task_id}/assign",
    response_model=TaskOut,
    responses=problems(TaskNotFound, InvalidTransition),
)
async def assign_task(task_id: str, body: AssignIn, kernel: KernelDep, _: Manager) -> TaskOut:
    """Give an open (or re-give an assigned) task to someone."""
    return await _act(kernel, task_id, "assign", body.assignee)


@router.post(
    "/tasks/{task_id}/start",
    response_model=TaskOut,
    responses=problems(TaskNotFound, InvalidTransition),
)
async def start_task(task_id: str, kernel: KernelDep, principal: Manager) -> TaskOut:
    """Start an open or assigned task; one nobody had is the starter's."""
    return await _act(kernel, task_id, "start", principal.id)


@router.post(
    "/tasks/{task_id}/complete",
    response_model=TaskOut,
    responses=problems(TaskNotFound, InvalidTransition),
)
async def complete_task(task_id: str, kernel: KernelDep, _: Manager) -> TaskOut:
    """Mark a task in progress done."""
    return await _act(kernel, task_id, "complete", None)


@router.post(
    "/tasks/{task_id}/cancel",
    response_model=TaskOut,
    responses=problems(TaskNotFound, InvalidTransition),
)
async def cancel_task(task_id: str, kernel: KernelDep, _: Manager) -> TaskOut:
    """Cancel a task not yet done."""
    return await _act(kernel, task_id, "cancel", None)


async def _act(kernel: Kernel, task_id: str, action: str, assignee: str | None) -> TaskOut:
    """open -> assigned -> in_progress -> done, or cancelled before done; anything else is
    409 `invalid_task_transition` and changes nothing."""
    async with kernel.uow() as uow:
        task = await service.act(
            uow, task_id=task_id, action=action, assignee=assignee, now=kernel.clock.now()
        )
        out = TaskOut.model_validate(task)
        await uow.commit()
    return out
