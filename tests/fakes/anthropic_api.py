"""A local server speaking Anthropic's Messages wire format (`POST /v1/messages`, `tool_use`
and `tool_result` blocks), driven by a `Script`, for the assistant's Anthropic provider. The
key is taken from `x-api-key` or, as the SDK in use sends it, `Authorization: Bearer`."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.fakes import FakeServer
from tests.fakes.llm_script import Script

API_KEY = "sk-ant-test-local"
USAGE = {"input_tokens": 140, "output_tokens": 25}


class FakeAnthropic(FakeServer):
    def __init__(self, script: Script) -> None:
        super().__init__()
        self.script = script
        self._ids = itertools.count(1)
        self.bodies: list[dict[str, Any]] = []

    def build_app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/messages", self._messages, methods=["POST"])])

    def unavailable(self) -> Response:
        return JSONResponse(
            {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}},
            status_code=529,
        )

    async def _messages(self, request: Request) -> Response:
        key = request.headers.get("x-api-key") or request.headers.get(
            "authorization", ""
        ).removeprefix("Bearer ")
        if key != API_KEY or not request.headers.get("anthropic-version"):
            return JSONResponse(
                {
                    "type": "error",
                    "error": {"type": "authentication_error", "message": "invalid x-api-key"},
                },
                status_code=401,
            )
        body = await request.json()
        self.bodies.append(body)
        last = body["messages"][-1]
        blocks = (
            last["content"]
            if isinstance(last["content"], list)
            else [{"type": "text", "text": last["content"]}]
        )
        answers = [_text_of(b.get("content")) for b in blocks if b.get("type") == "tool_result"]
        if answers:
            return self._answer(
                [{"type": "text", "text": self.script.words_after(answers)}], "end_turn", body
            )
        prompt = " ".join(b["text"] for b in blocks if b.get("type") == "text")
        calls = self.script.tools_for(prompt)
        if not calls:
            return self._answer([{"type": "text", "text": self.script.fallback}], "end_turn", body)
        uses = [
            {"type": "tool_use", "id": f"toolu_{next(self._ids):04d}", "name": name, "input": args}
            for name, args in calls
        ]
        return self._answer(uses, "tool_use", body)

    def _answer(self, content: list[dict[str, Any]], stop: str, body: dict[str, Any]) -> Response:
        message = {
            "id": f"msg_{next(self._ids):06d}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model", "claude-test"),
            "content": content,
            "stop_reason": stop,
            "stop_sequence": None,
            "usage": USAGE,
        }
        if body.get("stream"):
            return StreamingResponse(_events(message), media_type="text/event-stream")
        return JSONResponse(message)


def _events(message: dict[str, Any]) -> Iterator[str]:
    """The message as the Messages API streams it (server-sent events)."""

    def event(kind: str, data: dict[str, Any]) -> str:
        return f"event: {kind}\ndata: {json.dumps({'type': kind, **data})}\n\n"

    start = {**message, "content": [], "stop_reason": None, "usage": {**USAGE, "output_tokens": 1}}
    yield event("message_start", {"message": start})
    for index, block in enumerate(message["content"]):
        if block["type"] == "text":
            yield event(
                "content_block_start",
                {"index": index, "content_block": {"type": "text", "text": ""}},
            )
            delta = {"type": "text_delta", "text": block["text"]}
        else:
            opening = {**block, "input": {}}
            yield event("content_block_start", {"index": index, "content_block": opening})
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        yield event("content_block_delta", {"index": index, "delta": delta})
        yield event("content_block_stop", {"index": index})
    yield event(
        "message_delta",
        {
            "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
            "usage": {"output_tokens": USAGE["output_tokens"]},
        },
    )
    yield event("message_stop", {})


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(str(c.get("text", "")) for c in content if isinstance(c, dict))
    return str(content)
