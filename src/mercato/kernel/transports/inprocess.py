"""Embedded mode: the relay hands each batch straight to the handlers in this process.

The outbox itself is the durable queue: a batch is marked published only after every
handler has handled or dead-lettered each of its events, so a crash redelivers the batch
and the inbox skips what was already done. Agents work through a batch concurrently; each
agent takes the events in outbox order.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from mercato.kernel.bus.dispatcher import Dispatcher
from mercato.kernel.bus.subscriptions import Subscription
from mercato.kernel.events import Envelope
from mercato.kernel.transports.base import by_agent, runs

BATCH = 100
"""Events one handler takes per transaction."""


class InProcessTransport:
    name = "inprocess"

    def __init__(self, dispatcher: Dispatcher) -> None:
        self._dispatcher = dispatcher
        self._groups: dict[str, dict[str, list[Subscription]]] = {}
        self._consuming = False

    async def deliver(self, envelopes: Sequence[Envelope]) -> None:
        if not self._consuming:
            # Marking the batch published with nobody listening would lose it.
            raise RuntimeError("in-process delivery needs this process to run the handlers")
        await asyncio.gather(*(self._run_group(g, envelopes) for g in self._groups.values()))

    async def _run_group(
        self, by_type: dict[str, list[Subscription]], envelopes: Sequence[Envelope]
    ) -> None:
        """The agent's events in outbox order; a run goes to each of its handlers in one
        transaction (`runs`)."""
        for run, subs in runs(envelopes, by_type):
            for sub in subs:
                for start in range(0, len(run), BATCH):
                    await self._dispatcher.dispatch_batch(run[start : start + BATCH], sub)

    async def consume(self, subscriptions: Sequence[Subscription], stop: asyncio.Event) -> None:
        for agent, subs in by_agent(subscriptions).items():
            by_type: dict[str, list[Subscription]] = {}
            for sub in subs:
                by_type.setdefault(sub.event_type, []).append(sub)
            self._groups[agent] = by_type
        self._consuming = True
        await stop.wait()

    async def ping(self) -> None:
        return None

    async def close(self) -> None:
        return None
