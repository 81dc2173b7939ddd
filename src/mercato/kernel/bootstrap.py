"""`Kernel`: everything an agent needs, wired once from Settings (the composition root).

kernel = Kernel.build(settings)
await kernel.start(relay=True, consumers=True)
async with kernel.uow() as uow: ...
await kernel.stop()
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import structlog

from mercato.kernel.agent import Agent, Registry
from mercato.kernel.aio import pause
from mercato.kernel.auth import (
    Authenticator,
    BootstrapKeyAuthenticator,
    TenantDirectory,
    bootstrap_admin_key,
)
from mercato.kernel.broadcast import Broadcast, InProcessBroadcast, make_broadcast
from mercato.kernel.bus.dispatcher import Dispatcher
from mercato.kernel.bus.outbox import Outbox
from mercato.kernel.bus.relay import Relay
from mercato.kernel.clock import Clock, SystemClock
from mercato.kernel.config import Settings
from mercato.kernel.db import Database, UnitOfWork
from mercato.kernel.ratelimit import Limit, MemoryRateLimiter, RateLimiter, RedisRateLimiter
from mercato.kernel.saga import SagaRunner
from mercato.kernel.transports.base import Transport
from mercato.kernel.transports.inprocess import InProcessTransport
from mercato.kernel.wiring import Wiring

T = TypeVar("T")

log = structlog.get_logger("mercato.kernel")


@dataclass
class Kernel:
    settings: Settings
    clock: Clock
    db: Database
    registry: Registry
    units: UnitsOfWork
    dispatcher: Dispatcher
    transport: Transport
    relay: Relay
    sagas: SagaRunner
    rate_limiter: RateLimiter = field(default_factory=MemoryRateLimiter)
    rate_limits: dict[str, Limit] = field(default_factory=dict)
    authenticators: list[Authenticator] = field(default_factory=list)
    tenants: TenantDirectory | None = None
    broadcast: Broadcast = field(default_factory=InProcessBroadcast)
    """Messages every process hears (cache evictions); Redis pub/sub when scaled."""
    wiring: Wiring = field(default_factory=Wiring)
    """Agents' own dependencies (token service, gateways, …), keyed by type: `provide`
    them in the agent's `setup`, ask with `deps` (or `uow.deps`)."""
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[Any]] = field(default_factory=list)

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        agents: Iterable[Agent] | None = None,
        clock: Clock | None = None,
    ) -> Kernel:
        clock = clock or SystemClock()
        registry = Registry(agents) if agents is not None else Registry.load(settings.agent_names)
        db = Database(
            settings.resolved_database_url,
            echo=settings.database_echo,
            pool_size=settings.database_pool_size,
            pool_timeout=settings.database_pool_timeout,
        )
        outbox = Outbox(settings.event_partitions)
        uow = UnitsOfWork(db, outbox, clock, settings)
        dispatcher = Dispatcher(
            uow,
            clock,
            max_attempts=settings.handler_max_attempts,
            base_delay=settings.handler_retry_base_delay,
            max_delay=settings.handler_retry_max_delay,
        )
        transport = make_transport(settings, dispatcher)
        relay = Relay(
            db,
            transport,
            clock,
            partitions=settings.event_partitions,
            batch_size=settings.relay_batch_size,
            poll_interval=settings.relay_poll_interval,
            lock_path=settings.data_dir / "relay.lock" if db.is_sqlite else None,
        )
        uow.after_commit = relay.wake
        sagas = SagaRunner(
            uow,
            clock,
            lease_ttl=settings.saga_lease_ttl,
            default_timeout=settings.saga_default_step_timeout,
        )
        for agent in registry.agents.values():
            for saga in agent.sagas:
                sagas.register(saga)
        kernel = cls(settings, clock, db, registry, uow, dispatcher, transport, relay, sagas)
        kernel.wiring = uow.wiring
        kernel.rate_limits = {
            "api": Limit.parse(settings.rate_limit_api),
            "auth": Limit.parse(settings.rate_limit_auth),
            "generate": Limit.parse(settings.rate_limit_generate),
        }
        if settings.broker_url and settings.broker_url.startswith(("redis://", "rediss://")):
            kernel.rate_limiter = RedisRateLimiter(settings.broker_url, settings.stream_prefix)
        kernel.broadcast = make_broadcast(settings.broker_url, settings.stream_prefix)
        admin_key = bootstrap_admin_key(
            settings.admin_api_key, settings.data_dir, generate=settings.mode == "embedded"
        )
        if admin_key:
            kernel.authenticators.append(BootstrapKeyAuthenticator(admin_key))
        for agent in registry.agents.values():
            if agent.setup is not None:
                agent.setup(kernel)
        return kernel

    def provide(self, kind: type[T], value: T) -> None:
        """Wire `value` as the deployment's `kind` (in an agent's `setup`, once)."""
        self.wiring.provide(kind, value)

    def deps(self, kind: type[T]) -> T:
        """The `kind` an agent's `setup` provided; `NotWiredError` if none did."""
        return self.wiring.get(kind)

    async def prepare(self) -> None:
        """Run the agents' start-up hooks (after migrations, before serving)."""
        for agent in self.registry.agents.values():
            if agent.on_start is not None:
                await agent.on_start(self)

    def uow(self, *, writes: bool = True) -> UnitOfWork:
        """A unit of work; `writes=False` for read-only work (no write lock on SQLite)."""
        return self.units(writes=writes)

    async def start(
        self,
        *,
        relay: bool = True,
        consumers: bool = True,
        agents: Iterable[str] | None = None,
        sagas: bool = True,
        jobs: bool = True,
    ) -> None:
        """Start the background work of this process."""
        self._stop.clear()
        selected = (
            self.registry.select(agents)
            if agents is not None
            else list(self.registry.agents.values())
        )
        in_process = isinstance(self.transport, InProcessTransport)
        if consumers or (relay and in_process):
            subs = [s for a in selected for s in a.subscriptions]
            self._spawn("consumers", self.transport.consume(subs, self._stop))
            await asyncio.sleep(0)  # let the consumers register before the relay delivers
        if relay and self.settings.relay_enabled:
            self._spawn("relay", self.relay.run(self._stop))
        self._spawn("broadcast", self.broadcast.listen(self._stop))
        if sagas:
            self._spawn(
                "sagas", self.sagas.run_resumer(self._stop, self.settings.saga_resume_interval)
            )
        if jobs:
            for agent in selected:
                for job in agent.jobs:
                    interval = job.seconds(self.settings)
                    self._spawn(
                        f"job:{job.name}", self._every(interval, job.run, at_start=job.at_start)
                    )

    @property
    def relaying(self) -> bool:
        """Whether this process's relay runs: the events written are being delivered."""
        return any(t.get_name() == "relay" and not t.done() for t in self._tasks)

    def _spawn(self, name: str, coro: Any) -> None:
        task = asyncio.create_task(coro, name=name)
        task.add_done_callback(_report_crash)
        self._tasks.append(task)

    async def _every(self, interval: float, fn: Any, *, at_start: bool = True) -> None:
        if not at_start:
            await pause(self._stop, interval)
        while not self._stop.is_set():
            try:
                await fn(self)
            except Exception as exc:
                log.error("job_failed", job=getattr(fn, "__name__", "?"), error=repr(exc))
            await pause(self._stop, interval)

    async def stop(self) -> None:
        self._stop.set()
        if self._tasks:
            _, pending = await asyncio.wait(self._tasks, timeout=5)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        self._tasks.clear()
        await self.transport.close()
        for agent in self.registry.agents.values():
            if agent.on_stop is not None:
                try:
                    await agent.on_stop(self)
                except Exception as exc:
                    log.warning("agent_stop_failed", agent=agent.name, error=repr(exc))
        if isinstance(self.rate_limiter, RedisRateLimiter):
            await self.rate_limiter.close()
        await self.broadcast.close()
        await self.db.dispose()


