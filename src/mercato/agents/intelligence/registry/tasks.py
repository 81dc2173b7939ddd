"""What the registry knows of each task it keeps models for: how it is scored, and the hooks
the task's part gives it: a trainer (a new version from the active one) and a resolver (the
actuals of predictions that have come due). A part registers its task when it is imported
(`register(TaskSpec(...))`), so the registry never imports the parts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from mercato.agents.intelligence.registry.metrics import Direction

if TYPE_CHECKING:
    from mercato.kernel.db import UnitOfWork


@dataclass(frozen=True)
class Trained:
    """What a trainer made: the new version's parameters and its scores on held-out data."""

    params: dict[str, Any]
    metrics: dict[str, float]


@dataclass(frozen=True)
class Due:
    """A prediction whose actual can now be known."""

    id: str
    subject: str
    key: str


Trainer = Callable[["UnitOfWork", Mapping[str, Any], datetime], Awaitable[Trained]]
"""(uow, the active version's params, now) → the new version."""
Resolver = Callable[["UnitOfWork", Sequence[Due]], Awaitable[dict[str, float | str]]]
"""(uow, due predictions) → prediction id → actual (a value or a label); those it cannot
tell yet are left out."""


@dataclass(frozen=True)
class TaskSpec:
    task: str
    name: str
    metric: str
    """macro_f1 or mape."""
    direction: Direction
    initial_params: dict[str, Any] = field(default_factory=dict)
    """The shipped model's (version 1's)."""
    train: Trainer | None = None
    resolve: Resolver | None = None


_TASKS: dict[str, TaskSpec] = {}


def register(spec: TaskSpec) -> None:
    _TASKS[spec.task] = spec


def spec_of(task: str) -> TaskSpec | None:
    return _TASKS.get(task)


def tasks() -> list[TaskSpec]:
    return sorted(_TASKS.values(), key=lambda s: s.task)


def unregister(task: str) -> None:
    """Forget a task (a test's own task, once the test is done)."""
    _TASKS.pop(task, None)
