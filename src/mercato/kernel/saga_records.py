"""A saga's row and its log: written, read and moved on only by the runner that holds its
lease (each move checks the owner, and the status and step it moves from). Mixed into
`SagaRunner`, whose state it shares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update

from mercato.kernel.clock import Clock
from mercato.kernel.db import UnitOfWork
from mercato.kernel.prepared import Prepared
from mercato.kernel.saga_definitions import DONE, SagaResult, SagaStatus
from mercato.kernel.saga_models import SagaInstance, SagaLogEntry


class LeaseLostError(Exception):
    """Another process took the saga over (our lease lapsed); stop touching it."""


class SagaRecords:
    owner: str
    _uow: Callable[..., UnitOfWork]
    _clock: Clock
    _lease: timedelta

    async def get(self, saga_id: str) -> SagaResult | None:
        async with self._uow(writes=False) as uow:
            row = await _GET.first(uow, id=saga_id)
            return None if row is None else SagaResult(row.id, row.status, row.data, row.error)

    async def _save(self, row: dict[str, Any]) -> None:
        """Write a new saga's row (IntegrityError if the id exists: started already)."""
        async with self._uow() as uow:
            await _INSERT.run_many(uow, [row])
            await uow.commit()

    async def _insert(self, uow: UnitOfWork, row: dict[str, Any]) -> None:
        """Write a new saga's row in `uow` (its first step's)."""
        await _INSERT.run_many(uow, [row])

    async def _advance(
        self,
        uow: UnitOfWork,
        saga_id: str,
        *,
        owner: str | bool | None = True,
        expect: tuple[str, int] | None = None,
        **values: Any,
    ) -> None:
        """Move the saga on, if this runner still owns it (and, with `expect`, it is still at
        that status and step: a step's effects commit only with the one advance from it)."""
        now = self._clock.now()
        values.update(updated_at=now, lease_until=now + self._lease)
        if owner is None:
            values["owner"] = None
        query = update(SagaInstance).where(
            SagaInstance.id == saga_id, SagaInstance.owner == self.owner
        )
        if expect is not None:
            query = query.where(SagaInstance.status == expect[0], SagaInstance.step == expect[1])
        result = await uow.session.execute(query.values(**values))
        if getattr(result, "rowcount", 0) != 1:
            raise LeaseLostError(saga_id)

    async def _step_advance(
        self,
        uow: UnitOfWork,
        saga_id: str,
        data: dict[str, Any],
        state: SagaState,
        *,
        status: SagaStatus,
        step: int,
        owner: str | bool | None = True,
    ) -> None:
        """`_advance` from the step `state` is at, as one prepared statement: what every
        step of every saga sends, so it skips the ORM."""
        now = self._clock.now()
        changed = await _STEP_ADVANCE.run(
            uow,
            id=saga_id,
            owner=self.owner,
            expect_status=state.status,
            expect_step=state.step,
            status=status,
            step=step,
            data=data,
            new_owner=None if owner is None else self.owner,
            updated_at=now,
            lease_until=now + self._lease,
        )
        if changed != 1:
            raise LeaseLostError(saga_id)

    def _log_done(self, uow: UnitOfWork, saga_id: str, data: dict[str, Any]) -> None:
        """The saga turns around: the steps done so far go to the log, with their times."""
        for name, at in data.get(DONE, {}).items():
            uow.session.add(SagaLogEntry(saga_id=saga_id, step=name, result="done", at=_parse(at)))

    def _log(self, saga_id: str, step: str, result: str, detail: str | None = None) -> SagaLogEntry:
        return SagaLogEntry(
            saga_id=saga_id, step=step, result=result, detail=detail, at=self._clock.now()
        )


_SAGAS = cast(Table, SagaInstance.__table__)
_INSERTED = [column.key for column in _SAGAS.columns]
_INSERT = Prepared(insert(_SAGAS), columns=_INSERTED)


def row_of(instance: SagaInstance) -> dict[str, Any]:
    """A new saga's row, as `_save` and `_insert` write it."""
    return {c: getattr(instance, c) for c in _INSERTED}


_GET = Prepared(
    select(_SAGAS.c.id, _SAGAS.c.status, _SAGAS.c.data, _SAGAS.c.error).where(
        _SAGAS.c.id == bindparam("id")
    )
)
_STEP_ADVANCE = Prepared(
    update(_SAGAS)
    .where(
        _SAGAS.c.id == bindparam("id"),
        _SAGAS.c.owner == bindparam("owner"),
        _SAGAS.c.status == bindparam("expect_status"),
        _SAGAS.c.step == bindparam("expect_step"),
    )
    .values(
        status=bindparam("status"),
        step=bindparam("step"),
        data=bindparam("data"),
        owner=bindparam("new_owner"),
        updated_at=bindparam("updated_at"),
        lease_until=bindparam("lease_until"),
    )
)


def now_iso(clock: Clock) -> str:
    return clock.now().isoformat()


def _parse(at: str) -> datetime:
    return datetime.fromisoformat(at)


@dataclass
class SagaState:
    """Where a running saga is, as its runner keeps it between steps."""

    saga: str
    status: SagaStatus
    step: int
    data: dict[str, Any]
    error: str | None
