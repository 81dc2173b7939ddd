"""The model registry's problems, each with its stable `code`."""

from __future__ import annotations

from mercato.kernel.errors import NotFound, Problem


class UnknownTask(NotFound):
    code, title = "unknown_model_task", "No model is kept for this task"


class UnknownVersion(NotFound):
    code, title = "unknown_model_version", "The model has no such version"


class RetrainingUnavailable(Problem):
    status, code, title = 409, "retraining_unavailable", "This task's models cannot be retrained"
