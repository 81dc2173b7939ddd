"""Dashboards in real time: when a store's sales change (an order or a refund was handled),
every process hears it on the broadcast topic `analytics.changed`, and each dashboard socket
of that store on this process is told to push its KPIs again (at most once per
`analytics_kpi_interval`: the socket reads them when it pushes, so a notice coalesces every
change before it). Best effort, like the broadcast: a dashboard also gets the figures when it
connects."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

TOPIC = "analytics.changed"

replaying: ContextVar[bool] = ContextVar("analytics_replaying", default=False)
"""Set by a rebuild: old events measure no lag and wake no dashboard."""


class KpiFeed:
    def __init__(self, publish: Callable[[str, dict[str, Any]], Awaitable[None]]) -> None:
        self._publish = publish
        self._sockets: dict[str, set[asyncio.Queue[None]]] = defaultdict(set)

    def join(self, tenant_id: str) -> asyncio.Queue[None]:
        """A socket's queue of notices (one pending at most: they coalesce)."""
        queue: asyncio.Queue[None] = asyncio.Queue(maxsize=1)
        self._sockets[tenant_id].add(queue)
        return queue

    def leave(self, tenant_id: str, queue: asyncio.Queue[None]) -> None:
        queues = self._sockets.get(tenant_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._sockets[tenant_id]

    def deliver(self, message: dict[str, Any]) -> None:
        """A broadcast listener: tell this process's sockets of the store."""
        for queue in list(self._sockets.get(str(message.get("tenant_id")), ())):
            if not queue.full():
                queue.put_nowait(None)

    async def changed(self, tenant_id: str) -> None:
        await self._publish(TOPIC, {"tenant_id": tenant_id})

    @property
    def open(self) -> int:
        return sum(len(q) for q in self._sockets.values())
