"""The questions' queue: held in the database, so any process may run a queued question and
none is lost with a process. A process runs up to `intel_questions_per_process` at once,
taking the most urgent first (Quick before Deep, then the oldest); taking one is a
conditional update, so two processes never run the same question. A running question's
process renews its lease; one whose lease ran out (its process stopped) is queued again.

The process that accepts a question wakes its dispatcher at once; the others find queued
questions on their next poll."""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import structlog
from sqlalchemy import func, select, update

from mercato.agents.intelligence.ask.models import IntelQuery
from mercato.agents.intelligence.ask.scope import Mode
from mercato.agents.intelligence.ask.statuses import QueryStatus
from mercato.kernel.context import bind
from mercato.kernel.ids import new_id

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

log = structlog.get_logger("mercato.intelligence.ask")
PRIORITY = {Mode.QUICK: 0, Mode.DEEP: 1}
TYPICAL_SECONDS = {Mode.QUICK: 2.0, Mode.DEEP: 20.0}
"""A mode's duration before any question of it has finished (the estimate's start)."""
RECENT = 20
MAX_ATTEMPTS = 3
STOP_GRACE = 3.0
"""Seconds a stopping process gives its running questions to end."""
"""A question whose process stopped this many times while running it fails."""

Runner = Callable[["Kernel", str, str], Awaitable[None]]
"""(kernel, store, question id): runs a question this process took."""


@dataclass(frozen=True)
class QueueState:
    queued: int
    running: int
    workers: int
    estimated_wait_s: dict[str, float]
    """For a question asked now, by mode."""


def _all() -> dict[str, bool]:
    return {"all_tenants": True}


async def typical_seconds(kernel: Kernel, mode: Mode) -> float:
    """The mean duration of the mode's last finished questions (every store's)."""
    async with kernel.uow(writes=False) as uow:
        rows = (
            await uow.session.execute(
                select(IntelQuery.started_at, IntelQuery.finished_at)
                .where(
                    IntelQuery.mode == mode.value,
                    IntelQuery.status.in_([QueryStatus.DONE, QueryStatus.PARTIAL]),
                    IntelQuery.finished_at.is_not(None),
                )
                .order_by(IntelQuery.finished_at.desc())
                .limit(RECENT)
                .execution_options(**_all())
            )
        ).all()
    spans = [(f - s).total_seconds() for s, f in rows if s is not None and f is not None]
    return round(sum(spans) / len(spans), 2) if spans else TYPICAL_SECONDS[mode]


async def ahead_of(kernel: Kernel, *, priority: int, enqueued_at: datetime) -> int:
    """Questions that run before one of this priority queued at that time (every store's)."""
    async with kernel.uow(writes=False) as uow:
        found = await uow.session.scalar(
            select(func.count())
            .select_from(IntelQuery)
            .where(
                IntelQuery.status == QueryStatus.QUEUED,
                (IntelQuery.priority < priority)
                | ((IntelQuery.priority == priority) & (IntelQuery.enqueued_at < enqueued_at)),
            )
            .execution_options(**_all())
        )
    return int(found or 0)


