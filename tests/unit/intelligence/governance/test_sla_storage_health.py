"""Performance, storage and health rules (seed 001 requirements 15, 17, 18): a question past
its mode's limit breaches the SLA, one past three times its mode's median is an anomaly (65);
a kind past its rows threshold alerts (71); a failed check's diagnostics hold every check."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.governance.config import SlaLimits, StorageThresholds
from mercato.agents.intelligence.governance.health import Check, diagnostics_of
from mercato.agents.intelligence.governance.sla import judge
from mercato.agents.intelligence.governance.storage import KindStorage, StorageReport, over

EXAMPLES = settings(max_examples=100, deadline=None, database=None)
SECONDS = st.floats(0.1, 1000, allow_nan=False)


@pytest.mark.seed_property(65)
@EXAMPLES
@given(
    mode=st.sampled_from(["quick", "deep"]),
    seconds=SECONDS,
    history=st.lists(SECONDS, max_size=70),
)
def test_property_65_slow_questions_raise_performance_alerts(
    mode: str, seconds: float, history: list[float]
) -> None:
    limits = SlaLimits()
    # when a finished question is judged against its mode's limit and recent median
    kinds = [e.kind for e in judge(mode, seconds, history, limits)]  # type: ignore[arg-type]
    # then it breaches the SLA iff it took longer than the limit
    assert ("sla_breach" in kinds) == (seconds > (600 if mode == "deep" else 120))
    # and is an anomaly iff 10+ samples exist and it took over 3x the last 50's median
    window = history[:50]
    anomalous = len(window) >= 10 and seconds > 3 * statistics.median(window)
    assert ("performance_anomaly" in kinds) == anomalous


@pytest.mark.seed_property(71)
@EXAMPLES
@given(
    rows=st.fixed_dictionaries(
        {k: st.integers(0, 3000) for k in ("raw", "processed", "agent_run", "report", "archive")}
    ),
    raw=st.integers(0, 3000),
    processed=st.integers(0, 3000),
    reports=st.integers(0, 3000),
)
def test_property_71_a_kind_past_its_threshold_is_reported(
    rows: dict[str, int], raw: int, processed: int, reports: int
) -> None:
    thresholds = StorageThresholds(raw_rows=raw, processed_rows=processed, reports_rows=reports)
    report = StorageReport([KindStorage(kind, n, n * 100) for kind, n in rows.items()])
    # when the storage report is held to the thresholds
    found = {k.kind for k in over(report, thresholds)}
    # then exactly the kinds past theirs are found (archives' metadata has none)
    limit = {"raw": raw, "processed": processed, "agent_run": processed, "report": reports}
    assert found == {kind for kind, n in rows.items() if kind in limit and n > limit[kind]}


@pytest.mark.seed_property(75)
@EXAMPLES
@given(
    checks=st.lists(
        st.builds(
            Check,
            name=st.text(min_size=1, max_size=20),
            ok=st.booleans(),
            detail=st.text(max_size=50),
            duration_ms=st.floats(0, 2000, allow_nan=False),
        ),
        max_size=8,
    )
)
def test_property_75_health_diagnostics_hold_every_check(checks: list[Check]) -> None:
    # when the diagnostics of a run of checks are made
    found = diagnostics_of(checks)
    # then every check is there with its result, and the failing ones are named
    assert [c["name"] for c in found["checks"]] == [c.name for c in checks]
    assert [(c["ok"], c["detail"]) for c in found["checks"]] == [(c.ok, c.detail) for c in checks]
    assert found["failing"] == [c.name for c in checks if not c.ok]
    assert found["host"]["name"]
