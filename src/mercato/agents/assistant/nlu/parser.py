"""Understanding a message: its intent (the classifier's, with its calibrated confidence and
the ranking of the others) and its entities (the extractor's). A message the classifier is
unsure of, whatever it leaned to, is `out_of_scope`: the assistant asks again rather than
act on a guess."""

from __future__ import annotations

from dataclasses import dataclass

from mercato.agents.assistant.nlu import classifier
from mercato.agents.assistant.nlu.entities import extract
from mercato.agents.assistant.nlu.found import Entity
from mercato.agents.assistant.nlu.gazetteer import Gazetteer
from mercato.agents.assistant.nlu.guard import elsewhere, steering
from mercato.agents.assistant.nlu.intents import OUT_OF_SCOPE

UNSURE = 0.25
"""Below this confidence the top intent is not taken (measured on held-out patterns, the
classifier is right on about one in four at this level)."""
RANKED = 5


@dataclass(frozen=True)
class Understanding:
    text: str
    intent: str
    confidence: float
    ranking: list[tuple[str, float]]
    entities: list[Entity]
    steering: bool = False
    """The message tries to steer the assistant (`guard.py`): out of scope, never acted on."""

    def first(self, kind: str) -> Entity | None:
        return next((e for e in self.entities if e.type == kind), None)

    def all(self, kind: str) -> list[Entity]:
        return [e for e in self.entities if e.type == kind]


def understand(text: str, gazetteer: Gazetteer | None = None) -> Understanding:
    model = classifier.shipped()
    probabilities = model.probabilities([text])[0]
    ranking = sorted(
        ((name, float(p)) for name, p in zip(model.intents, probabilities, strict=True)),
        key=lambda pair: pair[1],
        reverse=True,
    )[:RANKED]
    intent, confidence = ranking[0]
    steered = steering(text)
    if steered:
        ranking = [
            (OUT_OF_SCOPE, 1.0),
            *[(n, 0.0) for n, _ in ranking if n != OUT_OF_SCOPE][: RANKED - 1],
        ]
        intent, confidence = OUT_OF_SCOPE, 1.0
    elif confidence < UNSURE or elsewhere(text):
        intent = OUT_OF_SCOPE
    return Understanding(
        text=text,
        intent=intent,
        confidence=round(confidence, 4),
        ranking=[(name, round(p, 4)) for name, p in ranking],
        entities=[] if steered else extract(text, gazetteer),
        steering=steered,
    )
