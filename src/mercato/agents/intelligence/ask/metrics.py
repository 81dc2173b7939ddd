"""The questions' metrics (on `/metrics` with the kernel's)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

question_seconds = Histogram(
    "mercato_intelligence_question_seconds",
    "From a question's start until its report is stored, by mode and outcome",
    ["mode", "status"],
    buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600),
)
agent_seconds = Histogram(
    "mercato_intelligence_agent_seconds",
    "One analysis agent's run for one question, by agent, mode and outcome",
    ["agent", "mode", "status"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60),
)
agent_cache = Counter(
    "mercato_intelligence_agent_cache_total",
    "Analysis agents' results by how the cache answered (hit, miss, refreshed, bypass)",
    ["agent", "outcome"],
)
