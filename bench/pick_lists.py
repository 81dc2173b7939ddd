"""Pick lists for 1,000 orders (issue 18, "What to measure").

`mercato demo`'s store (`fulfilment_store`: its warehouse layout, every unit in a storage
bin) takes `--orders` orders through the real checkout on a `mercato serve` process; the
server is stopped and the warehouse service is called in this process on the same SQLite
file (what `POST /v1/warehouse/pick-lists` runs, without HTTP). A pick list holds at most
`picking.MAX_ORDERS` (50) orders, so the 1,000 orders are picked as a wave of 20 lists.

1. **one list of 50 orders** (and of 1 order): `warehouse.create_pick_list` for each batch
   of the confirmed orders, each in its own unit of work that is rolled back (every run
   sees the same store), `--runs` times over: p50 / p95 ms, pick lines a second, SQL
   statements a list;
2. **the wave**: the 1,000 orders as 20 lists of 50 created and committed one after
   another (each list sees the units the ones before it promised), then cancelled, `--runs`
   times: seconds for the wave, lines a second;
3. **floor**, in the same run: the reads a list of 50 cannot do without, each done once for
   the batch (the orders and their lines in one SELECT, `inventory.holds_of`, the bins
   holding the variants): the ratio list / floor is what the rest costs; beside it, the
   orders read one by one (`orders.order_info` in a loop), as lists read them until
   `orders.briefs_of` read a batch in one query.

    .venv/bin/python bench/pick_lists.py [--orders 1000] [--runs 3] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import event, select

import benchlib
import fulfilment_store
from benchlib import Bar
from mercato.agents.inventory import service as inventory
from mercato.agents.orders import service as orders
from mercato.agents.orders.models import Order, OrderLine
from mercato.agents.warehouse import layout, picking
from mercato.agents.warehouse import service as warehouse
from mercato.agents.warehouse.problems import InvalidWarehouseRequest
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.context import bind

BATCH = picking.MAX_ORDERS
BAR_BATCH_P95_MS = 500.0
BAR_WAVE_S = 10.0


class Statements:
    """SQL statements sent on the kernel's engine."""

    def __init__(self, kernel: Kernel) -> None:
        self.count = 0
        event.listen(kernel.db.engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: Any) -> None:
        self.count += 1


def batches(order_ids: list[str], size: int) -> list[list[str]]:
    return [order_ids[k : k + size] for k in range(0, len(order_ids), size)]


async def one_list(kernel: Kernel, batch: list[str]) -> int:
    """A pick list for the batch, rolled back; its lines."""
    async with kernel.uow() as uow:
        view = await warehouse.create_pick_list(uow, order_ids=batch, now=kernel.clock.now())
        return len(view.lines)


async def floor(kernel: Kernel, batch: list[str]) -> int:
    """The reads a list needs, each once for the batch; the holds read."""
    async with kernel.uow(writes=False) as uow:
        await uow.session.execute(
            select(Order, OrderLine).join(OrderLine, OrderLine.order_id == Order.id)
            .where(Order.id.in_(batch))
        )  # fmt: skip
        holds = await inventory.holds_of(uow, batch)
        for location_id in {h.location_id for h in holds}:
            await layout.holding(
                uow, location_id=location_id, variant_ids={h.variant_id for h in holds}
            )
        return len(holds)


async def order_reads(kernel: Kernel, batch: list[str]) -> int:
    """The orders read one by one (`orders.order_info` for each), as lists once did."""
    async with kernel.uow(writes=False) as uow:
        for order_id in batch:
            await orders.order_info(uow, order_id=order_id)
        return 0


async def timed(
    runs: int, groups: list[list[str]], call: Callable[[list[str]], Awaitable[int]],
    statements: Statements,
) -> dict[str, Any]:  # fmt: skip
    """Every group once to warm up, then `runs` times: ms per call, lines, statements."""
    for group in groups[:2]:
        await call(group)
    times, lines = [], 0
    before = statements.count
    for _ in range(runs):
        for group in groups:
            started = time.perf_counter()
            lines += await call(group)
            times.append((time.perf_counter() - started) * 1000)
    calls = len(times)
    return {
        "calls": calls,
        "p50_ms": round(benchlib.percentile(times, 50), 1),
        "p95_ms": round(benchlib.percentile(times, 95), 1),
        "max_ms": round(max(times), 1),
        "lines_per_call": round(lines / calls, 1),
        "lines_per_second": round(lines / (sum(times) / 1000), 1),
        "statements_per_call": round((statements.count - before) / calls, 1),
    }


async def wave(kernel: Kernel, order_ids: list[str], runs: int) -> dict[str, Any]:
    """The orders as lists of BATCH, committed one after another, then cancelled."""
    seconds, lines = [], 0
    for _ in range(runs):
        made = []
        started = time.perf_counter()
        for batch in batches(order_ids, BATCH):
            async with kernel.uow() as uow:
                view = await warehouse.create_pick_list(
                    uow, order_ids=batch, now=kernel.clock.now()
                )
                await uow.commit()
            made.append(view.pick_list.id)
            lines += len(view.lines)
        seconds.append(time.perf_counter() - started)
        async with kernel.uow() as uow:
            for pick_list_id in made:
                await warehouse.cancel_pick_list(
                    uow, pick_list_id=pick_list_id, now=kernel.clock.now()
                )
            await uow.commit()
    median = benchlib.percentile(seconds, 50)
    return {
        "runs": runs,
        "lists": len(batches(order_ids, BATCH)),
        "median_s": round(median, 2),
        "max_s": round(max(seconds), 2),
        "lines_per_wave": lines // runs,
        "lines_per_second": round(lines / sum(seconds), 1),
    }


