"""Checkout under load: concurrent shoppers checking out against running servers.

The store is `mercato demo`'s (`--products`, 1,200 by default, stock in two locations), seeded
fresh for each stack in a temporary directory (`store_http.seed`) and removed after. Then
`mercato serve` runs in its own process(es) (embedded: 1 on SQLite; scaled: 2, one worker each,
on PostgreSQL + Redis, the clients spread round-robin over them) and the benchmark's clients
(asyncio + httpx, in this process) load it:

1. **prepared carts**: `--checkouts` guests, each with its own session and a cart of 1-3
   in-stock lines, all prepared before the clock starts; then `--concurrency` shoppers check
   them out back to back (closed loop) until every cart has been checked out: checkouts/s,
   latency, status counts, and the SQL statements each checkout cost (from the servers'
   `mercato_sql_statements_total` counters);
2. **whole journey**: `--journey-concurrency` shoppers, each journey a new guest session, a
   new cart, three items added and the checkout, for `--journey-seconds`.

Every variant a cart takes is counted against the stock the listing showed, so no checkout
fails for want of stock. Each request's latency is recorded as the client saw it and as the
server reports it (`Server-Timing`, from the request's arrival to the start of the answer).

Usage:
    python bench/checkout.py [--stack embedded|scaled|all] [--checkouts 2000]
                             [--concurrency 100] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import itertools
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis
from sqlalchemy import create_engine

import benchlib
import stacks
import store_http
from checkout_report import (
    CHECKOUT_ROUTE,
    DRAIN_QUIET_SECONDS,
    IDLE_SECONDS,
    KEEPALIVE_EXPIRY,
    bars_for,
    markdown,
)
from serve_startup import free_port
from shopper_identity import address, card

TIMEOUT = 60.0
PREPARE_ATTEMPTS = 3  # a cart whose preparation met a transport error is made again
DRAIN_TIMEOUT = 120.0
SERVER_ENV = {
    # each shopper has a card and a client address of their own (`shopper_identity`): the
    # servers believe the load generator's X-Forwarded-For, as they would a balancer's
    "MERCATO_FORWARDED_ALLOW_IPS": "127.0.0.1",
    # one load generator makes every shopper's requests: the limits per client are lifted
    "MERCATO_RATE_LIMIT_API": "1000000/minute",
    "MERCATO_RATE_LIMIT_AUTH": "1000000/minute",
    "MERCATO_LOG_LEVEL": "WARNING",
}
ADDRESS = {
    "name": "Ana Lima",
    "line1": "1 Main St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
}
_METRIC = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$")
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


# -- servers ----------------------------------------------------------------------------------


@dataclass
class Server:
    base: str
    proc: subprocess.Popen[bytes]
    log: Path


def start_server(env: dict[str, str], port: int, log: Path, workers: int = 1) -> Server:
    """`mercato serve` (`workers` processes) with its stderr in `log`, once it answers
    /health/ready."""
    mercato = Path(sys.executable).parent / "mercato"
    command = [str(mercato), "serve", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as sink:
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=sink)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health/ready", timeout=1).status_code == 200:
                return Server(base, proc, log)
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-2000:]}")
        time.sleep(0.2)
    store_http.stop_server(proc)
    raise RuntimeError(f"server not ready in 120 s: {log.read_text()[-2000:]}")


def log_excerpt(servers: Sequence[Server], lines: int = 40) -> dict[str, Any]:
    """What the servers wrote to stderr (at WARNING and above): line count and the last lines."""
    out: dict[str, Any] = {}
    for n, server in enumerate(servers):
        text = server.log.read_text(errors="replace").splitlines()
        text = [line for line in text if not line.startswith("Mercato ")]  # the banner
        out[f"server {n + 1}"] = {
            "lines": len(text),
            "last": text[-lines:],
            "path": str(server.log),
        }
    return out


# -- metrics ----------------------------------------------------------------------------------

Metrics = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse_metrics(text: str) -> Metrics:
    out: Metrics = {}
    for line in text.splitlines():
        match = _METRIC.match(line)
        if match is None or line.startswith("#"):
            continue
        name, labels, value = match.groups()
        key = (name, tuple(sorted(_LABEL.findall(labels or ""))))
        out[key] = out.get(key, 0.0) + float(value)
    return out


async def scrape(servers: Sequence[Server]) -> Metrics:
    """The servers' counters, summed (each process has its own registry)."""
    total: Metrics = collections.defaultdict(float)
    async with httpx.AsyncClient(timeout=TIMEOUT) as client:
        for server in servers:
            answer = await client.get(f"{server.base}/metrics")
            answer.raise_for_status()
            for key, value in parse_metrics(answer.text).items():
                total[key] += value
    return dict(total)


