"""An in-process HTTP client for a kernel's app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from mercato.app import create_app
from mercato.kernel.bootstrap import Kernel
from tests.support.contract import record_statuses


@asynccontextmanager
async def client_for(kernel: Kernel, *, start: bool = True) -> AsyncIterator[httpx.AsyncClient]:
    app = record_statuses(create_app(kernel=kernel))
    if start:
        await kernel.start()
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://mercato.test") as client:
        yield client
