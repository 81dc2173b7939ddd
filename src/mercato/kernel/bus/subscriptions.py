"""How an agent says which events it handles.

    @on(OrderPlaced)
    async def reserve_stock(event: OrderPlaced, ctx: HandlerContext) -> None:
        await inventory.reserve(uow=ctx.uow, ...)

The handler's writes and its inbox record commit together in `ctx.uow`; the dispatcher
commits, so a handler never does.

A handler that keeps a read model of the current truth (it re-reads what changed, whatever
the event says) can gather its work instead of doing it per event: `ctx.gather(key, item,
work)` notes `item`, and the dispatcher calls `work(uow, items)` once for the run of events
it hands the handler in one transaction, before that transaction commits (per store).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from mercato.kernel.db import UnitOfWork
from mercato.kernel.events import Envelope, Event

GatheredWork = Callable[[UnitOfWork, list[Any]], Awaitable[None]]


@dataclass
class Gathered:
    """What handlers gathered over a run, per (store, key): the items in the order first
    noted, the work to do with them, and the last event that noted one (its correlation
    and causation are the work's)."""

    work: GatheredWork
    last: Envelope
    items: dict[Hashable, None] = field(default_factory=dict)


@dataclass(frozen=True)
class HandlerContext:
    envelope: Envelope
    uow: UnitOfWork
    attempt: int
    gathered: dict[tuple[str, str], Gathered] = field(default_factory=dict)
    """Shared by every call of one run (the dispatcher's)."""

    def gather(self, key: str, item: Hashable, work: GatheredWork) -> None:
        """Do `work(uow, items)` once for the run, with every item noted under `key`."""
        entry = self.gathered.setdefault(
            (self.envelope.tenant_id, key), Gathered(work, self.envelope)
        )
        entry.items[item] = None
        entry.last = self.envelope


Handler = Callable[[Any, HandlerContext], Awaitable[None]]
H = TypeVar("H", bound=Handler)


def on(*event_classes: type[Event]) -> Callable[[H], H]:
    """Mark a coroutine as the handler of these event types."""

    def mark(fn: H) -> H:
        fn.__mercato_events__ = tuple(cls.event_type for cls in event_classes)  # type: ignore[attr-defined]
        return fn

    return mark


@dataclass(frozen=True)
class Subscription:
    """One handler of one agent for one event type. `name` keys the inbox and dead letters."""

    agent: str
    event_type: str
    handler: Handler

    @property
    def name(self) -> str:
        return f"{self.agent}.{self.handler.__name__}"


def subscriptions_of(agent: str, handlers: list[Handler]) -> list[Subscription]:
    subs: list[Subscription] = []
    for fn in handlers:
        types = getattr(fn, "__mercato_events__", None)
        if not types:
            raise TypeError(f"{fn.__qualname__} is not marked with @on(EventClass)")
        subs.extend(Subscription(agent, event_type, fn) for event_type in types)
    return subs
