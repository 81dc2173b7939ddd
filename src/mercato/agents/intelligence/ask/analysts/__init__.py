"""The analysis agents a question's plan names, each `analyse(ctx) -> AgentResult`, and the
kind of data each reads (whose freshness its cached results keep)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mercato.agents.intelligence.ask.analysts import competitors, demand, pricing, sales, sentiment
from mercato.agents.intelligence.ask.executor import Analyst

ANALYSTS: Mapping[str, Analyst] = {
    "pricing": pricing.analyse,
    "competitors": competitors.analyse,
    "sentiment": sentiment.analyse,
    "demand": demand.analyse,
    "sales": sales.analyse,
}
KINDS: Mapping[str, str] = {
    "pricing": "pricing",
    "competitors": "competitors",
    "sentiment": "reviews",
    "demand": "forecasts",
    "sales": "sales",
}


@dataclass
class Analysts:
    """The analysts this deployment runs, by name (wired by the agent's setup; a test may put
    its own in, as it puts a model in for the LLM)."""

    by_name: dict[str, Analyst] = field(default_factory=lambda: dict(ANALYSTS))
