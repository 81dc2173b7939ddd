"""Questions and reports: `POST /v1/intelligence/query` (202: queued), `GET …/queries[/{id}]`,
`GET …/reports[/{id}[.html|.pdf]]`, `GET …/queue`, and the evidence route of the sales figures
(`GET …/sales`). Asking and reading one's own need `intelligence:read`; staff (holding
`intelligence:manage`) read every question and report of the store. Progress is on
`WS /v1/intelligence/ws/{query_id}` (`ws.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from mercato.agents.intelligence.access import MANAGE, READ
from mercato.agents.intelligence.ask import asking, queue, reports, sales_view
from mercato.agents.intelligence.ask.problems import (
    InvalidSalesQuery,
    QueryNotFound,
    QueueFull,
    ReportArchived,
    ReportNotFound,
)
from mercato.agents.intelligence.ask.queue import Dispatcher
from mercato.agents.intelligence.ask.render import report_html, report_pdf
from mercato.agents.intelligence.ask.schemas import (
    CacheOut,
    QueryAccepted,
    QueryIn,
    QueryOut,
    QueryPage,
    QuerySummary,
    QueueOut,
    ReportPage,
    ReportSummary,
    SalesOut,
)
from mercato.agents.intelligence.cache.analysis_cache import AnalysisCache
from mercato.agents.intelligence.governance.problems import DeepModeRefused
from mercato.agents.intelligence.memory.problems import ConversationNotFound
from mercato.kernel import context
from mercato.kernel.auth import Principal, require
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep
from mercato.kernel.wiring import NotWiredError

if TYPE_CHECKING:
    from mercato.agents.intelligence.ask.models import IntelQuery, IntelReport

router = APIRouter(tags=["intelligence"])

Reader = Annotated[Principal, Depends(require(READ))]
Manager = Annotated[Principal, Depends(require(MANAGE))]
Id = Annotated[str, Path(max_length=36)]
Limit = Annotated[int, Query(ge=1, le=100)]
Cursor = Annotated[str | None, Query(max_length=600)]
BASE = "/v1/intelligence"


def _links(report_id: str) -> dict[str, str]:
    base = f"{BASE}/reports/{report_id}"
    return {"self": base, "html": f"{base}.html", "pdf": f"{base}.pdf"}


@router.post(
    "/query",
    status_code=202,
    response_model=QueryAccepted,
    responses=problems(DeepModeRefused, ConversationNotFound, QueueFull),
)
async def ask(body: QueryIn, kernel: KernelDep, principal: Reader) -> QueryAccepted:
    """Ask a question in plain words. It is queued at once (Quick before Deep); follow it on
    `GET /v1/intelligence/queries/{query_id}` or `WS /v1/intelligence/ws/{query_id}`."""
    accepted = await asking.accept(
        kernel, principal, question=body.question, mode=body.mode,
        conversation_id=body.conversation_id,
    )  # fmt: skip
    kernel.deps(Dispatcher).wake()
    row = accepted.query
    return QueryAccepted(
        query_id=row.id,
        status=str(row.status),
        mode=row.mode,
        conversation_id=row.conversation_id,
        queue_position=accepted.ahead + 1,
        estimated_wait_s=row.estimated_wait_s,
        links={"self": f"{BASE}/queries/{row.id}", "ws": f"{BASE}/ws/{row.id}"},
    )


def query_out(row: IntelQuery, report: dict[str, Any] | None) -> QueryOut:
    return QueryOut(
        query_id=row.id, status=str(row.status), mode=row.mode, question=row.question,
        conversation_id=row.conversation_id, agents=list(row.agents), progress=dict(row.progress),
        route=dict(row.route), error=row.error, enqueued_at=row.enqueued_at,
        started_at=row.started_at, finished_at=row.finished_at, report_id=row.report_id,
        report=report,
    )  # fmt: skip


@router.get("/queries/{query_id}", response_model=QueryOut, responses=problems(QueryNotFound))
async def get_query(query_id: Id, kernel: KernelDep, principal: Reader) -> QueryOut:
    """The question's state and, once written, its report."""
    async with kernel.uow(writes=False) as uow:
        row = await reports.query_for(uow, query_id, principal)
        body = None
        if row.report_id:
            found = await reports.report_for(uow, row.report_id, principal)
            body = found.body
    return query_out(row, body)


@router.get("/queries", response_model=QueryPage, responses=problems(InvalidCursor))
async def list_queries(
    kernel: KernelDep, principal: Reader, limit: Limit = 20, cursor: Cursor = None
) -> QueryPage:
    """Your questions (staff: the store's), the newest first."""
    async with kernel.uow(writes=False) as uow:
        rows, next_cursor = await reports.list_queries(uow, principal, limit=limit, cursor=cursor)
    return QueryPage(
        items=[
            QuerySummary(
                query_id=r.id,
                status=str(r.status),
                mode=r.mode,
                question=r.question,
                report_id=r.report_id,
                enqueued_at=r.enqueued_at,
                finished_at=r.finished_at,
            )
            for r in rows
        ],
        next_cursor=next_cursor,
    )


