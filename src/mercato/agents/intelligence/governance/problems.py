"""The governance part's problems, each with its stable `code`."""

from __future__ import annotations

from mercato.kernel.errors import NotFound, Problem

RAISE_BUDGET = (
    "Ask in Quick mode, or ask an admin to raise the budget (PUT /v1/intelligence/budget)"
)


class DeepModeRefused(Problem):
    """The month's token budget is spent: Deep mode is refused, Quick mode goes on."""

    status, code, title = 429, "intel_budget_exceeded", "The token budget is spent"

    def __init__(self, detail: str, *, used: int, limit: int, scope: str, period: str) -> None:
        super().__init__(
            detail, used=used, limit=limit, scope=scope, period=period,
            suggested_action=RAISE_BUDGET,
        )  # fmt: skip


class AlertNotFound(NotFound):
    code, title = "intel_alert_not_found", "No such alert"


class InvalidPeriod(Problem):
    status, code, title = 400, "intel_invalid_period", "The period is empty or reversed"


class InvalidBudget(Problem):
    status, code, title = 400, "intel_invalid_budget", "The budget cannot be set so"
