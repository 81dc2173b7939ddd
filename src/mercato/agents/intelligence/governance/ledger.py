"""Tokens used in a period, read from `intel_token_usage` (budgets and reports share it)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from mercato.agents.intelligence.governance.models import IntelTokenUsage
from mercato.kernel.db import UnitOfWork


def month_of(now: datetime) -> tuple[datetime, datetime]:
    """The calendar month (UTC) holding `now`: [first instant, first instant of the next)."""
    at = now.astimezone(UTC)
    start = datetime(at.year, at.month, 1, tzinfo=UTC)
    end = datetime(at.year + at.month // 12, at.month % 12 + 1, 1, tzinfo=UTC)
    return start, end


def period_of(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m")


async def used(
    uow: UnitOfWork, *, start: datetime, end: datetime, user_id: str | None = None
) -> int:
    """Tokens (input and output) used in [start, end), by one user or the whole store."""
    query = select(
        func.coalesce(func.sum(IntelTokenUsage.input_tokens + IntelTokenUsage.output_tokens), 0)
    ).where(IntelTokenUsage.created_at >= start, IntelTokenUsage.created_at < end)
    if user_id is not None:
        query = query.where(IntelTokenUsage.user_id == user_id)
    return int(await uow.session.scalar(query) or 0)
