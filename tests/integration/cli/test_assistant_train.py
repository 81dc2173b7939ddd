"""`mercato assistant train`: the intent model rebuilt from the phrasebooks, the same every
time; and the model shipped with Mercato is the one its phrasebooks make."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from mercato.agents.assistant.nlu import classifier
from mercato.agents.assistant.nlu.generate import demo_vocabulary, examples
from mercato.agents.assistant.nlu.train import HOLDOUT, PER_PATTERN, digest_of
from mercato.cli import app

runner = CliRunner()


def test_training_twice_makes_the_same_model(tmp_path: Path) -> None:
    # when the model is trained twice, quickly, with the same seed
    made = []
    for n in (1, 2):
        out = tmp_path / f"model-{n}.npz"
        result = runner.invoke(
            app, ["assistant", "train", "--per-pattern", "1", "--epochs", "2", "--output", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert "Trained on" in result.output and "examples digest" in result.output
        made.append(classifier.load(out))
    # then both are the same, weight for weight
    first, second = made
    assert first.digest == second.digest and first.temperature == second.temperature
    assert np.array_equal(first.weights, second.weights) and np.array_equal(first.bias, second.bias)


def test_the_shipped_model_learned_the_phrasebooks_as_they_are() -> None:
    # given the examples the phrasebooks make today
    train, held = examples(demo_vocabulary(), per_pattern=PER_PATTERN, seed=7, holdout=HOLDOUT)
    # then the shipped model was trained on exactly them (else: `mercato assistant train`)
    assert classifier.shipped().digest == digest_of(train + held)
