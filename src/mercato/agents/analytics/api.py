"""The analytics routes: parse → service → schema. Reports need `analytics:read` (a merchant's
are read from its own lines); the store's reporting settings need `analytics:manage`.
Every report answers JSON, or CSV with `Accept: text/csv` or `?format=csv`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Response

from mercato.agents.analytics import service
from mercato.agents.analytics.access import MANAGE, READ, merchant_of
from mercato.agents.analytics.calendar import Granularity
from mercato.agents.analytics.export import filename, to_csv
from mercato.agents.analytics.schemas import ReportOut, SettingsIn, SettingsOut
from mercato.agents.analytics.service import (
    Ask,
    InvalidPeriod,
    InvalidReportQuery,
    InvalidTimeZone,
    OrderLevelReport,
    UnknownReport,
)
from mercato.kernel.auth import Principal, require
from mercato.kernel.openapi import problems
from mercato.kernel.routes import KernelDep

router = APIRouter(prefix="/analytics", tags=["analytics"])

Reader = Annotated[Principal, Depends(require(READ))]
Manager = Annotated[Principal, Depends(require(MANAGE))]
CSV = "text/csv"
_CSV_ANSWER: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The report; as CSV (a header line, then one line per row) when asked",
        "content": {CSV: {"schema": {"type": "string"}}},
    }
}


@router.get("/settings", response_model=SettingsOut)
async def get_settings(kernel: KernelDep, _: Manager) -> SettingsOut:
    """The store's reporting settings: the time zone its days are counted in."""
    async with kernel.uow(writes=False) as uow:
        return SettingsOut(time_zone=await service.time_zone(uow))


@router.put("/settings", response_model=SettingsOut, responses=problems(InvalidTimeZone))
async def put_settings(body: SettingsIn, kernel: KernelDep, _: Manager) -> SettingsOut:
    """Count the store's days in another IANA time zone: every report's days move with it
    (past ones too: the read models are dated again)."""
    async with kernel.uow() as uow:
        name = await service.set_time_zone(uow, name=body.time_zone, now=kernel.clock.now())
        await uow.commit()
    return SettingsOut(time_zone=name)


@router.get(
    "/{report}",
    response_model=ReportOut,
    responses={
        **problems(UnknownReport, OrderLevelReport, InvalidPeriod, InvalidReportQuery),
        **_CSV_ANSWER,
    },
)
async def get_report(
    kernel: KernelDep,
    principal: Reader,
    report: Annotated[
        str,
        Path(
            max_length=40,
            description="sales, orders, funnel, top-products, top-categories, inventory, "
            "customers, cohorts, carts or kpis",
        ),
    ],
    from_: Annotated[
        date | None,
        Query(alias="from", description="First day (store-local); default: 29 days before `to`"),
    ] = None,
    to: Annotated[date | None, Query(description="Last day (store-local); default: today")] = None,
    granularity: Annotated[Granularity, Query(description="The rows' time buckets")] = "day",
    group_by: Annotated[
        str | None,
        Query(max_length=20, description="sales: category, product, merchant or channel"),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=500, description="top-products, top-categories, inventory: rows")
    ] = 10,
    by: Annotated[
        Literal["revenue", "units"], Query(description="top-products, top-categories: the order")
    ] = "revenue",
    currency: Annotated[
        str | None, Query(pattern=r"^[A-Z]{3}$", description="Default: the period's main one")
    ] = None,
    format: Annotated[Literal["json", "csv"] | None, Query(description="csv: as CSV")] = None,
    accept: Annotated[str | None, Header(max_length=500)] = None,
) -> Any:
    """A report over the store's days `from`…`to` (its time zone), in one currency, cut in
    `granularity` buckets: `totals` over the period and its `rows`."""
    ask = Ask(
        start=from_, end=to, granularity=granularity, group_by=group_by, limit=limit, by=by,
        currency=currency, merchant_id=merchant_of(principal),
    )  # fmt: skip
    async with kernel.uow(writes=False) as uow:
        answer = await service.report(uow, name=report, ask=ask, now=kernel.clock.now())
    if format == "csv" or (format is None and CSV in (accept or "")):
        return Response(
            to_csv(answer),
            media_type=f"{CSV}; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename(answer)}"'},
        )
    return answer
