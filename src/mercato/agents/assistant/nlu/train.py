"""Training the intent classifier: softmax regression on the generated examples (Adam, L2,
classes weighted by their size), then the temperature that makes its confidences honest on
held-out patterns. Deterministic: the same phrasebooks and seed give the same weights."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from mercato.agents.assistant.nlu import features
from mercato.agents.assistant.nlu.classifier import Model, softmax
from mercato.agents.assistant.nlu.generate import Vocabulary, examples
from mercato.agents.assistant.nlu.intents import INTENTS

Progress = Callable[[str, int, int], None]
PER_PATTERN = 14
"""Sentences made from each pattern."""
EPOCHS = 60
HOLDOUT = 5
"""Every fifth pattern of an intent gives the held-out sentences the temperature is fitted on."""


@dataclass(frozen=True)
class Report:
    examples: int
    held_out: int
    held_out_accuracy: float
    temperature: float
    expected_calibration_error: float


def fit(
    x: np.ndarray[Any, Any],
    y: np.ndarray[Any, Any],
    classes: int,
    *,
    epochs: int = EPOCHS,
    l2: float = 1e-4,
    rate: float = 0.05,
    seed: int = 7,
    progress: Progress | None = None,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    rng = np.random.default_rng(seed)
    weights = rng.normal(0, 0.01, (x.shape[1], classes)).astype(np.float32)
    bias = np.zeros(classes, dtype=np.float32)
    onehot = np.eye(classes, dtype=np.float32)[y]
    share = np.bincount(y, minlength=classes).astype(np.float32)
    sample_weight = (len(y) / (classes * np.maximum(share, 1)))[y][:, None]
    moments = [np.zeros_like(weights), np.zeros_like(bias)]
    squares = [np.zeros_like(weights), np.zeros_like(bias)]
    for epoch in range(1, epochs + 1):
        order = rng.permutation(len(y))
        for start in range(0, len(y), 512):
            batch = order[start : start + 512]
            probs = softmax(x[batch] @ weights + bias)
            delta = (probs - onehot[batch]) * sample_weight[batch] / len(batch)
            grads = [x[batch].T @ delta + l2 * weights, delta.sum(axis=0)]
            for i, (param, grad) in enumerate(zip((weights, bias), grads, strict=True)):
                moments[i] = 0.9 * moments[i] + 0.1 * grad
                squares[i] = 0.999 * squares[i] + 0.001 * grad * grad
                np.subtract(param, rate * moments[i] / (np.sqrt(squares[i]) + 1e-8), out=param)
        if progress:
            progress("fit", epoch, epochs)
    return weights, bias


def temperature_for(logits: np.ndarray[Any, Any], y: np.ndarray[Any, Any]) -> float:
    """The temperature that minimises the held-out negative log-likelihood."""
    best, best_loss = 1.0, float("inf")
    for t in np.exp(np.linspace(np.log(0.2), np.log(10.0), 80)):
        probs = softmax(logits / t)
        loss = float(-np.log(probs[np.arange(len(y)), y] + 1e-12).mean())
        if loss < best_loss:
            best, best_loss = float(t), loss
    return best


def calibration_error(
    probs: np.ndarray[Any, Any], y: np.ndarray[Any, Any], bins: int = 10
) -> float:
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == y
    error = 0.0
    for low in np.linspace(0, 1, bins, endpoint=False):
        mask = (confidence > low) & (confidence <= low + 1 / bins)
        if mask.any():
            error += mask.mean() * abs(float(correct[mask].mean()) - float(confidence[mask].mean()))
    return error


def digest_of(pairs: list[tuple[str, str]]) -> str:
    """What the model learned from, in 16 hex digits: a phrasebook changed without training
    again shows as a digest that differs from the shipped model's."""
    return hashlib.sha256("\n".join(f"{i}\t{t}" for t, i in pairs).encode("utf-8")).hexdigest()[:16]


def train(
    vocabulary: Vocabulary,
    *,
    seed: int = 7,
    per_pattern: int = PER_PATTERN,
    epochs: int = EPOCHS,
    progress: Progress | None = None,
) -> tuple[Model, Report]:
    train_pairs, held_pairs = examples(
        vocabulary, per_pattern=per_pattern, seed=seed, holdout=HOLDOUT
    )
    index = {name: i for i, name in enumerate(INTENTS)}
    digest = digest_of(train_pairs + held_pairs)
    if progress:
        progress("features", 0, 1)
    x = features.vectors([t for t, _ in train_pairs])
    y = np.array([index[i] for _, i in train_pairs])
    hx = features.vectors([t for t, _ in held_pairs])
    hy = np.array([index[i] for _, i in held_pairs])
    if progress:
        progress("features", 1, 1)
    weights, bias = fit(x, y, len(INTENTS), seed=seed, epochs=epochs, progress=progress)
    logits = hx @ weights + bias
    temperature = temperature_for(logits, hy)
    probs = softmax(logits / temperature)
    # the held-out patterns were only for the temperature: the shipped model learns them too
    all_x = np.vstack([x, hx])
    all_y = np.concatenate([y, hy])
    weights, bias = fit(all_x, all_y, len(INTENTS), seed=seed, epochs=epochs, progress=progress)
    model = Model(weights, bias, temperature, INTENTS, digest)
    report = Report(
        examples=len(all_y),
        held_out=len(hy),
        held_out_accuracy=float((probs.argmax(axis=1) == hy).mean()),
        temperature=temperature,
        expected_calibration_error=calibration_error(probs, hy),
    )
    return model, report
