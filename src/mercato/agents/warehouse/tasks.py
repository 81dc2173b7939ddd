"""Warehouse tasks: who puts away, picks, packs, counts or receives what, and by when.

A task moves open → assigned → in_progress → done, or to cancelled from any live status;
`assign` also re-assigns an assigned task. Anything else is 409 `invalid_task_transition`
and changes nothing. The other commands of the agent open tasks for the work they cause
(a receipt's putaway, a pick list's pick and pack, a count) and `finish` them when that work
is done through them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from mercato.agents.warehouse.models import Task
from mercato.agents.warehouse.problems import (
    InvalidTransition,
    InvalidWarehouseRequest,
    TaskNotFound,
)
from mercato.agents.warehouse.statuses import LIVE_TASK, TaskKind, TaskStatus
from mercato.kernel import paging
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

ACTIONS: dict[str, tuple[frozenset[TaskStatus], TaskStatus]] = {
    "assign": (frozenset({TaskStatus.OPEN, TaskStatus.ASSIGNED}), TaskStatus.ASSIGNED),
    "start": (frozenset({TaskStatus.OPEN, TaskStatus.ASSIGNED}), TaskStatus.IN_PROGRESS),
    "complete": (frozenset({TaskStatus.IN_PROGRESS}), TaskStatus.DONE),
    "cancel": (frozenset(LIVE_TASK), TaskStatus.CANCELLED),
}
"""Each action: the statuses it may start from, and the status it leaves."""


def next_status(current: TaskStatus, action: str) -> TaskStatus:
    """The status `action` moves a task in `current` to; 409 when it may not."""
    allowed, target = ACTIONS[action]
    if current not in allowed:
        raise InvalidTransition(f"a task that is {current} cannot {action}", status_now=current)
    return target


def open_task(
    uow: UnitOfWork,
    *,
    kind: TaskKind,
    reference: str | None,
    now: datetime,
    assignee: str | None = None,
    due_at: datetime | None = None,
    note: str | None = None,
) -> Task:
    task = Task(
        id=new_id(),
        kind=kind,
        status=TaskStatus.ASSIGNED if assignee else TaskStatus.OPEN,
        reference=reference,
        assignee=assignee,
        note=note,
        due_at=due_at,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(task)
    return task


async def get_task(uow: UnitOfWork, task_id: str) -> Task:
    task = await uow.session.get(Task, task_id, populate_existing=True)
    if task is None:
        raise TaskNotFound(f"no task {task_id!r}")
    return task


async def list_tasks(
    uow: UnitOfWork,
    *,
    status: TaskStatus | None = None,
    assignee: str | None = None,
    kind: TaskKind | None = None,
    reference: str | None = None,
    after: tuple[datetime, str] | None = None,
    limit: int = 100,
) -> list[Task]:
    """Tasks oldest first (the queue's order), after the (created_at, id) key `after`."""
    order = (Task.created_at, Task.id)
    query = select(Task).where(paging.beyond(order, after, descending=False)).order_by(*order)
    for column, value in (
        (Task.status, status),
        (Task.assignee, assignee),
        (Task.kind, kind),
        (Task.reference, reference),
    ):
        if value is not None:
            query = query.where(column == value)
    return list(await uow.session.scalars(query.limit(limit)))


async def act(
    uow: UnitOfWork, *, task_id: str, action: str, now: datetime, assignee: str | None = None
) -> Task:
    """Assign (to `assignee`), start (the one starting it takes it when nobody has),
    complete or cancel a task."""
    if action not in ACTIONS:
        raise InvalidWarehouseRequest(f"no task action {action!r}")
    if action == "assign" and not assignee:
        raise InvalidWarehouseRequest("assigning a task names its assignee")
    task = await get_task(uow, task_id)
    task.status = next_status(task.status, action)
    if action == "assign" or (action == "start" and task.assignee is None):
        task.assignee = assignee
    task.updated_at = now
    return task


async def finish(
    uow: UnitOfWork, *, kind: TaskKind, reference: str, now: datetime
) -> Sequence[Task]:
    """Mark done the live tasks of this kind for `reference`: their work was done through
    the agent's own commands (a putaway, a pick, a packing, a count)."""
    tasks = list(
        await uow.session.scalars(
            select(Task).where(
                Task.kind == kind, Task.reference == reference, Task.status.in_(LIVE_TASK)
            )
        )
    )
    for task in tasks:
        task.status, task.updated_at = TaskStatus.DONE, now
    return tasks
