"""The governance part's events: an alert raised for staff (notifications may deliver it)."""

from __future__ import annotations

from typing import Any, ClassVar

from mercato.kernel.events import Event


class AlertRaised(Event):
    """A new alert (a repeat of an open one is counted on it, not published again)."""

    event_type: ClassVar[str] = "intelligence.alert_raised"
    alert_id: str
    kind: str
    severity: str
    title: str
    diagnostics: dict[str, Any]
    raised_at: str
