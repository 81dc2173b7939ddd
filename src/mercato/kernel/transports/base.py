"""The transport interface the relay and the workers talk to."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from typing import Protocol

from mercato.kernel.bus.subscriptions import Subscription
from mercato.kernel.events import Envelope


class Transport(Protocol):
    name: str

    async def deliver(self, envelopes: Sequence[Envelope]) -> None:
        """Take a batch from the relay, in outbox order. Return only once it is durable
        (a broker acknowledged it) or, in process, handled; raise otherwise."""
        ...

    async def consume(self, subscriptions: Sequence[Subscription], stop: asyncio.Event) -> None:
        """Run these subscriptions' handlers until `stop` is set."""
        ...

    async def ping(self) -> None:
        """Raise if the broker cannot be reached."""
        ...

    async def close(self) -> None: ...


def by_agent(subscriptions: Sequence[Subscription]) -> dict[str, list[Subscription]]:
    """Each agent is one consumer group: it sees every event once, in order per aggregate."""
    groups: dict[str, list[Subscription]] = {}
    for sub in subscriptions:
        groups.setdefault(sub.agent, []).append(sub)
    return groups


def runs(
    envelopes: Sequence[Envelope], by_type: Mapping[str, Sequence[Subscription]]
) -> list[tuple[list[Envelope], list[Subscription]]]:
    """An agent's events cut into runs, each with the handlers that take it: consecutive
    events that the same handlers take (of one type, or of several types one handler takes,
    such as the catalog's stock events), leaving out events the agent does not handle.

    Handling run after run, each by every one of its handlers in one transaction, keeps an
    agent's events in outbox order, whichever handler takes them; and a handler that
    gathers its work (`HandlerContext.gather`) does it once per run."""
    cut: list[tuple[list[Envelope], list[Subscription]]] = []
    names: tuple[str, ...] = ()
    for envelope in envelopes:
        subs = by_type.get(envelope.type)
        if not subs:
            continue
        these = tuple(sub.name for sub in subs)
        if cut and these == names:
            cut[-1][0].append(envelope)
        else:
            cut.append(([envelope], list(subs)))
            names = these
    return cut
