"""An LLM's plan of a question, kept so the same question asked again spends no tokens
(seed 001 property 46): keyed by the question normalised for case, spacing and
punctuation."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Awaitable, Callable
from typing import Any

from mercato.agents.intelligence.cache import deps
from mercato.agents.intelligence.cache.analysis_cache import AnalysisCache, CacheOutcome

KIND = "llm_plan"

PlanCall = Callable[[], Awaitable[tuple[dict[str, Any], int]]]
"""Asks the LLM: the plan and the tokens it spent."""


def normalise_question(question: str) -> str:
    """Case-folded; punctuation dropped ("what's" is "whats"), dashes, symbols and runs of
    spaces made one space."""
    kept = []
    for ch in unicodedata.normalize("NFKC", question).casefold():
        group = unicodedata.category(ch)
        if group == "Pd" or group[0] in "SZC":
            kept.append(" ")
        elif group[0] != "P":
            kept.append(ch)
    return " ".join("".join(kept).split())


def plan_key(question: str) -> str:
    digest = hashlib.sha256(normalise_question(question).encode()).hexdigest()
    return f"{KIND}:{digest}"


async def cached_plan(
    cache: AnalysisCache, question: str, plan: PlanCall, *, store: str | None = None
) -> tuple[dict[str, Any], int]:
    """The plan of `question`, and the tokens spent for it now (0 when it was kept)."""
    spent = 0

    async def ask() -> dict[str, Any]:
        nonlocal spent
        value, spent = await plan()
        return value

    value, outcome = await cache.get_or_compute(
        plan_key(question), kind=KIND, deps=[deps.of_kind(KIND)], compute=ask, store=store
    )
    return value, 0 if outcome is CacheOutcome.HIT else spent
