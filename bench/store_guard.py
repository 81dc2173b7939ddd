"""What the store guard (ADR 20) costs per statement executed.

Two measurements:

- the hook alone: `store_guard`'s `before_execute` listener called in a loop on the kinds of
  statement the kernel runs (a statement built by `in_store`, with one row of parameters or
  ten; an INSERT built by `in_store`; an ORM statement run by a session; an INSERT of the
  ORM's flush; a Core statement on a table of no store) and a statement built anew at each
  execution (judged once per shape, then found by SQLAlchemy's cache key);
- end to end: one `SELECT` built by `in_store`, executed on a connection of a `Database`
  with the guard and of one without it (the same SQLite file, or the same PostgreSQL
  database), CPU µs of this process per execution.

Usage:
    python bench/store_guard.py [--seconds 1.0] [--stack embedded|scaled|all] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Integer,
    MetaData,
    String,
    bindparam,
    create_engine,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.util import immutabledict

import benchlib
from mercato.kernel import store_guard
from mercato.kernel.context import bind
from mercato.kernel.db import NAMING_CONVENTION, Database, TenantScoped
from mercato.kernel.store_guard import _before_execute
from mercato.kernel.store_sql import in_store

DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
TENANT = "bench"


class GuardBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class GuardedItem(TenantScoped, GuardBase):
    __tablename__ = "bench_guarded_items"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    quantity: Mapped[int] = mapped_column(Integer, default=0)


class PlainItem(GuardBase):
    __tablename__ = "bench_plain_items"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)


ITEMS = GuardedItem.__table__
BY_ID = in_store(select(ITEMS.c.quantity).where(ITEMS.c.id == bindparam("item_id")))
SET_QUANTITY = in_store(
    update(ITEMS).where(ITEMS.c.id == bindparam("item_id")).values(quantity=bindparam("q"))
)
WRITE = in_store(insert(ITEMS))
PLAIN = select(PlainItem.__table__.c.id).where(PlainItem.__table__.c.id == bindparam("item_id"))
FLUSH_INSERT = ITEMS.insert()  # what the ORM's flush runs, with its mapper's compiled cache


def per_call_us(call: Callable[[], Any], seconds: float) -> float:
    """Best of five runs of `call` in a loop, µs per call."""
    best = float("inf")
    rounds = 1000
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(rounds):
            call()
        elapsed = time.perf_counter() - started
        best = min(best, elapsed / rounds)
        rounds = max(1000, int(seconds / 5 / max(best, 1e-9)))
    return best * 1e6


def hook_figures(seconds: float) -> dict[str, float]:
    from sqlalchemy import inspect

    session = immutabledict({"_result_disable_adapt_to_context": True, "prebuffer_rows": True})
    flush = immutabledict({"compiled_cache": inspect(GuardedItem).base_mapper._compiled_cache})
    core = immutabledict({"prebuffer_rows": True})
    one = {"item_id": "x"}
    ten = [{"item_id": str(i), "q": i} for i in range(10)]
    orm = select(GuardedItem).where(GuardedItem.id == "x")
    flush_row = {"id": "x", "quantity": 1, "tenant_id": TENANT}

    def hook(statement: Any, multiparams: Any, params: Any, options: Any) -> Callable[[], Any]:
        return lambda: _before_execute(None, statement, multiparams, params, options)

    across = core.union({"all_tenants": True})

    def build() -> Any:
        statement = select(ITEMS.c.quantity).where(ITEMS.c.id == bindparam("item_id"))
        statement._generate_cache_key()  # what SQLAlchemy computes for its compiled cache
        return statement

    def build_and_hook() -> Any:
        return _before_execute(None, build(), [], one, across)

    cases = {
        "in_store SELECT, 1 row of parameters": hook(BY_ID, [], one, core),
        "in_store UPDATE, executemany of 10 rows": hook(SET_QUANTITY, ten, {}, core),
        "in_store INSERT, 1 row": hook(WRITE, [], {"id": "x", "quantity": 1}, core),
        "ORM SELECT run by a session": hook(orm, [], {}, session),
        "INSERT of the ORM's flush, 1 row": hook(FLUSH_INSERT, [], flush_row, flush),
        "Core SELECT on a table of no store": hook(PLAIN, [], one, core),
        "a SELECT built anew, and its cache key (no hook)": build,
        "a SELECT built anew, its cache key, and the hook": build_and_hook,
    }
    with bind(tenant_id=TENANT):
        for call in cases.values():
            call()  # the first execution judges the statement
        return {name: per_call_us(call, seconds) for name, call in cases.items()}


async def end_to_end(url: str, seconds: float) -> dict[str, float]:
    """CPU µs of this process per execution of BY_ID on a connection, through two `Database`s
    on the same database, one with its guard taken off: rounds alternate between them (so a
    burst of other work hits both), the median round is kept. CPU time, not wall time: other
    processes on a busy machine do not count (PostgreSQL's own work is not counted either)."""
    guarded, bare = Database(url), Database(url)
    event.remove(bare.engine.sync_engine, "before_execute", store_guard._before_execute)
    event.remove(bare.engine.sync_engine, "before_cursor_execute", store_guard._before_driver_sql)
    try:
        async with guarded.engine.begin() as conn:
            await conn.run_sync(GuardBase.metadata.drop_all)
            await conn.run_sync(GuardBase.metadata.create_all)
            await conn.execute(
                insert(ITEMS).execution_options(all_tenants=True),
                [{"id": str(i), "tenant_id": TENANT, "quantity": i} for i in range(100)],
            )
        rounds: dict[str, list[float]] = {"with the guard": [], "without it": []}
        with bind(tenant_id=TENANT):
            async with guarded.engine.connect() as on, bare.engine.connect() as off:
                runs = [
                    ("with the guard", on, {"item_id": "7"}),
                    ("without it", off, {"item_id": "7", "store_tenant_id": TENANT}),
                ]
                for _, conn, params in runs:
                    for _ in range(300):
                        await conn.execute(BY_ID, params)
                deadline = time.perf_counter() + seconds
                while time.perf_counter() < deadline:
                    for name, conn, params in runs:
                        started = time.process_time()
                        for _ in range(200):
                            await conn.execute(BY_ID, params)
                        rounds[name].append((time.process_time() - started) / 200 * 1e6)
        async with guarded.engine.begin() as conn:
            await conn.run_sync(GuardBase.metadata.drop_all)
        figures = {name: statistics.median(values) for name, values in rounds.items()}
        figures["difference"] = figures["with the guard"] - figures["without it"]
        return figures
    finally:
        await guarded.dispose()
        await bare.dispose()


def in_memory(seconds: float) -> dict[str, float]:
    """The same on a synchronous in-memory SQLite connection, where a statement costs least
    (no driver thread, no network), so the guard's share is the largest and least noisy."""
    engines = {
        "with the guard": create_engine("sqlite://"),
        "without it": create_engine("sqlite://"),
    }
    for engine in engines.values():
        event.listen(engine, "before_cursor_execute", lambda *_: None)  # as count_statements
        GuardBase.metadata.create_all(engine)
    guarded = engines["with the guard"]
    event.listen(guarded, "before_execute", store_guard._before_execute, retval=True)
    event.listen(guarded, "before_cursor_execute", store_guard._before_driver_sql)
    params = {
        "with the guard": {"item_id": "7"},
        "without it": {"item_id": "7", "store_tenant_id": TENANT},
    }
    rounds: dict[str, list[float]] = {name: [] for name in engines}
    with bind(tenant_id=TENANT):
        connections = {name: engine.connect() for name, engine in engines.items()}
        for name, conn in connections.items():
            for _ in range(1000):
                conn.execute(BY_ID, params[name])
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            for name, conn in connections.items():
                started = time.process_time()
                for _ in range(1000):
                    conn.execute(BY_ID, params[name])
                rounds[name].append((time.process_time() - started) / 1000 * 1e6)
        for conn in connections.values():
            conn.close()
    figures = {name: statistics.median(values) for name, values in rounds.items()}
    figures["difference"] = figures["with the guard"] - figures["without it"]
    return figures


def markdown(data: dict[str, Any]) -> str:
    lines = [*benchlib.report_header("Store guard: cost per statement executed", data)]
    lines += ["## The hook alone (µs per call, best of 5)", "", "| statement | µs |", "|---|---:|"]
    lines += [f"| {name} | {us:.2f} |" for name, us in data["hook"].items()]
    for stack, figures in data["end_to_end"].items():
        lines += ["", f"## End to end, {stack} (CPU µs per execution of one SELECT)", ""]
        lines += ["| engine | µs |", "|---|---:|"]
        lines += [f"| {name} | {us:.1f} |" for name, us in figures.items()]
    lines += ["", benchlib.noise_line(data["machine"]), ""]
    return "\n".join(lines)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=1.0, help="per measurement")
    p.add_argument("--stack", choices=["embedded", "scaled", "all"], default="embedded")
    p.add_argument("--pg-url", default=DEFAULT_PG)
    p.add_argument("--record", action="store_true", help="write bench/results/store_guard.*")
    args = p.parse_args()
    conditions = benchlib.Conditions()
    hook = hook_figures(args.seconds)
    for name, us in hook.items():
        print(f"{name:<52} {us:8.2f} µs")
    e2e: dict[str, dict[str, float]] = {
        "in-memory SQLite, synchronous": in_memory(args.seconds * 5)
    }
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"embedded": f"sqlite+aiosqlite:///{Path(tmp) / 'guard.db'}", "scaled": args.pg_url}
        for stack in ("embedded", "scaled") if args.stack == "all" else (args.stack,):
            e2e[stack] = asyncio.run(end_to_end(urls[stack], args.seconds * 5))
    for stack, figures in e2e.items():
        for name, us in figures.items():
            print(f"{stack}: one SELECT, {name:<16} {us:8.1f} µs")
    data = {
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": conditions.finish(),
        "hook": hook,
        "end_to_end": e2e,
    }
    print(benchlib.noise_line(data["machine"]))
    if args.record:
        paths = benchlib.write_results("store_guard", data, markdown(data))
        print("recorded:", ", ".join(str(p) for p in paths))


if __name__ == "__main__":
    main()
