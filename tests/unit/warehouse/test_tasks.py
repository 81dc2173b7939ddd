"""A task's transitions: open → assigned → in_progress → done, cancelled before done; every
other move is refused (409 `invalid_task_transition`)."""

from __future__ import annotations

import pytest

from mercato.agents.warehouse.problems import InvalidTransition
from mercato.agents.warehouse.statuses import TaskStatus
from mercato.agents.warehouse.tasks import ACTIONS, next_status

OPEN, ASSIGNED, STARTED = TaskStatus.OPEN, TaskStatus.ASSIGNED, TaskStatus.IN_PROGRESS
DONE, CANCELLED = TaskStatus.DONE, TaskStatus.CANCELLED

ALLOWED = {
    (OPEN, "assign"): ASSIGNED,
    (ASSIGNED, "assign"): ASSIGNED,
    (OPEN, "start"): STARTED,
    (ASSIGNED, "start"): STARTED,
    (STARTED, "complete"): DONE,
    (OPEN, "cancel"): CANCELLED,
    (ASSIGNED, "cancel"): CANCELLED,
    (STARTED, "cancel"): CANCELLED,
}


@pytest.mark.parametrize(("current", "action"), sorted(ALLOWED))
def test_the_allowed_moves(current: TaskStatus, action: str) -> None:
    assert next_status(current, action) is ALLOWED[(current, action)]


REFUSED = [
    (status, action)
    for status in TaskStatus
    for action in ACTIONS
    if (status, action) not in ALLOWED
]


@pytest.mark.parametrize(("current", "action"), REFUSED)
def test_every_other_move_is_refused(current: TaskStatus, action: str) -> None:
    with pytest.raises(InvalidTransition) as refused:
        next_status(current, action)
    assert refused.value.status == 409
    assert refused.value.extra == {"status_now": current}


def test_a_finished_task_moves_no_more() -> None:
    assert {a for s, a in REFUSED if s is DONE} == set(ACTIONS)
    assert {a for s, a in REFUSED if s is CANCELLED} == set(ACTIONS)
