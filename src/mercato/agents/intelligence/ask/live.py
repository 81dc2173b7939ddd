"""Questions being watched on this process's WebSockets, and their progress: published on
the broadcast topic `intelligence.progress` by whichever process runs the question, handed
here to the sockets of that question. Best effort: a socket also reads the question's row
when nothing arrives for a while."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

import structlog

TOPIC = "intelligence.progress"
log = structlog.get_logger("mercato.intelligence.ask")


class LiveQueries:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    def join(self, query_id: str) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=200)
        self._queues[query_id].add(queue)
        return queue

    def leave(self, query_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        queues = self._queues.get(query_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._queues[query_id]

    def deliver(self, message: dict[str, Any]) -> None:
        """A broadcast listener."""
        for queue in list(self._queues.get(str(message.get("query_id")), ())):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:
                log.warning("intelligence_live_queue_full", query_id=message.get("query_id"))
