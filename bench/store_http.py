"""Product listing and add-to-cart over HTTP against a running server with a big catalogue.

The store is `mercato demo`'s, made with `--products` products (100,000 by default: about
195,000 variants with stock in two locations), seeded once per stack and kept for later runs
in `--workdir`. Then `mercato serve` runs as its own process and the benchmark's clients
(asyncio + httpx, in this process) load it:

1. **listing**: `--clients` concurrent clients for `--seconds`, each cycling through a mix of
   listing queries (filters, sorts, a second page by cursor): first back to back (closed
   loop: the most the server answers, each request queued behind the others), then paced at
   `--rate` requests/s in all, where the bar is read. Full-text `q` is measured apart, since
   relevance search is a later issue.
2. **add to cart**: `--clients` guests, each with its own session and cart, adding an
   in-stock variant and removing the line again, for `--seconds`.

Each request's latency is recorded twice: as the server reports it (`Server-Timing`, from the
request's arrival to the start of the answer) and as the client saw it (which includes the
client's own CPU, competing for the same two cores). The bar is server-side.

Usage:
    python bench/store_http.py [--stack embedded|scaled] [--products 100000] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

import benchlib
import stacks

BAR_LISTING_P95_MS = 20.0
LISTING_QUERIES = {
    "newest": "/v1/products?limit=20",
    "department": "/v1/products?category=clothing&limit=20",
    "category+price+sort": (
        "/v1/products?category=cookware&min_price=20&max_price=120&sort=price_asc&limit=20"
    ),
    "in_stock+sort": "/v1/products?in_stock=true&sort=price_desc&limit=20",
    "attribute+in_stock": "/v1/products?attr=colour:black&in_stock=true&limit=20",
    "merchant+name": "/v1/products?merchant=demo-merchant&sort=name&limit=20",
}
SEARCH_QUERY = "/v1/products?q=merino%20hoodie&limit=20"


def seed(
    stack: str,
    products: int,
    workdir: Path,
    services: stacks.Services,
    *,
    pictures: bool = False,
) -> dict[str, str]:
    """The server's environment, seeding the store first unless `workdir` already has it
    (without pictures unless asked: drawing 100,000 of them would take half an hour, and a
    listing's answer then carries an empty `pictures` list where the demo's has one entry)."""
    from mercato.demo import seed_demo
    from mercato.kernel.config import Settings

    marker = workdir / f"seeded-{stack}-{products}"
    env = dict(os.environ)
    env.update(
        MERCATO_DATA_DIR=str(workdir / "data"),
        MERCATO_LOG_LEVEL="WARNING",
        MERCATO_RATE_LIMIT_API="100000000/minute",
        MERCATO_RATE_LIMIT_AUTH="100000000/minute",
    )
    if stack == "scaled":
        database = (workdir / "database").read_text() if marker.exists() else None
        database = database or services.scratch_url(f"mercato_bench_store_{uuid.uuid4().hex[:8]}")
        env.update(
            MERCATO_DATABASE_URL=database,
            MERCATO_BROKER_URL=services.redis_url,
            MERCATO_STREAM_PREFIX=f"mercato-bench-{workdir.name}",
            MERCATO_JWT_SIGNING_KEYS=_signing_keys(workdir),
        )
    if marker.exists():
        return env
    settings = Settings(
        data_dir=workdir / "data",
        database_url=env.get("MERCATO_DATABASE_URL"),
        broker_url=None,  # the seed's events are handled in process, before the server starts
        jwt_signing_keys=json.loads(env.get("MERCATO_JWT_SIGNING_KEYS", "[]")),
        auto_migrate=True,
        log_level="WARNING",
    )
    if stack == "scaled":
        name = settings.resolved_database_url.rsplit("/", 1)[1]
        stacks._admin_sql(services, f'CREATE DATABASE "{name}"')
        (workdir / "database").write_text(settings.resolved_database_url)
    started = time.perf_counter()
    asyncio.run(seed_demo(settings, products=products, seed=7, pictures=pictures))
    seconds = round(time.perf_counter() - started, 1)
    print(f"seeded {products} products on {stack} in {seconds} s", file=sys.stderr)
    (workdir / "seed-seconds").write_text(str(seconds))
    marker.touch()
    return env


def _signing_keys(workdir: Path) -> str:
    path = workdir / "signing-key.pem"
    if not path.exists():
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        from mercato.agents.identity.tokens import SigningKey

        path.write_bytes(SigningKey.from_private(Ed25519PrivateKey.generate()).pem())
    return json.dumps([path.read_text()])


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    mercato = Path(sys.executable).parent / "mercato"
    command = [str(mercato), "serve", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        time.sleep(0.2)
    raise RuntimeError("server not ready in 120 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


Sample = tuple[str, float, float]  # kind, server ms, client ms


def server_ms(response: httpx.Response) -> float:
    return float(response.headers["server-timing"].split("dur=", 1)[1])


async def timed(
    client: httpx.AsyncClient, kind: str, method: str, url: str, **kw: Any
) -> tuple[httpx.Response, Sample]:
    started = time.perf_counter()
    response = await client.request(method, url, **kw)
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code >= 400:
        raise RuntimeError(f"{method} {url} -> {response.status_code} {response.text[:300]}")
    return response, (kind, server_ms(response), elapsed)


async def listing_load(
    base: str, clients: int, seconds: float, rate: float | None = None
) -> tuple[list[Sample], float]:
    """`clients` clients cycling through the query mix: back to back (closed loop, the
    server saturated), or together at `rate` requests/s (each client on its own schedule,
    sending late rather than skipping when the server falls behind)."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as probe:
        first = (await probe.get(LISTING_QUERIES["newest"])).json()
    second = f"/v1/products?limit=20&cursor={first['next_cursor']}"
    queries = [*LISTING_QUERIES.items(), ("second page", second)]
    samples: list[Sample] = []
    deadline = time.perf_counter() + seconds
    interval = clients / rate if rate else 0.0

    async def client_loop(offset: int) -> None:
        limits = httpx.Limits(max_connections=1)
        due = time.perf_counter() + interval * offset / clients
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
            for kind, url in itertools.islice(itertools.cycle(queries), offset, None):
                if interval:
                    await asyncio.sleep(max(0.0, due - time.perf_counter()))
                    due += interval
                if time.perf_counter() > deadline:
                    return
                _, sample = await timed(client, kind, "GET", url)
                samples.append(sample)

    started = time.perf_counter()
    await asyncio.gather(*(client_loop(i) for i in range(clients)))
    return samples, time.perf_counter() - started


