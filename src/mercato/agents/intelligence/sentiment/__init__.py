"""The intelligence agent's sentiment part: what it adds to the agent (tables, handlers, jobs).

Reviews are analysed as the reviews agent publishes them (`handlers.py`); texts from anywhere
through `POST /v1/intelligence/sentiment` and `mercato intel sentiment`. The model
(`model.py`) loads on first use: importing this package loads neither VADER nor ONNX."""

from __future__ import annotations

from collections.abc import Sequence

from mercato.agents.intelligence.sentiment.handlers import handlers
from mercato.agents.intelligence.sentiment.models import TABLES as _TABLES
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.bus.subscriptions import Handler

TABLES: Sequence[str] = _TABLES
HANDLERS: Sequence[Handler] = handlers
JOBS: Sequence[PeriodicJob] = ()
