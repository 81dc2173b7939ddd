"""A kernel's app on a real port, served by uvicorn in the test's own event loop: for what
an in-process HTTP client cannot do (WebSockets).

    async with live_server(kernel) as base:      # "127.0.0.1:PORT"
        async with websockets.connect(f"ws://{base}/v1/...") as ws: ...
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn

from mercato.app import create_app
from mercato.kernel.bootstrap import Kernel


@asynccontextmanager
async def live_server(kernel: Kernel) -> AsyncIterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(kernel=kernel), log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve(sockets=[sock]))
    deadline = time.monotonic() + 10
    while not server.started:  # uvicorn offers a flag, no event, to wait on
        if time.monotonic() > deadline or task.done():
            raise RuntimeError("the server did not start")
        await asyncio.sleep(0.01)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        sock.close()
