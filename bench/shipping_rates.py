"""Rate shopping over HTTP with three carriers (issue 18, "What to measure").

`mercato demo`'s store (`fulfilment_store`) served by `mercato serve` (SQLite, one process),
its carriers `local` (Mercato's courier), the store's rate tables (the demo's "Parcel Post",
ground and priority, by zone) and `easypost` pointed at the local EasyPost
(`tests/fakes/easypost_api.py`, a real HTTP server in a thread of this process). `--carts`
guests each hold a cart of 1-5 in-stock lines; `GET /v1/shipping/rates?cart_id=…` (to New
York) is asked for them in turn, after `--warm` requests:

1. **three carriers**: `--requests` one at a time (latency p50/p95/p99, client-side and the
   server's `Server-Timing`), then `--requests` from `--clients` at once (requests/s);
2. **floor**, in the same run on the same store: the same route and carts on a server
   without `easypost` (local courier and tables: no outside call), and `GET /v1/carts/{id}`
   (what any cart request costs). Ratios three carriers / floor;
3. **EC018**: the fake made slower (`--delay`) than `MERCATO_SHIPPING_CARRIER_TIMEOUT`
   (`--timeout`): every answer waits the timeout, then shows the table rates in EasyPost's
   place with a warning; the p95 should be the timeout plus the floor's.

    .venv/bin/python bench/shipping_rates.py [--requests 300] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

import benchlib
import checkout
import fulfilment_store
import store_http
from benchlib import Bar
from mercato.agents.shipping.providers import Address, EasyPostCarrier, Parcel

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project: tests.fakes
from tests.fakes.easypost_api import API_KEY, FakeEasyPost

RATES = "/v1/shipping/rates"
WHERE = {"country": "US", "region": "NY", "postal_code": "10001"}
BAR_P95_MS = 300.0
BAR_TIMEOUT_SLACK = 1.5


async def make_carts(server: checkout.Server, count: int, rng: random.Random) -> list[Any]:
    """`count` guests with carts of 1-5 distinct in-stock lines."""
    pool = await checkout.stock_pool(server.base, rng)
    recorder = checkout.Recorder()
    [client] = checkout.clients_for([server], 10)
    try:
        return [
            await checkout.new_shopper(recorder, client, 0, pool.take(rng.randint(1, 5)))
            for _ in range(count)
        ]
    finally:
        await client.aclose()


def stats(samples: list[tuple[float, float]], wall: float) -> dict[str, float]:
    client = [c for c, _ in samples]
    server = [s for _, s in samples]
    return {
        "requests": len(samples),
        "p50_ms": round(benchlib.percentile(client, 50), 1),
        "p95_ms": round(benchlib.percentile(client, 95), 1),
        "p99_ms": round(benchlib.percentile(client, 99), 1),
        "server_p95_ms": round(benchlib.percentile(server, 95), 1),
        "per_second": round(len(samples) / wall, 1),
    }


async def load(
    server: checkout.Server, shoppers: list[Any], count: int, clients: int, path: str
) -> tuple[dict[str, float], dict[str, Any]]:
    """`count` GETs of `path` (formatted with the cart) from `clients` at once; the figures,
    and the first answer's body (what was measured)."""
    samples: list[tuple[float, float]] = []
    first: dict[str, Any] = {}
    todo = iter(range(count))

    async def worker(client: httpx.AsyncClient) -> None:
        for k in todo:
            shopper = shoppers[k % len(shoppers)]
            params = {"cart_id": shopper.cart_id, **WHERE} if path == RATES else None
            started = time.perf_counter()
            answer = await client.get(
                path.format(cart=shopper.cart_id), params=params, headers=shopper.headers()
            )
            elapsed = (time.perf_counter() - started) * 1000
            answer.raise_for_status()
            timing = answer.headers.get("server-timing", "")
            samples.append((elapsed, store_http.server_ms(answer) if "dur=" in timing else elapsed))
            first.setdefault("body", answer.json())

    limits = httpx.Limits(max_connections=clients, keepalive_expiry=2.0)
    async with httpx.AsyncClient(base_url=server.base, timeout=30, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        wall = time.perf_counter() - started
    return stats(samples, wall), first["body"]


def described(body: dict[str, Any]) -> dict[str, Any]:
    options = body.get("options", [])
    return {
        "options": len(options),
        "carriers": sorted({o["carrier"] for o in options}),
        "warnings": body.get("warnings", []),
        "zone": body.get("zone"),
    }


async def measure(
    server: checkout.Server, shoppers: list[Any], args: argparse.Namespace, *, path: str = RATES
) -> dict[str, Any]:
    await load(server, shoppers, args.warm, 1, path)
    one, body = await load(server, shoppers, args.requests, 1, path)
    many, _ = await load(server, shoppers, args.requests, args.clients, path)
    return {"one_at_a_time": one, f"{args.clients}_at_once": many, "answer": described(body)}


async def outside_call(base_url: str, count: int) -> dict[str, float]:
    """EasyPost's rates asked straight from this process by Mercato's provider (no app, no
    database): what the outside call itself costs, the fake's work included."""
    carrier = EasyPostCarrier(API_KEY, base_url=base_url)
    origin = Address(name="Mercato", line1="400 Raymond Blvd", city="Newark", region="NJ",
                     postal_code="07105", country="US")  # fmt: skip
    to = Address(name="Ana", line1="1 Main St", city="New York", region="NY",
                 postal_code="10001", country="US")  # fmt: skip
    parcel = Parcel(1500, 300, 200, 150, Decimal("80.00"), "USD")
    samples: list[tuple[float, float]] = []
    try:
        for k in range(count + 10):
            started = time.perf_counter()
            await carrier.rates(origin=origin, destination=to, parcel=parcel)
            if k >= 10:  # the first ten warm the connection
                samples.append(((time.perf_counter() - started) * 1000,) * 2)
    finally:
        await carrier.close()
    return stats(samples, sum(c for c, _ in samples) / 1000)


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(7)
    fake = FakeEasyPost()
    found: dict[str, Any] = {}
    with fake.running(), fulfilment_store.demo_store(args.products) as store:
        found["floor: EasyPost's rates alone (provider to fake)"] = {
            "one_at_a_time": asyncio.run(outside_call(fake.url, args.requests)),
            "answer": {"options": 6, "carriers": ["easypost"], "warnings": [], "zone": None},
        }
        three = {
            "MERCATO_SHIPPING_CARRIERS": "local,tables,easypost",
            "MERCATO_EASYPOST_API_KEY": API_KEY,
            "MERCATO_EASYPOST_BASE_URL": fake.url,
            "MERCATO_SHIPPING_CARRIER_TIMEOUT": str(args.timeout),
        }
        with fulfilment_store.serving(store, **three) as server:
            shoppers = asyncio.run(make_carts(server, args.carts, rng))
            found["three carriers"] = asyncio.run(measure(server, shoppers, args))
            print(f"  three carriers: {found['three carriers']}", file=sys.stderr)
            fake.delay = args.delay
            slow = argparse.Namespace(**{**vars(args), "requests": args.slow_requests, "warm": 3})
            found["EC018: EasyPost slower than the timeout"] = asyncio.run(
                measure(server, shoppers, slow)
            )
            fake.delay = 0.0
        print(f"  EC018: {found['EC018: EasyPost slower than the timeout']}", file=sys.stderr)
        with fulfilment_store.serving(store, MERCATO_SHIPPING_CARRIERS="local,tables") as server:
            found["floor: local courier and tables"] = asyncio.run(measure(server, shoppers, args))
            found["floor: GET /v1/carts/{id}"] = asyncio.run(
                measure(server, shoppers, args, path="/v1/carts/{cart}")
            )
    easypost_calls = sum(1 for method, path in fake.requests if path == "/v2/shipments")
    return {"cases": found, "easypost_rate_calls": easypost_calls, "carts": len(shoppers)}


def ratio(cases: dict[str, Any], case: str, floor: str, key: str) -> float:
    measured: float = cases[case]["one_at_a_time"][key] / cases[floor]["one_at_a_time"][key]
    return round(measured, 2)


def bars_for(result: dict[str, Any], args: argparse.Namespace) -> list[Bar]:
    cases = result["cases"]
    three = cases["three carriers"]["one_at_a_time"]
    slow = cases["EC018: EasyPost slower than the timeout"]["one_at_a_time"]
    limit = args.timeout * 1000 * BAR_TIMEOUT_SLACK
    carriers = cases["three carriers"]["answer"]["carriers"]
    return [
        Bar("three carriers quote (local, Parcel Post's tables, EasyPost's fake)",
            "local, post, easypost", ", ".join(carriers),
            {"local", "post", "easypost"} <= set(carriers)),
        Bar("rates p95 with three carriers, one request at a time (client-side)",
            f"< {BAR_P95_MS:g} ms", f"{three['p95_ms']} ms", three["p95_ms"] < BAR_P95_MS),
        Bar(f"EC018: p95 with EasyPost {args.delay:g} s slow, timeout {args.timeout:g} s",
            f"< {limit:g} ms (timeout x {BAR_TIMEOUT_SLACK})", f"{slow['p95_ms']} ms",
            slow["p95_ms"] < limit),
    ]  # fmt: skip


def markdown(data: dict[str, Any], bars: list[Bar]) -> str:
    result, args = data["result"], data["settings"]
    cases = result["cases"]
    lines = benchlib.report_header("Shipping: rate shopping with three carriers", data)
    lines += ["## Bars", "", *benchlib.bars_markdown(bars), "", "## Result", ""]
    lines.append(
        f"`GET /v1/shipping/rates?cart_id=…&country=US&region=NY&postal_code=10001` over HTTP "
        f"against one `mercato serve` (SQLite) on `mercato demo`'s store, {result['carts']} "
        f"guests' carts of 1-5 lines asked in turn, after {args['warm']} warm-up requests; "
        f"the local EasyPost in a thread of the benchmark's process (it answered "
        f"{result['easypost_rate_calls']} rate calls). Timeout "
        f"`MERCATO_SHIPPING_CARRIER_TIMEOUT={args['timeout']}`; in the EC018 case the fake "
        f"waits {args['delay']} s before answering. Milliseconds as the client saw them; "
        "`server p95` from `Server-Timing`."
    )
    lines += [
        "",
        "| case | clients | requests | p50 ms | p95 ms | p99 ms | server p95 ms | requests/s "
        "| options | carriers | warnings |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, case in cases.items():
        answer = case["answer"]
        for load_name, s in case.items():
            if load_name == "answer":
                continue
            clients = 1 if load_name == "one_at_a_time" else args["clients"]
            lines.append(
                f"| {name} | {clients} | {s['requests']} | {s['p50_ms']} | {s['p95_ms']} "
                f"| {s['p99_ms']} | {s['server_p95_ms']} | {s['per_second']} "
                f"| {answer['options']} | {', '.join(answer['carriers'])} "
                f"| {len(answer['warnings'])} |"
            )
    floor = "floor: local courier and tables"
    slow = cases["EC018: EasyPost slower than the timeout"]
    alone = cases["floor: EasyPost's rates alone (provider to fake)"]["one_at_a_time"]
    lines += [
        "",
        f"EasyPost's rates asked by the provider alone (no app) take p50 {alone['p50_ms']} ms: "
        "of the three-carrier route's p50 over the floor's, that much is the outside call "
        "(the fake's work in this process included).",
        "",
        "Ratios, one request at a time: three carriers / floor (no outside call) p50 "
        f"{ratio(cases, 'three carriers', floor, 'p50_ms')}, p95 "
        f"{ratio(cases, 'three carriers', floor, 'p95_ms')}; floor / GET cart p50 "
        f"{ratio(cases, floor, 'floor: GET /v1/carts/{id}', 'p50_ms')}.",
        "",
        f"EC018: with EasyPost {args['delay']} s slow the p95 is {slow['one_at_a_time']['p95_ms']}"
        f" ms for a {args['timeout'] * 1000:g} ms timeout; the answer's warning: "
        f"{slow['answer']['warnings']}.",
        "",
        benchlib.noise_line(data["machine"]),
        *[f"\n{note}" for note in data["notes"]],
    ]
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--requests", type=int, default=300, help="a case, after the warm-up")
    p.add_argument("--warm", type=int, default=30)
    p.add_argument("--clients", type=int, default=8, help="the concurrent load")
    p.add_argument("--carts", type=int, default=100)
    p.add_argument("--products", type=int, default=fulfilment_store.PRODUCTS)
    p.add_argument("--timeout", type=float, default=0.5, help="the carriers' timeout, s")
    p.add_argument("--delay", type=float, default=2.0, help="EC018: EasyPost's delay, s")
    p.add_argument("--slow-requests", type=int, default=60, help="EC018: requests a load")
    p.add_argument("--record", action="store_true")
    p.add_argument("--note", action="append", default=[])
    args = p.parse_args()
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
    bars = bars_for(result, args)
    data["bars"] = [b.as_dict() for b in bars]
    text = markdown(data, bars)
    print(text)
    if args.record:
        benchlib.write_results("shipping_rates", data, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