def metric(metrics: Metrics, name: str, **labels: str) -> float:
    """The sum of `name` over the series carrying `labels`."""
    wanted = set(labels.items())
    return sum(v for (n, ls), v in metrics.items() if n == name and wanted <= set(ls))


def by_label(metrics: Metrics, name: str, label: str) -> dict[str, float]:
    out: dict[str, float] = collections.defaultdict(float)
    for (n, ls), v in metrics.items():
        if n == name:
            out[dict(ls).get(label, "")] += v
    return dict(out)


def bus_activity(metrics: Metrics) -> float:
    return sum(
        metric(metrics, name)
        for name in (
            "mercato_events_published_total",
            "mercato_events_handled_total",
            "mercato_events_failed_total",
        )
    )


async def drained(
    servers: Sequence[Server], at_most: float = DRAIN_TIMEOUT
) -> tuple[Metrics, float]:
    """Wait until no event has been published or handled for DRAIN_QUIET_SECONDS (the outbox
    relayed, its handlers done), `at_most` seconds; the metrics then and the seconds
    waited."""
    started = time.perf_counter()
    last = await scrape(servers)
    quiet_since = time.perf_counter()
    while time.perf_counter() - started < at_most:
        await asyncio.sleep(0.5)
        now = await scrape(servers)
        if bus_activity(now) != bus_activity(last):
            quiet_since = time.perf_counter()
        last = now
        if time.perf_counter() - quiet_since >= DRAIN_QUIET_SECONDS:
            break
    return last, round(time.perf_counter() - started, 1)


LAG = "mercato_analytics_event_lag_seconds"


def lag_between(before: Metrics, after: Metrics) -> dict[str, Any]:
    """The analytics read models' event lag over a phase (its histogram's growth): events
    taken up and the bucket bounds holding the 50th, 95th and 99th percentiles ("≤ 0.1 s")."""
    buckets: dict[float, float] = collections.defaultdict(float)
    for (name, labels), value in after.items():
        if name == f"{LAG}_bucket":
            bound = dict(labels)["le"]
            buckets[float("inf") if bound == "+Inf" else float(bound)] += value - before.get(
                (name, labels), 0.0
            )
    total = buckets.get(float("inf"), 0.0)
    out: dict[str, Any] = {"events": int(total)}
    for label, q in (("p50_le_s", 0.5), ("p95_le_s", 0.95), ("p99_le_s", 0.99)):
        out[label] = (
            next(
                (
                    b if b != float("inf") else "> 300"
                    for b in sorted(buckets)
                    if buckets[b] >= q * total
                ),
                None,
            )
            if total
            else None
        )
    return out


