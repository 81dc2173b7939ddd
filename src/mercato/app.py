"""`create_app()`: the FastAPI app assembled from the kernel and the agents' routers."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import anyio
import structlog
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

import mercato
from mercato.kernel import heap, migrate
from mercato.kernel.agent import Agent
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.http import EdgeMiddleware, ProblemCORSMiddleware, install_error_handlers
from mercato.kernel.observability import configure_logging, configure_tracing
from mercato.kernel.openapi import document
from mercato.kernel.proxies import TrustedProxies
from mercato.kernel.route_table import RouteTable, mount
from mercato.kernel.routes import audit_router, health_router
from mercato.web import mount_console

log = structlog.get_logger("mercato.app")


def create_app(
    settings: Settings | None = None,
    *,
    agents: Iterable[Agent] | None = None,
    kernel: Kernel | None = None,
    background: bool = True,
    settle_heap: bool = False,
) -> FastAPI:
    """The app. `background=False` leaves the relay, consumers and sagas to the caller;
    `settle_heap` tunes the garbage collector once started (a server process's own app)."""
    settings = settings or (kernel.settings if kernel else Settings())
    configure_logging(settings)
    configure_tracing(settings)
    kernel = kernel or Kernel.build(settings, agents=agents)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.should_auto_migrate:
            await anyio.to_thread.run_sync(migrate.upgrade, settings)
        await kernel.prepare()
        if background:
            await kernel.start(relay=True, consumers=settings.consumers_enabled)
        log.info(
            "mercato_started",
            mode=settings.mode,
            transport=kernel.transport.name,
            agents=sorted(kernel.registry.agents),
        )
        if settle_heap:  # a server process's own app: what it will need, made before it serves
            await kernel.db.open_pool()
            heap.settle()
        try:
            yield
        finally:
            await kernel.stop()

    # FastAPIOffline serves Swagger UI and ReDoc from the package, not a CDN: /docs works offline.
    app = FastAPIOffline(
        title="Mercato",
        version=mercato.__version__,
        description="A multi-agent commerce platform. Every error is `application/problem+json`.",
        lifespan=lifespan,
    )
    # A path with a stray slash is a 404, not a redirect: Starlette's redirect would be
    # built from the Host header, which the caller chooses.
    app.router.redirect_slashes = False
    app.state.kernel = kernel
    app.state.routes = RouteTable()
    install_error_handlers(app)
    mount(app, health_router)
    mount(app, audit_router)
    for agent in kernel.registry.agents.values():
        if agent.router is not None:
            mount(app, agent.router, prefix="/v1")
        if agent.root_router is not None:
            mount(app, agent.root_router)
    if settings.console_enabled:
        mount_console(app, list(kernel.registry.agents.values()))
    if settings.cors_origins:
        app.add_middleware(
            ProblemCORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["ETag", "Server-Timing", "X-Request-ID", "X-Correlation-ID"],
        )
    app.add_middleware(
        EdgeMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.picture_max_bytes + 65_536,
        default_tenant=settings.default_tenant,
        trusted_proxies=TrustedProxies(settings.forwarded_allow_ips),
    )
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The schema, built once: every operation with every status it can answer."""
    if not app.openapi_schema:
        app.openapi_schema = document(app, app.state.routes.routes)
    return app.openapi_schema


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` (what `mercato serve` runs in each worker)."""
    return create_app(Settings(), settle_heap=True)
