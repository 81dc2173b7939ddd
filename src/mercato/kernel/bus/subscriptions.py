"""How an agent says which events it handles.

    @on(OrderPlaced)
    async def reserve_stock(event: OrderPlaced, ctx: HandlerContext) -> None:
        await inventory.reserve(uow=ctx.uow, ...)

The handler's writes and its inbox record commit together in `ctx.uow`; the dispatcher
commits, so a handler never does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from mercato.kernel.db import UnitOfWork
from mercato.kernel.events import Envelope, Event


@dataclass(frozen=True)
class HandlerContext:
    envelope: Envelope
    uow: UnitOfWork
    attempt: int


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
