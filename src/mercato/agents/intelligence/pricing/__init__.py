"""The intelligence agent's pricing part (seed 001, requirement 3): competitors' prices
matched to the store's products and their history, price gaps and the market, alerts on
competitors' moves, promotions read with their terms, and pricing suggestions above the
margin floor that a merchant accepts into the catalogue with one call."""

from __future__ import annotations

from collections.abc import Sequence

from mercato.agents.intelligence.pricing.handlers import HANDLERS as _HANDLERS
from mercato.agents.intelligence.pricing.models import TABLES as _TABLES
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.bus.subscriptions import Handler

TABLES: Sequence[str] = _TABLES
HANDLERS: Sequence[Handler] = _HANDLERS
JOBS: Sequence[PeriodicJob] = ()
