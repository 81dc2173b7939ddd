"""The intelligence agent's pricing part: what it adds to the agent (tables, handlers, jobs)."""

from __future__ import annotations

from collections.abc import Sequence

from mercato.kernel.agent import PeriodicJob
from mercato.kernel.bus.subscriptions import Handler

TABLES: Sequence[str] = ()
HANDLERS: Sequence[Handler] = ()
JOBS: Sequence[PeriodicJob] = ()
