"""Each analysis agent's limits in a mode: a time limit, and a memory limit kept as the number
of records it may load (seed 001 property 29). Coroutines of one process share one heap, so
bytes cannot be measured per agent; what an agent holds grows with what it loads, and that
is what is counted and bounded: `RecordBudget.take` raises once the limit is passed, and the
agent's findings so far stand, marked "limited" (ADR 33)."""

from __future__ import annotations

from dataclasses import dataclass

from mercato.agents.intelligence.ask.scope import Mode


@dataclass(frozen=True)
class AgentLimits:
    timeout_s: float
    max_records: int


@dataclass(frozen=True)
class ModeLimits:
    agent: AgentLimits
    total_s: float
    """The whole question's time limit (the mode's SLA: seed 001's 2 and 10 minutes are the
    outer bounds; Mercato's are tighter by default)."""


def limits_for(
    mode: Mode, *, quick_s: float, deep_s: float, agent_share: float = 0.8
) -> ModeLimits:
    """An agent may use `agent_share` of the question's time: the rest is the synthesis's."""
    if mode is Mode.QUICK:
        return ModeLimits(AgentLimits(quick_s * agent_share, 20_000), quick_s)
    return ModeLimits(AgentLimits(deep_s * agent_share, 200_000), deep_s)


class LimitReached(Exception):  # noqa: N818 - a condition the executor expects
    """An agent loaded as many records as its mode allows."""


class RecordBudget:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def take(self, n: int) -> None:
        """Count `n` records loaded; raises `LimitReached` past the limit."""
        self.used += n
        if self.used > self.limit:
            raise LimitReached(f"loaded {self.used} records, over the limit of {self.limit}")

    def left(self) -> int:
        return max(0, self.limit - self.used)
