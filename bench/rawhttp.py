"""A lean HTTP/1.1 client for load generators: one keep-alive connection, asyncio + httptools.

httpx costs about 1 ms of CPU per request on this machine (2 ms with 20 requests in flight
on one pool), so a generator of 500 requests/s would take a whole core from the servers it
measures; this client costs about 0.1 ms. It speaks only what the benchmarks need: one
request at a time per connection, bodies sized by Content-Length or chunked (httptools
parses either), `Connection: close` honoured.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import cast

import httptools


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    server_timing: str | None

    def server_ms(self) -> float | None:
        """The server's own measure (`Server-Timing: app;dur=12.3`), if it sent one."""
        if self.server_timing and "dur=" in self.server_timing:
            return float(self.server_timing.split("dur=", 1)[1].split(";")[0].split(",")[0])
        return None


class ConnectionLostError(Exception):
    """The server closed the connection before the answer was complete."""


class Connection(asyncio.Protocol):
    """One TCP connection, one request at a time."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future[Response] | None = None
        self.chunks: list[bytes] = []
        self.timing: str | None = None
        self.closed = False
        self.idle_since = time.monotonic()

    @classmethod
    async def open(cls, host: str, port: int) -> Connection:
        loop = asyncio.get_running_loop()
        _, conn = await loop.create_connection(lambda: cls(f"{host}:{port}"), host, port)
        return conn

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(exc)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._fail(ConnectionLostError(str(exc) if exc else "closed by the server"))

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"server-timing":
            self.timing = value.decode()

    def on_body(self, body: bytes) -> None:
        self.chunks.append(body)

    def on_message_complete(self) -> None:
        if not self.parser.should_keep_alive():
            self.close()
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            status = self.parser.get_status_code()
            waiter.set_result(Response(status, b"".join(self.chunks), self.timing))
        self.idle_since = time.monotonic()

    def _fail(self, exc: Exception) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)
        self.close()

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    async def request(
        self,
        method: str,
        path: str,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
    ) -> Response:
        """The answer; under `asyncio.timeout`, a request cut short closes the connection."""
        if self.closed or self.transport is None:
            raise ConnectionLostError("the connection is closed")
        if self.waiter is not None:
            raise RuntimeError("one request at a time on a connection")
        head = [f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n"]
        for name, value in (headers or {}).items():
            head.append(f"{name}: {value}\r\n")
        if body or method in {"POST", "PUT", "PATCH"}:
            head.append(f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n")
        head.append("\r\n")
        self.chunks, self.timing = [], None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write("".join(head).encode() + body)
        try:
            return await self.waiter
        except asyncio.CancelledError:
            self.close()  # its answer may still come: the connection is not reused
            raise
