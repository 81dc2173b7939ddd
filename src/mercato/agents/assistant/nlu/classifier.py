"""The intent classifier: a softmax over the features of `features.py`, its weights trained by
`train.py` and shipped beside this module (`intent_model.npz`). Confidences are calibrated:
the logits are divided by a temperature fitted on held-out sentences, so "0.8" means right
about four times in five on sentences shaped unlike the training ones."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from mercato.agents.assistant.nlu import features
from mercato.agents.assistant.nlu.intents import INTENTS

MODEL = Path(__file__).parent / "intent_model.npz"


@dataclass(frozen=True)
class Model:
    weights: np.ndarray[Any, Any]
    """(WIDTH, len(intents)) float32."""
    bias: np.ndarray[Any, Any]
    temperature: float
    intents: tuple[str, ...]
    digest: str
    """Of the examples it was trained on: which build of the phrasebooks it learned."""

    def probabilities(self, texts: list[str]) -> np.ndarray[Any, Any]:
        return softmax((features.vectors(texts) @ self.weights + self.bias) / self.temperature)

    def save(self, path: Path = MODEL) -> None:
        np.savez_compressed(
            path,
            weights=self.weights.astype(np.float16),
            bias=self.bias.astype(np.float32),
            temperature=np.float32(self.temperature),
            intents=np.array(self.intents),
            digest=np.array(self.digest),
            width=np.int64(features.WIDTH),
        )


def softmax(logits: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    result: np.ndarray[Any, Any] = exp / exp.sum(axis=1, keepdims=True)
    return result


def load(path: Path = MODEL) -> Model:
    with np.load(path, allow_pickle=False) as data:
        if int(data["width"]) != features.WIDTH:
            raise ValueError(f"{path} was trained on other features: run `mercato assistant train`")
        intents = tuple(str(i) for i in data["intents"])
        if set(intents) != set(INTENTS):
            raise ValueError(f"{path} knows other intents: run `mercato assistant train`")
        return Model(
            weights=data["weights"].astype(np.float32),
            bias=data["bias"].astype(np.float32),
            temperature=float(data["temperature"]),
            intents=intents,
            digest=str(data["digest"]),
        )


@cache
def shipped() -> Model:
    """The model that ships with Mercato, loaded once per process."""
    return load()
