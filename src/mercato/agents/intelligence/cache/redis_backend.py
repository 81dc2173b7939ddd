"""The scaled backend: entries in Redis, shared by every process of the deployment.

Under `<prefix>:` it keeps `e:<key>` (the entry as JSON), `k:<key>` (its dependencies, so
the scripts never parse an entry's value), `lru` (a sorted set of keys by
their last use, scored by the `tick` counter so uses from every process are totally
ordered), `d:<dep>` (the keys depending on a dependency) and `g:<dep>` (how many times the
dependency was invalidated). Every change runs as one Lua script, so processes sharing the
Redis never see a half-done put, eviction or invalidation, and the index never points at a
missing entry. (The scripts name keys from the prefix: one Redis, not a cluster.)
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

from redis import asyncio as aioredis
from redis.exceptions import RedisError

from mercato.agents.intelligence.cache.entries import CacheEntry, CacheUnavailableError, Stored

GENERATION_SECONDS = 7 * 86400
"""How long an invalidation count lives; far longer than any computation it guards."""

_REMOVE = """
local function remove(prefix, k)
  local old = redis.call('GET', prefix .. ':k:' .. k)
  if old then
    for _, d in ipairs(cjson.decode(old)) do
      redis.call('SREM', prefix .. ':d:' .. d, k)
    end
  end
  redis.call('DEL', prefix .. ':e:' .. k, prefix .. ':k:' .. k)
  redis.call('ZREM', prefix .. ':lru', k)
end
"""

_GET = """
local prefix, key = ARGV[1], ARGV[2]
local found = redis.call('GET', prefix .. ':e:' .. key)
if found then
  redis.call('ZADD', prefix .. ':lru', redis.call('INCR', prefix .. ':tick'), key)
end
return found
"""

_PUT = (
    _REMOVE
    + """
local prefix, key, entry, max = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local deps_json, ndeps = ARGV[5], tonumber(ARGV[6])
local at = 7
local deps = {}
for j = 1, ndeps do deps[j] = ARGV[at]; at = at + 1 end
local nseen = tonumber(ARGV[at]); at = at + 1
for j = 1, nseen do
  local now = tonumber(redis.call('GET', prefix .. ':g:' .. ARGV[at]) or '0')
  if now ~= tonumber(ARGV[at + 1]) then return {0, 0} end
  at = at + 2
end
remove(prefix, key)
redis.call('SET', prefix .. ':e:' .. key, entry)
redis.call('SET', prefix .. ':k:' .. key, deps_json)
for _, d in ipairs(deps) do redis.call('SADD', prefix .. ':d:' .. d, key) end
redis.call('ZADD', prefix .. ':lru', redis.call('INCR', prefix .. ':tick'), key)
local evicted = 0
while redis.call('ZCARD', prefix .. ':lru') > max do
  remove(prefix, redis.call('ZRANGE', prefix .. ':lru', 0, 0)[1])
  evicted = evicted + 1
end
return {1, evicted}
"""
)

_INVALIDATE = (
    _REMOVE
    + """
local prefix, dep, ttl = ARGV[1], ARGV[2], tonumber(ARGV[3])
local keys = redis.call('SMEMBERS', prefix .. ':d:' .. dep)
for _, k in ipairs(keys) do remove(prefix, k) end
redis.call('DEL', prefix .. ':d:' .. dep)
redis.call('INCR', prefix .. ':g:' .. dep)
redis.call('EXPIRE', prefix .. ':g:' .. dep, ttl)
return keys
"""
)


class RedisBackend:
    def __init__(self, url: str, prefix: str, max_entries: int, *, timeout: float = 2.0) -> None:
        """`timeout`: seconds a command may take before the cache counts as unavailable."""
        if max_entries < 1:
            raise ValueError("max_entries must be at least 1")
        self.prefix = prefix
        self.max_entries = max_entries
        self._redis: aioredis.Redis = aioredis.from_url(
            url, decode_responses=True, socket_timeout=timeout, socket_connect_timeout=timeout
        )
        self._get = self._redis.register_script(_GET)
        self._put = self._redis.register_script(_PUT)
        self._invalidate = self._redis.register_script(_INVALIDATE)

    async def get(self, key: str) -> CacheEntry | None:
        async with _reached():
            found: Any = await self._get(args=[self.prefix, key])
        return None if found is None else CacheEntry.from_json(found)

    async def generations(self, deps: Sequence[str]) -> dict[str, int]:
        if not deps:
            return {}
        async with _reached():
            counts = await self._redis.mget([f"{self.prefix}:g:{dep}" for dep in deps])
        return {dep: int(count or 0) for dep, count in zip(deps, counts, strict=True)}

    async def put(self, key: str, entry: CacheEntry, *, seen: Mapping[str, int]) -> Stored:
        args: list[str | int | float] = [
            self.prefix,
            key,
            entry.to_json(),
            self.max_entries,
            json.dumps(list(entry.deps)),
            len(entry.deps),
            *entry.deps,
            len(seen),
        ]
        for dep, count in seen.items():
            args += [dep, count]
        async with _reached():
            kept, evicted = await self._put(args=args)
        return Stored(kept=bool(kept), evicted=int(evicted))

    async def invalidate(self, dep: str) -> list[str]:
        async with _reached():
            keys: list[str] = await self._invalidate(args=[self.prefix, dep, GENERATION_SECONDS])
        return sorted(keys)

    async def keys(self) -> list[str]:
        async with _reached():
            found = await self._redis.zrange(f"{self.prefix}:lru", 0, -1)
        return [str(key) for key in found]

    async def clear(self) -> None:
        """Delete every key under the prefix (tests, and a deliberate reset)."""
        found = [key async for key in self._redis.scan_iter(match=f"{self.prefix}:*")]
        if found:
            await self._redis.delete(*found)

    async def close(self) -> None:
        await self._redis.aclose()


@asynccontextmanager
async def _reached() -> AsyncIterator[None]:
    try:
        yield
    except RedisError as error:
        raise CacheUnavailableError(
            f"the analysis cache's Redis is unavailable: {error}"
        ) from error