def route_costs(before: Metrics, after: Metrics) -> dict[str, dict[str, float]]:
    """Per route (`METHOD /template`): requests answered and SQL statements sent, in between."""
    sql_before = by_label(before, "mercato_sql_statements_total", "route")
    sql_after = by_label(after, "mercato_sql_statements_total", "route")
    counts: dict[str, float] = collections.defaultdict(float)
    for (name, ls), value in after.items():
        if name == "mercato_http_request_duration_seconds_count":
            labels = dict(ls)
            route = f"{labels.get('method')} {labels.get('route')}"
            counts[route] += value - before.get((name, ls), 0.0)
    out = {}
    for route, statements in sql_after.items():
        delta = statements - sql_before.get(route, 0.0)
        if delta <= 0 or route.startswith("GET /metrics") or route.startswith("GET /health"):
            continue
        requests = counts.get(route, 0.0)
        out[route] = {
            "requests": int(requests),
            "statements": int(delta),
            "per_request": round(delta / requests, 1) if requests else float("nan"),
        }
    return out


# -- CPU --------------------------------------------------------------------------------------


def cpu_seconds(pids: Sequence[int]) -> dict[str, float]:
    """CPU seconds used so far: by this process (the load generator), by `pids` (the servers)
    and their children (a server's worker processes), and by PostgreSQL's and Redis's
    processes. A process that has exited is counted in its parent's reaped-children time
    (PostgreSQL's postmaster reaps every backend: a connection closed during the run would
    otherwise take its whole past CPU out of the difference)."""
    tick = os.sysconf("SC_CLK_TCK")
    usage = {"client": time.process_time(), "servers": 0.0, "postgresql": 0.0, "redis": 0.0}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        # utime + stime, and cutime + cstime: the children it has reaped
        seconds = sum(int(field) for field in fields[11:15]) / tick
        if int(entry.name) in pids or int(fields[1]) in pids:
            usage["servers"] += seconds
        elif comm == "postgres":
            usage["postgresql"] += seconds
        elif comm == "redis-server":
            usage["redis"] += seconds
    return usage


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    return {k: round(after[k] - before[k], 1) for k in before}


# -- the store --------------------------------------------------------------------------------


class StockPool:
    """The in-stock variants and how many of each are left for the benchmark's carts."""

    def __init__(self, available: dict[str, int], rng: random.Random) -> None:
        self.left = {v: n for v, n in available.items() if n > 0}
        self.ids = list(self.left)
        self.rng = rng

    @property
    def units(self) -> int:
        return sum(self.left.values())

    def take(self, lines: int) -> list[str]:
        """`lines` distinct variants, one unit of each counted as taken."""
        chosen: list[str] = []
        while len(chosen) < lines:
            if len(self.ids) <= len(chosen):
                raise RuntimeError("the store ran out of stock for the benchmark's carts")
            index = self.rng.randrange(len(self.ids))
            variant = self.ids[index]
            if variant in chosen:
                continue
            chosen.append(variant)
            self.left[variant] -= 1
            if self.left[variant] == 0:
                self.ids[index] = self.ids[-1]
                self.ids.pop()
        return chosen


async def stock_pool(base: str, rng: random.Random) -> StockPool:
    """Every in-stock variant with what is available of it (the listing, page by page)."""
    available: dict[str, int] = {}
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT) as client:
        url: str | None = "/v1/products?in_stock=true&limit=100"
        while url:
            page = (await client.get(url)).raise_for_status().json()
            for product in page["items"]:
                for variant in product["variants"]:
                    available[variant["id"]] = int(variant.get("available") or 0)
            cursor = page.get("next_cursor")
            url = f"/v1/products?in_stock=true&limit=100&cursor={cursor}" if cursor else None
    return StockPool(available, rng)


# -- shoppers ---------------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    status: int | str  # an HTTP status, or the exception's name
    client_ms: float
    server_ms: float | None


@dataclass
class Shopper:
    server: int
    token: str
    cart_id: str
    email: str
    number: int  # its card and client address (`shopper_identity`)

    def headers(self, **more: str) -> dict[str, str]:
        return {"X-Session-Token": self.token, "X-Forwarded-For": address(self.number), **more}


_SHOPPER_NUMBERS = itertools.count()


def answered(status: int | str, expect: int | None) -> bool:
    """`status` is `expect`, or any 2xx when nothing in particular is expected."""
    if not isinstance(status, int):
        return False
    return status == expect if expect is not None else 200 <= status < 300


