"""In-app messages to the sockets open on this process: the sender publishes each one on the
broadcast topic `notifications.in_app` once it is in the inbox, and the process holding the
customer's socket (`WS /v1/me/notifications/ws`) passes it on. Best effort: the inbox has it
either way."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from mercato.agents.notifications.providers.base import Outgoing
from mercato.kernel.broadcast import Broadcast

TOPIC = "notifications.in_app"


async def announce(broadcast: Broadcast, tenant_id: str, message: Outgoing) -> None:
    user = message.to.removeprefix("user:")
    await broadcast.publish(
        TOPIC,
        {
            "tenant_id": tenant_id,
            "user_id": user,
            "id": message.reference,
            "kind": message.data.get("kind", ""),
            "title": message.subject,
            "body": message.text,
            "data": message.data,
            "created_at": datetime.now(UTC).isoformat(),
        },
    )


class LiveInboxes:
    """The customers' sockets open on this process, by store and account."""

    def __init__(self) -> None:
        self._queues: dict[tuple[str, str], set[asyncio.Queue[dict[str, Any]]]] = defaultdict(set)

    def join(self, tenant_id: str, user_id: str) -> asyncio.Queue[dict[str, Any]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=100)
        self._queues[(tenant_id, user_id)].add(queue)
        return queue

    def leave(self, tenant_id: str, user_id: str, queue: asyncio.Queue[dict[str, Any]]) -> None:
        queues = self._queues.get((tenant_id, user_id))
        if queues is not None:
            queues.discard(queue)
            if not queues:
                del self._queues[(tenant_id, user_id)]

    def deliver(self, message: dict[str, Any]) -> None:
        key = (str(message.get("tenant_id")), str(message.get("user_id")))
        for queue in list(self._queues.get(key, ())):
            if not queue.full():
                queue.put_nowait(message)
