"""Service levels: when a ticket's first staff reply and its solution are due (hours by
priority, from Settings), and whether either is breached at a moment. A due time is counted
from when the ticket opened; a change of priority counts it again from then. Time waiting on
the customer is not paused (a simple clock, as the inbox shows it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from mercato.agents.support.statuses import Priority
from mercato.kernel.config import Settings


@dataclass(frozen=True)
class Due:
    first_response: datetime
    resolution: datetime


def due(settings: Settings, priority: Priority, opened_at: datetime) -> Due:
    first = settings.support_first_response_hours[priority.value]
    resolution = settings.support_resolution_hours[priority.value]
    return Due(
        first_response=opened_at + timedelta(hours=first),
        resolution=opened_at + timedelta(hours=resolution),
    )


def late(done_at: datetime | None, due_at: datetime, now: datetime) -> bool:
    """Done after it was due, or not done and due already."""
    return (done_at if done_at is not None else now) > due_at
