"""The cache a deployment gets: Redis when it runs scaled on a Redis broker (every process
shares the entries and sees every invalidation), one process's memory otherwise."""

from __future__ import annotations

from mercato.agents.intelligence.cache.analysis_cache import AnalysisCache
from mercato.agents.intelligence.cache.config import CacheConfig
from mercato.agents.intelligence.cache.entries import CacheBackend
from mercato.agents.intelligence.cache.memory import MemoryBackend
from mercato.agents.intelligence.cache.redis_backend import RedisBackend
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.clock import Clock
from mercato.kernel.config import Settings

REDIS_PREFIX = "intel-cache"


def cache_for(settings: Settings, clock: Clock, config: CacheConfig | None = None) -> AnalysisCache:
    config = config or CacheConfig(
        pricing_seconds=settings.intel_cache_pricing_seconds,
        competitors_seconds=settings.intel_cache_competitors_seconds,
        reviews_seconds=settings.intel_cache_reviews_seconds,
        forecasts_seconds=settings.intel_cache_forecasts_seconds,
        sales_seconds=settings.intel_cache_sales_seconds,
        llm_plan_seconds=settings.intel_cache_llm_plan_seconds,
        max_entries=settings.intel_cache_max_entries,
    )
    broker = settings.broker_url or ""
    backend: CacheBackend
    if broker.startswith(("redis://", "rediss://")):
        backend = RedisBackend(
            broker, f"{settings.stream_prefix}:{REDIS_PREFIX}", config.max_entries
        )
    else:
        backend = MemoryBackend(config.max_entries)
    return AnalysisCache(backend, config, clock=lambda: clock.now().timestamp())


async def close(kernel: Kernel) -> None:
    """Close the wired cache's connection (the agent's `on_stop`); nothing if none."""
    cache = kernel.wiring.take(AnalysisCache)
    if cache is not None:
        await cache.close()