class RequestFailedError(Exception):
    """A request answered otherwise than expected, or not at all (recorded already)."""


@dataclass
class Recorder:
    """Every request's sample, and the first few answers of each unexpected status."""

    samples: list[Sample] = field(default_factory=list)
    problems: dict[str, list[str]] = field(default_factory=dict)

    async def request(
        self,
        client: httpx.AsyncClient,
        kind: str,
        method: str,
        url: str,
        expect: int | None = None,
        **kw: Any,
    ) -> httpx.Response:
        started = time.perf_counter()
        try:
            answer = await client.request(method, url, **kw)
        except httpx.HTTPError as exc:
            elapsed = (time.perf_counter() - started) * 1000
            self.samples.append(Sample(kind, type(exc).__name__, elapsed, None))
            self._problem(kind, type(exc).__name__, repr(exc))
            raise RequestFailedError(type(exc).__name__) from exc
        elapsed = (time.perf_counter() - started) * 1000
        timing = answer.headers.get("server-timing")
        server = store_http.server_ms(answer) if timing and "dur=" in timing else None
        self.samples.append(Sample(kind, answer.status_code, elapsed, server))
        if not answered(answer.status_code, expect):
            self._problem(kind, str(answer.status_code), answer.text[:600])
            raise RequestFailedError(answer.status_code)
        return answer

    def _problem(self, kind: str, status: str, text: str) -> None:
        seen = self.problems.setdefault(f"{kind} {status}", [])
        if len(seen) < 3:
            seen.append(text)


def clients_for(servers: Sequence[Server], pool: int) -> list[httpx.AsyncClient]:
    """One client per server, its pool sized to the concurrency. Idle connections are let go
    after 2 s, before uvicorn's 5 s keep-alive: with the same 5 s on both sides, a request
    sent on a connection the server is just closing fails (`RemoteProtocolError`)."""
    limits = httpx.Limits(
        max_connections=pool, max_keepalive_connections=pool, keepalive_expiry=KEEPALIVE_EXPIRY
    )
    return [httpx.AsyncClient(base_url=s.base, timeout=TIMEOUT, limits=limits) for s in servers]


async def close_all(clients: Sequence[httpx.AsyncClient]) -> None:
    for client in clients:
        await client.aclose()


async def new_shopper(
    recorder: Recorder, client: httpx.AsyncClient, server: int, variants: list[str]
) -> Shopper:
    """A guest session and a cart holding one of each of `variants`, from a client address
    of the shopper's own."""
    number = next(_SHOPPER_NUMBERS)
    forwarded = {"X-Forwarded-For": address(number)}
    session = await recorder.request(
        client, "session", "POST", "/v1/sessions", json={}, headers=forwarded
    )
    token = session.json()["session_token"]
    headers = {"X-Session-Token": token, **forwarded}
    cart = await recorder.request(client, "cart", "POST", "/v1/carts", headers=headers)
    cart_id = cart.json()["id"]
    for variant in variants:
        body = {"variant_id": variant, "quantity": 1}
        await recorder.request(
            client,
            "add item",
            "POST",
            f"/v1/carts/{cart_id}/items",
            headers=headers,
            json=body,
        )
    email = f"shopper-{uuid.uuid4().hex[:12]}@example.com"
    return Shopper(server, token, cart_id, email, number)


async def check_out(
    recorder: Recorder, client: httpx.AsyncClient, shopper: Shopper
) -> httpx.Response:
    headers = shopper.headers(**{"Idempotency-Key": f"bench-{uuid.uuid4().hex}"})
    body = {
        "cart_id": shopper.cart_id,
        "email": shopper.email,
        "shipping_address": ADDRESS,
        "billing_address": ADDRESS,
        "payment": {"provider": "sandbox", "card": card(shopper.number)},
    }
    return await recorder.request(
        client, "checkout", "POST", "/v1/checkout", 201, headers=headers, json=body
    )


