"""The intelligence agent's governance (seed 001 part 2): LLM token usage and budgets
(`usage`, `budget`), alerts staff acknowledge (`alerts`) raised by failure escalation
(`escalation`), health checks (`health`) and performance SLAs (`sla`), and retention with
archival and storage monitoring (`retention`, `storage`)."""

from __future__ import annotations

from collections.abc import Sequence

from mercato.agents.intelligence.governance.jobs import ARCHIVE_JOB, HEALTH_JOB
from mercato.agents.intelligence.governance.models import TABLES as _TABLES
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.bus.subscriptions import Handler

TABLES: Sequence[str] = _TABLES
HANDLERS: Sequence[Handler] = ()
JOBS: Sequence[PeriodicJob] = (HEALTH_JOB, ARCHIVE_JOB)
