"""A whole store for the commerce agents' tests: a kernel with every installed agent
(identity, catalog, inventory, cart, …), prepared, and an HTTP client on its app.

    async with store_for(settings) as (kernel, client): ...

`start=True` (the default) runs the relay and the handlers, so read models built from events
(the catalog's availability, carts merged at sign-in) follow; `await settle(kernel)` waits
until every event written so far has been handled.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from mercato.kernel.bootstrap import Kernel
from mercato.kernel.clock import Clock
from mercato.kernel.config import Settings
from tests.conftest import eventually
from tests.support.http import client_for


@asynccontextmanager
async def store_for(
    settings: Settings, *, clock: Clock | None = None, start: bool = True
) -> AsyncIterator[tuple[Kernel, httpx.AsyncClient]]:
    kernel = Kernel.build(settings, clock=clock)
    try:
        await kernel.prepare()
        async with client_for(kernel, start=start) as client:
            yield kernel, client
    finally:
        await kernel.stop()


async def settle(kernel: Kernel, within: float = 20.0) -> None:
    """Wait until the relay has delivered every event written so far (and, in process, its
    handlers have run)."""

    async def drained() -> bool:
        return await kernel.relay.pending() == 0

    await eventually(drained, within=within, interval=0.01)
