"""The governance routes (mounted under /v1/intelligence): token usage and budgets, alerts,
retention. Usage and budgets need `intelligence:read` (staff with `intelligence:manage` see
the whole store's usage, others their own); setting budgets, alerts and retention need
`intelligence:manage`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Path, Query

from mercato.agents.intelligence.access import MANAGE, READ
from mercato.agents.intelligence.governance import alerts, budget, storage, usage, views
from mercato.agents.intelligence.governance.config import config_of
from mercato.agents.intelligence.governance.ledger import month_of
from mercato.agents.intelligence.governance.problems import (
    AlertNotFound,
    InvalidBudget,
    InvalidPeriod,
)
from mercato.agents.intelligence.governance.schemas import (
    AcknowledgeIn,
    AlertOut,
    AlertPage,
    BudgetIn,
    BudgetOut,
    KindStorageOut,
    PolicyOut,
    RetentionOut,
    UsageOut,
    UserBudgetOut,
)
from mercato.kernel import context
from mercato.kernel.auth import Principal, require
from mercato.kernel.db import UnitOfWork
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep

router = APIRouter(tags=["intelligence"])

Reader = Annotated[Principal, Depends(require(READ))]
Manager = Annotated[Principal, Depends(require(MANAGE))]
Id = Annotated[str, Path(min_length=1, max_length=36)]
Limit = Annotated[int, Query(ge=1, le=200)]
Cursor = Annotated[str | None, Query(max_length=600)]
LONGEST = timedelta(days=400)
"""The longest period a usage report covers."""


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@router.get("/usage", response_model=UsageOut, responses=problems(InvalidPeriod))
async def get_usage(
    kernel: KernelDep,
    principal: Reader,
    start: Annotated[datetime | None, Query(description="At or after; default: this month")] = None,
    end: Annotated[datetime | None, Query(description="Before; default: next month")] = None,
) -> UsageOut:
    """LLM tokens used in the period, by user, purpose, model and day (each breakdown sums
    to the total), with the caller's and the store's budget status this month."""
    now = kernel.clock.now()
    month_start, month_end = month_of(now)
    start, end = _utc(start or month_start), _utc(end or month_end)
    if start >= end or end - start > LONGEST:
        raise InvalidPeriod(f"start must be before end, at most {LONGEST.days} days apart")
    staff = principal.can(MANAGE)
    async with kernel.uow(writes=False) as uow:
        report = await usage.breakdown(
            uow, start=start, end=end, user_id=None if staff else principal.id
        )
        found = await budget.statuses(uow, user_id=principal.id, now=now)
    return UsageOut(
        start=start, end=end, whose="store" if staff else "caller",
        total=views.share_out(report.total),
        by_user=[views.share_out(s) for s in report.by_user],
        by_purpose=[views.share_out(s) for s in report.by_purpose],
        by_model=[views.share_out(s) for s in report.by_model],
        by_day=[views.share_out(s) for s in report.by_day],
        budget=views.statuses_out(found),
    )  # fmt: skip


async def _budget_out(uow: UnitOfWork, *, user_id: str, now: datetime) -> BudgetOut:
    defaults = config_of(uow).budget
    rows = await budget.budgets(uow)
    store = next((b for b in rows if b.scope == "store"), None)
    every = next((b for b in rows if b.subject == budget.EVERY_USER), None)
    return BudgetOut(
        store_monthly_tokens=store.monthly_tokens if store else defaults.store_monthly_tokens,
        store_is_default=store is None,
        user_monthly_tokens=every.monthly_tokens if every else defaults.user_monthly_tokens,
        users=[
            UserBudgetOut(
                user_id=b.user_id, monthly_tokens=b.monthly_tokens, updated_by=b.updated_by,
                updated_at=b.updated_at,
            )
            for b in rows
            if b.scope == "user"
        ],
        warn_percent=defaults.warn_percent,
        status=views.statuses_out(await budget.statuses(uow, user_id=user_id, now=now)),
    )  # fmt: skip


@router.get("/budget", response_model=BudgetOut)
async def get_budget(kernel: KernelDep, principal: Reader) -> BudgetOut:
    """The store's monthly token budget, the users' budgets, and where the caller stands."""
    async with kernel.uow(writes=False) as uow:
        return await _budget_out(uow, user_id=principal.id, now=kernel.clock.now())


@router.put("/budget", response_model=BudgetOut, responses=problems(InvalidBudget))
async def put_budget(
    body: Annotated[BudgetIn, Body()], kernel: KernelDep, principal: Manager
) -> BudgetOut:
    """Set the store's monthly budget, one user's (`user_id`), or every user's (no
    `user_id`); a user budget of null is removed. A budget already 80 % used raises its
    warning at once."""
    async with kernel.uow() as uow:
        now = kernel.clock.now()
        await budget.set_budget(
            uow, scope=body.scope, user_id=body.user_id, monthly_tokens=body.monthly_tokens,
            by=principal.id, now=now,
        )  # fmt: skip
        answer = await _budget_out(uow, user_id=principal.id, now=now)
        await uow.commit()
    return answer


@router.get("/alerts", response_model=AlertPage, responses=problems(InvalidCursor))
async def get_alerts(
    kernel: KernelDep,
    _: Manager,
    status: Annotated[Literal["open", "acknowledged", "all"], Query()] = "open",
    limit: Limit = 50,
    cursor: Cursor = None,
) -> AlertPage:
    """The store's alerts, newest first, with their diagnostics."""
    async with kernel.uow(writes=False) as uow:
        rows, next_cursor = await alerts.list_alerts(uow, status=status, limit=limit, cursor=cursor)
        return AlertPage(items=[views.alert_out(a) for a in rows], next_cursor=next_cursor)


@router.post(
    "/alerts/{alert_id}/acknowledge",
    response_model=AlertOut,
    responses=problems(AlertNotFound),
)
async def acknowledge_alert(
    alert_id: Id,
    kernel: KernelDep,
    principal: Manager,
    body: Annotated[AcknowledgeIn, Body(default_factory=AcknowledgeIn)],
) -> AlertOut:
    """Acknowledge an alert: who and when are recorded; acknowledging it again keeps the
    first. A later occurrence raises a new alert."""
    async with kernel.uow() as uow:
        row = await alerts.acknowledge(
            uow, alert_id=alert_id, user_id=principal.id, note=body.note,
            now=kernel.clock.now(),
        )  # fmt: skip
        answer = views.alert_out(row)
        await uow.commit()
    return answer


@router.get("/retention", response_model=RetentionOut)
async def get_retention(kernel: KernelDep, _: Manager) -> RetentionOut:
    """How long each kind of data is kept, and how much the store holds of each."""
    async with kernel.uow(writes=False) as uow:
        config = config_of(uow)
        report = await storage.storage(uow)
    policy = config.retention
    return RetentionOut(
        policy=PolicyOut(
            raw_days=policy.raw_days, processed_days=policy.processed_days,
            reports_days=policy.reports_days,
        ),
        storage=[
            KindStorageOut(
                kind=k.kind,
                rows=k.rows, approx_bytes=k.approx_bytes,
                threshold_rows=storage.threshold_of(k.kind, config.storage),
            )
            for k in report.kinds
        ],
        archive_location=f"archive/{context.current_tenant()}",
    )  # fmt: skip