async def estimate_wait(kernel: Kernel, *, mode: Mode, ahead: int, running: int) -> float:
    """Seconds until a question with `ahead` queued before it starts: the queue drains
    `workers` at a time, each taking its mode's typical time. This process's setting stands
    for the others' (an API process that runs none counts as one worker)."""
    workers = max(1, kernel.settings.intel_questions_per_process)
    busy = max(0, running + ahead - workers + 1)
    if busy == 0:
        return 0.0
    typical = await typical_seconds(kernel, mode)
    return round(-(-busy // workers) * typical, 1)


async def state(kernel: Kernel) -> QueueState:
    async with kernel.uow(writes=False) as uow:
        counts = dict(
            (
                await uow.session.execute(
                    select(IntelQuery.status, func.count())
                    .where(IntelQuery.status.in_([QueryStatus.QUEUED, QueryStatus.RUNNING]))
                    .group_by(IntelQuery.status)
                    .execution_options(**_all())
                )
            ).all()
        )
    queued, running = (
        int(counts.get(QueryStatus.QUEUED, 0)),
        int(counts.get(QueryStatus.RUNNING, 0)),
    )
    waits = {
        m.value: await estimate_wait(kernel, mode=m, ahead=queued, running=running) for m in Mode
    }
    return QueueState(queued, running, kernel.settings.intel_questions_per_process, waits)


class Dispatcher:
    """This process's share of the queue."""

    def __init__(self, kernel: Kernel, run: Runner) -> None:
        self.kernel = kernel
        self.run = run
        self.name = f"{socket.gethostname()}:{os.getpid()}:{new_id()[:8]}"
        self.tasks: set[asyncio.Task[None]] = set()
        self._pumping: asyncio.Task[None] | None = None
        self._stopped = False

    @property
    def capacity(self) -> int:
        return self.kernel.settings.intel_questions_per_process - len(self.tasks)

    def wake(self) -> None:
        """Take queued questions while this process has room (returns at once); a process
        set to run none (`intel_questions_per_process` 0) leaves them to the others."""
        if (
            self._stopped
            or self.capacity <= 0
            or (self._pumping is not None and not self._pumping.done())
        ):
            return
        self._pumping = asyncio.get_running_loop().create_task(
            self._pump(), name="intel-pump", context=contextvars.Context()
        )  # its own context: not the request's (or the question's) that woke it

    async def _pump(self) -> None:
        while self.capacity > 0 and not self._stopped:
            taken = await self.claim()
            if taken is None:
                return
            tenant, query_id = taken
            task = asyncio.get_running_loop().create_task(
                self._run(tenant, query_id),
                name=f"intel-question:{query_id}",
                context=contextvars.Context(),
            )
            self.tasks.add(task)
            task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("intelligence_question_crashed", error=repr(task.exception()))
        self.wake()

    async def _run(self, tenant: str, query_id: str) -> None:
        renew = asyncio.get_running_loop().create_task(self._renew(tenant, query_id))
        try:
            with bind(tenant_id=tenant):
                await self.run(self.kernel, tenant, query_id)
        finally:
            renew.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await renew

    async def claim(self) -> tuple[str, str] | None:
        """The most urgent queued question, now this process's; None when none is queued."""
        for _ in range(5):  # another process may take the one we saw: look again
            async with self.kernel.uow() as uow:
                found = (
                    await uow.session.execute(
                        select(IntelQuery.id, IntelQuery.tenant_id)
                        .where(IntelQuery.status == QueryStatus.QUEUED)
                        .order_by(IntelQuery.priority, IntelQuery.enqueued_at, IntelQuery.id)
                        .limit(1)
                        .execution_options(**_all())
                    )
                ).first()
                if found is None:
                    return None
                now = uow.clock.now()
                taken = await uow.session.execute(
                    update(IntelQuery)
                    .where(IntelQuery.id == found.id, IntelQuery.status == QueryStatus.QUEUED)
                    .values(
                        status=QueryStatus.RUNNING,
                        claimed_by=self.name,
                        started_at=now,
                        lease_until=now + self._lease(),
                        attempts=IntelQuery.attempts + 1,
                    )
                    .execution_options(synchronize_session=False, **_all())
                )
                await uow.commit()
            if getattr(taken, "rowcount", 0) == 1:
                return found.tenant_id, found.id
        return None

    def _lease(self) -> timedelta:
        return timedelta(seconds=self.kernel.settings.intel_question_lease_seconds)

    async def _renew(self, tenant: str, query_id: str) -> None:
        every = self.kernel.settings.intel_question_lease_seconds / 3
        while True:
            await asyncio.sleep(every)
            async with self.kernel.uow() as uow:
                await uow.session.execute(
                    update(IntelQuery)
                    .where(
                        IntelQuery.id == query_id,
                        IntelQuery.claimed_by == self.name,
                        IntelQuery.status == QueryStatus.RUNNING,
                    )
                    .values(lease_until=uow.clock.now() + self._lease())
                    .execution_options(synchronize_session=False, **_all())
                )
                await uow.commit()

    async def requeue_abandoned(self) -> int:
        """Queue again the running questions whose process stopped (their lease ran out);
        fail those that were tried `MAX_ATTEMPTS` times."""
        async with self.kernel.uow() as uow:
            now = uow.clock.now()
            late = (IntelQuery.status == QueryStatus.RUNNING) & (IntelQuery.lease_until < now)
            failed = await uow.session.execute(
                update(IntelQuery)
                .where(late, IntelQuery.attempts >= MAX_ATTEMPTS)
                .values(
                    status=QueryStatus.FAILED,
                    finished_at=now,
                    error="the processes running it stopped three times",
                )
                .execution_options(synchronize_session=False, **_all())
            )
            again = await uow.session.execute(
                update(IntelQuery)
                .where(late, IntelQuery.attempts < MAX_ATTEMPTS)
                .values(status=QueryStatus.QUEUED, claimed_by=None, lease_until=None)
                .execution_options(synchronize_session=False, **_all())
            )
            await uow.commit()
        moved = int(getattr(again, "rowcount", 0) or 0)
        gave_up = int(getattr(failed, "rowcount", 0) or 0)
        if moved or gave_up:
            log.warning("intelligence_questions_requeued", requeued=moved, failed=gave_up)
        return moved

    async def stop(self, grace: float = STOP_GRACE) -> None:
        """Take no more questions; let the running ones end within `grace` seconds, then
        cancel them (their leases run out and another process runs them again). The pump
        is never cancelled mid-claim: it ends on its own once stopped."""
        self._stopped = True
        if self._pumping is not None:
            await asyncio.wait([self._pumping], timeout=grace)
        running = [t for t in self.tasks if not t.done()]
        if running:
            _, late = await asyncio.wait(running, timeout=grace)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if self._pumping is not None and not self._pumping.done():
            self._pumping.cancel()
            await asyncio.gather(self._pumping, return_exceptions=True)
