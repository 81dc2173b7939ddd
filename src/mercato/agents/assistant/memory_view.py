"""What the assistant remembers of a shopper, as a turn reads it: the preferences they stated
(a size, colours they like, materials they avoid, a budget) and the affinities their
signals show (brands, categories, colours, price bands, each with a weight), and how both
reorder a list of products."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

PRICE_BANDS = (
    (Decimal(25), "under 25"),
    (Decimal(50), "25-50"),
    (Decimal(100), "50-100"),
    (Decimal(250), "100-250"),
)


def price_band(price: Decimal) -> str:
    for ceiling, name in PRICE_BANDS:
        if price < ceiling:
            return name
    return "250 and over"


@dataclass(frozen=True)
class Remembered:
    preferences: dict[str, list[str]] = field(default_factory=dict)
    """key (size, color, exclude, max_price, likes) → values, newest first."""
    affinities: dict[str, dict[str, float]] = field(default_factory=dict)
    """key (brand, category, color, price_band) → value → weight."""

    def first(self, key: str) -> str | None:
        values = self.preferences.get(key)
        return values[0] if values else None

    @property
    def excluded(self) -> list[str]:
        return self.preferences.get("exclude", [])

    def avoids(self, product: dict[str, Any]) -> bool:
        """Whether the product is made of or named with something the shopper avoids."""
        if not self.excluded:
            return False
        words = _words_of(product)
        return any(re.search(rf"\b{re.escape(x.lower())}", words) for x in self.excluded)

    def score(self, product: dict[str, Any]) -> float:
        """How much the shopper's memory favours a product (0: nothing known)."""
        score = 0.0
        words = _words_of(product)
        for key in ("color", "likes"):
            for value in self.preferences.get(key, []):
                if re.search(rf"\b{re.escape(value.lower())}", words):
                    score += 1.0
        size = self.first("size")
        if size and any(
            str(v).lower() == size.lower()
            for variant in product.get("variants", [])
            for v in (variant.get("attributes") or {}).values()
        ):
            score += 0.5
        budget = self.first("max_price")
        price = _price(product)
        if budget and price is not None:
            with contextlib.suppress(InvalidOperation):
                score += 0.5 if price <= Decimal(budget) else -0.5
        total = sum(sum(v.values()) for v in self.affinities.values()) or 1.0
        for key in ("color", "brand", "category"):
            for value, weight in self.affinities.get(key, {}).items():
                if re.search(rf"\b{re.escape(value.lower())}\b", words):
                    score += weight / total
        if price is not None:
            score += self.affinities.get("price_band", {}).get(price_band(price), 0.0) / total
        return score

    def rank(self, products: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The products without those the shopper avoids (unless that leaves none), those
        their memory favours first; the search's order otherwise kept."""
        kept = [p for p in products if not self.avoids(p)] or products
        if not self.preferences and not self.affinities:
            return kept
        order = {id(p): i for i, p in enumerate(kept)}
        return sorted(kept, key=lambda p: (-round(self.score(p), 3), order[id(p)]))


def _price(product: dict[str, Any]) -> Decimal | None:
    try:
        return Decimal(str(product.get("price")))
    except (InvalidOperation, TypeError):
        return None


def _words_of(product: dict[str, Any]) -> str:
    parts = [product.get("name", ""), product.get("description", "")]
    parts += [str(v) for v in (product.get("attributes") or {}).values()]
    for variant in product.get("variants", []):
        parts += [str(v) for v in (variant.get("attributes") or {}).values()]
    return " ".join(parts).lower()
