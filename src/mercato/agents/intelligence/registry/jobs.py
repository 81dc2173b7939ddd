"""The scheduled evaluation (seed 001 property 58): every `intel_evaluation_interval`
seconds, each store's models are scored, in that store, by one of the processes running the
schedule (`service.claim_evaluation`); one store's failure is logged and the others go on."""

from __future__ import annotations

from typing import TYPE_CHECKING

import structlog

from mercato.agents.intelligence.registry import service
from mercato.agents.intelligence.registry.tasks import tasks
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.context import bind

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel

log = structlog.get_logger("mercato.intelligence.registry")


async def evaluate_all(kernel: Kernel) -> int:
    """Evaluate every task's model in every store that keeps models; answers how many
    evaluations were recorded."""
    async with kernel.uow(writes=False) as uow:
        stores = await service.stores_with_models(uow)
    done = 0
    for store in stores:
        for spec in tasks():
            with bind(tenant_id=store):
                try:
                    done += await evaluate_if_due(kernel, task=spec.task)
                except Exception:
                    log.exception("model_evaluation_failed", store=store, task=spec.task)
    return done


async def evaluate_if_due(kernel: Kernel, *, task: str) -> int:
    """Evaluate the store's model of `task` if this run claims it (1), else 0."""
    settings = kernel.settings
    async with kernel.uow() as uow:
        now = kernel.clock.now()
        if not await service.claim_evaluation(
            uow, task=task, now=now, interval=settings.intel_evaluation_interval
        ):
            return 0
        await service.evaluate(uow, task=task, settings=settings, now=now)
        await uow.commit()
    return 1


EVALUATE_JOB = PeriodicJob(
    name="intelligence.evaluate_models",
    interval=lambda s: s.intel_evaluation_interval,
    run=evaluate_all,
    at_start=False,  # daily work: a restart does not evaluate again
)
