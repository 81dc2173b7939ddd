"""Due times by priority from Settings, and lateness at a moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError

from mercato.agents.support import sla
from mercato.agents.support.statuses import TRANSITIONS, Priority, TicketStatus
from mercato.kernel.config import Settings

OPENED = datetime(2026, 12, 5, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("priority", "first", "resolution"),
    [
        (Priority.URGENT, 1, 4),
        (Priority.HIGH, 4, 24),
        (Priority.NORMAL, 8, 48),
        (Priority.LOW, 24, 96),
    ],
)
def test_the_laptop_defaults_give_each_priority_its_hours(
    priority: Priority, first: int, resolution: int
) -> None:
    due = sla.due(Settings(), priority, OPENED)
    assert due.first_response == OPENED + timedelta(hours=first)
    assert due.resolution == OPENED + timedelta(hours=resolution)


def test_a_store_sets_its_own_hours_for_every_priority_or_none() -> None:
    hours = {"urgent": 0.5, "high": 2, "normal": 4, "low": 8}
    settings = Settings(support_first_response_hours=hours)
    assert sla.due(settings, Priority.URGENT, OPENED).first_response == OPENED + timedelta(
        minutes=30
    )
    with pytest.raises(ValidationError):
        Settings(support_first_response_hours={"urgent": 1})
    with pytest.raises(ValidationError):
        Settings(support_resolution_hours={**hours, "low": 0})


def test_late_is_done_after_due_or_not_done_and_due_already() -> None:
    due = OPENED + timedelta(hours=1)
    assert sla.late(None, due, OPENED) is False
    assert sla.late(None, due, due + timedelta(seconds=1)) is True
    assert sla.late(OPENED, due, due + timedelta(days=1)) is False
    assert sla.late(due + timedelta(minutes=1), due, due) is True


def test_a_solved_ticket_can_only_be_reopened() -> None:
    assert TRANSITIONS[TicketStatus.SOLVED] == {TicketStatus.OPEN}
    assert all(status not in TRANSITIONS[status] for status in TicketStatus)
