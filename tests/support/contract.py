"""The API's contract, policed by every test: each answer a test receives must be a status its
route lists in the OpenAPI document (`answerable_statuses`, the set the document is built
from). `client_for` installs `StatusRecorder` on every app it builds; an autouse fixture
(tests/conftest.py) fails the test that received an undeclared status."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute

from mercato.kernel.http import ASGIApp, Message, Receive, Scope, Send
from mercato.kernel.openapi import answerable_statuses

UNDECLARED: list[str] = []
"""Answers of the running test whose status their route does not declare."""


class StatusRecorder:
    """ASGI middleware that notes every answer whose status its route does not declare."""

    def __init__(self, app: ASGIApp, *, owner: FastAPI) -> None:
        self.app = app
        self.owner = owner
        self._statuses: dict[int, frozenset[int]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 0
        body = b""

        async def recording(message: Message) -> None:
            nonlocal status, body
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body" and len(body) < 4096:
                body += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, receive, recording)
        finally:
            self._check(scope, status, body)

    def _check(self, scope: Scope, status: int, body: bytes) -> None:
        route = scope.get("route")
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            return  # no route (404 route_not_found) or not in the document (/metrics)
        if scope["method"] not in route.methods or status == 0:
            return  # 405 method_not_allowed on another route's path; or no answer at all
        declared = self._statuses.get(id(route))
        if declared is None:
            declared = self._statuses[id(route)] = answerable_statuses(route)
        if status not in declared:
            template = self.owner.state.routes.template(route) or route.path
            UNDECLARED.append(
                f"{scope['method']} {template} answered {status} {_code(body)}; "
                f"it declares {sorted(declared)}: add the problem to its `responses=problems(…)`"
            )


def _code(body: bytes) -> str:
    try:
        parsed: Any = json.loads(body)
    except ValueError:
        return body[:200].decode(errors="replace")
    return str(parsed.get("code", "")) if isinstance(parsed, dict) else ""


def record_statuses(app: FastAPI) -> FastAPI:
    """Install the recorder on an app that has not served yet."""
    app.add_middleware(StatusRecorder, owner=app)
    return app
