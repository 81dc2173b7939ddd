"""Questions in plain words (seed 001 part 2): the router reads a question, the analysis
agents it needs run in parallel (each with its time and memory limits), and their findings
make one report whose every claim links to its evidence. Quick mode reads stored, cached
analyses; Deep mode makes them fresh within its budget.

Wiring (`setup`): this process's dispatcher (the queue is in the database: `queue.py`), the
sockets watching questions (`live.py`, fed by the broadcast), the LLM if one is configured,
and the analysis cache (memory, or Redis when scaled)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mercato.agents.intelligence.ask.analysts import Analysts
from mercato.agents.intelligence.ask.brain import IntelligenceModel
from mercato.agents.intelligence.ask.kept import Kept
from mercato.agents.intelligence.ask.live import TOPIC, LiveQueries
from mercato.agents.intelligence.ask.models import TABLES as _TABLES
from mercato.agents.intelligence.ask.queue import Dispatcher
from mercato.agents.intelligence.ask.running import run_question
from mercato.agents.intelligence.cache import AnalysisCache, cache_for
from mercato.agents.intelligence.cache.factory import close as close_cache
from mercato.agents.intelligence.governance.config import (
    BudgetDefaults,
    GovernanceConfig,
    RetentionPolicy,
    SlaLimits,
    StorageThresholds,
)
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.bus.subscriptions import Handler
from mercato.kernel.llm import model_for

if TYPE_CHECKING:
    from mercato.kernel.bootstrap import Kernel
    from mercato.kernel.config import Settings


def setup(kernel: Kernel) -> None:
    live = LiveQueries()
    kernel.provide(LiveQueries, live)
    kernel.provide(Analysts, Analysts())
    kernel.provide(Kept, Kept())
    kernel.provide(Dispatcher, Dispatcher(kernel, run_question))
    kernel.provide(IntelligenceModel, IntelligenceModel(model_for(kernel.settings)))
    kernel.provide(AnalysisCache, cache_for(kernel.settings, kernel.clock))
    kernel.broadcast.subscribe(TOPIC, live.deliver)
    kernel.provide(GovernanceConfig, governance_of(kernel.settings))


def governance_of(s: Settings) -> GovernanceConfig:
    """The governance part's limits from the settings: a mode's SLA is its time limit."""
    return GovernanceConfig(
        budget=BudgetDefaults(
            s.intel_budget_store_monthly_tokens,
            s.intel_budget_user_monthly_tokens,
            s.intel_budget_warn_percent,
        ),
        sla=SlaLimits(s.intel_quick_seconds, s.intel_deep_seconds, s.intel_anomaly_factor),
        retention=RetentionPolicy(
            s.intel_retention_raw_days,
            s.intel_retention_processed_days,
            s.intel_retention_reports_days,
        ),
        storage=StorageThresholds(
            s.intel_storage_raw_rows, s.intel_storage_processed_rows, s.intel_storage_reports_rows
        ),
        health_interval=s.intel_health_interval,
        archive_interval=s.intel_archive_interval,
    )


async def stop(kernel: Kernel) -> None:
    await kernel.deps(Dispatcher).stop()
    await close_cache(kernel)


async def poll_queue(kernel: Kernel) -> None:
    """Queue again what stopped processes left running, and take what waits."""
    dispatcher = kernel.deps(Dispatcher)
    await dispatcher.requeue_abandoned()
    dispatcher.wake()


QUEUE_JOB = PeriodicJob(
    name="intelligence.questions",
    interval=lambda s: s.intel_queue_poll_seconds,
    run=poll_queue,
)

TABLES: Sequence[str] = _TABLES
HANDLERS: Sequence[Handler] = ()
JOBS: Sequence[PeriodicJob] = (QUEUE_JOB,)
