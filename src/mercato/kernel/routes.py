"""The kernel's own HTTP surface: health, metrics, the audit log and dead letters."""

from __future__ import annotations

import asyncio
import base64
import os
import time
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest, multiprocess
from pydantic import AwareDatetime, BaseModel

import mercato
from mercato.kernel import paging
from mercato.kernel.auth import Principal, public, require
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus import dead_letters
from mercato.kernel.bus.outbox import history, to_envelope
from mercato.kernel.events import Envelope
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor

health_router = APIRouter(tags=["health"])
audit_router = APIRouter(prefix="/v1/audit", tags=["audit"])


async def get_kernel(request: Request) -> Kernel:
    """Async on purpose: FastAPI runs a plain `def` dependency in a worker thread, which on
    every request of every route cost a thread hop and, under load, dozens of threads
    contending for the GIL (ADR 21)."""
    kernel: Kernel = request.app.state.kernel
    return kernel


KernelDep = Annotated[Kernel, Depends(get_kernel)]


async def _check(name: str, probe: Any) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(probe(), timeout=2.0)
    except Exception as exc:
        return {"name": name, "status": "down", "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {
        "name": name,
        "status": "up",
        "latency_ms": round((time.perf_counter() - started) * 1000, 2),
    }


@health_router.get("/health/live", dependencies=[Depends(public(rate="unlimited"))])
async def live() -> dict[str, str]:
    """The process is up and serving."""
    return {"status": "ok"}


@health_router.get(
    "/health/ready",
    dependencies=[Depends(public(rate="unlimited"))],
    responses={503: {"description": "A component is down: not ready for traffic"}},
)
async def ready(kernel: KernelDep) -> JSONResponse:
    """The database and the broker answer: this process can take traffic."""
    checks = [
        await _check("database", kernel.db.ping),
        await _check("broker", kernel.transport.ping),
    ]
    ok = all(c["status"] == "up" for c in checks)
    return JSONResponse(
        {"status": "ready" if ok else "unavailable", "checks": checks},
        status_code=200 if ok else 503,
    )


@health_router.get(
    "/health",
    dependencies=[Depends(public(rate="unlimited"))],
    responses={503: {"description": "A component is down (the same body, `degraded`)"}},
)
async def health(kernel: KernelDep) -> JSONResponse:
    """Every component's status: database, broker, relay backlog, agents."""
    database = await _check("database", kernel.db.ping)
    broker = await _check("broker", kernel.transport.ping)
    relay: dict[str, Any] = {"name": "relay", "status": "up"}
    try:
        relay["pending_events"] = await kernel.relay.pending()
    except Exception as exc:
        relay.update(status="down", error=repr(exc)[:300])
    components = [database, broker, relay]
    ok = all(c["status"] == "up" for c in components)
    return JSONResponse(
        {
            "status": "ok" if ok else "degraded",
            "version": mercato.__version__,
            "mode": kernel.settings.mode,
            "transport": kernel.transport.name,
            "agents": sorted(kernel.registry.agents),
            "components": components,
        },
        status_code=200 if ok else 503,
    )


@health_router.get(
    "/metrics", dependencies=[Depends(public(rate="unlimited"))], include_in_schema=False
)
async def metrics_endpoint() -> Response:
    """Prometheus metrics; summed over every server process under `serve --workers N`."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


class AuditEvent(Envelope):
    seq: int


class AuditPage(BaseModel):
    items: list[AuditEvent]
    next_cursor: str | None


def _decode_cursor(cursor: str | None) -> int | None:
    """The position (an event's `seq`) a cursor names; None for the first page."""
    if not cursor:
        return None
    try:
        seq = int(base64.urlsafe_b64decode(cursor.encode()).decode().removeprefix("seq:"))
    except ValueError:
        seq = -1
    if not 0 <= seq < 2**63:
        raise InvalidCursor("the cursor is not one this API issued")
    return seq


def _cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode()


@audit_router.get("/events", response_model=AuditPage, responses=problems(InvalidCursor))
async def audit_events(
    kernel: KernelDep,
    principal: Annotated[Principal, Depends(require("audit:read"))],
    type: Annotated[list[str] | None, Query(description="Event types to include")] = None,
    aggregate_id: str | None = None,
    since: AwareDatetime | None = None,
    until: AwareDatetime | None = None,
    order: Annotated[
        Literal["asc", "desc"],
        Query(description="`asc`: oldest first (the default); `desc`: newest first"),
    ] = "asc",
    cursor: Annotated[
        str | None,
        Query(
            max_length=100,
            description="A `next_cursor`: the page after it, in the `order` asked for "
            "(a cursor is a position in the log, so either order reads on from it)",
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> AuditPage:
    """The audit log: every event of this store, oldest first (or newest first with
    `order=desc`), filtered and paged by a keyset cursor."""
    position = _decode_cursor(cursor)
    newest_first = order == "desc"
    async with kernel.uow(writes=False) as uow:
        rows = await history(
            uow.session,
            tenant_id=principal.tenant_id,
            types=type or (),
            aggregate_id=aggregate_id,
            since=since,
            until=until,
            after_seq=0 if newest_first or position is None else position,
            before_seq=position if newest_first else None,
            newest_first=newest_first,
            limit=limit + 1,
        )
    more = len(rows) > limit
    rows = rows[:limit]
    items = [AuditEvent(seq=r.seq, **to_envelope(r).model_dump()) for r in rows]
    return AuditPage(items=items, next_cursor=_cursor(rows[-1].seq) if more else None)


class DeadLetterOut(BaseModel):
    id: str
    event_id: str
    event_type: str
    handler: str
    error: str
    attempts: int
    failed_at: datetime


class DeadLettersPage(BaseModel):
    items: list[DeadLetterOut]
    next_cursor: str | None


@audit_router.get("/dead-letters", response_model=DeadLettersPage)
async def list_dead_letters(
    kernel: KernelDep,
    principal: Annotated[Principal, Depends(require("events:manage"))],
    cursor: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DeadLettersPage:
    """Events a handler gave up on, waiting for a fix and a redelivery (oldest first)."""
    after = paging.decode(cursor, datetime, str)
    async with kernel.uow(writes=False) as uow:
        rows = await dead_letters.list_dead(
            uow, tenant_id=principal.tenant_id, after=after, limit=limit + 1
        )
    page, next_cursor = paging.cut(rows, limit, lambda r: (r.failed_at, r.id))
    return DeadLettersPage(
        items=[DeadLetterOut.model_validate(r, from_attributes=True) for r in page],
        next_cursor=next_cursor,
    )


@audit_router.post("/dead-letters/{dead_letter_id}/redeliver")
async def redeliver_dead_letter(
    dead_letter_id: str,
    kernel: KernelDep,
    principal: Annotated[Principal, Depends(require("events:manage"))],
) -> dict[str, str]:
    """Run the handler on the event again; answers how it went."""
    outcome = await dead_letters.redeliver(
        dead_letter_id,
        uow_factory=kernel.uow,
        dispatcher=kernel.dispatcher,
        registry=kernel.registry,
        clock=kernel.clock,
        tenant_id=principal.tenant_id,
    )
    return {"id": dead_letter_id, "outcome": outcome.value}
