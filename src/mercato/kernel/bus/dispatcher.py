"""Running one handler on one event: exactly once in effect, retried, then dead-lettered.

At-least-once delivery becomes exactly-once in effect through the inbox: the handler's
writes and the `(event id, handler)` inbox row commit in one transaction, and a delivery
whose inbox row already exists is skipped. A handler that keeps failing is retried with
exponential backoff and jitter, then its event goes to the dead-letter store and the
partition moves on. Exceptions are never swallowed silently: each is logged and counted.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from enum import StrEnum

import structlog
from opentelemetry import propagate, trace
from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from mercato.kernel import context
from mercato.kernel.bus.models import DeadLetter, InboxRecord
from mercato.kernel.bus.subscriptions import HandlerContext, Subscription
from mercato.kernel.clock import Clock
from mercato.kernel.db import UnitOfWork
from mercato.kernel.events import Envelope
from mercato.kernel.ids import new_id
from mercato.kernel.observability import metrics

log = structlog.get_logger("mercato.bus")
tracer = trace.get_tracer("mercato.bus")


class Outcome(StrEnum):
    HANDLED = "handled"
    DUPLICATE = "duplicate"
    DEAD_LETTERED = "dead_lettered"


class Dispatcher:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Clock,
        *,
        max_attempts: int,
        base_delay: float,
        max_delay: float,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._uow = uow_factory
        self._clock = clock
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self._sleep = sleep

    def backoff(self, attempt: int) -> float:
        """Delay before retry number `attempt` (1-based): exponential, capped, with jitter."""
        delay: float = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return float(delay * random.uniform(0.5, 1.0))

    async def dispatch(
        self, envelope: Envelope, sub: Subscription, *, replay: bool = False
    ) -> Outcome:
        """Handle with retries; dead-letter after the last attempt. `replay` runs the handler
        even if it has handled the event before (its inbox row is replaced atomically)."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self.handle_once(envelope, sub, attempt=attempt, replay=replay)
            except Exception as exc:
                if is_database_unavailable(exc):
                    # Not the handler's fault and not the event's: let the transport retry
                    # later instead of spending the handler's attempts on an outage.
                    raise
                metrics.events_failed.labels(handler=sub.name).inc()
                log.warning(
                    "handler_failed",
                    handler=sub.name,
                    event_id=envelope.id,
                    event_type=envelope.type,
                    attempt=attempt,
                    error=repr(exc),
                )
                if attempt >= self.max_attempts:
                    await self.dead_letter(envelope, sub, exc, attempts=attempt)
                    return Outcome.DEAD_LETTERED
                await self._sleep(self.backoff(attempt))

    async def handle_once(
        self, envelope: Envelope, sub: Subscription, *, attempt: int = 1, replay: bool = False
    ) -> Outcome:
        """One attempt; raises what the handler raises."""
        async with self._uow() as uow:
            outcome = await self._run(uow, envelope, sub, attempt=attempt, replay=replay)
            await uow.commit()
        self._handled(envelope, sub, outcome)
        return outcome

    async def dispatch_batch(
        self, envelopes: Sequence[Envelope], sub: Subscription
    ) -> list[Outcome]:
        """Handle a run of events in one transaction (one commit instead of one per event).

        If any event fails, nothing of the run is kept and each event is dispatched on its
        own, so the retries and the dead letter concern only the event at fault."""
        if len(envelopes) <= 1:
            return [await self.dispatch(e, sub) for e in envelopes]
        try:
            async with self._uow() as uow:
                outcomes = [await self._run(uow, e, sub, attempt=1) for e in envelopes]
                await uow.commit()
        except Exception as exc:
            if is_database_unavailable(exc):
                raise
            return [await self.dispatch(e, sub) for e in envelopes]
        for envelope, outcome in zip(envelopes, outcomes, strict=True):
            self._handled(envelope, sub, outcome)
        return outcomes

    async def _run(
        self,
        uow: UnitOfWork,
        envelope: Envelope,
        sub: Subscription,
        *,
        attempt: int,
        replay: bool = False,
    ) -> Outcome:
        """Claim the inbox row and run the handler inside `uow` (which the caller commits)."""
        parent = propagate.extract(envelope.trace)
        with (
            tracer.start_as_current_span(f"handle {envelope.type}", context=parent) as span,
            context.bind(
                tenant_id=envelope.tenant_id,
                correlation_id=envelope.correlation_id,
                causation_id=envelope.id,
            ),
        ):
            span.set_attribute("mercato.handler", sub.name)
            span.set_attribute("mercato.event_id", envelope.id)
            event = envelope.event()
            if replay:
                await uow.session.execute(
                    delete(InboxRecord).where(
                        InboxRecord.event_id == envelope.id, InboxRecord.handler == sub.name
                    )
                )
            if not await _claim_inbox(uow.session, envelope.id, sub.name, self._clock):
                return Outcome.DUPLICATE
            await sub.handler(event, HandlerContext(envelope=envelope, uow=uow, attempt=attempt))
        return Outcome.HANDLED

    def _handled(self, envelope: Envelope, sub: Subscription, outcome: Outcome) -> None:
        if outcome is not Outcome.HANDLED:
            return
        metrics.events_handled.labels(handler=sub.name).inc()
        lag = (self._clock.now() - envelope.occurred_at).total_seconds()
        metrics.event_delivery_seconds.labels(handler=sub.name).observe(max(lag, 0.0))

    async def dead_letter(
        self, envelope: Envelope, sub: Subscription, exc: BaseException, *, attempts: int
    ) -> None:
        with context.bind(tenant_id=envelope.tenant_id):
            async with self._uow() as uow:
                uow.session.add(
                    DeadLetter(
                        id=new_id(),
                        event_id=envelope.id,
                        event_type=envelope.type,
                        handler=sub.name,
                        tenant_id=envelope.tenant_id,
                        envelope=envelope.model_dump(mode="json"),
                        error=f"{type(exc).__name__}: {exc}"[:4000],
                        attempts=attempts,
                        status="dead",
                        failed_at=self._clock.now(),
                    )
                )
                await uow.commit()
        metrics.events_dead_lettered.labels(handler=sub.name).inc()
        log.error("event_dead_lettered", handler=sub.name, event_id=envelope.id, attempts=attempts)


def is_database_unavailable(exc: BaseException) -> bool:
    """A lost or refused database connection, or SQLite's lock wait running out."""
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError)
    return isinstance(exc, ConnectionRefusedError | ConnectionResetError)


async def _claim_inbox(session: AsyncSession, event_id: str, handler: str, clock: Clock) -> bool:
    """Insert the inbox row; False if this handler has already handled the event.

    On PostgreSQL a concurrent claim of the same row waits for the first transaction and
    then finds the row, so two workers never both handle one event.
    """
    values = {"event_id": event_id, "handler": handler, "handled_at": clock.now()}
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(InboxRecord)
    result = await session.execute(stmt.values(**values).on_conflict_do_nothing())
    return bool(getattr(result, "rowcount", 0))
