"""The intelligence agent's memory (seed 001 part 2): each user's preferences (KPIs,
marketplaces, goals, margin floor, report detail) and how they order a report's actions and
metrics; the context of a conversation, so a follow-up starts from the previous question's
scope; the questions a user asked, to offer similar past ones with their reports; and how
long all of it is kept."""

from __future__ import annotations

from collections.abc import Sequence

from mercato.agents.intelligence.memory.models import TABLES as _TABLES
from mercato.agents.intelligence.memory.retention import PURGE_JOB
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.bus.subscriptions import Handler

TABLES: Sequence[str] = _TABLES
HANDLERS: Sequence[Handler] = ()
JOBS: Sequence[PeriodicJob] = (PURGE_JOB,)
