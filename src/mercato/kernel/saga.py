"""Persisted sagas: workflows across agents, each step with a compensation and a timeout.

A step's action runs in a unit of work that also records the saga's progress, so a step
that writes only to Mercato's database takes effect exactly once even if the process dies:
either its rows and the new step pointer commit together, or neither does and a resumed
saga runs the step again. A step that calls an outside system passes
`ctx.idempotency_key` so a repeated call is harmless.

When a step fails, the steps before it are compensated in reverse order (a `Problem` it
raised is kept in the saga's data under `PROBLEM`, for the answer to the caller). A step
that *raised* is assumed to have rolled back and is not compensated, unless it says it acts
outside before it writes (`compensate_on_error`); a step that *timed out* may have taken
effect, so it is compensated too (compensations tolerate having nothing to undo). A
compensation that keeps failing is retried later, by any process, until it works. The
process running a saga holds a lease on it; any process resumes sagas whose
lease has lapsed, at start-up and periodically.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from mercato.kernel import context
from mercato.kernel.clock import Clock
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem
from mercato.kernel.ids import new_id
from mercato.kernel.observability import metrics
from mercato.kernel.saga_definitions import (
    DONE,
    PROBLEM,
    ProblemReplay,
    SagaContext,
    SagaDefinition,
    SagaResult,
    SagaStatus,
    Step,
    StepFn,
    problem_data,
)
from mercato.kernel.saga_leases import Leases
from mercato.kernel.saga_models import SagaInstance
from mercato.kernel.saga_records import (
    LeaseLostError,
    SagaRecords,
    SagaState,
    now_iso,
    row_of,
)

__all__ = [
    "PROBLEM",
    "ProblemReplay",
    "SagaContext",
    "SagaDefinition",
    "SagaResult",
    "SagaRunner",
    "SagaStatus",
    "Step",
    "problem_data",
]

log = structlog.get_logger("mercato.saga")


class _StepFailed(Exception):  # noqa: N818 - internal signal, not an error
    """A step called `ctx.fail`: its transaction committed with the saga turned around."""

    def __init__(self, problem: Problem, data: dict[str, Any]) -> None:
        super().__init__(problem.code)
        self.problem, self.data = problem, data


class _AlreadyStarted(Exception):  # noqa: N818 - internal signal, not an error
    """A saga with this id exists: `start` raises the IntegrityError, as before any step."""

    def __init__(self, error: IntegrityError) -> None:
        super().__init__(str(error))
        self.error = error


class SagaRunner(Leases, SagaRecords):
    def __init__(
        self,
        uow_factory: Callable[..., UnitOfWork],
        clock: Clock,
        *,
        lease_ttl: float,
        default_timeout: float,
        compensation_attempts: int = 5,
        retry_delay: float = 0.2,
        park_delay: float | None = None,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self._lease = timedelta(seconds=lease_ttl)
        self._default_timeout = default_timeout
        self._compensation_attempts = compensation_attempts
        self._retry_delay = retry_delay
        self._park_delay = timedelta(seconds=park_delay or lease_ttl * 4)
        self.owner = new_id()
        self.definitions: dict[str, SagaDefinition] = {}
        self._running: set[str] = set()
        """Sagas this runner is driving now: never resumed by it a second time."""

    def register(self, definition: SagaDefinition) -> None:
        if definition.name in self.definitions:
            raise ValueError(f"saga {definition.name!r} is registered twice")
        self.definitions[definition.name] = definition

    async def start(
        self,
        saga: str,
        data: dict[str, Any],
        *,
        tenant_id: str,
        saga_id: str | None = None,
        run: bool = True,
    ) -> SagaResult:
        """Persist a new saga instance and, unless `run=False`, drive it to an end."""
        if saga not in self.definitions:
            raise KeyError(f"unknown saga {saga!r}")
        now = self._clock.now()
        instance = SagaInstance(
            id=saga_id or new_id(),
            saga=saga,
            tenant_id=tenant_id,
            correlation_id=context.correlation_var.get() or new_id(),
            status=SagaStatus.RUNNING,
            step=0,
            data=data,
            owner=self.owner,
            lease_until=now + self._lease,
            created_at=now,
            updated_at=now,
        )
        row = row_of(instance)
        if not run:
            await self._save(row)
            return SagaResult(instance.id, SagaStatus.RUNNING, data)
        # The row is written by the first step's transaction (one commit fewer): a saga
        # whose first step never commits was never started. If that step fails or times
        # out, the row is written then, and the saga compensates as it would have.
        return await self._drive(instance, unsaved=row)

    async def run(self, saga_id: str) -> SagaResult:
        """Drive a saga this process holds the lease on until it ends or the lease is lost."""
        async with self._uow(writes=False) as uow:
            row = await uow.session.get(SagaInstance, saga_id)
        if row is None:
            raise KeyError(saga_id)
        return await self._drive(row)

    async def _drive(
        self, row: SagaInstance, *, unsaved: dict[str, Any] | None = None
    ) -> SagaResult:
        saga_id = row.id
        definition = self.definitions[row.saga]
        if saga_id in self._running:
            return SagaResult(saga_id, SagaStatus.TAKEN_OVER)
        self._running.add(saga_id)
        heartbeat = asyncio.create_task(self._heartbeat(saga_id))
        try:
            with context.bind(tenant_id=row.tenant_id, correlation_id=row.correlation_id):
                state = SagaState(row.saga, row.status, row.step, row.data, row.error)
                if state.status == SagaStatus.RUNNING:
                    await self._forward(saga_id, definition, state, unsaved)
                if state.status == SagaStatus.COMPENSATING:
                    await self._backward(saga_id, definition, state)
        except LeaseLostError:
            log.warning("saga_lease_lost", saga_id=saga_id)
            return SagaResult(saga_id, SagaStatus.TAKEN_OVER)
        finally:
            heartbeat.cancel()
            self._running.discard(saga_id)
        metrics.saga_outcomes.labels(saga=definition.name, outcome=state.status).inc()
        log.info("saga_finished", saga=definition.name, saga_id=saga_id, status=state.status)
        return SagaResult(saga_id, state.status, state.data, state.error)

    async def _forward(
        self,
        saga_id: str,
        definition: SagaDefinition,
        state: SagaState,
        unsaved: dict[str, Any] | None = None,
    ) -> None:
        """`unsaved`: the row of a saga just started, which its first step writes."""
        steps = definition.steps
        while state.step < len(steps):
            step = steps[state.step]
            try:
                data = await self._run_step(
                    saga_id, step, step.action, state, next_step=state.step + 1, unsaved=unsaved
                )
            except LeaseLostError:
                raise
            except _AlreadyStarted as started:
                raise started.error from None
            except TimeoutError:
                await self._saved(saga_id, unsaved)
                await self._begin_compensation(saga_id, definition, state, state.step, "timed_out")
                return
            except _StepFailed as failed:  # committed: the steps before it are undone
                state.data, state.error = failed.data, f"{step.name}: {failed.problem.code}"
                await self._begin_compensation(
                    saga_id, definition, state, state.step - 1, "failed", after=True
                )
                return
            except Exception as exc:
                await self._saved(saga_id, unsaved)
                state.error = f"{step.name}: {type(exc).__name__}: {exc}"
                if isinstance(exc, Problem):  # the caller answers with it, even on a replay
                    state.data = {**state.data, PROBLEM: problem_data(exc)}
                undo_from = state.step if step.compensate_on_error else state.step - 1
                await self._begin_compensation(saga_id, definition, state, undo_from, "failed")
                return
            state.step, state.data, unsaved = state.step + 1, data, None
        state.status = SagaStatus.COMPLETED  # the last step's transaction said so

    async def _saved(self, saga_id: str, unsaved: dict[str, Any] | None) -> None:
        """A just-started saga's first step did not commit, and its row with it: write the
        row now, so the saga compensates and answers a repeat as it would have."""
        if unsaved is not None and await self.get(saga_id) is None:
            await self._save(unsaved)

    async def _backward(self, saga_id: str, definition: SagaDefinition, state: SagaState) -> None:
        while state.step >= 0:
            step = definition.steps[state.step]
            if step.compensation is not None:
                for attempt in range(1, self._compensation_attempts + 1):
                    try:
                        await self._run_step(
                            saga_id,
                            step,
                            step.compensation,
                            state,
                            next_step=state.step - 1,
                            undo=True,
                        )
                        break
                    except LeaseLostError:
                        raise
                    except Exception as exc:
                        log.error(
                            "saga_compensation_failed",
                            saga_id=saga_id,
                            step=step.name,
                            attempt=attempt,
                            error=repr(exc),
                        )
                        if attempt == self._compensation_attempts:
                            state.error = f"compensating {step.name}: {exc!r}"
                            await self._park(saga_id, state)
                            return
                        await asyncio.sleep(self._retry_delay * 2 ** (attempt - 1))
                if state.step == 0:  # the first step's compensation ended the saga
                    state.status = SagaStatus.COMPENSATED
            state.step -= 1
        if state.status != SagaStatus.COMPENSATED:
            await self._finish(saga_id, definition, state, SagaStatus.COMPENSATED)

    async def _run_step(
        self,
        saga_id: str,
        step: Step,
        fn: StepFn,
        state: SagaState,
        *,
        next_step: int,
        undo: bool = False,
        unsaved: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Run one action or compensation and record the progress in the same transaction
        (with `unsaved`, the saga's row is written first, in that transaction)."""
        result = "compensated" if undo else "done"
        last = next_step < 0 if undo else next_step >= len(self.definitions[state.saga].steps)
        try:
            async with asyncio.timeout(step.timeout or self._default_timeout), self._uow() as uow:
                if unsaved is not None:
                    try:
                        await self._insert(uow, unsaved)
                    except IntegrityError as exc:
                        raise _AlreadyStarted(exc) from exc
                ctx = SagaContext(saga_id, step.name, dict(state.data), uow)
                await fn(ctx)
                values: dict[str, Any] = {"status": state.status, "step": next_step}
                if ctx.failure is not None:  # commits what it wrote, then compensates
                    ctx.data[PROBLEM] = problem_data(ctx.failure)
                    values.update(status=SagaStatus.COMPENSATING, step=state.step - 1)
                    self._log_done(uow, saga_id, ctx.data)
                    uow.session.add(self._log(saga_id, step.name, "failed", ctx.failure.code))
                elif last:  # the saga ends with this step's transaction
                    values.update(
                        status=SagaStatus.COMPENSATED if undo else SagaStatus.COMPLETED, owner=None
                    )
                if not undo and ctx.failure is None:  # when: logged only if it compensates
                    ctx.data[DONE] = {**ctx.data.get(DONE, {}), step.name: now_iso(self._clock)}
                await self._step_advance(uow, saga_id, ctx.data, state, **values)
                if undo:
                    uow.session.add(self._log(saga_id, step.name, result))
                await uow.commit()
            if ctx.failure is not None:
                raise _StepFailed(ctx.failure, ctx.data)
        except _AlreadyStarted:
            raise
        except (TimeoutError, LeaseLostError):
            metrics.saga_steps.labels(saga=state.saga, step=step.name, result="timed_out").inc()
            raise
        except _StepFailed:
            metrics.saga_steps.labels(saga=state.saga, step=step.name, result="failed").inc()
            raise
        except Exception:
            metrics.saga_steps.labels(saga=state.saga, step=step.name, result="failed").inc()
            raise
        metrics.saga_steps.labels(saga=state.saga, step=step.name, result=result).inc()
        return ctx.data

    async def _begin_compensation(
        self,
        saga_id: str,
        definition: SagaDefinition,
        state: SagaState,
        from_step: int,
        why: str,
        *,
        after: bool = False,
    ) -> None:
        """Turn the saga around (`after`: the failed step's own transaction did already)."""
        failed = definition.steps[state.step]
        state.status, state.step = SagaStatus.COMPENSATING, from_step
        state.error = state.error or f"{failed.name}: {why}"
        if after:
            return
        async with self._uow() as uow:
            await self._advance(
                uow,
                saga_id,
                status=SagaStatus.COMPENSATING,
                step=from_step,
                error=state.error,
                data=state.data,
            )
            self._log_done(uow, saga_id, state.data)
            uow.session.add(self._log(saga_id, failed.name, why, state.error))
            await uow.commit()

    async def _finish(
        self, saga_id: str, definition: SagaDefinition, state: SagaState, status: SagaStatus
    ) -> None:
        state.status = status
        async with self._uow() as uow:
            await self._advance(
                uow, saga_id, status=status, step=state.step, error=state.error, owner=None
            )
            await uow.commit()

    async def _park(self, saga_id: str, state: SagaState) -> None:
        """A compensation kept failing: let go of the saga for `park_delay`, after which any
        process resumes it and tries again (it is never left half undone)."""
        log.error("saga_compensation_parked", saga_id=saga_id, error=state.error)
        now = self._clock.now()
        async with self._uow() as uow:
            await uow.session.execute(
                update(SagaInstance)
                .where(SagaInstance.id == saga_id, SagaInstance.owner == self.owner)
                .values(
                    owner=None,
                    error=state.error,
                    updated_at=now,
                    lease_until=now + self._park_delay,
                )
            )
            uow.session.add(self._log(saga_id, "compensation", "parked", state.error))
            await uow.commit()
