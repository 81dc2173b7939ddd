"""An entity found in a message: its type, its normalised value, where it was typed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES: tuple[str, ...] = (
    "product",
    "color",
    "size",
    "quantity",
    "price_min",
    "price_max",
    "category",
    "order_ref",
    "discount_code",
    "email",
    "street",
    "city",
    "postal_code",
    "country",
    "ordinal",
)


@dataclass(frozen=True)
class Entity:
    type: str
    value: str
    start: int
    end: int
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    """What the extractor knows beyond the value (a product's or category's id)."""

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and start < self.end


def free(taken: list[Entity], start: int, end: int) -> bool:
    return not any(e.overlaps(start, end) for e in taken)
