"""The entity extractor: each kind's finder in turn, the surest first, each leaving alone
what an earlier one took (an order number is not a quantity; a code is not a product)."""

from __future__ import annotations

from mercato.agents.assistant.nlu import amounts, attributes, places
from mercato.agents.assistant.nlu.found import Entity
from mercato.agents.assistant.nlu.gazetteer import Gazetteer


def extract(text: str, gazetteer: Gazetteer | None = None) -> list[Entity]:
    taken: list[Entity] = []
    for finder in (
        places.emails,
        amounts.order_refs,
        attributes.codes,
        places.addresses,
        amounts.prices,
        attributes.ordinals,
        attributes.sizes,
        amounts.quantities,
        attributes.colors,
    ):
        taken += finder(text, taken)
    if gazetteer is not None:
        taken += gazetteer.entities(text, taken)
    return sorted(taken, key=lambda e: (e.start, e.end))