async def prepare(
    servers: Sequence[Server], pool: StockPool, count: int, rng: random.Random
) -> tuple[list[Shopper], Recorder]:
    """`count` guests with a cart of 1-3 lines each, made before the clock starts (a guest
    whose preparation met a transport error is made again, up to PREPARE_ATTEMPTS times)."""
    recorder = Recorder()
    clients = clients_for(servers, 50)
    plans = [pool.take(rng.randint(1, 3)) for _ in range(count)]
    shoppers: list[Shopper | None] = [None] * count
    todo = iter(range(count))

    async def worker() -> None:
        for k in todo:
            server = k % len(servers)
            for attempt in range(1, PREPARE_ATTEMPTS + 1):
                try:
                    shoppers[k] = await new_shopper(recorder, clients[server], server, plans[k])
                    break
                except RequestFailedError as failed:  # args[0]: the status, or the exception
                    if isinstance(failed.args[0], int) or attempt == PREPARE_ATTEMPTS:
                        raise

    try:
        await asyncio.gather(*(worker() for _ in range(50)))
    except RequestFailedError:
        raise RuntimeError(f"preparing the carts failed: {recorder.problems}") from None
    finally:
        await close_all(clients)
    return [s for s in shoppers if s is not None], recorder


FIRST_ORDERS = 200
"""Orders the store takes before any clock starts (`first_orders`)."""


async def first_orders(
    servers: Sequence[Server], pool: StockPool, rng: random.Random, database_url: str
) -> dict[str, Any]:
    """The store takes its first FIRST_ORDERS orders, then its tables are analyzed, as on any
    store that has been selling a while. PostgreSQL's autovacuum analyzes a table once it has
    changed enough; this machine's runs with autovacuum off, so without this the order and
    payment tables keep the statistics of the empty store, by which every index the store
    leads looks as narrow as a row's own key, and a payment looked up by its id could be
    read through the index of its provider's references: every payment of the store."""
    shoppers, _ = await prepare(servers, pool, FIRST_ORDERS, rng)
    recorder, _ = await checkout_load(servers, shoppers, 20)
    await drained(servers)
    await asyncio.to_thread(analyze, database_url)
    return {"orders": sum(1 for s in recorder.samples if s.status == 201), "analyzed": True}


