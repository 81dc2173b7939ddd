"""A store for the memory part's tests: a kernel with every agent on a real database, a clock
the test moves, and an HTTP client on an app that also serves the memory part's routes
under /v1/intelligence (mounted here until the intelligence agent's router includes them)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from mercato.agents.intelligence.memory.api import router
from mercato.app import create_app
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.route_table import mount
from tests.support.contract import record_statuses

EXAMPLES = hypothesis_settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
START = datetime(2026, 12, 6, 12, tzinfo=UTC)
PREFERENCES = "/v1/intelligence/preferences"


@dataclass
class Store:
    kernel: Kernel
    client: httpx.AsyncClient
    clock: ManualClock


@asynccontextmanager
async def memory_store(settings: Settings) -> AsyncIterator[Store]:
    clock = ManualClock(START)
    kernel = Kernel.build(settings, clock=clock)
    try:
        await kernel.prepare()
        app = create_app(kernel=kernel)
        if not any(path == PREFERENCES for path, _ in app.state.routes.routes):
            mount(app, router, prefix="/v1/intelligence")
        transport = httpx.ASGITransport(app=record_statuses(app), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://mercato.test") as client:
            with bind(tenant_id=settings.default_tenant):
                yield Store(kernel, client, clock)
    finally:
        await kernel.stop()
