"""Handlers: idempotent under duplicate delivery, retried with backoff, then dead-lettered."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus import dead_letters
from mercato.kernel.bus.dispatcher import Dispatcher, Outcome, is_database_unavailable
from mercato.kernel.bus.models import DeadLetter
from mercato.kernel.bus.outbox import to_envelope
from mercato.kernel.bus.replay import replay
from mercato.kernel.context import bind
from mercato.kernel.events import Envelope
from tests.conftest import eventually
from tests.integration.kernel.test_outbox_delivery import outbox_rows
from tests.support.example_agent import Behaviour, effects, write_note


async def a_written_note(kernel: Kernel) -> Envelope:
    with bind(tenant_id="shop-a"):
        async with kernel.uow() as uow:
            await write_note(uow=uow, text="hello")
            await uow.commit()
    return to_envelope((await outbox_rows(kernel))[-1])


async def effects_of(kernel: Kernel, handler: str | None = None) -> list[str]:
    with bind(tenant_id="shop-a"):
        async with kernel.uow(writes=False) as uow:
            return [e.event_id for e in await effects(uow, handler)]


async def test_a_duplicate_delivery_is_handled_once(kernel: Kernel) -> None:
    # given an event and its handler
    envelope = await a_written_note(kernel)
    sub = kernel.registry.subscription("example.count_note")
    # when the event is delivered twice
    first = await kernel.dispatcher.dispatch(envelope, sub)
    second = await kernel.dispatcher.dispatch(envelope, sub)
    # then the handler's effect exists once and the second delivery is recognised
    assert (first, second) == (Outcome.HANDLED, Outcome.DUPLICATE)
    assert await effects_of(kernel, "count_note") == [envelope.id]


async def test_concurrent_deliveries_of_one_event_are_handled_once(kernel: Kernel) -> None:
    # given an event delivered by two workers at the same moment
    envelope = await a_written_note(kernel)
    sub = kernel.registry.subscription("example.count_note")
    Behaviour.delay = 0.05
    outcomes = await asyncio.gather(*(kernel.dispatcher.dispatch(envelope, sub) for _ in range(2)))
    # then exactly one ran the handler
    assert sorted(outcomes) == [Outcome.DUPLICATE, Outcome.HANDLED]
    assert await effects_of(kernel, "count_note") == [envelope.id]


async def test_a_failing_handler_is_retried_with_growing_delays(kernel: Kernel) -> None:
    # given a handler that fails twice, then succeeds
    envelope = await a_written_note(kernel)
    delays: list[float] = []

    async def record(seconds: float) -> None:
        delays.append(seconds)

    dispatcher = Dispatcher(
        kernel.uow, kernel.clock, max_attempts=5, base_delay=0.1, max_delay=10, sleep=record
    )
    Behaviour.failures_left = 2
    # when it is dispatched
    outcome = await dispatcher.dispatch(
        envelope, kernel.registry.subscription("example.count_note")
    )
    # then it was retried twice, the second wait longer than the first's minimum, and handled once
    assert outcome == Outcome.HANDLED
    assert len(delays) == 2
    assert 0.05 <= delays[0] <= 0.1 and 0.1 <= delays[1] <= 0.2
    assert await effects_of(kernel, "count_note") == [envelope.id]


async def test_a_handler_that_keeps_failing_is_dead_lettered_and_the_line_moves_on(
    kernel: Kernel,
) -> None:
    # given a broken handler and a running bus
    Behaviour.always_fail = True
    await kernel.start()
    # when two events are published
    first = await a_written_note(kernel)
    await eventually(lambda: _dead_count(kernel, 1))
    second = await a_written_note(kernel)
    await eventually(lambda: _dead_count(kernel, 2))
    # then each went to the dead-letter store with its error, after every attempt,
    # and the other handler of the same events was unaffected
    async with kernel.uow(writes=False) as uow:
        rows = await dead_letters.list_dead(uow)
    assert [(r.event_id, r.handler, r.attempts) for r in rows] == [
        (first.id, "example.count_note", 3),
        (second.id, "example.count_note", 3),
    ]
    assert "RuntimeError: the handler is broken" in rows[0].error
    await eventually(lambda: _count_is(kernel, "audit_note", 2))
    assert await effects_of(kernel, "count_note") == []


async def test_redelivering_a_dead_letter_after_a_fix_handles_it(kernel: Kernel) -> None:
    # given a dead-lettered event
    Behaviour.always_fail = True
    await kernel.start()
    envelope = await a_written_note(kernel)
    await eventually(lambda: _dead_count(kernel, 1))
    async with kernel.uow(writes=False) as uow:
        (dead,) = await dead_letters.list_dead(uow)
    # when the handler is fixed and the dead letter redelivered
    Behaviour.always_fail = False
    outcome = await dead_letters.redeliver(
        dead.id,
        uow_factory=kernel.uow,
        dispatcher=kernel.dispatcher,
        registry=kernel.registry,
        clock=kernel.clock,
    )
    # then the handler ran once and nothing is left dead
    assert outcome == Outcome.HANDLED
    assert await effects_of(kernel, "count_note") == [envelope.id]
    async with kernel.uow(writes=False) as uow:
        assert await dead_letters.list_dead(uow) == []
        row = await uow.session.get(DeadLetter, dead.id)
    assert row is not None and row.status == "redelivered"


async def test_replay_runs_one_handler_again_over_past_events(kernel: Kernel) -> None:
    # given two events already handled by both handlers
    await kernel.start()
    one, two = await a_written_note(kernel), await a_written_note(kernel)
    await eventually(lambda: _count_is(kernel, None, 4))
    await kernel.stop()
    # when one handler is replayed from before the first event
    counts = await replay(
        uow_factory=kernel.uow,
        dispatcher=kernel.dispatcher,
        registry=kernel.registry,
        since=one.occurred_at,
        handler="example.audit_note",
    )
    # then only that handler ran again, once per event
    # (the first runs may interleave: the events are of different aggregates; the replay
    # walks the event store in the order it was written)
    assert counts[Outcome.HANDLED] == 2
    audit = await effects_of(kernel, "audit_note")
    assert sorted(audit[:2]) == sorted([one.id, two.id]) and audit[2:] == [one.id, two.id]
    assert sorted(await effects_of(kernel, "count_note")) == sorted([one.id, two.id])


async def _dead_count(kernel: Kernel, n: int) -> bool:
    async with kernel.uow(writes=False) as uow:
        rows = await uow.session.scalars(select(DeadLetter))
        return len(list(rows)) == n


async def _count_is(kernel: Kernel, handler: str | None, n: int) -> bool:
    return len(await effects_of(kernel, handler)) == n


async def test_a_dead_letter_for_an_unknown_handler_stays_dead(kernel: Kernel) -> None:
    # given a dead letter whose handler has since been renamed
    Behaviour.always_fail = True
    await kernel.start()
    await a_written_note(kernel)
    await eventually(lambda: _dead_count(kernel, 1))
    async with kernel.uow() as uow:
        (dead,) = await dead_letters.list_dead(uow)
        dead.handler = "example.renamed_handler"
        await uow.commit()
    # when it is redelivered, then it is refused and still waits in the store
    with pytest.raises(KeyError):
        await dead_letters.redeliver(
            dead.id,
            uow_factory=kernel.uow,
            dispatcher=kernel.dispatcher,
            registry=kernel.registry,
            clock=kernel.clock,
        )
    async with kernel.uow(writes=False) as uow:
        assert [d.id for d in await dead_letters.list_dead(uow)] == [dead.id]


def test_a_handlers_bad_sql_is_its_own_failure_not_a_database_outage() -> None:
    bad_sql = OperationalError("SELECT nope", {}, Exception("no such column: nope"))
    locked = OperationalError("UPDATE x", {}, Exception("database is locked"))
    refused = OperationalError("connect", {}, Exception("connection refused"))
    assert not is_database_unavailable(bad_sql)
    assert is_database_unavailable(locked) and is_database_unavailable(refused)
