"""How the registry scores predictions and tells drift (seed 001 requirement 14)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mercato.agents.intelligence.registry import metrics

LABEL = st.sampled_from(metrics.LABELS)
SCORE = st.floats(min_value=0.01, max_value=10, allow_nan=False)


@pytest.mark.seed_property(57)
@settings(max_examples=100, deadline=None)
@given(pairs=st.lists(st.tuples(LABEL, LABEL), max_size=60))
def test_property_57_sentiment_predictions_are_scored_against_their_actual_labels(
    pairs: list[tuple[str, str]],
) -> None:
    # when predicted labels are scored against the actual ones
    f1 = metrics.macro_f1(pairs)
    table = metrics.confusion(pairs)

    # then the score is a share, perfect exactly when every prediction was right, and the
    # confusion table accounts for every pair
    assert 0.0 <= f1 <= 1.0
    if pairs:
        assert (f1 == 1.0) == all(p == a for p, a in pairs)
    assert sum(n for row in table.values() for n in row.values()) == len(pairs)
    assert all(table[a][p] >= 1 for p, a in pairs)


@pytest.mark.seed_property(57)
@settings(max_examples=100, deadline=None)
@given(
    pairs=st.lists(
        st.tuples(st.floats(0, 500, allow_nan=False), st.integers(0, 500).map(float)),
        max_size=60,
    )
)
def test_property_57_forecasts_are_scored_against_the_units_sold(
    pairs: list[tuple[float, float]],
) -> None:
    result = metrics.mape(pairs)

    # every day is counted: scored when something sold, set aside when nothing did
    assert result.scored + result.skipped_zero == len(pairs)
    assert result.scored == sum(1 for _, actual in pairs if actual > 0)
    if result.scored:
        assert result.value is not None and result.value >= 0
        exact = all(p == a for p, a in pairs if a > 0)
        assert (result.value == 0) == exact
    else:
        assert result.value is None


@pytest.mark.seed_property(59)
@settings(max_examples=100, deadline=None)
@given(baseline=SCORE, current=SCORE, tolerance=st.floats(0.01, 0.5))
def test_property_59_drift_is_a_score_worse_than_the_baseline_beyond_the_tolerance(
    baseline: float, current: float, tolerance: float
) -> None:
    # when F1 (higher is better) and MAPE (lower is better) move from the baseline
    f1_drifted = metrics.drifted(baseline, current, "higher", tolerance)
    mape_drifted = metrics.drifted(baseline, current, "lower", tolerance)

    # then drift is a relative degradation beyond the tolerance, in each direction (scores
    # within a hair of the limit may fall either way)
    f1_limit, mape_limit = baseline * (1 - tolerance), baseline * (1 + tolerance)
    if current < f1_limit * (1 - 1e-9):
        assert f1_drifted
    elif current > f1_limit * (1 + 1e-9):
        assert not f1_drifted
    if current > mape_limit * (1 + 1e-9):
        assert mape_drifted
    elif current < mape_limit * (1 - 1e-9):
        assert not mape_drifted
    assert not (f1_drifted and mape_drifted)  # no score is worse both ways


def test_the_seeds_example_drift_of_ten_percent() -> None:
    # given a sentiment model whose F1 was 0.80 and a forecast whose MAPE was 0.20
    # then 0.71 F1 (11 % worse) and 0.23 MAPE (15 % worse) are drift; 0.73 and 0.21 are not
    assert metrics.drifted(0.80, 0.71, "higher", 0.10)
    assert not metrics.drifted(0.80, 0.73, "higher", 0.10)
    assert metrics.drifted(0.20, 0.23, "lower", 0.10)
    assert not metrics.drifted(0.20, 0.21, "lower", 0.10)


def test_a_star_rating_states_its_sentiment() -> None:
    assert [metrics.label_of_rating(r) for r in (1, 2, 3, 4, 5)] == [
        "negative", "negative", "neutral", "positive", "positive",
    ]  # fmt: skip


def test_labels_nobody_used_do_not_dilute_the_f1() -> None:
    # given predictions only ever positive or negative, all right
    pairs = [("positive", "positive"), ("negative", "negative")]

    # then the F1 is perfect: neutral, never seen, is not averaged in as a zero
    assert metrics.macro_f1(pairs) == 1.0
    assert metrics.macro_f1([]) == 0.0
