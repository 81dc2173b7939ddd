"""Each store's monthly token budget for the LLM: what its turns used, counted after each turn;
a warning once 80 % is used; none of it left, the assistant answers offline until the month
turns."""

from __future__ import annotations

from datetime import datetime

import structlog
from sqlalchemy import select, update

from mercato.agents.assistant.models import Usage
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

WARN_AT = 0.8
log = structlog.get_logger("mercato.assistant")


def month_of(now: datetime) -> str:
    return f"{now:%Y-%m}"


async def used(uow: UnitOfWork, *, now: datetime) -> int:
    found = await uow.session.scalar(select(Usage.tokens).where(Usage.month == month_of(now)))
    return int(found or 0)


async def spend(uow: UnitOfWork, *, tokens: int, budget: int, now: datetime) -> int:
    """Count a turn's tokens; the month's total. Warns (once a month) past `WARN_AT`."""
    month = month_of(now)
    row = await uow.session.scalar(select(Usage).where(Usage.month == month))
    if row is None:
        row = Usage(id=new_id(), month=month, tokens=0, turns=0, warned=0, updated_at=now)
        uow.session.add(row)
        await uow.session.flush()
    await uow.session.execute(
        update(Usage)
        .where(Usage.id == row.id)
        .values(tokens=Usage.tokens + tokens, turns=Usage.turns + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    total = await used(uow, now=now)
    if budget and total >= budget * WARN_AT:
        warned = await uow.session.execute(
            update(Usage)
            .where(Usage.id == row.id, Usage.warned == 0)
            .values(warned=1)
            .execution_options(synchronize_session=False)
        )
        if getattr(warned, "rowcount", 0):
            log.warning("assistant_llm_budget_warning", month=month, used=total, budget=budget)
    return total
