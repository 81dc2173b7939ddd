"""Events through outbox → relay → handler, end to end, on both stacks.

- embedded: a SQLite file in a temporary directory and the in-process transport;
- scaled: PostgreSQL and Redis Streams, the relay and the consumers in this one process.

Two measurements per stack, each on a fresh database and a freshly started kernel:

- throughput: N events written in batches (one unit of work per batch) by a few concurrent
  publishers; events/s from the first publish to the last handler commit;
- latency: one event per unit of work, paced at a fixed rate (open loop: a slow commit does
  not hold back the next publish); per event, from the envelope's `occurred_at` to the
  commit of its handler's transaction, split into the publisher's commit and the delivery.

Usage:
    python bench/events_throughput.py [--stack embedded|scaled|all] [--events N]
                                      [--rate 200 --seconds 15] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import Integer, MetaData, Numeric, String, event, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

import benchlib
import events_report
import stacks
from mercato.kernel import context, heap
from mercato.kernel.agent import Agent
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.bus.models import DeadLetter
from mercato.kernel.bus.subscriptions import HandlerContext, on
from mercato.kernel.db import NAMING_CONVENTION, TenantScoped
from mercato.kernel.events import Envelope, Event
from mercato.kernel.ids import new_id

TENANT = "bench"
WARM_UP_EVENTS = 200
_COMMIT_KEY = "bench.envelope"


# -- the bench agent ------------------------------------------------------------------------


class BenchBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class BenchOrderLine(TenantScoped, BenchBase):
    """The bench agent's read model: one row per event handled."""

    __tablename__ = "bench_order_lines"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    order_id: Mapped[str] = mapped_column(String(120), index=True)
    sku: Mapped[str] = mapped_column(String(40))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(12, 2))


class OrderLineAdded(Event):
    event_type: ClassVar[str] = "bench.order_line_added"
    order_id: str
    sku: str
    quantity: int
    unit_price: Decimal
    currency: str = "EUR"


@on(OrderLineAdded)
async def record_line(event: OrderLineAdded, ctx: HandlerContext) -> None:
    ctx.uow.session.add(
        BenchOrderLine(
            id=ctx.envelope.id,
            tenant_id=ctx.envelope.tenant_id,
            order_id=event.order_id,
            sku=event.sku,
            quantity=event.quantity,
            unit_price=event.unit_price,
        )
    )
    # The dispatcher commits after the handler returns (one commit for a batch of events);
    # the listener below times that commit for every event in it.
    ctx.uow.session.info.setdefault(_COMMIT_KEY, []).append(ctx.envelope)


bench_agent = Agent(
    name="bench",
    description="Benchmarks the event bus",
    handlers=[record_line],
    tables=["bench_order_lines"],
)


# -- recording handler commits --------------------------------------------------------------