async def search_load(base: str, clients: int, seconds: float) -> list[Sample]:
    samples: list[Sample] = []
    deadline = time.perf_counter() + seconds

    async def client_loop() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            while time.perf_counter() < deadline:
                samples.append((await timed(client, "q", "GET", SEARCH_QUERY))[1])

    await asyncio.gather(*(client_loop() for _ in range(clients)))
    return samples


async def cart_load(base: str, clients: int, seconds: float) -> tuple[list[Sample], float]:
    async with httpx.AsyncClient(base_url=base, timeout=30) as probe:
        page = (await probe.get("/v1/products?in_stock=true&limit=100")).json()
    variants = [v["id"] for p in page["items"] for v in p["variants"] if v["available"] >= 20]
    samples: list[Sample] = []
    deadline = time.perf_counter() + seconds

    async def shopper(n: int) -> None:
        rng = random.Random(n)
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            session = (await client.post("/v1/sessions")).json()["session_token"]
            client.headers["x-session-token"] = session
            cart = (await client.post("/v1/carts")).json()["id"]
            while time.perf_counter() < deadline:
                body = {"variant_id": rng.choice(variants), "quantity": 1}
                added, sample = await timed(
                    client, "add", "POST", f"/v1/carts/{cart}/items", json=body
                )
                samples.append(sample)
                item = added.json()["items"][0]["id"]
                _, sample = await timed(
                    client, "remove", "DELETE", f"/v1/carts/{cart}/items/{item}"
                )
                samples.append(sample)

    started = time.perf_counter()
    await asyncio.gather(*(shopper(i) for i in range(clients)))
    return samples, time.perf_counter() - started


def stats(samples: Sequence[Sample], kind: str | None = None) -> dict[str, Any]:
    chosen = [s for s in samples if kind is None or s[0] == kind]
    server = [s[1] for s in chosen]
    client = [s[2] for s in chosen]
    return {
        "requests": len(chosen),
        "server_p50_ms": round(benchlib.percentile(server, 50), 2),
        "server_p95_ms": round(benchlib.percentile(server, 95), 2),
        "server_p99_ms": round(benchlib.percentile(server, 99), 2),
        "client_p50_ms": round(benchlib.percentile(client, 50), 2),
        "client_p95_ms": round(benchlib.percentile(client, 95), 2),
    }


