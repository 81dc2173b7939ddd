"""The leases sagas are run under: the running process renews its lease with a heartbeat,
and any process takes over the unfinished sagas whose lease lapsed (their process died,
or a compensation was parked), at start-up and periodically. Mixed into `SagaRunner`,
whose state it shares."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

import structlog
from sqlalchemy import select, update

from mercato.kernel.aio import pause
from mercato.kernel.clock import Clock
from mercato.kernel.db import UnitOfWork
from mercato.kernel.saga_definitions import SagaDefinition, SagaResult, SagaStatus
from mercato.kernel.saga_models import SagaInstance

log = structlog.get_logger("mercato.saga")


class Leases:
    owner: str
    definitions: dict[str, SagaDefinition]
    _uow: Callable[..., UnitOfWork]
    _clock: Clock
    _lease: timedelta
    _running: set[str]

    run: Callable[[str], Awaitable[SagaResult]]
    """Drive one saga to its end (`SagaRunner.run`)."""

    async def resume_pending(self, limit: int = 50) -> list[SagaResult]:
        """Take over unfinished sagas whose lease lapsed (their process died) and finish them."""
        now = self._clock.now()
        async with self._uow(writes=False) as uow:
            candidates = list(
                await uow.session.scalars(
                    select(SagaInstance.id)
                    .where(
                        SagaInstance.status.in_([SagaStatus.RUNNING, SagaStatus.COMPENSATING]),
                        SagaInstance.lease_until < now,
                        SagaInstance.saga.in_(list(self.definitions)),
                    )
                    .order_by(SagaInstance.created_at)
                    .limit(limit)
                )
            )
        mine = [saga_id for saga_id in candidates if saga_id not in self._running]
        claimed = [saga_id for saga_id in mine if await self._claim(saga_id)]
        for saga_id in claimed:
            log.info("saga_resuming", saga_id=saga_id)
        return list(await asyncio.gather(*(self.run(saga_id) for saga_id in claimed)))

    async def _claim(self, saga_id: str) -> bool:
        now = self._clock.now()
        async with self._uow() as uow:
            result = await uow.session.execute(
                update(SagaInstance)
                .where(
                    SagaInstance.id == saga_id,
                    SagaInstance.lease_until < now,
                    SagaInstance.status.in_([SagaStatus.RUNNING, SagaStatus.COMPENSATING]),
                )
                .values(owner=self.owner, lease_until=now + self._lease)
            )
            await uow.commit()
        return getattr(result, "rowcount", 0) == 1

    async def run_resumer(self, stop: asyncio.Event, interval: float) -> None:
        while not stop.is_set():
            try:
                await self.resume_pending()
            except Exception as exc:
                log.error("saga_resume_failed", error=repr(exc))
            await pause(stop, interval)

    async def _heartbeat(self, saga_id: str) -> None:
        """Renew the lease while a step runs; a failed renewal is retried, not fatal."""
        interval = self._lease.total_seconds() / 3
        while True:
            await asyncio.sleep(interval)
            try:
                async with self._uow() as uow:
                    await uow.session.execute(
                        update(SagaInstance)
                        .where(SagaInstance.id == saga_id, SagaInstance.owner == self.owner)
                        .values(lease_until=self._clock.now() + self._lease)
                    )
                    await uow.commit()
            except Exception as exc:
                log.warning("saga_heartbeat_failed", saga_id=saga_id, error=repr(exc))
