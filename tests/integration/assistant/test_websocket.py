"""`WS /v1/assistant/ws` on a real server (uvicorn, in the test's loop): a typing indicator,
the reply in chunks, then the whole of it; a reconnect resumes the conversation with its
history; staff's answer to a hand-off arrives on the open socket; no credentials, no chat."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
import websockets

from tests.integration.assistant.conftest import Store
from tests.integration.identity.conftest import ADMIN
from tests.support.live_server import live_server


@pytest.fixture
async def served(clothes: Store) -> AsyncIterator[str]:
    """The store's app on a real port: its WebSocket address."""
    async with live_server(clothes.kernel) as base:
        yield f"ws://{base}/v1/assistant/ws"


async def session_token(store: Store) -> str:
    answer = await store.client.post("/v1/sessions")
    return str(answer.json()["session_token"])


async def receive_until_done(ws: Any) -> list[dict[str, Any]]:
    frames = []
    while True:
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
        frames.append(frame)
        if frame["type"] in {"done", "error"}:
            return frames


async def test_a_reply_streams_typing_then_chunks_then_done(clothes: Store, served: str) -> None:
    # given a guest on the socket
    token = await session_token(clothes)
    async with websockets.connect(f"{served}?session_token={token}") as ws:
        # when they send a message
        await ws.send(json.dumps({"type": "message", "text": "do you have merino hoodies?"}))
        frames = await receive_until_done(ws)
    # then typing comes first, the chunks make the reply, and done carries the cards
    kinds = [f["type"] for f in frames]
    assert kinds[0] == "typing" and kinds[-1] == "done" and kinds.count("chunk") >= 2
    done = frames[-1]
    assert "".join(f["text"] for f in frames if f["type"] == "chunk") == done["reply"]
    assert any(c["type"] == "product" for c in done["cards"])


async def test_a_reconnect_resumes_the_conversation(clothes: Store, served: str) -> None:
    # given a conversation started on one socket
    token = await session_token(clothes)
    async with websockets.connect(f"{served}?session_token={token}") as ws:
        await ws.send(json.dumps({"type": "message", "text": "do you have merino hoodies?"}))
        conversation_id = (await receive_until_done(ws))[-1]["conversation_id"]
    # when the shopper reconnects with its id
    async with websockets.connect(
        f"{served}?session_token={token}&conversation_id={conversation_id}"
    ) as ws:
        history = json.loads(await ws.recv())
        await ws.send(json.dumps({"type": "message", "text": "tell me more about the first one"}))
        done = (await receive_until_done(ws))[-1]
    # then its history comes first, and "the first one" still means the hoodie
    assert history["type"] == "history"
    assert [m["role"] for m in history["messages"]] == ["shopper", "assistant"]
    assert done["conversation_id"] == conversation_id and "merino wool" in done["reply"]


async def test_staffs_answer_arrives_on_the_open_socket(clothes: Store, served: str) -> None:
    # given a guest whose conversation was handed off, still on the socket
    token = await session_token(clothes)
    async with websockets.connect(f"{served}?session_token={token}") as ws:
        await ws.send(json.dumps({"type": "message", "text": "I need to speak to a human"}))
        done = (await receive_until_done(ws))[-1]
        ticket = next(a for a in done["actions"] if a["type"] == "support.ticket_opened")
        # when staff answer the ticket
        answered = await clothes.client.post(
            f"/v1/support/tickets/{ticket['ticket_id']}/messages",
            json={"body": "Hello, Sam here. How can I help?"},
            headers=ADMIN,
        )
        assert answered.status_code == 201, answered.text
        # then the answer arrives on the socket as staff's message
        frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=15))
    assert frame["type"] == "message" and frame["role"] == "staff" and "Sam here" in frame["text"]


async def test_without_credentials_the_socket_is_refused(served: str) -> None:
    # when someone connects with no session and no token, then the socket is closed at once
    with pytest.raises(websockets.exceptions.InvalidStatus):
        async with websockets.connect(served) as ws:
            await ws.recv()


async def test_an_invalid_frame_gets_an_error_and_the_socket_stays_open(
    clothes: Store, served: str
) -> None:
    token = await session_token(clothes)
    async with websockets.connect(f"{served}?session_token={token}") as ws:
        # when the client sends something that is no message, then an error frame answers
        await ws.send(json.dumps({"type": "shout"}))
        assert json.loads(await ws.recv())["code"] == "invalid_message"
        await ws.send(json.dumps({"type": "message", "text": ""}))
        assert json.loads(await ws.recv())["code"] == "invalid_message"
        # and the socket still answers
        await ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await ws.recv()) == {"type": "pong"}
