"""The served sentiment model: the lexicon (calibrated to probabilities) and the classifier
on MiniLM embeddings, their probabilities averaged with the weight cross-validation chose
at training (`assets/model.json`). The lexicon decides alone when the embeddings cannot be
computed. Loaded once per process; the ONNX model only on first use.

From the probabilities p: label = the likeliest class, polarity = p(positive) - p(negative)
(in [-1, 1], and of the label's sign), confidence = p(label)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np

from mercato.agents.intelligence.sentiment import aspects, lexicon
from mercato.agents.intelligence.sentiment.classifier import LABELS, Array, Softmax
from mercato.agents.intelligence.sentiment.text import DATA, MAX_CHARS
from mercato.kernel.embeddings import encoder

NOTHING_TO_READ = np.asarray([0.1, 0.8, 0.1])
"""A text without a word or a known emoji says nothing: neutral."""


@dataclass(frozen=True)
class Analysis:
    label: str
    polarity: float
    confidence: float
    aspects: list[aspects.AspectOpinion] = field(default_factory=list)
    embedding: Array | None = None
    """The text's MiniLM vector (None when embeddings were unavailable), for topics."""

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "polarity": self.polarity,
            "confidence": self.confidence,
            "aspects": [
                {"aspect": a.aspect, "label": a.label, "polarity": a.polarity} for a in self.aspects
            ],
        }


@dataclass(frozen=True)
class Model:
    name: str
    version: str
    calibration: Softmax
    classifier: Softmax
    embedding_weight: float

    def describe(self, *, embeddings: bool) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "combination": (
                f"lexicon {1 - self.embedding_weight:.1f} + embeddings {self.embedding_weight:.1f}"
                if embeddings
                else "lexicon only (embeddings unavailable)"
            ),
        }


@cache
def model() -> Model:
    data = json.loads((DATA / "model.json").read_text())
    return Model(
        name=data["name"],
        version=data["version"],
        calibration=Softmax.from_json(data["lexicon"]["calibration"]),
        classifier=Softmax.from_json(data["embedding"]["classifier"]),
        embedding_weight=float(data["combination"]["embedding_weight"]),
    )


def embed(texts: list[str]) -> Array | None:
    """The texts' MiniLM vectors, or None when the model cannot run here."""
    enc = encoder("sentiment")
    if enc is None or not texts:
        return None
    return enc.embed([t[:MAX_CHARS] for t in texts]).astype(np.float64)


def lexicon_probabilities(scores: list[lexicon.LexiconScore]) -> Array:
    return model().calibration.probabilities(np.asarray([s.features() for s in scores]))


def analyse(texts: list[str], *, use_embeddings: bool = True) -> list[Analysis]:
    """Every text's label, polarity, confidence and aspects (any text, even an empty one,
    gets all four)."""
    if not texts:
        return []
    scores = [lexicon.score(t) for t in texts]
    probabilities = lexicon_probabilities(scores)
    vectors = embed(texts) if use_embeddings else None
    if vectors is not None:
        w = model().embedding_weight
        probabilities = (1 - w) * probabilities + w * model().classifier.probabilities(vectors)
    for i, text in enumerate(texts):
        if not any(c.isalnum() for c in text) and scores[i].compound == 0:
            probabilities[i] = NOTHING_TO_READ  # no word, no emoji the lexicon knows
    results = []
    for i, (text, score) in enumerate(zip(texts, scores, strict=True)):
        p = probabilities[i]
        best = int(np.argmax(p))
        results.append(
            Analysis(
                label=LABELS[best],
                polarity=round(float(np.clip(p[2] - p[0], -1.0, 1.0)), 4),
                confidence=round(float(np.clip(p[best], 0.0, 1.0)), 4),
                aspects=aspects.opinions(text, sarcastic=score.sarcastic),
                embedding=None if vectors is None else vectors[i],
            )
        )
    return results
