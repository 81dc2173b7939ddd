"""The store the fulfilment benchmarks (`shipping_rates`, `pick_lists`, `labels`) stand on
(issue 18): `mercato demo`'s (its zones and table carrier "Parcel Post", its warehouse
layout with every unit in a bin), seeded in a temporary directory, served by `mercato serve`
in its own process, and given confirmed orders through the real checkout (`checkout.py`'s
shoppers: a guest, a cart of 1-3 in-stock lines, `POST /v1/checkout` with the sandbox card).

And their common tail (`recording_arguments`, `run_and_report`, `closing_lines`): the run
measured with the machine around it, the bars, the Markdown printed and, with `--record`,
written to bench/results/ with its JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

import benchlib
import checkout
import stacks
import store_http
from benchlib import Bar
from serve_startup import free_port

ADMIN_KEY = "mk_bench_fulfilment_admin"
ADMIN = {"Authorization": f"Bearer {ADMIN_KEY}"}
PRODUCTS = 400
"""`mercato demo`'s products (its default is 1,200; 400 seed in a quarter of the time and hold
stock enough for 1,000 orders)."""


@dataclass
class Store:
    workdir: Path
    env: dict[str, str]

    @property
    def data_dir(self) -> Path:
        return Path(self.env["MERCATO_DATA_DIR"])


@contextlib.contextmanager
def demo_store(products: int = PRODUCTS, **settings: str) -> Iterator[Store]:
    """A fresh demo store (removed after); `settings` are MERCATO_* variables for its server."""
    workdir = Path(tempfile.mkdtemp(prefix="mercato-bench-fulfilment-"))
    try:
        started = time.perf_counter()
        env = store_http.seed("embedded", products, workdir, stacks.Services())
        print(f"demo store seeded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        env.update(checkout.SERVER_ENV)
        env["MERCATO_ADMIN_API_KEY"] = ADMIN_KEY
        env.update(settings)
        yield Store(workdir, env)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextlib.contextmanager
def serving(store: Store, **settings: str) -> Iterator[checkout.Server]:
    """`mercato serve` on the store (one process), stopped after."""
    env = {**store.env, **settings}
    server = checkout.start_server(env, free_port(), store.workdir / "serve.stderr")
    try:
        yield server
    finally:
        store_http.stop_server(server.proc)


async def carts(server: checkout.Server, count: int, rng: random.Random) -> list[Any]:
    """`count` guests, each with a cart of 1-3 in-stock lines (`checkout.Shopper`s)."""
    pool = await checkout.stock_pool(server.base, rng)
    shoppers, _ = await checkout.prepare([server], pool, count, rng)
    return shoppers


async def confirmed_orders(server: checkout.Server, count: int, rng: random.Random) -> list[str]:
    """`count` orders checked out (20 shoppers at once), the bus drained after; the ids of
    those that are confirmed, in the order they were placed."""
    started = time.perf_counter()
    shoppers = await carts(server, count, rng)
    print(f"{count} carts in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    recorder = checkout.Recorder()
    [client] = checkout.clients_for([server], 20)
    placed: list[str] = []
    todo = iter(shoppers)

    async def worker() -> None:
        for shopper in todo:
            with contextlib.suppress(checkout.RequestFailedError):
                answer = await checkout.check_out(recorder, client, shopper)
                placed.append(answer.json()["order"]["id"])

    started = time.perf_counter()
    try:
        await asyncio.gather(*(worker() for _ in range(20)))
    finally:
        await client.aclose()
    placing = time.perf_counter() - started
    await checkout.drained([server])
    print(
        f"{len(placed)} of {count} checkouts in {placing:.1f} s, drained after "
        f"{time.perf_counter() - started:.1f} s "
        f"(problems: {recorder.problems or 'none'})",
        file=sys.stderr,
    )
    return await _confirmed(server, placed)


async def _confirmed(server: checkout.Server, order_ids: list[str]) -> list[str]:
    """The orders among `order_ids` that are confirmed (10 requests at a time)."""
    status: dict[str, str] = {}
    todo = iter(order_ids)

    async def worker(client: httpx.AsyncClient) -> None:
        for order_id in todo:
            answer = await client.get(f"/v1/orders/{order_id}")
            status[order_id] = answer.json()["status"]

    async with httpx.AsyncClient(base_url=server.base, headers=ADMIN, timeout=60) as client:
        await asyncio.gather(*(worker(client) for _ in range(10)))
    return [o for o in order_ids if status[o] == "confirmed"]


# -- the benchmarks' common tail ----------------------------------------------------------------


def recording_arguments(parser: argparse.ArgumentParser) -> None:
    """`--record` (write bench/results/) and `--note TEXT` (repeatable), after the bench's own."""
    parser.add_argument("--record", action="store_true")
    parser.add_argument("--note", action="append", default=[])


def run_and_report(
    stem: str,
    args: argparse.Namespace,
    run: Callable[[argparse.Namespace], dict[str, Any]],
    bars_for: Callable[[dict[str, Any]], list[Bar]],
    markdown: Callable[[dict[str, Any], list[Bar]], str],
) -> int:
    """`run(args)` measured with the machine around it; its bars and Markdown printed, and with
    `--record` written as bench/results/<stem>.{json,md}. The exit status."""
    conditions = benchlib.Conditions()
    result = run(args)
    data = {
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": conditions.finish(),
        "settings": vars(args),
        "result": result,
        "notes": args.note,
    }
    bars = bars_for(result)
    data["bars"] = [b.as_dict() for b in bars]
    text = markdown(data, bars)
    print(text)
    if args.record:
        benchlib.write_results(stem, data, text)
    return 0


def closing_lines(data: dict[str, Any]) -> list[str]:
    """The Markdown's last lines: how busy other processes kept the machine, then the notes."""
    return [benchlib.noise_line(data["machine"]), *[f"\n{note}" for note in data["notes"]]]
