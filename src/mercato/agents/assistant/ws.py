"""`WS /v1/assistant/ws`: the chat in real time. The client sends `{"type": "message", "text":
…}` (and `payment` with a checkout's yes); the server answers `{"type": "typing"}`, the reply
in `{"type": "chunk", "text": …}` pieces, then `{"type": "done", …}` with the whole reply,
its actions, cards and quick replies. Staff's answers to a handed-off conversation arrive as
`{"type": "message", "role": "staff", …}` whenever they are written.

Credentials as for every socket (kernel/sockets.py): `token`, `session_token`, `tenant`.
`conversation_id` resumes a conversation: its last messages come first
(`{"type": "history"}`), so a reconnecting client carries on where it was."""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError

from mercato.agents.assistant import service
from mercato.agents.assistant.api import reply_out
from mercato.agents.assistant.live import LiveConversations
from mercato.agents.assistant.problems import SessionRequired
from mercato.agents.assistant.schemas import MessageIn
from mercato.kernel import context
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.errors import Problem
from mercato.kernel.sockets import CLOSE_UNAUTHORIZED, caller_of

router = APIRouter(tags=["assistant"])
CHUNK_WORDS = 4


def chunks(text: str, words: int = CHUNK_WORDS) -> list[str]:
    """The reply in pieces of a few words, each with the space that follows it."""
    parts = re.findall(r"\S+\s*", text)
    return ["".join(parts[i : i + words]) for i in range(0, len(parts), words)] or [text]


@router.websocket("/assistant/ws")
async def chat(socket: WebSocket) -> None:
    caller = await caller_of(socket)
    if caller is None:
        return
    kernel, store, principal = caller.kernel, caller.store, caller.principal
    with context.bind(tenant_id=store):
        try:
            if principal is None:
                raise SessionRequired()
            service.shopper_of(principal)
        except Problem:
            await socket.close(code=CLOSE_UNAUTHORIZED, reason="session_required")
            return
        await socket.accept()
        await Session(kernel, socket, principal).run(socket.query_params.get("conversation_id"))


class Session:
    """One socket's conversation."""

    def __init__(self, kernel: Kernel, socket: WebSocket, principal: Principal) -> None:
        self.kernel = kernel
        self.socket = socket
        self.principal = principal
        self.live = kernel.deps(LiveConversations)
        self.conversation_id: str | None = None
        self.queue: asyncio.Queue[dict[str, Any]] | None = None

    async def run(self, conversation_id: str | None) -> None:
        try:
            if conversation_id:
                await self._resume(conversation_id)
            await self._loop()
        except WebSocketDisconnect:
            pass
        finally:
            self._leave()

    async def _resume(self, conversation_id: str) -> None:
        try:
            found, said = await service.history(
                self.kernel, principal=self.principal, conversation_id=conversation_id
            )
        except Problem as problem:
            await self._error(problem)
            return
        self._follow(found)
        await self.socket.send_json(
            {
                "type": "history",
                "conversation_id": found,
                "messages": [
                    {"seq": m.seq, "role": m.role, "text": m.text, "payload": m.payload}
                    for m in said
                ],
            }
        )

    def _follow(self, conversation_id: str | None) -> None:
        if conversation_id is None or conversation_id == self.conversation_id:
            return
        self._leave()
        self.conversation_id = conversation_id
        self.queue = self.live.join(conversation_id)

    def _leave(self) -> None:
        if self.conversation_id is not None and self.queue is not None:
            self.live.leave(self.conversation_id, self.queue)
        self.queue = None

    async def _loop(self) -> None:
        while True:
            receiving = asyncio.ensure_future(self.socket.receive_json())
            waiting = asyncio.ensure_future(self.queue.get()) if self.queue is not None else None
            done, _ = await asyncio.wait(
                [f for f in (receiving, waiting) if f is not None],
                return_when=asyncio.FIRST_COMPLETED,
            )
            if waiting is not None and waiting in done:
                await self.socket.send_json({"type": "message", **waiting.result()})
            elif waiting is not None:
                waiting.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await waiting
            if receiving in done:
                await self._received(receiving.result())
            else:
                receiving.cancel()
                with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect):
                    await receiving

    async def _received(self, data: Any) -> None:
        kind = data.get("type") if isinstance(data, dict) else None
        if kind == "ping":
            await self.socket.send_json({"type": "pong"})
            return
        if kind != "message":
            await self.socket.send_json(
                {
                    "type": "error",
                    "code": "invalid_message",
                    "detail": 'send {"type": "message", "text": …}',
                }
            )
            return
        try:
            body = MessageIn.model_validate(
                {
                    "text": data.get("text"),
                    "conversation_id": data.get("conversation_id") or self.conversation_id,
                    "payment": data.get("payment"),
                }
            )
        except ValidationError as exc:
            await self.socket.send_json(
                {"type": "error", "code": "invalid_message", "detail": exc.errors()[0]["msg"]}
            )
            return
        await self.socket.send_json({"type": "typing"})
        try:
            answer = await service.converse(
                self.kernel,
                principal=self.principal,
                text=body.text,
                conversation_id=body.conversation_id,
                payment=body.payment.model_dump(exclude_none=True) if body.payment else None,
            )
        except Problem as problem:
            await self._error(problem)
            return
        self._follow(answer.conversation_id)
        for piece in chunks(answer.reply.text):
            await self.socket.send_json({"type": "chunk", "text": piece})
        await self.socket.send_json({"type": "done", **reply_out(answer).model_dump(mode="json")})

    async def _error(self, problem: Problem) -> None:
        await self.socket.send_json(
            {"type": "error", "code": problem.code, "detail": problem.detail or problem.title}
        )
