"""Rows and results of the governance part as the API shows them."""

from __future__ import annotations

from mercato.agents.intelligence.governance.budget import BudgetStatus, binding
from mercato.agents.intelligence.governance.models import IntelAlert
from mercato.agents.intelligence.governance.schemas import (
    AlertOut,
    BudgetStatuses,
    BudgetStatusOut,
    ShareOut,
)
from mercato.agents.intelligence.governance.usage import Share


def share_out(share: Share) -> ShareOut:
    return ShareOut(
        key=share.key, calls=share.calls, input_tokens=share.input_tokens,
        output_tokens=share.output_tokens, tokens=share.tokens,
    )  # fmt: skip


def status_out(status: BudgetStatus) -> BudgetStatusOut:
    return BudgetStatusOut(
        scope=status.scope, user_id=status.user_id, period=status.period, used=status.used,
        limit=status.limit, ratio=round(status.ratio, 6), warning=status.warning,
        exceeded=status.exceeded,
    )  # fmt: skip


def statuses_out(found: list[BudgetStatus]) -> BudgetStatuses:
    store = next(s for s in found if s.scope == "store")
    user = next((s for s in found if s.scope == "user"), None)
    return BudgetStatuses(
        binding=status_out(binding(found)),
        store=status_out(store),
        user=status_out(user) if user else None,
    )


def alert_out(alert: IntelAlert) -> AlertOut:
    return AlertOut(
        id=alert.id, kind=alert.kind, severity=alert.severity,
        title=alert.title, key=alert.key,
        status="open" if alert.acknowledged_at is None else "acknowledged",
        diagnostics=alert.diagnostics, count=alert.count, first_at=alert.first_at,
        last_at=alert.last_at, delivered_at=alert.delivered_at,
        acknowledged_at=alert.acknowledged_at, acknowledged_by=alert.acknowledged_by,
        note=alert.note,
    )  # fmt: skip
