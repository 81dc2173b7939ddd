"""The intelligence agent's analysis cache (seed 001 part 2): results kept fresh per kind
of data, recomputed before use once stale, invalidated by the events that change what they
were computed from, and bounded by LRU eviction; in memory embedded, in Redis scaled.

    cache = kernel.deps(AnalysisCache)   # provided by `cache_for(settings, clock)`
    result, outcome = await cache.get_or_compute(
        key, kind="pricing", deps=deps.for_products("pricing", [product_id]), compute=run
    )
"""

from __future__ import annotations

from collections.abc import Sequence

from mercato.agents.intelligence.cache import deps
from mercato.agents.intelligence.cache.analysis_cache import AnalysisCache, CacheOutcome
from mercato.agents.intelligence.cache.config import (
    ANALYSIS_KINDS,
    KINDS,
    CacheConfig,
    UnknownKindError,
)
from mercato.agents.intelligence.cache.entries import (
    CacheBackend,
    CacheEntry,
    CacheUnavailableError,
)
from mercato.agents.intelligence.cache.factory import cache_for, close
from mercato.agents.intelligence.cache.handlers import HANDLERS as _HANDLERS
from mercato.agents.intelligence.cache.memory import MemoryBackend
from mercato.agents.intelligence.cache.plans import cached_plan, normalise_question
from mercato.agents.intelligence.cache.redis_backend import RedisBackend
from mercato.kernel.agent import PeriodicJob
from mercato.kernel.bus.subscriptions import Handler

TABLES: Sequence[str] = ()
HANDLERS: Sequence[Handler] = _HANDLERS
JOBS: Sequence[PeriodicJob] = ()

__all__ = [
    "ANALYSIS_KINDS",
    "HANDLERS",
    "JOBS",
    "KINDS",
    "TABLES",
    "AnalysisCache",
    "CacheBackend",
    "CacheConfig",
    "CacheEntry",
    "CacheOutcome",
    "CacheUnavailableError",
    "MemoryBackend",
    "RedisBackend",
    "UnknownKindError",
    "cache_for",
    "cached_plan",
    "close",
    "deps",
    "normalise_question",
]
