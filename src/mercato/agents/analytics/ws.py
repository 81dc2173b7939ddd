"""`WS /v1/analytics/ws`: the dashboard's KPIs in real time. On connecting, and whenever the
store's sales change (at most once per `analytics_kpi_interval`), the server sends
`{"type": "kpis", …}`: the `kpis` report (today and the last 30 days). The client may send
`{"type": "ping"}` (answered `{"type": "pong"}`).

Browsers cannot set headers on a WebSocket: the access token comes as the `token` query
parameter, or in the first message (`{"type": "auth", "token": …}`, within 10 s), and the
store as `tenant` (or `X-Tenant`). Staff only (`analytics:read`, not a merchant): a refused
socket is closed with 4401 (no valid credentials) or 4403 (not allowed)."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from mercato.agents.analytics import service
from mercato.agents.analytics.access import sees_whole_orders
from mercato.agents.analytics.live import KpiFeed
from mercato.kernel import context
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.sockets import (
    CLOSE_FORBIDDEN,
    CLOSE_UNAUTHORIZED,
    CLOSE_UNKNOWN_STORE,
    principal_of,
    store_of,
)

router = APIRouter(tags=["analytics"])
AUTH_WAIT = 10.0


@router.websocket("/analytics/ws")
async def dashboard(socket: WebSocket) -> None:
    kernel: Kernel = socket.app.state.kernel
    store = store_of(kernel, socket)
    if store is None:
        await socket.close(code=CLOSE_UNKNOWN_STORE, reason="unknown store")
        return
    with context.bind(tenant_id=store):  # the edge binds HTTP requests only
        token = socket.query_params.get("token")
        if token is None:
            await socket.accept()
            token = await _first_message_token(socket)
        principal = await principal_of(kernel, socket, store, token=token) if token else None
        if principal is None or not sees_whole_orders(principal):
            code = CLOSE_UNAUTHORIZED if principal is None else CLOSE_FORBIDDEN
            await socket.close(
                code=code, reason="unauthorized" if principal is None else "forbidden"
            )
            return
        if socket.client_state.name == "CONNECTING":
            await socket.accept()
        await Dashboard(kernel, socket, store).run()


async def _first_message_token(socket: WebSocket) -> str | None:
    try:
        first: Any = await asyncio.wait_for(socket.receive_json(), timeout=AUTH_WAIT)
    except (TimeoutError, ValueError, WebSocketDisconnect):
        return None
    if (
        isinstance(first, dict)
        and first.get("type") == "auth"
        and isinstance(first.get("token"), str)
    ):
        token: str = first["token"]
        return token
    return None


class Dashboard:
    """One socket: KPIs on connect, then after each change of the store's sales (throttled),
    until the client leaves."""

    def __init__(self, kernel: Kernel, socket: WebSocket, store: str) -> None:
        self.kernel = kernel
        self.socket = socket
        self.store = store
        self.feed = kernel.deps(KpiFeed)
        self.interval = kernel.settings.analytics_kpi_interval
        self._sending = asyncio.Lock()

    async def run(self) -> None:
        notices = self.feed.join(self.store)
        tasks = [asyncio.ensure_future(self._push(notices)), asyncio.ensure_future(self._read())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self.feed.leave(self.store, notices)
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                    await task

    async def _push(self, notices: asyncio.Queue[None]) -> None:
        await self._send_kpis()
        sent = time.monotonic()
        while True:
            await notices.get()
            wait = sent + self.interval - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            while not notices.empty():  # what came while waiting is in this push too
                notices.get_nowait()
            await self._send_kpis()
            sent = time.monotonic()

    async def _send_kpis(self) -> None:
        with context.bind(tenant_id=self.store):
            async with self.kernel.uow(writes=False) as uow:
                kpis = await service.report(
                    uow, name="kpis", ask=service.Ask(), now=self.kernel.clock.now()
                )
        await self._send({"type": "kpis", **kpis.model_dump(mode="json", by_alias=True)})

    async def _read(self) -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                data: Any = await self.socket.receive_json()
                if isinstance(data, dict) and data.get("type") == "ping":
                    await self._send({"type": "pong"})
                else:
                    await self._send(
                        {
                            "type": "error",
                            "code": "invalid_message",
                            "detail": 'send {"type": "ping"}',
                        }
                    )

    async def _send(self, message: dict[str, Any]) -> None:
        async with self._sending:
            await self.socket.send_json(message)
