"""Training is repeatable: the same seed composes the same examples and trains the same
model; the classifier learns what it is shown."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mercato.agents.intelligence.sentiment.classifier import LABELS, fit
from mercato.agents.intelligence.sentiment.train import train
from mercato.agents.intelligence.sentiment.training_set import compose
from mercato.kernel.embeddings import encoder


def test_the_training_set_is_the_same_for_the_same_seed() -> None:
    # when the set is composed twice with one seed, and once with another
    first, again, other = compose(7, 200), compose(7, 200), compose(8, 200)
    # then the same seed gives the same examples, of every label, without duplicates
    assert first == again != other
    assert {label for _, label in first} == set(LABELS)
    assert len({text for text, _ in first}) == 200


def test_the_classifier_separates_what_it_is_shown() -> None:
    # given three well-separated clouds of points
    rng = np.random.default_rng(0)
    centres = np.asarray([[-3.0, 0.0], [0.0, 3.0], [3.0, 0.0]])
    y = np.repeat(np.arange(3), 30)
    x = centres[y] + rng.normal(0, 0.5, (90, 2))
    # when it is fitted
    probabilities = fit(x, y).probabilities(x)
    # then it tells them apart, with probabilities that sum to one
    assert (probabilities.argmax(axis=1) == y).mean() > 0.95
    assert np.allclose(probabilities.sum(axis=1), 1)


@pytest.mark.skipif(encoder("sentiment") is None, reason="the MiniLM runtime is not installed")
def test_training_twice_with_a_seed_writes_the_same_model(tmp_path: Path) -> None:
    # when a small model is trained twice with one seed
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for out in ("a", "b"):
        train(seed=3, count=60, out=tmp_path / out, say=lambda _: None)
    # then both runs wrote the same files, a model the served one could load
    for name in ("train.jsonl", "model.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    made = json.loads((tmp_path / "a" / "model.json").read_text())
    assert made["version"] == "1.0.3" and made["training_examples"] == 60
    assert 0 <= made["combination"]["embedding_weight"] <= 1
