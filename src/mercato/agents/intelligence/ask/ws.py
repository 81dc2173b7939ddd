"""`WS /v1/intelligence/ws/{query_id}`: a question's progress as it runs. The server sends
`{"type": "status"}` with the question's state first, then `{"type": "planned"}` (its agents),
`{"type": "agent", "agent", "status", "ms"}` as each agent starts and ends, and finally
`{"type": "report", "report"}` (or `{"type": "failed", "error"}`), then closes. A client that
connects late gets the state so far, or the report at once.

Credentials as for every socket (kernel/sockets.py): `token` or the first message's; a
question that is not the caller's (or staff's) closes with 4404."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from mercato.agents.intelligence.access import READ
from mercato.agents.intelligence.ask import reports
from mercato.agents.intelligence.ask.api import query_out
from mercato.agents.intelligence.ask.live import LiveQueries
from mercato.agents.intelligence.ask.statuses import FINISHED
from mercato.kernel import context
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.errors import Problem
from mercato.kernel.sockets import CLOSE_FORBIDDEN, CLOSE_UNAUTHORIZED, caller_of

router = APIRouter(tags=["intelligence"])
CLOSE_NOT_FOUND = 4404
POLL_SECONDS = 1.0
"""Without a broadcast message for this long, the question's row is read again."""


@router.websocket("/ws/{query_id}")
async def watch(socket: WebSocket, query_id: str) -> None:
    caller = await caller_of(socket)
    if caller is None:
        return
    kernel, store, principal = caller.kernel, caller.store, caller.principal
    with context.bind(tenant_id=store):
        if principal is None:
            await socket.close(code=CLOSE_UNAUTHORIZED, reason="unauthorized")
            return
        if not principal.can(READ):
            await socket.close(code=CLOSE_FORBIDDEN, reason="forbidden")
            return
        try:
            async with kernel.uow(writes=False) as uow:
                await reports.query_for(uow, query_id[:36], principal)
        except Problem:
            await socket.close(code=CLOSE_NOT_FOUND, reason="intel_query_not_found")
            return
        await socket.accept()
        live = kernel.deps(LiveQueries)
        queue = live.join(query_id)
        try:
            await _follow(kernel, socket, principal, query_id, queue)
        except WebSocketDisconnect:
            pass
        finally:
            live.leave(query_id, queue)
            with contextlib.suppress(Exception):
                await socket.close()


async def _state(kernel: Kernel, principal: Principal, query_id: str) -> dict[str, Any]:
    async with kernel.uow(writes=False) as uow:
        row = await reports.query_for(uow, query_id, principal)
        body = None
        if row.report_id:
            body = (await reports.report_for(uow, row.report_id, principal)).body
    return query_out(row, body).model_dump(mode="json")


async def _follow(
    kernel: Kernel,
    socket: WebSocket,
    principal: Principal,
    query_id: str,
    queue: asyncio.Queue[dict[str, Any]],
) -> None:
    state = await _state(kernel, principal, query_id)
    await socket.send_json({"type": "status", **{k: v for k, v in state.items() if k != "report"}})
    while state["status"] not in FINISHED:
        try:
            message = await asyncio.wait_for(queue.get(), POLL_SECONDS)
        except TimeoutError:
            state = await _state(kernel, principal, query_id)
            continue
        if message.get("type") == "done":
            state = await _state(kernel, principal, query_id)
            break
        await socket.send_json({k: v for k, v in message.items() if k != "query_id"})
    if state["report"] is not None:
        await socket.send_json(
            {"type": "report", "status": state["status"], "report": state["report"]}
        )
    else:
        await socket.send_json(
            {"type": "failed", "status": state["status"], "error": state["error"]}
        )
