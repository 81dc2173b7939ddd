"""Accuracy and macro-F1, for training's cross-validation and the bench."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def accuracy(truth: Sequence[T], predicted: Sequence[T]) -> float:
    return sum(a == b for a, b in zip(truth, predicted, strict=True)) / max(len(truth), 1)


def macro_f1(truth: Sequence[T], predicted: Sequence[T]) -> float:
    """The mean over the classes present in `truth` or `predicted` of each one's F1."""
    classes = set(truth) | set(predicted)
    scores = []
    for c in classes:
        tp = sum(a == c and b == c for a, b in zip(truth, predicted, strict=True))
        fp = sum(a != c and b == c for a, b in zip(truth, predicted, strict=True))
        fn = sum(a == c and b != c for a, b in zip(truth, predicted, strict=True))
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(scores) / max(len(scores), 1)
