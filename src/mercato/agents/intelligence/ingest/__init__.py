"""The intelligence agent's ingest part: what it adds to the agent (tables, handlers, jobs).
Sources (Shopify, another Mercato store, files and URLs, competitors' pages) are fetched
into raw records, cleaned into records with lineage, and matched to the store's products."""

from __future__ import annotations

from collections.abc import Sequence

from mercato.agents.intelligence.ingest.jobs import INGEST_JOB
from mercato.agents.intelligence.ingest.models import TABLES as _TABLES
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.bus.subscriptions import Handler

TABLES: Sequence[str] = tuple(_TABLES)
HANDLERS: Sequence[Handler] = ()
JOBS: Sequence[PeriodicJob] = (INGEST_JOB,)