@dataclass
class Recorder:
    """When each handler transaction committed, by event id (first commit only)."""

    expected: int = 0
    commits: dict[str, float] = field(default_factory=dict)  # event id → wall-clock time
    occurred: dict[str, float] = field(default_factory=dict)  # event id → occurred_at
    duplicates: int = 0
    last_commit: float = 0.0  # perf_counter of the latest commit
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def expect(self, count: int) -> None:
        self.expected = count
        self.commits, self.occurred, self.duplicates = {}, {}, 0
        self.last_commit = 0.0
        self.done = asyncio.Event()

    def committed(self, envelope: Envelope) -> None:
        if envelope.id in self.commits:
            self.duplicates += 1
            return
        self.commits[envelope.id] = time.time()
        self.occurred[envelope.id] = envelope.occurred_at.timestamp()
        self.last_commit = time.perf_counter()
        if len(self.commits) >= self.expected:
            self.done.set()

    def latencies_ms(self) -> list[float]:
        return [(self.commits[i] - self.occurred[i]) * 1000 for i in self.commits]

    async def wait(self, seconds: float) -> bool:
        """True if every expected event was handled within `seconds`."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.done.wait(), seconds)
        return self.done.is_set()


RECORDER = Recorder()


@event.listens_for(Session, "after_commit")
def _handler_committed(session: Session) -> None:
    for envelope in session.info.pop(_COMMIT_KEY, []):
        RECORDER.committed(envelope)


# -- publishing -----------------------------------------------------------------------------


def new_line(rng: random.Random, orders: Sequence[str]) -> tuple[OrderLineAdded, str]:
    order_id = rng.choice(orders)
    line = OrderLineAdded(
        order_id=order_id,
        sku=f"SKU-{rng.randrange(10_000):05d}",
        quantity=rng.randint(1, 5),
        unit_price=Decimal(rng.randrange(100, 50_000)) / 100,
    )
    return line, order_id


async def publish_batches(
    kernel: Kernel, count: int, batch: int, orders: Sequence[str], seed: int
) -> None:
    """Write `count` events, `batch` per unit of work."""
    rng = random.Random(seed)
    with context.bind(tenant_id=TENANT):
        while count > 0:
            size = min(batch, count)
            async with kernel.uow() as uow:
                for _ in range(size):
                    line, order_id = new_line(rng, orders)
                    uow.publish(line, aggregate_id=order_id)
                await uow.commit()
            count -= size


async def publish_one(
    kernel: Kernel, rng: random.Random, orders: Sequence[str], outbox_commits: dict[str, float]
) -> None:
    """One event in its own unit of work; notes when it reached the outbox."""
    with context.bind(tenant_id=TENANT):
        async with kernel.uow() as uow:
            line, order_id = new_line(rng, orders)
            envelope = uow.publish(line, aggregate_id=order_id)
            await uow.commit()
    outbox_commits[envelope.id] = time.time()


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (1 if i < total % parts else 0) for i in range(parts)]


async def warm_up(kernel: Kernel, plan: Plan, orders: Sequence[str]) -> None:
    """Open the pools and fill the caches before anything is timed."""
    RECORDER.expect(plan.warm_up)
    await publish_batches(kernel, plan.warm_up, plan.batch, orders, seed=-1)
    await RECORDER.wait(plan.timeout)


# -- the measurements -----------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    events: int
    publishers: int
    batch: int
    orders: int
    rate: float
    seconds: float
    timeout: float
    warm_up: int = WARM_UP_EVENTS


async def measure_throughput(kernel: Kernel, plan: Plan, orders: Sequence[str]) -> dict[str, Any]:
    RECORDER.expect(plan.events)
    started = time.perf_counter()
    await asyncio.gather(
        *(
            publish_batches(kernel, share, plan.batch, orders, seed=i)
            for i, share in enumerate(split(plan.events, plan.publishers))
        )
    )
    published = time.perf_counter() - started
    complete = await RECORDER.wait(plan.timeout)
    handled = len(RECORDER.commits)
    elapsed = (RECORDER.last_commit or time.perf_counter()) - started
    return {
        "events": plan.events,
        "handled": handled,
        "duplicates": RECORDER.duplicates,
        "dead_letters": await dead_letter_count(kernel),
        "complete": complete,
        "publishers": plan.publishers,
        "events_per_unit_of_work": plan.batch,
        "publish_seconds": round(published, 3),
        "publish_events_per_second": round(plan.events / published, 1),
        "seconds": round(elapsed, 3),
        "events_per_second": round(handled / elapsed, 1),
    }


async def dead_letter_count(kernel: Kernel) -> int:
    """Events a handler gave up on (a failing handler shows here, not as a hang)."""
    async with kernel.db.sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(DeadLetter))
    return int(count or 0)


def summary_ms(values: list[float]) -> dict[str, float]:
    if not values:
        return {}
    return {
        "p50": round(benchlib.percentile(values, 50), 2),
        "p95": round(benchlib.percentile(values, 95), 2),
        "p99": round(benchlib.percentile(values, 99), 2),
        "max": round(max(values), 2),
        "mean": round(statistics.fmean(values), 2),
    }


async def paced_publish(
    kernel: Kernel, plan: Plan, orders: Sequence[str], outbox_commits: dict[str, float]
) -> tuple[float, list[float]]:
    """Start one publish every 1/rate s on schedule; returns the span and how late each was."""
    loop = asyncio.get_running_loop()
    rng = random.Random(7)
    total = round(plan.rate * plan.seconds)
    tasks: list[asyncio.Task[None]] = []
    late_ms: list[float] = []
    start = loop.time()
    for i in range(total):
        due = start + i / plan.rate
        delay = due - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        late_ms.append(max(0.0, loop.time() - due) * 1000)
        tasks.append(asyncio.create_task(publish_one(kernel, rng, orders, outbox_commits)))
    await asyncio.gather(*tasks)
    return loop.time() - start, late_ms


async def measure_latency(kernel: Kernel, plan: Plan, orders: Sequence[str]) -> dict[str, Any]:
    total = round(plan.rate * plan.seconds)
    RECORDER.expect(total)
    outbox_commits: dict[str, float] = {}
    span, late_ms = await paced_publish(kernel, plan, orders, outbox_commits)
    complete = await RECORDER.wait(plan.timeout)
    publish_ms = [(outbox_commits[i] - RECORDER.occurred[i]) * 1000 for i in RECORDER.commits]
    delivery_ms = [(RECORDER.commits[i] - outbox_commits[i]) * 1000 for i in RECORDER.commits]
    return {
        "target_rate": plan.rate,
        "seconds": plan.seconds,
        "events": total,
        "handled": len(RECORDER.commits),
        "duplicates": RECORDER.duplicates,
        "dead_letters": await dead_letter_count(kernel),
        "complete": complete,
        "achieved_rate": round(total / span, 1),
        "schedule_late_ms": summary_ms(late_ms),
        "latency_ms": summary_ms(RECORDER.latencies_ms()),
        "publish_commit_ms": summary_ms(publish_ms),
        "delivery_ms": summary_ms(delivery_ms),
    }


def running_kernel(
    stack: str, services: stacks.Services
) -> contextlib.AbstractAsyncContextManager[Kernel]:
    """A started kernel with the bench agent on a fresh database of `stack`."""
    return stacks.running_kernel(stack, services, bench_agent, BenchBase.metadata)


async def run_stack(stack: str, plan: Plan, services: stacks.Services) -> dict[str, Any]:
    """Throughput, then latency, each on a fresh database and kernel."""
    orders = [f"ord_{new_id()}" for _ in range(plan.orders)]
    result: dict[str, Any] = {}
    async with running_kernel(stack, services) as kernel:
        result["settings"] = stacks.recorded_settings(kernel.settings)
        await warm_up(kernel, plan, orders)
        heap.settle()  # as `mercato serve` and `mercato worker` do once started (ADR 22)
        print(f"[{stack}] throughput: {plan.events} events…", file=sys.stderr)
        result["throughput"] = await measure_throughput(kernel, plan, orders)
    async with running_kernel(stack, services) as kernel:
        await warm_up(kernel, plan, orders)
        heap.settle()
        print(f"[{stack}] latency: {plan.rate:g}/s for {plan.seconds:g} s…", file=sys.stderr)
        result["latency"] = await measure_latency(kernel, plan, orders)
    return result


# -- entry point ----------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--stack", choices=[*stacks.STACKS, "all"], default="all")
    p.add_argument("--events", type=int, default=20_000, help="events for the throughput run")
    p.add_argument("--publishers", type=int, default=4, help="concurrent publisher tasks")
    p.add_argument("--batch", type=int, default=50, help="events per unit of work")
    p.add_argument("--orders", type=int, default=5_000, help="distinct aggregate ids")
    p.add_argument("--rate", type=float, default=200.0, help="events/s for the latency run")
    p.add_argument("--seconds", type=float, default=15.0, help="length of the latency run")
    p.add_argument("--timeout", type=float, default=90.0, help="max wait for the handlers, s")
    p.add_argument("--pg-url", default=stacks.PG_URL, help="PostgreSQL server (scaled stack)")
    p.add_argument("--redis-url", default=stacks.REDIS_URL, help="Redis (scaled stack)")
    p.add_argument("--record", action="store_true", help="write bench/results/events.*")
    p.add_argument("--note", action="append", default=[], help="a note for the .md (repeat)")
    return p.parse_args(argv)


async def main_async(args: argparse.Namespace) -> int:
    chosen = list(stacks.STACKS) if args.stack == "all" else [args.stack]
    services = stacks.Services(args.pg_url, args.redis_url)
    plan = Plan(
        events=args.events,
        publishers=args.publishers,
        batch=args.batch,
        orders=args.orders,
        rate=args.rate,
        seconds=args.seconds,
        timeout=args.timeout,
    )
    versions = await asyncio.to_thread(stacks.server_versions, services, chosen)
    conditions = benchlib.Conditions()
    results = {stack: await run_stack(stack, plan, services) for stack in chosen}
    machine = conditions.finish() | versions
    bars = events_report.bars_for(results, plan.rate)
    events_report.print_summary(results, bars)
    print(f"\n{benchlib.noise_line(machine)}")
    data = {
        "benchmark": "events_throughput",
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": machine,
        "plan": asdict(plan),
        "stacks": results,
        "bars": [b.as_dict() for b in bars],
        "notes": args.note,
    }
    if args.record:
        text = events_report.markdown(data, bars, args.note)
        paths = benchlib.write_results("events", data, text)
        print(f"\nwrote {paths[0]} and {paths[1]}")
    return 0


def main() -> int:
    return asyncio.run(main_async(parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
