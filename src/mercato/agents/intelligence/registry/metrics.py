"""How a model's predictions are scored against what happened, and when the score has
drifted. Pure functions: the registry's service feeds them resolved predictions.

- Sentiment is scored by macro-F1 over the labels (higher is better): the customer's own
  star rating is the actual label (4 or 5 positive, 3 neutral, 1 or 2 negative).
- Demand is scored by MAPE over days with sales (lower is better); days that sold nothing
  have no percentage error and are left out (their count is reported, not hidden).

Drift (seed 001, requirements 14.3 and 14.4): the score is worse than the version's baseline by more
than the tolerance (10 % by default), relative to the baseline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Direction = Literal["higher", "lower"]
"""Which way a metric improves: F1 up, MAPE down."""

LABELS = ("negative", "neutral", "positive")


def label_of_rating(rating: int) -> str:
    """The sentiment a customer's star rating states."""
    return "positive" if rating >= 4 else "neutral" if rating == 3 else "negative"


def macro_f1(pairs: Iterable[tuple[str, str]]) -> float:
    """Mean F1 over the labels that occur (as predicted or actual) in (predicted, actual)
    pairs; 0.0 for no pairs. A label never predicted nor present does not dilute the mean."""
    pairs = list(pairs)
    if not pairs:
        return 0.0
    seen = sorted({p for p, _ in pairs} | {a for _, a in pairs})
    scores = []
    for label in seen:
        tp = sum(1 for p, a in pairs if p == label and a == label)
        fp = sum(1 for p, a in pairs if p == label and a != label)
        fn = sum(1 for p, a in pairs if p != label and a == label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


@dataclass(frozen=True)
class Mape:
    value: float | None
    """Mean absolute percentage error (0.25 = 25 %); None when no day had sales."""
    scored: int
    skipped_zero: int
    """Days whose actual was 0: no percentage error exists for them."""


def mape(pairs: Iterable[tuple[float, float]]) -> Mape:
    """MAPE of (predicted, actual) pairs over those with a positive actual."""
    errors: list[float] = []
    zero = 0
    for predicted, actual in pairs:
        if actual > 0:
            errors.append(abs(predicted - actual) / actual)
        else:
            zero += 1
    return Mape(sum(errors) / len(errors) if errors else None, len(errors), zero)


def worse_by(baseline: float, current: float, direction: Direction) -> float:
    """How much worse `current` is than `baseline`, relative to the baseline (0.12 = 12 %
    worse; negative: better). A zero baseline: any change the wrong way is infinitely worse,
    none is 0."""
    change = (baseline - current) if direction == "higher" else (current - baseline)
    if baseline == 0:
        return float("inf") if change > 0 else 0.0
    return change / abs(baseline)


def drifted(baseline: float, current: float, direction: Direction, tolerance: float) -> bool:
    """Whether the score has degraded beyond the tolerance (strictly more than it)."""
    return worse_by(baseline, current, direction) > tolerance


def better(candidate: float, incumbent: float, direction: Direction) -> bool:
    return candidate > incumbent if direction == "higher" else candidate < incumbent


def confusion(pairs: Sequence[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """actual → predicted → count, for the labels of sentiment."""
    table = {a: dict.fromkeys(LABELS, 0) for a in LABELS}
    for predicted, actual in pairs:
        if actual in table and predicted in table[actual]:
            table[actual][predicted] += 1
    return table