async def measure(settings: Settings, order_ids: list[str], runs: int) -> dict[str, Any]:
    kernel = Kernel.build(settings)
    statements = Statements(kernel)
    found: dict[str, Any] = {}
    try:
        with bind(tenant_id=settings.default_tenant):
            try:
                await one_list(kernel, order_ids)
                found["one list of every order"] = "accepted"
            except InvalidWarehouseRequest as refused:
                found["one list of every order"] = f"refused: {refused}"
            fifties = batches(order_ids, BATCH)
            found["list of 50 orders"] = await timed(
                runs, fifties, lambda b: one_list(kernel, b), statements
            )
            found["list of 1 order"] = await timed(
                runs, batches(order_ids[:50], 1), lambda b: one_list(kernel, b), statements
            )
            found["floor: a list's reads, once for 50 orders"] = await timed(
                runs, fifties, lambda b: floor(kernel, b), statements
            )
            found["the N+1 alone: orders.order_info for each of 50 orders"] = await timed(
                runs, fifties, lambda b: order_reads(kernel, b), statements
            )
            found["wave"] = await wave(kernel, order_ids, runs)
    finally:
        await kernel.db.dispose()
    return found


def run(args: argparse.Namespace) -> dict[str, Any]:
    with fulfilment_store.demo_store(args.products) as store:
        with fulfilment_store.serving(store) as server:
            order_ids = asyncio.run(
                fulfilment_store.confirmed_orders(server, args.orders, random.Random(7))
            )
        settings = Settings(data_dir=store.data_dir, log_level="WARNING")
        found = asyncio.run(measure(settings, order_ids, args.runs))
    print(f"  {found}", file=sys.stderr)
    return {"confirmed_orders": len(order_ids), **found}


def bars_for(result: dict[str, Any]) -> list[Bar]:
    fifty, wave_ = result["list of 50 orders"], result["wave"]
    return [
        Bar("a pick list of 50 orders, p95", f"< {BAR_BATCH_P95_MS:g} ms",
            f"{fifty['p95_ms']} ms", fifty["p95_ms"] < BAR_BATCH_P95_MS),
        Bar(f"{result['confirmed_orders']} orders picked as lists of 50 (a wave), median",
            f"< {BAR_WAVE_S:g} s", f"{wave_['median_s']} s", wave_["median_s"] < BAR_WAVE_S),
    ]  # fmt: skip


def markdown(data: dict[str, Any], bars: list[Bar]) -> str:
    r = data["result"]
    fifty = r["list of 50 orders"]
    bare = r["floor: a list's reads, once for 50 orders"]
    wave_ = r["wave"]
    lines = benchlib.report_header("Warehouse: pick lists for 1,000 orders", data)
    lines += ["## Bars", "", *benchlib.bars_markdown(bars), "", "## Result", ""]
    lines.append(
        f"{r['confirmed_orders']} confirmed orders of 1-3 lines, placed through `POST "
        f"/v1/checkout` on `mercato demo`'s store ({data['settings']['products']} products, "
        "the demo's warehouse layout); `warehouse.create_pick_list` called in the benchmark's "
        "process on the same SQLite file, the server stopped. One list for every order: "
        f"{r['one list of every order']} (a list takes at most {BATCH} orders)."
    )
    lines += [
        "",
        "| case | calls | p50 ms | p95 ms | max ms | lines a call | lines/s | SQL a call |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name in (
        "list of 50 orders",
        "list of 1 order",
        "floor: a list's reads, once for 50 orders",
        "the N+1 alone: orders.order_info for each of 50 orders",
    ):
        s = r[name]
        lines.append(
            f"| {name} | {s['calls']} | {s['p50_ms']} | {s['p95_ms']} | {s['max_ms']} "
            f"| {s['lines_per_call']} | {s['lines_per_second']} | {s['statements_per_call']} |"
        )
    lines += [
        "",
        "Lists are rolled back (every call sees the same store); the floor's `lines` are "
        "holds. Ratio list of 50 / floor, p50: "
        f"{round(fifty['p50_ms'] / bare['p50_ms'], 2)}. `create_pick_list` reads its orders in "
        "one query (`orders.briefs_of`); the last row is what reading them one by one "
        "(`orders.order_info` in a loop, two statements an order) costs.",
        "",
        f"The wave: {wave_['lists']} lists of {BATCH} committed one after another, then "
        f"cancelled, {wave_['runs']} times: median {wave_['median_s']} s, max "
        f"{wave_['max_s']} s, {wave_['lines_per_wave']} lines, "
        f"{wave_['lines_per_second']} lines/s.",
        "",
        *fulfilment_store.closing_lines(data),
    ]
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--orders", type=int, default=1000)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--products", type=int, default=fulfilment_store.PRODUCTS)
    fulfilment_store.recording_arguments(p)
    return fulfilment_store.run_and_report("pick_lists", p.parse_args(), run, bars_for, markdown)


if __name__ == "__main__":
    raise SystemExit(main())