def analyze(database_url: str) -> None:
    """ANALYZE the whole database (planner statistics; PostgreSQL or SQLite)."""
    from mercato.kernel import migrate

    engine = create_engine(migrate.sync_url(database_url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()


def database_url(env: dict[str, str]) -> str:
    """The store's database as the servers started with `env` reach it."""
    from mercato.kernel.config import Settings

    settings = Settings(
        data_dir=Path(env["MERCATO_DATA_DIR"]), database_url=env.get("MERCATO_DATABASE_URL")
    )
    return settings.resolved_database_url


async def checkout_load(
    servers: Sequence[Server], shoppers: Sequence[Shopper], concurrency: int
) -> tuple[Recorder, float]:
    """`concurrency` shoppers checking the prepared carts out back to back."""
    recorder = Recorder()
    clients = clients_for(servers, concurrency)
    todo = iter(shoppers)

    async def worker() -> None:
        for shopper in todo:
            with contextlib.suppress(RequestFailedError):
                await check_out(recorder, clients[shopper.server], shopper)

    started = time.perf_counter()
    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        await close_all(clients)
    return recorder, time.perf_counter() - started


async def journey_load(
    servers: Sequence[Server], pool: StockPool, concurrency: int, seconds: float
) -> tuple[Recorder, list[float], int, float]:
    """Journeys (session, cart, three items, checkout) back to back for `seconds`: the
    recorder, each completed journey's milliseconds, the failed journeys, the wall time."""
    recorder = Recorder()
    clients = clients_for(servers, concurrency)
    journeys: list[float] = []
    failed = 0
    counter = itertools.count()
    deadline = time.perf_counter() + seconds

    async def worker() -> None:
        nonlocal failed
        while time.perf_counter() < deadline:
            server = next(counter) % len(servers)
            started = time.perf_counter()
            try:
                shopper = await new_shopper(recorder, clients[server], server, pool.take(3))
                await check_out(recorder, clients[server], shopper)
            except RequestFailedError:
                failed += 1
                continue
            journeys.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    try:
        await asyncio.gather(*(worker() for _ in range(concurrency)))
    finally:
        await close_all(clients)
    return recorder, journeys, failed, time.perf_counter() - started


# -- figures ----------------------------------------------------------------------------------


def latency(values: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": round(benchlib.percentile(list(values), 50), 1),
        "p95_ms": round(benchlib.percentile(list(values), 95), 1),
        "p99_ms": round(benchlib.percentile(list(values), 99), 1),
    }


def kind_stats(samples: Sequence[Sample], kind: str) -> dict[str, Any]:
    """The latency of `kind`'s successful requests (checkout: its 201s)."""
    expect = 201 if kind == "checkout" else None
    chosen = [s for s in samples if s.kind == kind and answered(s.status, expect)]
    server = [s.server_ms for s in chosen if s.server_ms is not None]
    return {
        "requests": len(chosen),
        "client": latency([s.client_ms for s in chosen]),
        "server": latency(server),
    }


def status_counts(samples: Sequence[Sample], kind: str | None = None) -> dict[str, int]:
    counts = collections.Counter(str(s.status) for s in samples if kind in (None, s.kind))
    return dict(sorted(counts.items()))


def statements_per(
    costs: dict[str, dict[str, float]],
    before: Metrics,
    after: Metrics,
    idle_rate: float,
    seconds: float,
    per: int,
) -> dict[str, Any]:
    """Statements per checkout (the checkout route) and in the background (net of the idle
    servers' rate over the same seconds)."""
    checkout = costs.get(CHECKOUT_ROUTE, {}).get("statements", 0.0)
    background = metric(after, "mercato_sql_statements_total", route="background") - metric(
        before, "mercato_sql_statements_total", route="background"
    )
    net = background - idle_rate * seconds
    return {
        "checkout_route": int(checkout),
        "checkout_per_checkout": round(checkout / per, 1) if per else None,
        "background": int(background),
        "background_idle_share": round(idle_rate * seconds),
        "background_per_checkout": round(net / per, 1) if per else None,
        "seconds_between_scrapes": round(seconds, 1),
    }


def saga_outcomes(before: Metrics, after: Metrics) -> dict[str, int]:
    b = by_label(before, "mercato_saga_outcomes_total", "outcome")
    a = by_label(after, "mercato_saga_outcomes_total", "outcome")
    return {k: int(v - b.get(k, 0.0)) for k, v in a.items() if v - b.get(k, 0.0)}


# -- one stack --------------------------------------------------------------------------------


async def measure(
    args: argparse.Namespace, stack: str, servers: Sequence[Server], database: str
) -> dict[str, Any]:
    rng = random.Random(args.seed)
    pids = [s.proc.pid for s in servers]
    pool = await stock_pool(servers[0].base, rng)
    history = await first_orders(servers, pool, rng, database)
    print(f"{stack}: {history['orders']} first orders taken, tables analyzed", file=sys.stderr)
    units_at_start = pool.units
    started = time.perf_counter()
    shoppers, prepared = await prepare(servers, pool, args.checkouts, rng)
    prepare_seconds = time.perf_counter() - started
    print(f"{stack}: {len(shoppers)} carts prepared in {prepare_seconds:.1f} s", file=sys.stderr)

    # idle background rate (relay polls, jobs), once the carts' events are handled
    await drained(servers)
    idle_from, idle_t0 = await scrape(servers), time.perf_counter()
    await asyncio.sleep(IDLE_SECONDS)
    idle_to, idle_t1 = await scrape(servers), time.perf_counter()
    idle_rate = (
        metric(idle_to, "mercato_sql_statements_total", route="background")
        - metric(idle_from, "mercato_sql_statements_total", route="background")
    ) / (idle_t1 - idle_t0)

    # phase 1: prepared carts
    before, t0, cpu0 = await scrape(servers), time.perf_counter(), cpu_seconds(pids)
    recorder, wall = await checkout_load(servers, shoppers, args.concurrency)
    cpu1 = cpu_seconds(pids)
    after, drain_seconds = await drained(servers)
    t1, cpu2 = time.perf_counter(), cpu_seconds(pids)
    completed = sum(1 for s in recorder.samples if s.status == 201)
    costs = route_costs(before, after)
    checkout = {
        "checkouts": len(shoppers),
        "concurrency": args.concurrency,
        "completed": completed,
        "errors": len(recorder.samples) - completed,
        "statuses": status_counts(recorder.samples),
        "problems": recorder.problems,
        "wall_seconds": round(wall, 2),
        "checkouts_per_second": round(completed / wall, 1),
        "latency": kind_stats(recorder.samples, "checkout"),
        "sql": statements_per(costs, before, after, idle_rate, t1 - t0, completed),
        "sql_by_route": costs,
        "drain_seconds": drain_seconds,
        "saga_outcomes": saga_outcomes(before, after),
        "analytics_lag": lag_between(before, after),
        "cpu_seconds": cpu_used(cpu0, cpu1),
        "cpu_seconds_until_drained": cpu_used(cpu0, cpu2),
        "prepare_seconds": round(prepare_seconds, 1),
        "prepare_statuses": status_counts(prepared.samples),
        "prepare_problems": prepared.problems,
    }
    print(f"{stack}: {checkout['checkouts_per_second']} checkouts/s", file=sys.stderr)

    # phase 2: whole journeys
    before, t0, cpu0 = await scrape(servers), time.perf_counter(), cpu_seconds(pids)
    recorder, journeys, failed, wall = await journey_load(
        servers, pool, args.journey_concurrency, args.journey_seconds
    )
    cpu1 = cpu_seconds(pids)
    after, drain_seconds = await drained(servers)
    t1, cpu2 = time.perf_counter(), cpu_seconds(pids)
    costs = route_costs(before, after)
    kinds = ("session", "cart", "add item", "checkout")
    journey = {
        "concurrency": args.journey_concurrency,
        "seconds": args.journey_seconds,
        "completed": len(journeys),
        "failed": failed,
        "statuses": {kind: status_counts(recorder.samples, kind) for kind in kinds},
        "problems": recorder.problems,
        "wall_seconds": round(wall, 2),
        "journeys_per_second": round(len(journeys) / wall, 1),
        "latency": latency(journeys),
        "requests": {kind: kind_stats(recorder.samples, kind) for kind in kinds},
        "sql": statements_per(costs, before, after, idle_rate, t1 - t0, len(journeys)),
        "sql_by_route": costs,
        "drain_seconds": drain_seconds,
        "saga_outcomes": saga_outcomes(before, after),
        "analytics_lag": lag_between(before, after),
        "cpu_seconds": cpu_used(cpu0, cpu1),
        "cpu_seconds_until_drained": cpu_used(cpu0, cpu2),
    }
    print(f"{stack}: {journey['journeys_per_second']} journeys/s", file=sys.stderr)
    return {
        "stack": stack,
        "server_processes": len(servers),
        "server_workers": args.embedded_workers if stack == "embedded" else 1,
        "products": args.products,
        "stock_units_listed": units_at_start,
        "first_orders": history,
        "idle_background_statements_per_second": round(idle_rate, 1),
        "checkout": checkout,
        "journey": journey,
    }


def run_stack(args: argparse.Namespace, stack: str, services: stacks.Services) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="mercato-bench-checkout-"))
    logs = Path(tempfile.mkdtemp(prefix=f"mercato-bench-checkout-{stack}-logs-"))
    servers: list[Server] = []
    try:
        env = store_http.seed(stack, args.products, workdir, services)
        env.update(SERVER_ENV, COLUMNS="500")  # COLUMNS: the banner on one line of the log
        count, workers = (2, 1) if stack == "scaled" else (1, args.embedded_workers)
        for n in range(count):
            log = logs / f"server-{n + 1}.stderr"
            servers.append(start_server(env, free_port(), log, workers))
        result = asyncio.run(measure(args, stack, servers, database_url(env)))
        seeded = workdir / "seed-seconds"
        result["seed_seconds"] = float(seeded.read_text()) if seeded.exists() else None
    finally:
        for server in servers:
            store_http.stop_server(server.proc)
        clean_up_store(stack, workdir, services)
    result["server_env"] = SERVER_ENV
    result["server_stderr"] = log_excerpt(servers)
    return result


