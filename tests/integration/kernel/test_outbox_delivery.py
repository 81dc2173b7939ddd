"""The outbox: a change and its events commit together, and the relay delivers them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.context import bind
from tests.conftest import eventually
from tests.support.example_agent import (
    Effect,
    NoteArchived,
    NoteCopy,
    NoteWritten,
    effects,
    note_count,
    write_note,
)


async def outbox_rows(kernel: Kernel) -> list[OutboxRecord]:
    async with kernel.uow(writes=False) as uow:
        return list(await uow.session.scalars(select(OutboxRecord).order_by(OutboxRecord.seq)))


async def test_a_committed_change_is_delivered_to_every_handler(bus_kernel: Kernel) -> None:
    # given a running bus
    await bus_kernel.start()
    # when a note is written and committed
    with bind(tenant_id="shop-a", correlation_id="corr-1"):
        async with bus_kernel.uow() as uow:
            note = await write_note(uow=uow, text="hello")
            await uow.commit()

    # then both handlers see the event once, and it is marked published
    async def both_handled() -> bool:
        with bind(tenant_id="shop-a"):
            async with bus_kernel.uow(writes=False) as uow:
                return len(await effects(uow)) == 2

    await eventually(both_handled)
    rows = await outbox_rows(bus_kernel)
    assert [(r.type, r.aggregate_id, r.tenant_id, r.correlation_id) for r in rows] == [
        ("note.written", note.id, "shop-a", "corr-1")
    ]
    await eventually(lambda: _published(bus_kernel))


async def _published(kernel: Kernel) -> bool:
    return all(r.published_at is not None for r in await outbox_rows(kernel))


async def test_a_rolled_back_change_publishes_nothing(kernel: Kernel) -> None:
    # given a running bus
    await kernel.start()
    # when a unit of work writes a note and an event, then fails before commit
    with bind(tenant_id="shop-a"), pytest.raises(RuntimeError):
        async with kernel.uow() as uow:
            await write_note(uow=uow, text="never")
            raise RuntimeError("the command failed")
    # then neither the note nor its event exists, and no handler ran
    with bind(tenant_id="shop-a"):
        async with kernel.uow(writes=False) as uow:
            assert await note_count(uow) == 0
            assert await effects(uow) == []
    assert await outbox_rows(kernel) == []


async def test_a_savepoint_that_fails_takes_back_its_writes_and_events_only(
    kernel: Kernel,
) -> None:
    # given a unit of work that wrote a note and its event
    with bind(tenant_id="shop-a"):
        async with kernel.uow() as uow:
            kept = await write_note(uow=uow, text="kept")
            # when a part of it writes another, publishes, and fails inside a savepoint
            with pytest.raises(RuntimeError):
                async with uow.savepoint():
                    await write_note(uow=uow, text="undone")
                    await uow.session.flush()
                    raise RuntimeError("refused part-way")
            await uow.commit()
    # then the first note and its event commit; nothing of the failed part does
    with bind(tenant_id="shop-a"):
        async with kernel.uow(writes=False) as uow:
            assert await note_count(uow) == 1
    assert [r.aggregate_id for r in await outbox_rows(kernel)] == [kept.id]


async def test_the_envelope_records_causation_when_a_handler_publishes(kernel: Kernel) -> None:
    # given an event written in a request with a correlation id
    with bind(tenant_id="shop-a", correlation_id="req-42"):
        async with kernel.uow() as uow:
            await write_note(uow=uow, text="first")
            await uow.commit()
    first = (await outbox_rows(kernel))[0]
    # when a follow-up event is published while that event is being handled
    with bind(tenant_id="shop-a", correlation_id=first.correlation_id, causation_id=first.id):
        async with kernel.uow() as uow:
            await write_note(uow=uow, text="follow-up")
            await uow.commit()
    # then the follow-up carries the same correlation id and names its cause
    second = (await outbox_rows(kernel))[1]
    assert (second.correlation_id, second.causation_id) == ("req-42", first.id)
    assert first.seq < second.seq and first.id < second.id  # time-ordered ids


async def test_events_of_one_aggregate_are_handled_in_the_order_written(bus_kernel: Kernel) -> None:
    # given three aggregates, each with a sequence of events
    await bus_kernel.start()
    with bind(tenant_id="shop-a"):
        for position in range(20):
            async with bus_kernel.uow() as uow:
                for aggregate in ("a", "b", "c"):
                    await write_note(
                        uow=uow, text="x", note_id=f"{aggregate}-{position}", position=position
                    )
                    uow._pending[-1] = uow._pending[-1].model_copy(
                        update={"aggregate_id": aggregate}
                    )
                await uow.commit()

    # then every handler saw each aggregate's events in order
    async def all_handled() -> bool:
        with bind(tenant_id="shop-a"):
            async with bus_kernel.uow(writes=False) as uow:
                return len(await effects(uow)) == 120

    await eventually(all_handled)
    with bind(tenant_id="shop-a"):
        async with bus_kernel.uow(writes=False) as uow:
            rows = await effects(uow)
    for handler in ("count_note", "audit_note"):
        for aggregate in ("a", "b", "c"):
            seen = [
                r.position for r in rows if r.handler == handler and r.aggregate_id == aggregate
            ]
            assert seen == list(range(20))


async def test_the_relay_leaves_nothing_behind_in_the_outbox(bus_kernel: Kernel) -> None:
    # given many events written before the relay starts
    with bind(tenant_id="shop-a"):
        for _ in range(50):
            async with bus_kernel.uow() as uow:
                await write_note(uow=uow, text="queued")
                await uow.commit()
    assert await bus_kernel.relay.pending() == 50
    # when the bus starts, then all are relayed and handled
    await bus_kernel.start()
    await eventually(lambda: _zero_pending(bus_kernel))

    async def handled() -> bool:
        with bind(tenant_id="shop-a"):
            async with bus_kernel.uow(writes=False) as uow:
                return len(await effects(uow)) == 100

    await eventually(handled)
    async with bus_kernel.uow(writes=False) as uow:
        total = await uow.session.scalar(select(func.count()).select_from(OutboxRecord))
    assert total == 50


async def _zero_pending(kernel: Kernel) -> bool:
    return await kernel.relay.pending() == 0


async def test_a_handler_writing_a_store_row_gets_the_events_store(bus_kernel: Kernel) -> None:
    # given events of two stores, handled together
    await bus_kernel.start()
    for tenant in ("shop-a", "shop-b", "shop-a"):
        with bind(tenant_id=tenant):
            async with bus_kernel.uow() as uow:
                await write_note(uow=uow, text=tenant)
                await uow.commit()

    # then each copy a handler wrote belongs to its event's store
    async def copies(tenant: str) -> list[str]:
        with bind(tenant_id=tenant):
            async with bus_kernel.uow(writes=False) as uow:
                return list(await uow.session.scalars(select(NoteCopy.text)))

    async def all_copied() -> bool:
        return len(await copies("shop-a")) == 2 and len(await copies("shop-b")) == 1

    await eventually(all_copied)
    assert set(await copies("shop-a")) == {"shop-a"} and await copies("shop-b") == ["shop-b"]


async def test_an_agents_events_stay_in_order_across_event_types(bus_kernel: Kernel) -> None:
    # given one aggregate's events of two types, interleaved, written in one transaction
    await bus_kernel.start()
    with bind(tenant_id="shop-a"):
        async with bus_kernel.uow() as uow:
            for position, kind in enumerate(["written", "archived", "written", "archived"]):
                event = (
                    NoteWritten(note_id="n", text="x", position=position)
                    if kind == "written"
                    else NoteArchived(note_id="n", position=position)
                )
                uow.publish(event, aggregate_id="the-note")
            await uow.commit()

    # then the agent handled them in the order written, whichever handler took each
    async def in_commit_order() -> list[int]:
        async with bus_kernel.uow(writes=False) as uow:
            rows = await uow.session.scalars(
                select(Effect)
                .where(Effect.handler.in_(["count_note", "archive_note"]))
                .order_by(Effect.seq)
            )
            return [r.position for r in rows]

    async def all_handled() -> bool:
        return len(await in_commit_order()) == 4

    await eventually(all_handled)
    assert await in_commit_order() == [0, 1, 2, 3]
