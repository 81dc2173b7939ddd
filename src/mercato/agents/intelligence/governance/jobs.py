"""The governance schedule: health checks every few minutes and archival once a day, each
store in turn; one store's failure is logged and the others go on."""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog
from sqlalchemy import select, union

from mercato.agents.intelligence.ask.models import IntelAgentRun, IntelReport
from mercato.agents.intelligence.governance import health, retention, storage
from mercato.agents.intelligence.governance.config import config_of
from mercato.agents.intelligence.ingest.models import CleanRecord, RawRecord, Source
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.context import bind
from mercato.kernel.ids import new_id

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

log = structlog.get_logger("mercato.intelligence.governance")


async def _stores(kernel: Kernel, *models: type) -> list[str]:
    """Every store with rows in any of the models' tables, and the default store."""
    query = union(
        *(select(m.tenant_id).distinct() for m in models)  # type: ignore[attr-defined]
    )
    async with kernel.uow(writes=False) as uow:
        rows = await uow.session.execute(query.execution_options(all_tenants=True))
        found = {row[0] for row in rows}
    return sorted(found | {kernel.settings.default_tenant})


async def check_health(kernel: Kernel) -> int:
    """Run the checks in every store; answers how many stores raised an alert."""
    system = await health.system_checks(kernel)
    raised = 0
    for store in await _stores(kernel, Source):
        with bind(tenant_id=store):
            try:
                async with kernel.uow() as uow:
                    checks = system + await health.source_checks(uow)
                    if await health.report(uow, checks=checks, now=kernel.clock.now()):
                        raised += 1
                    await uow.commit()
            except Exception:
                log.exception("health_check_failed_to_run", store=store)
    return raised


async def archive_store(kernel: Kernel) -> dict[str, int]:
    """Archive the bound store's expired rows, kind by kind, a batch per transaction.
    Answers the rows archived per kind."""
    run_id = kernel.clock.now().strftime("%Y%m%dT%H%M%SZ-") + new_id()[-12:]
    done: dict[str, int] = {}
    for kind in retention.KINDS:
        done[kind] = 0
        while True:
            async with kernel.uow() as uow:
                config = config_of(uow)
                count = await retention.archive_batch(
                    uow, kind=kind, policy=config.retention, now=kernel.clock.now(),
                    data_dir=kernel.settings.data_dir, run_id=run_id,
                    limit=config.archive_batch,
                )  # fmt: skip
                await uow.commit()
            done[kind] += count
            if count < config.archive_batch:
                break
    return done


async def watch_storage(kernel: Kernel) -> storage.StorageReport:
    """Measure the bound store's storage and alert on each kind past its threshold."""
    async with kernel.uow() as uow:
        report = await storage.storage(uow)
        await storage.storage_alerts(
            uow, report=report, thresholds=config_of(uow).storage, now=kernel.clock.now()
        )
        await uow.commit()
    return report


async def archive_all(kernel: Kernel) -> int:
    """Archive every store's expired rows; answers how many rows were archived."""
    total = 0
    stores = await _stores(kernel, RawRecord, CleanRecord, IntelAgentRun, IntelReport)
    for store in stores:
        with bind(tenant_id=store):
            try:
                total += sum((await archive_store(kernel)).values())
            except Exception:
                log.exception("archival_failed", store=store)
            try:
                await watch_storage(kernel)
            except Exception:
                log.exception("storage_check_failed", store=store)
    return total


HEALTH_JOB = PeriodicJob(
    name="intelligence.health_checks",
    interval=lambda s: s.intel_health_interval,
    run=check_health,
    at_start=False,
)
ARCHIVE_JOB = PeriodicJob(
    name="intelligence.archive",
    interval=lambda s: s.intel_archive_interval,
    run=archive_all,
    at_start=False,  # daily work: a restart does not archive again
)
