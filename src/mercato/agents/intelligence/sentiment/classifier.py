"""Multinomial logistic regression in numpy: the classifier on MiniLM embeddings, and the
calibration that turns the lexicon's scores into probabilities. Full-batch gradient descent
with L2; deterministic (zeros to start, no sampling)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

LABELS = ("negative", "neutral", "positive")
Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class Softmax:
    """Weights (features x classes) and biases (classes), in LABELS order, over features
    standardised by the training set's mean and spread."""

    weights: Array
    bias: Array
    mean: Array
    spread: Array

    def probabilities(self, x: Array) -> Array:
        logits = ((x - self.mean) / self.spread) @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        out: Array = exp / exp.sum(axis=1, keepdims=True)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "weights": np.round(self.weights, 6).tolist(),
            "bias": np.round(self.bias, 6).tolist(),
            "mean": np.round(self.mean, 6).tolist(),
            "spread": np.round(self.spread, 6).tolist(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Softmax:
        return cls(
            *(np.asarray(data[k], np.float64) for k in ("weights", "bias", "mean", "spread"))
        )


def fit(x: Array, y: Array, *, l2: float = 1e-2, steps: int = 600, rate: float = 0.5) -> Softmax:
    """Fit on features `x` (n x d) and class indices `y` (n,), classes weighted by their
    inverse frequency (a rarer neutral class is not drowned)."""
    n, d = x.shape
    k = len(LABELS)
    mean, spread = x.mean(axis=0), x.std(axis=0) + 1e-6
    z = (x - mean) / spread
    onehot = np.eye(k)[y]
    counts = np.maximum(onehot.sum(axis=0), 1)
    sample_weight = (n / (k * counts))[y][:, None]
    w, b = np.zeros((d, k)), np.zeros(k)
    for _ in range(steps):
        p = Softmax(w, b, np.zeros(d), np.ones(d)).probabilities(z)
        grad = (p - onehot) * sample_weight / n
        w -= rate * (z.T @ grad + l2 * w)
        b -= rate * grad.sum(axis=0)
    return Softmax(w, b, mean, spread)
