"""The analytics agent: read models built from the store's events (orders and their lines,
refunds, carts, guest visits, stock moves), rebuildable from the event store
(`mercato analytics rebuild`); reports over them by day, week or month in the store's time
zone (`GET /v1/analytics/{report}`, JSON or CSV; a merchant's from its own lines); and the
dashboard's KPIs in real time (`WS /v1/analytics/ws`). Seeds 002 and 003 "Analytics"."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter

from mercato.agents.analytics.access import MANAGE, READ
from mercato.agents.analytics.api import router as api_router
from mercato.agents.analytics.cli import cli
from mercato.agents.analytics.handlers import handlers
from mercato.agents.analytics.live import TOPIC, KpiFeed
from mercato.agents.analytics.models import TABLES
from mercato.agents.analytics.ws import router as ws_router
from mercato.kernel.agent import Agent
from mercato.kernel.auth import grant
from mercato.kernel.bootstrap import Kernel

grant("merchant", READ)  # the sales of its own lines
grant("system", READ)  # integrations: a BI tool's key
# admins hold every permission (MANAGE: the store's reporting settings)
_ = MANAGE

router = APIRouter()
router.include_router(api_router)
router.include_router(ws_router)


def setup(kernel: Kernel) -> None:
    """The dashboards' sockets of this process, told when a store's sales change."""
    feed = KpiFeed(kernel.broadcast.publish)
    kernel.provide(KpiFeed, feed)
    kernel.broadcast.subscribe(TOPIC, feed.deliver)


agent = Agent(
    name="analytics",
    description="Read models from events: sales, funnels, cohorts, inventory turnover, KPIs",
    router=router,
    cli=cli,
    handlers=handlers,
    setup=setup,
    tables=TABLES,
    web=Path(__file__).parent / "web",
)
