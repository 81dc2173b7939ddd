"""The transport interface the relay and the workers talk to."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
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


def runs_by_type(envelopes: Sequence[Envelope]) -> list[list[Envelope]]:
    """Consecutive events of one type. Handling run after run (each run by every handler of
    its type) keeps an agent's events in outbox order, whichever handler takes them."""
    runs: list[list[Envelope]] = []
    for envelope in envelopes:
        if runs and runs[-1][0].type == envelope.type:
            runs[-1].append(envelope)
        else:
            runs.append([envelope])
    return runs
