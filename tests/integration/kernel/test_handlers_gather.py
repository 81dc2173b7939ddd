"""A handler that keeps a read model gathers its work over the run of events it is handed
in one transaction: the work runs once per store, before the run commits."""

from __future__ import annotations

from typing import Any

from mercato.kernel import context
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.dispatcher import Outcome
from mercato.kernel.bus.subscriptions import HandlerContext, Subscription
from mercato.kernel.clock import SystemClock
from mercato.kernel.db import UnitOfWork
from mercato.kernel.events import Envelope
from tests.support.example_agent import NoteWritten

done: list[tuple[str | None, list[str]]] = []
fail_when_more_than: list[int] = []


async def _work(uow: UnitOfWork, items: list[Any]) -> None:
    if fail_when_more_than and len(items) > fail_when_more_than[0]:
        raise RuntimeError("this work fails on a run")
    done.append((context.current_tenant(), list(items)))


async def copy_notes(event: NoteWritten, ctx: HandlerContext) -> None:
    ctx.gather("notes", event.note_id, _work)


SUB = Subscription("example", "note.written", copy_notes)


def _envelopes(*stores_and_notes: tuple[str, str]) -> list[Envelope]:
    return [
        Envelope.wrap(
            NoteWritten(note_id=note, text="x"),
            aggregate_id=note,
            tenant_id=store,
            clock=SystemClock(),
        )
        for store, note in stores_and_notes
    ]


async def test_a_run_does_the_gathered_work_once_per_store(kernel: Kernel) -> None:
    done.clear()
    fail_when_more_than.clear()
    # given a run of four events of two stores, one note named twice
    run = _envelopes(("t1", "n1"), ("t2", "n9"), ("t1", "n2"), ("t1", "n1"))
    # when the run is dispatched
    outcomes = await kernel.dispatcher.dispatch_batch(run, SUB)
    # then each event was handled, and the work ran once per store, in that store, with
    # each item once in the order first noted
    assert outcomes == [Outcome.HANDLED] * 4
    assert sorted(done) == [("t1", ["n1", "n2"]), ("t2", ["n9"])]


async def test_a_run_whose_work_fails_is_handled_event_by_event(kernel: Kernel) -> None:
    done.clear()
    fail_when_more_than[:] = [1]
    # given gathered work that fails for more than one item
    run = _envelopes(("t1", "n1"), ("t1", "n2"))
    # when the run is dispatched
    outcomes = await kernel.dispatcher.dispatch_batch(run, SUB)
    # then nothing of the run was kept, and each event was handled on its own
    assert outcomes == [Outcome.HANDLED] * 2
    assert done == [("t1", ["n1"]), ("t1", ["n2"])]
    fail_when_more_than.clear()
