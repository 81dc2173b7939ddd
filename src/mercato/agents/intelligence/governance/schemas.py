"""The governance part's API contract: token usage and budgets, alerts, retention."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from mercato.kernel.schemas import RequestModel


class ShareOut(BaseModel):
    key: str
    calls: int
    input_tokens: int
    output_tokens: int
    tokens: int


class BudgetStatusOut(BaseModel):
    scope: Literal["store", "user"]
    user_id: str | None
    period: Annotated[str, Field(description="The calendar month (UTC), YYYY-MM")]
    used: int
    limit: int
    ratio: float
    warning: Annotated[bool, Field(description="At least 80 % of the budget is used")]
    exceeded: Annotated[bool, Field(description="The budget is spent: Deep mode is refused")]


class BudgetStatuses(BaseModel):
    binding: BudgetStatusOut
    """The budget that decides whether the caller may ask in Deep mode."""
    store: BudgetStatusOut
    user: BudgetStatusOut | None
    """The caller's own budget, when users have one."""


class UsageOut(BaseModel):
    start: datetime
    end: datetime
    whose: Literal["store", "caller"]
    """The store's usage (staff) or the caller's own."""
    total: ShareOut
    by_user: list[ShareOut]
    by_purpose: list[ShareOut]
    by_model: list[ShareOut]
    by_day: list[ShareOut]
    budget: BudgetStatuses


class UserBudgetOut(BaseModel):
    user_id: str | None
    """None: every user's."""
    monthly_tokens: int
    updated_by: str
    updated_at: datetime


class BudgetOut(BaseModel):
    store_monthly_tokens: int
    store_is_default: bool
    user_monthly_tokens: int | None
    """Every user's monthly budget; None: no per-user limit."""
    users: list[UserBudgetOut]
    """The per-user budgets staff set (one user's, or every user's)."""
    warn_percent: int
    status: BudgetStatuses


class BudgetIn(RequestModel):
    scope: Literal["store", "user"]
    user_id: Annotated[
        str | None,
        Field(min_length=1, max_length=64, description="scope user: one user; none: every user"),
    ] = None
    monthly_tokens: Annotated[
        int | None,
        Field(ge=0, le=10**12, description="None removes a user budget (back to the default)"),
    ]


class AlertOut(BaseModel):
    id: str
    kind: str
    severity: Literal["low", "medium", "high", "critical"]
    title: str
    key: str
    status: Literal["open", "acknowledged"]
    diagnostics: dict[str, Any]
    count: int
    first_at: datetime
    last_at: datetime
    delivered_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    note: str | None


class AlertPage(BaseModel):
    items: list[AlertOut]
    next_cursor: str | None


class AcknowledgeIn(RequestModel):
    note: Annotated[str | None, Field(max_length=1000)] = None


class PolicyOut(BaseModel):
    raw_days: int
    processed_days: int
    reports_days: int


class KindStorageOut(BaseModel):
    kind: Literal["raw", "processed", "agent_run", "report", "archive"]
    rows: int
    approx_bytes: int
    threshold_rows: int | None


class RetentionOut(BaseModel):
    policy: PolicyOut
    storage: list[KindStorageOut]
    archive_location: Annotated[
        str, Field(description="Where archives go, relative to the data directory")
    ]
