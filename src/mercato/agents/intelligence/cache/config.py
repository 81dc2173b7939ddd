"""How long each kind of analysis stays fresh, and how many entries the cache keeps.

Seed 001's freshness per data type: pricing and competitors' prices 1 h, review sentiment
24 h, forecasts 12 h; sales figures follow the orders (1 h); an LLM's plan of a question is
kept a day (it depends on the words only)."""

from __future__ import annotations

from dataclasses import dataclass

KINDS: tuple[str, ...] = ("pricing", "competitors", "reviews", "forecasts", "sales", "llm_plan")
"""The kinds of entries; `reviews` are the sentiment analyses."""
ANALYSIS_KINDS: tuple[str, ...] = ("pricing", "competitors", "reviews", "forecasts", "sales")
"""The kinds computed from the store's data (an LLM's plan is computed from words only)."""


class UnknownKindError(ValueError):
    """An entry of a kind with no freshness: a caller's mistake, never cached."""


@dataclass(frozen=True)
class CacheConfig:
    pricing_seconds: float = 3600.0
    competitors_seconds: float = 3600.0
    reviews_seconds: float = 86400.0
    forecasts_seconds: float = 43200.0
    sales_seconds: float = 3600.0
    llm_plan_seconds: float = 86400.0
    max_entries: int = 512

    def __post_init__(self) -> None:
        if self.max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        for kind in KINDS:
            if self.freshness(kind) < 0:
                raise ValueError(f"{kind}_seconds must not be negative")

    def freshness(self, kind: str) -> float:
        """Seconds an entry of `kind` may be served after it was computed."""
        if kind not in KINDS:
            raise UnknownKindError(f"no freshness for kind {kind!r}; kinds: {', '.join(KINDS)}")
        seconds: float = getattr(self, f"{kind}_seconds")
        return seconds
