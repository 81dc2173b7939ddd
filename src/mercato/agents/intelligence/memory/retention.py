"""How long the memory keeps what users asked (seed 001 property 43): conversation turns for
`conversation_days`, past questions (and their embeddings) for `question_days`. A row as old
as its limit or older is deleted; preferences are kept until changed. The purge runs once a
day in every store that has rows, by any of the processes running the schedule (deleting
what is already deleted is harmless)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import structlog
from sqlalchemy import delete, select

from mercato.agents.intelligence.memory.models import IntelConversationTurn, IntelPastQuestion
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

log = structlog.get_logger("mercato.intelligence.memory")


@dataclass(frozen=True)
class MemoryPolicy:
    conversation_days: int = 90
    question_days: int = 365
    purge_interval_s: float = 86_400.0


POLICY = MemoryPolicy()


async def purge(uow: UnitOfWork, *, now: datetime, policy: MemoryPolicy) -> dict[str, int]:
    """Delete the store's rows as old as their limit or older; answers how many, by table."""
    turns = await uow.session.execute(
        delete(IntelConversationTurn).where(
            IntelConversationTurn.created_at <= now - timedelta(days=policy.conversation_days)
        )
    )
    questions = await uow.session.execute(
        delete(IntelPastQuestion).where(
            IntelPastQuestion.created_at <= now - timedelta(days=policy.question_days)
        )
    )
    return {
        IntelConversationTurn.__tablename__: _count(turns),
        IntelPastQuestion.__tablename__: _count(questions),
    }


async def stores_with_memory(uow: UnitOfWork) -> list[str]:
    """Every store that keeps conversation turns or past questions."""
    found: set[str] = set()
    for table in (IntelConversationTurn, IntelPastQuestion):
        rows = await uow.session.scalars(
            select(table.tenant_id).distinct().execution_options(all_tenants=True)
        )
        found.update(rows)
    return sorted(found)


async def purge_all(kernel: Kernel, policy: MemoryPolicy = POLICY) -> dict[str, int]:
    """Purge every store (one store's failure is logged, the others go on); answers how
    many rows were deleted, by table."""
    async with kernel.uow(writes=False) as uow:
        stores = await stores_with_memory(uow)
    total: dict[str, int] = {}
    for store in stores:
        with bind(tenant_id=store):
            try:
                async with kernel.uow() as uow:
                    done = await purge(uow, now=kernel.clock.now(), policy=policy)
                    await uow.commit()
            except Exception:
                log.exception("memory_purge_failed", store=store)
                continue
        for table, count in done.items():
            total[table] = total.get(table, 0) + count
    return total


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def policy_of(settings: Settings) -> MemoryPolicy:
    return MemoryPolicy(
        settings.intel_memory_conversation_days,
        settings.intel_memory_question_days,
        settings.intel_memory_purge_interval,
    )


async def purge_by_settings(kernel: Kernel) -> dict[str, int]:
    return await purge_all(kernel, policy_of(kernel.settings))


PURGE_JOB = PeriodicJob(
    name="intelligence.purge_memory",
    interval=lambda s: s.intel_memory_purge_interval,
    run=purge_by_settings,
    at_start=False,  # daily work: a restart does not purge again
)
