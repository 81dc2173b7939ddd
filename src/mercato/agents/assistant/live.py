"""The conversations open on this process's WebSockets, and what reaches them from outside a
turn (staff's answer to a handed-off conversation): published on the broadcast topic
`assistant.said`, so the process holding the shopper's socket delivers it, whichever
process wrote it. Best effort: the message is in the conversation's history either way."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog

TOPIC = "assistant.said"
log = structlog.get_logger("mercato.assistant")


class LiveConversations:
    def __init__(self) -> None:
        self._queues: dict[str, set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    def join(self, conversation_id: str) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=100)
        self._queues[conversation_id].add(queue)
        return queue

    def leave(self, conversation_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        queues = self._queues.get(conversation_id)
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._queues[conversation_id]

    def deliver(self, message: dict[str, Any]) -> None:
        """A broadcast listener: hand the message to this process's sockets of its conversation."""
        for queue in list(self._queues.get(str(message.get("conversation_id")), ())):
            try:
                queue.put_nowait(message)
            except asyncio.QueueFull:
                log.warning(
                    "assistant_live_queue_full", conversation_id=message.get("conversation_id")
                )

    @property
    def open(self) -> int:
        return sum(len(q) for q in self._queues.values())


@dataclass(frozen=True)
class Announcer:
    """How a handler publishes on the broadcast (the kernel's, wired by the agent's setup)."""

    publish: Callable[[str, dict[str, Any]], Awaitable[None]]