def make_transport(settings: Settings, dispatcher: Dispatcher) -> Transport:
    url = settings.broker_url
    if not url:
        return InProcessTransport(dispatcher)
    if url.startswith(("redis://", "rediss://", "unix://")):
        from mercato.kernel.transports.redis_streams import RedisStreamsTransport

        return RedisStreamsTransport(
            url,
            dispatcher,
            prefix=settings.stream_prefix,
            partitions=settings.event_partitions,
            max_length=settings.stream_max_length,
            lease_ttl=settings.consumer_lease_ttl,
        )
    raise ValueError(f"unsupported broker URL {url!r}: use redis://host:port/db")


class UnitsOfWork:
    """Makes the units of work of one kernel. Commits that wrote events wake the relay, which
    is built after the dispatcher and the sagas that already need units of work."""

    def __init__(self, db: Database, outbox: Outbox, clock: Clock, settings: Settings) -> None:
        self.db, self.outbox, self.clock, self.settings = db, outbox, clock, settings
        self.after_commit: Callable[[], None] | None = None
        self.wiring = Wiring()
        """The kernel's wiring, shared with every unit of work it makes."""

    def __call__(self, *, writes: bool = True) -> UnitOfWork:
        return UnitOfWork(
            self.db,
            self.outbox,
            clock=self.clock,
            settings=self.settings,
            writes=writes,
            after_commit=self._committed,
            wiring=self.wiring,
        )

    def _committed(self) -> None:
        if self.after_commit is not None:
            self.after_commit()


def _report_crash(task: asyncio.Task[Any]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("background_task_crashed", task=task.get_name(), error=repr(task.exception()))
