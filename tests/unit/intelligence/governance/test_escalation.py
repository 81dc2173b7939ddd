"""Failure escalation rules (seed 001 requirement 18): three failures in a row escalate (72),
a timeout always alerts (73), a connection failure always alerts critically (74), an ok
ends the run."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.governance.escalation import (
    REPEATED,
    Outcome,
    escalations,
    next_failures,
)

EXAMPLES = settings(max_examples=100, deadline=None, database=None)
OUTCOMES = st.lists(st.sampled_from(["ok", "failed", "timeout", "connection_error"]), max_size=30)


def _run(outcomes: list[Outcome]) -> list[tuple[int, list[str]]]:
    failures, seen = 0, []
    for outcome in outcomes:
        failures = next_failures(failures, outcome)
        seen.append(
            (failures, [e.kind for e in escalations("llm", failures=failures, outcome=outcome)])
        )
    return seen


@pytest.mark.seed_property(72)
@EXAMPLES
@given(outcomes=OUTCOMES)
def test_property_72_three_failures_in_a_row_escalate(outcomes: list[Outcome]) -> None:
    # when a component's outcomes are counted one after the other
    seen = _run(outcomes)
    # then an outcome escalates as repeated exactly when it ends a run of 3+ failures
    for i, (failures, kinds) in enumerate(seen):
        run = 0
        for outcome in reversed(outcomes[: i + 1]):
            if outcome == "ok":
                break
            run += 1
        assert failures == run
        assert ("repeated_failures" in kinds) == (run >= REPEATED)


@pytest.mark.seed_property(73)
@EXAMPLES
@given(outcomes=OUTCOMES)
def test_property_73_every_timeout_escalates(outcomes: list[Outcome]) -> None:
    # when a component's outcomes are counted one after the other
    seen = _run(outcomes)
    # then each timeout, and only a timeout, raises a timeout alert of medium severity
    for outcome, (_, kinds) in zip(outcomes, seen, strict=True):
        assert ("timeout" in kinds) == (outcome == "timeout")
    found = [e for e in escalations("llm", failures=1, outcome="timeout") if e.kind == "timeout"]
    assert [e.severity for e in found] == ["medium"]


@pytest.mark.seed_property(74)
@EXAMPLES
@given(outcomes=OUTCOMES)
def test_property_74_every_connection_failure_raises_a_critical_alert(
    outcomes: list[Outcome],
) -> None:
    # when a component's outcomes are counted one after the other
    seen = _run(outcomes)
    # then each connection failure, and only one, raises a critical connection alert
    for outcome, (failures, kinds) in zip(outcomes, seen, strict=True):
        assert ("connection_failure" in kinds) == (outcome == "connection_error")
        for escalation in escalations("llm", failures=failures, outcome=outcome):
            if escalation.kind == "connection_failure":
                assert escalation.severity == "critical"
