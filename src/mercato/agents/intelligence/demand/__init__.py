"""The intelligence agent's demand part (seed 001, requirement 5): what it adds to the agent.

Daily demand per product from the orders agent's events (and imported history), forecasts
for 7, 30 and 90 days chosen per series by backtest against seasonal naive (`engine.py`),
the gap to stock and inbound purchase orders with stock-out and overstock alerts
(`supply.py`, published as `demand.*` events), refreshed by a periodic job and on demand;
`GET /v1/intelligence/forecast/products/{id}` and `mercato intel forecast` for CSV files.
"""

from __future__ import annotations

from collections.abc import Sequence

from mercato.agents.intelligence.demand.handlers import handlers
from mercato.agents.intelligence.demand.jobs import JOBS as _JOBS
from mercato.agents.intelligence.demand.models import TABLES as _TABLES
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.bus.subscriptions import Handler

TABLES: Sequence[str] = _TABLES
HANDLERS: Sequence[Handler] = handlers
JOBS: Sequence[PeriodicJob] = _JOBS
