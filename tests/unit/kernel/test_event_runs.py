"""How a transport cuts an agent's events into runs, each handled by its handlers in one
transaction: in outbox order, consecutive events that the same handlers take together."""

from __future__ import annotations

from typing import Any

from mercato.kernel.bus.subscriptions import HandlerContext, Subscription
from mercato.kernel.clock import SystemClock
from mercato.kernel.events import Envelope
from mercato.kernel.transports.base import runs
from tests.support.example_agent import NoteArchived, NoteWritten


async def stock(event: Any, ctx: HandlerContext) -> None: ...


async def audit(event: Any, ctx: HandlerContext) -> None: ...


def _envelope(event: Any, n: int) -> Envelope:
    return Envelope.wrap(event, aggregate_id=f"a{n}", tenant_id="t1", clock=SystemClock())


WRITTEN, ARCHIVED, OTHER = "note.written", "note.archived", "note.other"


def _events(*types: str) -> list[Envelope]:
    made = []
    for n, kind in enumerate(types):
        event = (
            NoteArchived(note_id=f"n{n}")
            if kind == ARCHIVED
            else NoteWritten(note_id=f"n{n}", text="x")
        )
        envelope = _envelope(event, n)
        made.append(envelope.model_copy(update={"type": kind}))
    return made


def test_events_one_handler_takes_form_one_run_whatever_their_types() -> None:
    # given an agent whose one handler takes both types, and events of both
    by_type = {t: [Subscription("catalog", t, stock)] for t in (WRITTEN, ARCHIVED)}
    events = _events(WRITTEN, ARCHIVED, WRITTEN)
    # when they are cut into runs
    cut = runs(events, by_type)
    # then they are one run, in order, for that handler
    assert [[e.id for e in run] for run, _ in cut] == [[e.id for e in events]]
    assert [sub.name for sub in cut[0][1]] == ["catalog.stock"]


def test_a_change_of_handlers_starts_a_new_run_and_unhandled_events_are_left_out() -> None:
    # given one type taken by two handlers and another by one of them
    by_type = {
        WRITTEN: [Subscription("catalog", WRITTEN, stock), Subscription("catalog", WRITTEN, audit)],
        ARCHIVED: [Subscription("catalog", ARCHIVED, stock)],
    }
    events = _events(WRITTEN, OTHER, WRITTEN, ARCHIVED, OTHER, ARCHIVED, WRITTEN)
    # when they are cut into runs
    cut = runs(events, by_type)
    # then the runs follow the outbox order, without the events nobody here takes
    ids = [e.id for e in events]
    assert [[e.id for e in run] for run, _ in cut] == [
        [ids[0], ids[2]],
        [ids[3], ids[5]],
        [ids[6]],
    ]
    assert [[s.name for s in subs] for _, subs in cut] == [
        ["catalog.stock", "catalog.audit"],
        ["catalog.stock"],
        ["catalog.stock", "catalog.audit"],
    ]


def test_no_handled_events_make_no_runs() -> None:
    assert runs(_events(OTHER, OTHER), {}) == []
