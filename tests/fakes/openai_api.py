"""A local server speaking OpenAI's Chat Completions wire format (`POST /v1/chat/completions`,
tool calls included), driven by a `Script`, for the assistant's LLM path: the OpenAI
provider, and any OpenAI-compatible local model server, are tested against it."""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes import FakeServer
from tests.fakes.llm_script import Script

API_KEY = "sk-test-local"
USAGE = {"prompt_tokens": 120, "completion_tokens": 30, "total_tokens": 150}


class FakeOpenAI(FakeServer):
    def __init__(self, script: Script) -> None:
        super().__init__()
        self.script = script
        self._ids = itertools.count(1)
        self.bodies: list[dict[str, Any]] = []

    def build_app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/chat/completions", self._complete, methods=["POST"])])

    async def _complete(self, request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {API_KEY}":
            return JSONResponse(
                {"error": {"message": "Incorrect API key", "type": "invalid_request_error"}}, 401
            )
        body = await request.json()
        self.bodies.append(body)
        messages = body["messages"]
        answers = []
        for message in reversed(messages):
            if message["role"] != "tool":
                break
            answers.insert(0, str(message["content"]))
        if answers:
            return self._answer(
                {"role": "assistant", "content": self.script.words_after(answers)}, "stop", body
            )
        prompt = next(m for m in reversed(messages) if m["role"] == "user")
        text = (
            prompt["content"]
            if isinstance(prompt["content"], str)
            else prompt["content"][0]["text"]
        )
        calls = self.script.tools_for(text)
        if not calls:
            return self._answer(
                {"role": "assistant", "content": self.script.fallback}, "stop", body
            )
        tool_calls = [
            {
                "id": f"call_{next(self._ids)}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(args)},
            }
            for name, args in calls
        ]
        return self._answer(
            {"role": "assistant", "content": None, "tool_calls": tool_calls}, "tool_calls", body
        )

    def _answer(self, message: dict[str, Any], finish: str, body: dict[str, Any]) -> Response:
        return JSONResponse(
            {
                "id": f"chatcmpl-{next(self._ids)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "local"),
                "choices": [
                    {"index": 0, "message": message, "finish_reason": finish, "logprobs": None}
                ],
                "usage": USAGE,
            }
        )
