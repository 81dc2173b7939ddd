"""The worker's schedule: every `intel_ingest_interval` seconds, run the sources whose time
has come, each in its own store; one failing never stops the others."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mercato.agents.intelligence.ingest import runner, sources
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.context import bind

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel


async def run_due_sources(kernel: Kernel) -> int:
    """Run every due source; answers how many ran."""
    async with kernel.uow(writes=False) as uow:
        due = await sources.due_sources(uow, now=kernel.clock.now())

    async def one(item: tuple[str, str]) -> object:
        tenant, source_id = item
        with bind(tenant_id=tenant):
            return await runner.run_source(kernel, source_id=source_id)

    return len(await runner.run_many(due, one))


INGEST_JOB = PeriodicJob(
    name="intelligence.ingest", interval=lambda s: s.intel_ingest_interval, run=run_due_sources
)
