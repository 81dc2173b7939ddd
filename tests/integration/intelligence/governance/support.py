"""A store for the governance tests: the whole store's kernel (not started), a clock the test
moves, and an HTTP client whose app serves the governance routes under /v1/intelligence
(mounted here until the intelligence agent's router includes them)."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import select

from mercato.agents.intelligence.governance.api import router
from mercato.agents.intelligence.governance.models import IntelAlert
from mercato.app import create_app
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import OutboxRecord
from mercato.kernel.clock import Clock, ManualClock
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.route_table import mount
from tests.support.contract import record_statuses

START = datetime(2026, 12, 10, 12, tzinfo=UTC)
_stores = itertools.count()


@dataclass
class Governed:
    kernel: Kernel
    client: httpx.AsyncClient
    clock: Clock

    def now(self) -> datetime:
        return self.clock.now()

    @contextmanager
    def fresh_store(self) -> Iterator[str]:
        """A store of its own, for an example that commits (its rows apart from every other
        example's)."""
        store = f"gov{next(_stores)}"
        with bind(tenant_id=store):
            yield store

    @contextmanager
    def examples_store(self) -> Iterator[str]:
        """The store of examples that never commit: each rolls its unit of work back, so
        each starts from an empty store (and, one store for all, the store's filter on
        every statement is made once, not per example)."""
        with bind(tenant_id="gov-examples"):
            yield "gov-examples"

    async def alerts(self, kind: str | None = None) -> list[IntelAlert]:
        async with self.kernel.uow(writes=False) as uow:
            query = select(IntelAlert).order_by(IntelAlert.first_at, IntelAlert.id)
            if kind is not None:
                query = query.where(IntelAlert.kind == kind)
            return list(await uow.session.scalars(query))

    async def events(self, kind: str) -> list[dict[str, Any]]:
        async with self.kernel.uow(writes=False) as uow:
            rows = await uow.session.scalars(select(OutboxRecord).where(OutboxRecord.type == kind))
            return [row.payload for row in rows]


def _serves_governance(app: Any) -> bool:
    return any(path == "/v1/intelligence/alerts" for path, _ in app.state.routes.routes)


@asynccontextmanager
async def governed(settings: Settings, clock: Clock | None = None) -> AsyncIterator[Governed]:
    """`clock`: a ManualClock at `START` unless given (the API's tests sign in, and tokens
    are checked against the system's time)."""
    clock = clock or ManualClock(START)
    kernel = Kernel.build(settings, clock=clock)
    try:
        await kernel.prepare()
        app = create_app(kernel=kernel)
        if not _serves_governance(app):
            mount(app, router, prefix="/v1/intelligence")
        record_statuses(app)
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://mercato.test") as c:
            with bind(tenant_id=settings.default_tenant):
                yield Governed(kernel, c, clock)
    finally:
        await kernel.stop()