def clean_up_store(stack: str, workdir: Path, services: stacks.Services) -> None:
    """Remove what `store_http.seed` made in `workdir` (and, scaled, its database and keys)."""
    if stack == "scaled":
        database = workdir / "database"
        if database.exists():
            name = database.read_text().rsplit("/", 1)[1]
            if name.startswith(stacks.SCRATCH_PREFIX):
                stacks._admin_sql(services, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        client = redis.Redis.from_url(services.redis_url)
        try:
            keys = list(client.scan_iter(match=f"mercato-bench-{workdir.name}:*", count=1000))
            if keys:
                client.delete(*keys)
        finally:
            client.close()
    shutil.rmtree(workdir, ignore_errors=True)


# -- report -----------------------------------------------------------------------------------


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--stack", choices=[*stacks.STACKS, "all"], default="all")
    p.add_argument("--products", type=int, default=1200, help="demo products to seed")
    p.add_argument("--checkouts", type=int, default=2000, help="prepared carts to check out")
    p.add_argument("--concurrency", type=int, default=100, help="shoppers checking out at once")
    p.add_argument("--journey-concurrency", type=int, default=20)
    p.add_argument("--journey-seconds", type=float, default=20.0)
    p.add_argument("--seed", type=int, default=7, help="random seed of the carts")
    p.add_argument(
        "--embedded-workers",
        type=int,
        default=1,
        help="worker processes of the embedded server (`mercato serve --workers`, one SQLite file)",
    )
    p.add_argument("--pg-url", default=stacks.PG_URL, help="PostgreSQL server (scaled stack)")
    p.add_argument("--redis-url", default=stacks.REDIS_URL, help="Redis (scaled stack)")
    p.add_argument("--record", action="store_true", help="write bench/results/checkout_<stack>.*")
    p.add_argument("--note", action="append", default=[], help="a note for the .md (repeat)")
    args = p.parse_args()
    services = stacks.Services(pg_url=args.pg_url, redis_url=args.redis_url)
    chosen = list(stacks.STACKS) if args.stack == "all" else [args.stack]
    for stack in chosen:
        conditions = benchlib.Conditions()
        conditions.info.update(stacks.server_versions(services, [stack]))
        result = run_stack(args, stack, services)
        data = {
            "date": benchlib.now_iso(),
            "code": benchlib.code_revision(),
            "command": benchlib.command_line(),
            "machine": conditions.finish(),
            "notes": args.note,
            "result": result,
        }
        bars = bars_for(result)
        data["bars"] = [b.as_dict() for b in bars]
        report = markdown(data, bars)
        print(report)
        if args.record:  # one file per stack, so each stack's runs can be recorded apart
            suffix = (
                f"_{args.embedded_workers}_workers"
                if stack == "embedded" and args.embedded_workers > 1
                else ""
            )
            benchlib.write_results(f"checkout_{stack}{suffix}", data, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
