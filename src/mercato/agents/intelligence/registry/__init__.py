"""The intelligence agent's model registry (seed 001 requirement 14): per task (sentiment,
demand) a model, its versions and the active one; predictions tracked against actuals;
scheduled evaluation; drift alerts; retraining into new versions; promotion and rollback.
The tasks' parts register how they are scored, trained and resolved (`tasks.register`)."""

from __future__ import annotations

from collections.abc import Sequence

from mercato.agents.intelligence.registry.jobs import EVALUATE_JOB
from mercato.agents.intelligence.registry.models import TABLES as _TABLES
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.bus.subscriptions import Handler

TABLES: Sequence[str] = _TABLES
HANDLERS: Sequence[Handler] = ()
JOBS: Sequence[PeriodicJob] = (EVALUATE_JOB,)
