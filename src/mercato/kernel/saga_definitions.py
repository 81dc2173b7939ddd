"""What a saga is made of, for the agents that define one: steps with their compensations,
the context a step runs in, and what a saga ended as (`saga.py` runs them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import Problem


class SagaStatus(StrEnum):
    """Where a saga is (stored in `saga_instances.status`, except `TAKEN_OVER`)."""

    RUNNING = "running"
    COMPENSATING = "compensating"
    COMPLETED = "completed"
    COMPENSATED = "compensated"
    TAKEN_OVER = "taken_over"
    """Not stored: another process (or another call in this one) is driving the saga."""

    @property
    def ended(self) -> bool:
        return self in (SagaStatus.COMPLETED, SagaStatus.COMPENSATED)


PROBLEM = "problem"
"""The key of a saga's data under which a step that failed leaves its `Problem`."""
DONE = "_done"
"""The key of a saga's data under which the runner notes when each step was done (written
to the log only if the saga compensates: a saga that succeeds costs no log rows)."""


@dataclass
class SagaContext:
    saga_id: str
    step: str
    data: dict[str, Any]
    uow: UnitOfWork
    failure: Problem | None = None

    @property
    def idempotency_key(self) -> str:
        return f"{self.saga_id}:{self.step}"

    def fail(self, problem: Problem) -> None:
        """End the step as failed but keep what it wrote (a declined payment's record): its
        transaction commits, then the steps before it are compensated. Raising instead
        would roll its writes back."""
        self.failure = problem


StepFn = Callable[[SagaContext], Awaitable[None]]


@dataclass(frozen=True)
class Step:
    name: str
    action: StepFn
    compensation: StepFn | None = None
    timeout: float | None = None
    compensate_on_error: bool = False
    """Compensate this step even when it raised: it acts on an outside system before it
    writes (a gateway said yes, then recording the answer failed), so its transaction
    rolling back does not undo it."""


@dataclass(frozen=True)
class SagaDefinition:
    name: str
    steps: Sequence[Step]


@dataclass
class SagaResult:
    id: str
    status: SagaStatus
    data: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def problem_data(problem: Problem) -> dict[str, Any]:
    """A problem as JSON-friendly data, to raise again later with `ProblemReplay`."""
    return {
        "status": problem.status,
        "code": problem.code,
        "title": problem.title,
        "detail": problem.detail,
        "extra": problem.extra,
    }


class ProblemReplay(Problem):
    """A problem a saga step raised, raised again from the saga's data."""

    def __init__(self, data: dict[str, Any]) -> None:
        super().__init__(data.get("detail"), **data.get("extra", {}))
        self.status, self.code, self.title = data["status"], data["code"], data["title"]
