"""`WS /v1/me/notifications/ws`: a signed-in customer's in-app notifications as they arrive
(`{"type": "notification", id, kind, title, body, data}`), after `{"type": "hello",
"unread": n}`. Credentials as for every socket (kernel/sockets.py)."""

from __future__ import annotations

import asyncio
import contextlib

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from mercato.agents.notifications import inbox
from mercato.agents.notifications.inbox_feed import LiveInboxes
from mercato.kernel import context
from mercato.kernel.sockets import CLOSE_UNAUTHORIZED, caller_of

router = APIRouter(tags=["notifications"])


@router.websocket("/me/notifications/ws")
async def live_inbox(socket: WebSocket) -> None:
    caller = await caller_of(socket)
    if caller is None:
        return
    kernel, store, principal = caller.kernel, caller.store, caller.principal
    with context.bind(tenant_id=store):
        if principal is None or principal.kind != "user" or not principal.can("me:read"):
            await socket.close(code=CLOSE_UNAUTHORIZED, reason="sign in")
            return
        async with kernel.uow(writes=False) as uow:
            page = await inbox.inbox(
                uow, user_id=principal.id, unread_only=True, cursor=None, limit=1
            )
    await socket.accept()
    live = kernel.deps(LiveInboxes)
    queue = live.join(store, principal.id)
    try:
        await socket.send_json({"type": "hello", "unread": page.unread})
        await _pass_on(socket, queue)
    except WebSocketDisconnect:
        pass
    finally:
        live.leave(store, principal.id, queue)


async def _pass_on(socket: WebSocket, queue: asyncio.Queue[dict[str, object]]) -> None:
    while True:
        receiving = asyncio.ensure_future(socket.receive_json())
        waiting = asyncio.ensure_future(queue.get())
        done, _ = await asyncio.wait([receiving, waiting], return_when=asyncio.FIRST_COMPLETED)
        if waiting in done:
            message = waiting.result()
            await socket.send_json(
                {
                    "type": "notification",
                    **{k: v for k, v in message.items() if k not in ("tenant_id", "user_id")},
                }
            )
        else:
            waiting.cancel()
        if receiving in done:
            data = receiving.result()
            if isinstance(data, dict) and data.get("type") == "ping":
                await socket.send_json({"type": "pong"})
        else:
            receiving.cancel()
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                await receiving
