"""Local servers that speak outside systems' real wire protocols (architecture rule 7).

Each fake is a small ASGI app served by uvicorn on a free local port in a background thread,
so the code under test talks to it over real HTTP exactly as it would to the vendor. Fakes
have switches for the failures tests need: `down` (every call answers 503, nothing happens)
and `lose_next_answer(prefix)` (the next mutating call under `prefix` is performed, then its
answer never comes back until the server stops).

Nothing in `src/` knows about these fakes.

Beside them, fakes of Mercato's own agents for unit tests of one agent's service (the
architecture's "unit tests use fakes of the other agents' services"): `unit_of_work.py` (a
unit of work in memory) and `inventory.py` (the inventory service as orders use it). A
service takes such a dependency as a keyword with the real one as default (e.g.
`orders.lifecycle.confirm_order(…, stock=FakeInventory())`); copy that pattern.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, Self

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

Handler = Callable[[Request], Awaitable[Response]]


class FakeServer:
    """The running, the switches and the failure modes shared by every fake vendor API."""

    def __init__(self) -> None:
        self.down = False
        self._lose_prefix: str | None = None
        self._released = threading.Event()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""
        self.requests: list[tuple[str, str]] = []
        """(method, path) of every request received, in order."""

    # -- what a vendor fake provides -------------------------------------------------------

    def build_app(self) -> Starlette:
        raise NotImplementedError

    def unavailable(self) -> Response:
        """The vendor's own answer when it is down."""
        return JSONResponse({"message": "service unavailable"}, status_code=503)

    # -- switches --------------------------------------------------------------------------

    def lose_next_answer(self, prefix: str) -> None:
        """Perform the next POST whose path starts with `prefix`, then hang instead of
        answering (the answer is lost: the client times out after sending)."""
        self._lose_prefix = prefix

    # -- running ---------------------------------------------------------------------------

    @contextmanager
    def running(self) -> Iterator[Self]:
        app = self.build_app()
        app.add_middleware(_FaultMiddleware, fake=self)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("fake server did not start")
            time.sleep(0.01)
        self.url = f"http://127.0.0.1:{port}"
        try:
            yield self
        finally:
            self._released.set()
            self._server.should_exit = True
            self._thread.join(timeout=10)
            sock.close()

    async def _hang(self) -> None:
        await asyncio.to_thread(self._released.wait)

    def _should_lose(self, request: Request) -> bool:
        prefix = self._lose_prefix
        if request.method == "POST" and prefix is not None and request.url.path.startswith(prefix):
            self._lose_prefix = None
            return True
        return False


class _FaultMiddleware:
    """Applies the fake's switches around every request (pure ASGI, so a lost answer is
    really performed before the hang)."""

    def __init__(self, app: Any, fake: FakeServer) -> None:
        self.app = app
        self.fake = fake

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        self.fake.requests.append((request.method, request.url.path))
        if self.fake.down:
            await self.fake.unavailable()(scope, receive, send)
            return
        if not self.fake._should_lose(request):
            await self.app(scope, receive, send)
            return

        async def swallow(message: Any) -> None:
            return None

        await self.app(scope, receive, swallow)
        await self.fake._hang()
