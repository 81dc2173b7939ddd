"""The intelligence agent (seed 001): ingestion of the store's own and outside data
(marketplaces, competitors' sites, files), clean data with lineage and an audit log, and the
analyses built on it: review sentiment, demand forecasts, pricing intelligence, with a model
registry. Each part is a subpackage: `ingest/`, `sentiment/`, `demand/`, `pricing/`, and
`registry/` (the models' versions and evaluations)."""

from __future__ import annotations

from pathlib import Path

from mercato.agents.intelligence import (
    ask,
    cache,
    demand,
    governance,
    ingest,
    memory,
    pricing,
    registry,
    sentiment,
)
from mercato.agents.intelligence.access import MANAGE, READ
from mercato.agents.intelligence.api import router
from mercato.agents.intelligence.cli import cli
from mercato.kernel.agent import Agent
from mercato.kernel.auth import grant

grant("merchant", READ)
grant("system", READ, MANAGE)  # integrations: a BI tool's or a scheduler's key
# admins hold every permission

agent = Agent(
    name="intelligence",
    description="Ingestion, clean data, review sentiment, demand forecasts, pricing intelligence",
    router=router,
    cli=cli,
    handlers=[
        *sentiment.HANDLERS,
        *demand.HANDLERS,
        *ingest.HANDLERS,
        *pricing.HANDLERS,
        *registry.HANDLERS,
        *ask.HANDLERS,
        *cache.HANDLERS,
        *memory.HANDLERS,
        *governance.HANDLERS,
    ],
    jobs=[
        *sentiment.JOBS,
        *demand.JOBS,
        *ingest.JOBS,
        *pricing.JOBS,
        *registry.JOBS,
        *ask.JOBS,
        *cache.JOBS,
        *memory.JOBS,
        *governance.JOBS,
    ],
    web=Path(__file__).parent / "web",
    setup=ask.setup,
    on_stop=ask.stop,
    tables=[
        *sentiment.TABLES,
        *demand.TABLES,
        *ingest.TABLES,
        *pricing.TABLES,
        *registry.TABLES,
        *ask.TABLES,
        *memory.TABLES,
        *governance.TABLES,
    ],
)
