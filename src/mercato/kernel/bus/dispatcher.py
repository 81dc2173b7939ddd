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
import re
from collections.abc import Awaitable, Callable, Sequence
from enum import StrEnum
from typing import cast

import structlog
from opentelemetry import propagate, trace
from sqlalchemy import Table, bindparam, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from mercato.kernel import context
from mercato.kernel.bus.models import DeadLetter, DeadLetterStatus, InboxRecord
from mercato.kernel.bus.subscriptions import Gathered, HandlerContext, Subscription
from mercato.kernel.clock import Clock
from mercato.kernel.db import UnitOfWork, upsert_insert
from mercato.kernel.events import Envelope
from mercato.kernel.ids import new_id
from mercato.kernel.observability import metrics
from mercato.kernel.prepared import Prepared

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
        (outcome,) = await self._run([envelope], sub, attempt=attempt, replay=replay)
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
            return await self._run(envelopes, sub, attempt=1)
        except Exception as exc:
            if is_database_unavailable(exc):
                raise
            return [await self.dispatch(e, sub) for e in envelopes]

    async def _run(
        self,
        envelopes: Sequence[Envelope],
        sub: Subscription,
        *,
        attempt: int,
        replay: bool = False,
    ) -> list[Outcome]:
        """In one transaction: claim the events' inbox rows (one statement), run the handler
        on each event claimed, commit. Raises what the handler raises."""
        outcomes: list[Outcome] = []
        gathered: dict[tuple[str, str], Gathered] = {}
        async with self._uow() as uow:
            if replay:
                await uow.session.execute(
                    delete(InboxRecord).where(
                        InboxRecord.event_id.in_([e.id for e in envelopes]),
                        InboxRecord.handler == sub.name,
                    )
                )
            claimed = await _claim_inbox(uow, [e.id for e in envelopes], sub.name, self._clock)
            for envelope in envelopes:
                if envelope.id not in claimed:
                    outcomes.append(Outcome.DUPLICATE)
                    continue
                claimed.discard(envelope.id)  # a second copy in the same run is a duplicate
                await self._call(uow, envelope, sub, attempt=attempt, gathered=gathered)
                outcomes.append(Outcome.HANDLED)
            for entry in gathered.values():
                await self._work(uow, entry)
            await uow.commit()
        for envelope, outcome in zip(envelopes, outcomes, strict=True):
            self._handled(envelope, sub, outcome)
        return outcomes

    async def _call(
        self,
        uow: UnitOfWork,
        envelope: Envelope,
        sub: Subscription,
        *,
        attempt: int,
        gathered: dict[tuple[str, str], Gathered],
    ) -> None:
        """The handler, in the event's tenant, correlation and trace."""
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
            ctx = HandlerContext(envelope=envelope, uow=uow, attempt=attempt, gathered=gathered)
            await sub.handler(event, ctx)

    @staticmethod
    async def _work(uow: UnitOfWork, entry: Gathered) -> None:
        """What handlers gathered over the run, in the store, correlation and causation of
        the last event that noted an item."""
        last = entry.last
        with context.bind(
            tenant_id=last.tenant_id, correlation_id=last.correlation_id, causation_id=last.id
        ):
            await entry.work(uow, list(entry.items))

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
                        status=DeadLetterStatus.DEAD,
                        failed_at=self._clock.now(),
                    )
                )
                await uow.commit()
        metrics.events_dead_lettered.labels(handler=sub.name).inc()
        log.error("event_dead_lettered", handler=sub.name, event_id=envelope.id, attempts=attempts)


_OUTAGE = re.compile(
    r"database is locked|connect|connection|not currently accepting|terminating|shutting down"
    r"|server closed|timeout|timed out|too many clients|starting up",
    re.IGNORECASE,
)


def is_database_unavailable(exc: BaseException) -> bool:
    """A lost or refused database connection, or SQLite's lock wait running out; not a
    handler's own bad SQL ("no such column" is an OperationalError too)."""
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated or isinstance(exc, InterfaceError):
            return True
        return isinstance(exc, OperationalError) and bool(_OUTAGE.search(str(exc.orig)))
    return isinstance(exc, ConnectionRefusedError | ConnectionResetError)


async def _claim_inbox(
    uow: UnitOfWork, event_ids: list[str], handler: str, clock: Clock
) -> set[str]:
    """Insert the inbox rows in one statement; returns the ids this handler had not handled.

    On PostgreSQL a concurrent claim of the same row waits for the first transaction and
    then finds the row, so two workers never both handle one event. One event (what most
    deliveries carry) is claimed by a prepared statement.
    """
    now = clock.now()
    if len(event_ids) == 1:
        driver = await uow.driver()
        claim = _CLAIM_ONE[driver.dialect.name]
        rows = await claim.all(uow, event_id=event_ids[0], handler=handler, handled_at=now)
        return {row.event_id for row in rows}
    insert = upsert_insert(uow.session)
    statement = (
        insert(_INBOX)
        .values([{"event_id": i, "handler": handler, "handled_at": now} for i in event_ids])
        .on_conflict_do_nothing()
        .returning(_INBOX.c.event_id)
    )
    return set((await uow.session.execute(statement)).scalars())


_INBOX = cast(Table, InboxRecord.__table__)
_CLAIM_ONE = {
    dialect: Prepared(
        insert(_INBOX)
        .values(
            event_id=bindparam("event_id"),
            handler=bindparam("handler"),
            handled_at=bindparam("handled_at"),
        )
        .on_conflict_do_nothing()
        .returning(_INBOX.c.event_id)
    )
    for dialect, insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}