@router.get("/queue", response_model=QueueOut)
async def get_queue(kernel: KernelDep, _: Reader) -> QueueOut:
    """The queue's depth and the wait a question asked now would have, by mode."""
    found = await queue.state(kernel)
    return QueueOut(
        queued=found.queued,
        running=found.running,
        workers_per_process=found.workers,
        estimated_wait_s=found.estimated_wait_s,
    )


def _summary(row: IntelReport) -> ReportSummary:
    return ReportSummary(
        id=row.id, query_id=row.query_id, question=row.question, mode=row.mode,
        status=str(row.status), summary=row.summary, confidence=row.confidence,
        created_at=row.created_at, archived=row.archived_at is not None, links=_links(row.id),
    )  # fmt: skip


@router.get("/reports", response_model=ReportPage, responses=problems(InvalidCursor))
async def list_reports(
    kernel: KernelDep,
    principal: Reader,
    limit: Limit = 20,
    cursor: Cursor = None,
    status: Annotated[str | None, Query(pattern="^(complete|partial|insufficient)$")] = None,
) -> ReportPage:
    """Your reports (staff: the store's), the newest first."""
    async with kernel.uow(writes=False) as uow:
        rows, next_cursor = await reports.list_reports(
            uow, principal, limit=limit, cursor=cursor, status=status
        )
    return ReportPage(items=[_summary(r) for r in rows], next_cursor=next_cursor)


async def _body(kernel: KernelDep, report_id: str, principal: Principal) -> dict[str, Any]:
    async with kernel.uow(writes=False) as uow:
        row = await reports.report_for(uow, report_id, principal)
    if row.body is None:
        raise ReportArchived(
            f"report {report_id} was archived on {row.archived_at:%Y-%m-%d}"
            if row.archived_at
            else f"report {report_id} is archived"
        )
    return row.body


@router.get(
    "/reports/{report_id}.html",
    response_class=Response,
    responses={200: {"content": {"text/html": {}}}, **problems(ReportNotFound, ReportArchived)},
)
async def report_as_html(report_id: Id, kernel: KernelDep, principal: Reader) -> Response:
    """The report as a page to read or print, with its charts and evidence links."""
    body = await _body(kernel, report_id, principal)
    page = report_html(body, store_name=context.current_tenant() or "")
    return Response(page, media_type="text/html; charset=utf-8")


@router.get(
    "/reports/{report_id}.pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}},
        **problems(ReportNotFound, ReportArchived),
    },
)
async def report_as_pdf(report_id: Id, kernel: KernelDep, principal: Reader) -> Response:
    body = await _body(kernel, report_id, principal)
    pdf = report_pdf(body, store_name=context.current_tenant() or "")
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="report-{report_id}.pdf"'},
    )


@router.get("/reports/{report_id}", responses=problems(ReportNotFound, ReportArchived))
async def get_report(report_id: Id, kernel: KernelDep, principal: Reader) -> dict[str, Any]:
    """The report as JSON: summary, metrics, risks, actions, insights, confidence,
    uncertainty, data quality, charts' data, and the evidence every claim links to."""
    return await _body(kernel, report_id, principal)


@router.get("/sales", response_model=SalesOut, responses=problems(InvalidSalesQuery))
async def get_sales(
    kernel: KernelDep,
    principal: Reader,
    start: Annotated[str, Query(max_length=10)],
    end: Annotated[str, Query(max_length=10)],
    product_id: Annotated[list[str] | None, Query(max_length=200)] = None,
    category_id: Annotated[str | None, Query(max_length=36)] = None,
    filter: Annotated[list[str] | None, Query(max_length=10)] = None,
) -> SalesOut:
    """Units sold per day and per product over a period (at most 3 years), for the products
    named, a category's, or the store's, narrowed by option filters (`colour:blue`): the
    records behind a report's sales figures."""
    return await sales_view.sales(
        kernel, principal, start=start, end=end, product_ids=product_id or [],
        category_id=category_id, filters=filter or [],
    )  # fmt: skip


@router.get("/cache", response_model=CacheOut)
async def get_cache(kernel: KernelDep, _: Manager) -> CacheOut:
    """The analysis cache: hits, misses, refreshes, evictions, and the latest invalidations
    with the events that caused them."""
    try:
        cache = kernel.deps(AnalysisCache)
    except NotWiredError:
        return CacheOut(stats={}, recent_invalidations=[])
    return CacheOut(
        stats=dict(await cache.stats()), recent_invalidations=cache.recent_invalidations()
    )