def table(rows: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        "| requests | n | server p50 | server p95 | server p99 | client p50 | client p95 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, s in rows.items():
        lines.append(
            f"| {name} | {s['requests']} | {s['server_p50_ms']} ms | {s['server_p95_ms']} ms | "
            f"{s['server_p99_ms']} ms | {s['client_p50_ms']} ms | {s['client_p95_ms']} ms |"
        )
    return lines


def run_stack(args: argparse.Namespace, stack: str, services: stacks.Services) -> dict[str, Any]:
    workdir = Path(args.workdir) / f"{stack}-{args.products}"
    workdir.mkdir(parents=True, exist_ok=True)
    env = seed(stack, args.products, workdir, services)
    workers = 2 if stack == "scaled" else 1
    port = 18700 + (1 if stack == "scaled" else 0)
    proc = start_server(env, port, workers)
    base = f"http://127.0.0.1:{port}"
    try:
        listing, listing_wall = asyncio.run(listing_load(base, args.clients, args.seconds))
        paced, paced_wall = asyncio.run(
            listing_load(base, args.clients, args.seconds, rate=args.rate)
        )
        search = asyncio.run(search_load(base, args.clients, min(args.seconds, 10)))
        cart, cart_wall = asyncio.run(cart_load(base, args.clients, args.seconds))
    finally:
        stop_server(proc)
    paced_name = f"listing at {args.rate:g} requests/s (all filters)"
    rows = {paced_name: stats(paced)}
    rows.update({f"  {k}": stats(paced, k) for k in dict.fromkeys(s[0] for s in paced)})
    rows["listing, closed loop (saturated)"] = stats(listing)
    rows["listing: q (full text)"] = stats(search)
    rows["cart: add item"] = stats(cart, "add")
    rows["cart: remove item"] = stats(cart, "remove")
    return {
        "stack": stack,
        "server_workers": workers,
        "products": args.products,
        "seed_seconds": (workdir / "seed-seconds").read_text()
        if (workdir / "seed-seconds").exists()
        else None,
        "clients": args.clients,
        "listing_requests_per_second": round(len(listing) / listing_wall, 1),
        "paced_rate": args.rate,
        "paced_name": paced_name,
        "paced_requests_per_second": round(len(paced) / paced_wall, 1),
        "cart_requests_per_second": round(len(cart) / cart_wall, 1),
        "rows": rows,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", choices=[*stacks.STACKS, "all"], default="embedded")
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--rate", type=float, default=100.0, help="Total listing requests/s of the paced run"
    )
    parser.add_argument("--workdir", default="/tmp/mercato-bench-store")
    parser.add_argument("--fresh", action="store_true", help="Seed again even if seeded")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    if args.fresh:
        shutil.rmtree(args.workdir, ignore_errors=True)
    services = stacks.Services()
    chosen = list(stacks.STACKS) if args.stack == "all" else [args.stack]
    conditions = benchlib.Conditions()
    conditions.info.update(stacks.server_versions(services, chosen))
    results = [run_stack(args, stack, services) for stack in chosen]
    info = conditions.finish()
    bars = []
    for result in results:
        p95 = result["rows"][result["paced_name"]]["server_p95_ms"]
        bars.append(
            benchlib.Bar(
                f"listing p95 server-side, {result['products']:,} products, "
                f"{result['clients']} clients at {result['paced_rate']:g} requests/s "
                f"({result['stack']})",
                f"< {BAR_LISTING_P95_MS} ms",
                f"{p95} ms",
                p95 < BAR_LISTING_P95_MS,
            )
        )
    data = {
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": info,
        "results": results,
        "bars": [b.as_dict() for b in bars],
    }
    lines = benchlib.report_header("Product listing and add-to-cart over HTTP", data)
    for result in results:
        lines += [
            f"## {result['stack']}: {result['products']:,} products, {result['clients']} clients, "
            f"{result['server_workers']} server process(es)",
            "",
            f"Seeded in {result['seed_seconds']} s. Listing: "
            f"{result['listing_requests_per_second']} requests/s closed loop (the most this "
            f"server answered), {result['paced_requests_per_second']} requests/s paced; cart: "
            f"{result['cart_requests_per_second']} requests/s closed loop.",
            "",
            *table(result["rows"]),
            "",
        ]
    lines += ["## Bars", "", *benchlib.bars_markdown(bars), "", benchlib.noise_line(info)]
    report = "\n".join(lines)
    print(report)
    if args.record:  # one file per stack, so runs of each stack can be recorded apart
        benchlib.write_results(f"store_http_{'_'.join(chosen)}", data, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
