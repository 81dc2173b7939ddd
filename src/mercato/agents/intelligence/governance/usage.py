"""Token usage (seed 001 requirement 19): every LLM call recorded with who caused it (78),
and reports of a period broken down by user, purpose, model and day, each breakdown summing
to the total (81)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import select

from mercato.agents.intelligence.governance import budget
from mercato.agents.intelligence.governance.models import IntelTokenUsage
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

Purpose = Literal["plan", "summary"]


@dataclass(frozen=True)
class Call:
    """One LLM call as the reports see it."""

    user_id: str
    purpose: str
    model: str
    input_tokens: int
    output_tokens: int
    at: datetime

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True)
class Share:
    """One slice of a breakdown."""

    key: str
    calls: int
    input_tokens: int
    output_tokens: int

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass(frozen=True)
class UsageReport:
    start: datetime
    end: datetime
    total: Share
    """key "total"."""
    by_user: list[Share]
    by_purpose: list[Share]
    by_model: list[Share]
    by_day: list[Share]
    """key: the UTC day, YYYY-MM-DD."""


def share(key: str, calls: Iterable[Call]) -> Share:
    chosen = list(calls)
    return Share(
        key, len(chosen), sum(c.input_tokens for c in chosen), sum(c.output_tokens for c in chosen)
    )


def breakdown_of(calls: Iterable[Call], *, start: datetime, end: datetime) -> UsageReport:
    """The report of the calls made in [start, end): pure, so every breakdown is the same
    partition of the same calls and sums to the total."""
    inside = [c for c in calls if start <= c.at < end]

    def by(key: str) -> list[Share]:
        groups: dict[str, list[Call]] = defaultdict(list)
        for call in inside:
            groups[_key(call, key)].append(call)
        return sorted(
            (share(k, group) for k, group in groups.items()), key=lambda s: (-s.tokens, s.key)
        )

    return UsageReport(
        start=start, end=end, total=share("total", inside), by_user=by("user"),
        by_purpose=by("purpose"), by_model=by("model"), by_day=sorted(by("day"), key=_day),
    )  # fmt: skip


def _day(s: Share) -> str:
    return s.key


def _key(call: Call, key: str) -> str:
    if key == "user":
        return call.user_id
    if key == "purpose":
        return call.purpose
    if key == "model":
        return call.model
    return call.at.astimezone(UTC).strftime("%Y-%m-%d")


def totals_by_user_and_period(
    calls: Iterable[Call], *, granularity: Literal["month", "day"]
) -> dict[tuple[str, str], int]:
    """Tokens per (user, period): the running totals budgets are held to."""
    pattern = "%Y-%m" if granularity == "month" else "%Y-%m-%d"
    totals: dict[tuple[str, str], int] = defaultdict(int)
    for call in calls:
        totals[(call.user_id, call.at.astimezone(UTC).strftime(pattern))] += call.tokens
    return dict(totals)


async def record(
    uow: UnitOfWork,
    *,
    user_id: str,
    query_id: str | None,
    purpose: Purpose,
    model: str,
    input_tokens: int,
    output_tokens: int,
    now: datetime,
) -> IntelTokenUsage:
    """Record one LLM call's tokens (a negative count, which no provider reports, is taken
    as 0), then raise the month's budget warning if this call brought a budget to its
    warning share."""
    row = IntelTokenUsage(
        id=new_id(), user_id=user_id[:64], query_id=query_id, purpose=purpose,
        model=model[:120], input_tokens=max(0, input_tokens),
        output_tokens=max(0, output_tokens), created_at=now,
    )  # fmt: skip
    uow.session.add(row)
    await uow.session.flush()
    await budget.check_warnings(uow, user_id=row.user_id, now=now)
    return row


async def calls(
    uow: UnitOfWork, *, start: datetime, end: datetime, user_id: str | None = None
) -> list[Call]:
    query = select(
        IntelTokenUsage.user_id, IntelTokenUsage.purpose, IntelTokenUsage.model,
        IntelTokenUsage.input_tokens, IntelTokenUsage.output_tokens, IntelTokenUsage.created_at,
    ).where(IntelTokenUsage.created_at >= start, IntelTokenUsage.created_at < end)  # fmt: skip
    if user_id is not None:
        query = query.where(IntelTokenUsage.user_id == user_id)
    return [Call(*row) for row in (await uow.session.execute(query)).all()]


async def breakdown(
    uow: UnitOfWork, *, start: datetime, end: datetime, user_id: str | None = None
) -> UsageReport:
    """The store's (or one user's) token usage in [start, end), with its breakdowns."""
    return breakdown_of(
        await calls(uow, start=start, end=end, user_id=user_id), start=start, end=end
    )
