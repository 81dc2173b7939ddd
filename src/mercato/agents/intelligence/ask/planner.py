"""Which analysis agents a question needs, from the router's (or the LLM's) reading: each
intent names the agents that answer it; advice, and a question not understood, need all five.
Always in `AGENTS` order, so the same question plans the same run."""

from __future__ import annotations

from mercato.agents.intelligence.ask.router import WHY_NOTE
from mercato.agents.intelligence.ask.scope import Intent, Route

AGENTS = ("pricing", "competitors", "sentiment", "demand", "sales")

NEEDS: dict[Intent, tuple[str, ...]] = {
    Intent.PRICE_POSITION: ("pricing",),
    Intent.COMPETITOR_MOVES: ("competitors", "pricing"),
    Intent.SENTIMENT: ("sentiment",),
    Intent.FORECAST: ("demand",),
    Intent.STOCK_RISK: ("demand", "sales"),
    Intent.SALES_TREND: ("sales",),
    Intent.ADVICE: AGENTS,
}
EXPLAIN_SALES = ("sales", "pricing", "sentiment", "competitors", "demand")
"""A sales trend with a "why" or a "what should I do": everything that can explain it."""


def agents_for(route: Route) -> tuple[str, ...]:
    if not route.understood or not route.intents:
        return AGENTS
    wanted: set[str] = set()
    for intent in route.intents:
        wanted.update(NEEDS[intent])
    explains = Intent.ADVICE in route.intents or WHY_NOTE in route.notes
    if Intent.SALES_TREND in route.intents and explains:
        wanted.update(EXPLAIN_SALES)
    return tuple(agent for agent in AGENTS if agent in wanted)
