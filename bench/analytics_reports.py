"""Analytics: report query latency over 100,000 orders, and how far the dashboards are behind
the store under the checkout benchmark's load (issue 17, "What to measure").

1. **Reports** (embedded: SQLite). A year of trading (`--orders`, 100,000 by default) is
   written straight into analytics' read models (bulk INSERTs of their rows: `analytics_seed`,
   not through the handlers), the database ANALYZEd. Then each report is asked `--runs` times
   through the service (what the route runs, no HTTP), for the default period (the last 30
   days, by day) and for the whole year (by month), plus `sales` grouped by product and a
   merchant's `sales`: p50 / p95 / max. Then `GET /v1/analytics/sales` (JSON and CSV) on a
   `mercato serve` process over the same database, client-side.
2. **Lag** (embedded). The checkout benchmark's store (`mercato demo`, `--lag-products`) on a
   `mercato serve` process: `--lag-checkouts` prepared carts checked out by
   `--lag-concurrency` shoppers at once (flat out, the checkout benchmark's load), then
   `--lag-rate` checkouts a second for `--lag-seconds` (paced). The analytics handlers' event
   lag (`mercato_analytics_event_lag_seconds`, occurred_at → handled) and every handler's
   (`mercato_event_delivery_seconds`) are read from /metrics around each: their p95 (the
   upper bound of the histogram bucket it falls in). Then the same on a store without the
   analytics agent: what its handlers cost the bus.

    .venv/bin/python bench/analytics_reports.py [--orders 100000] [--runs 30] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

import analytics_seed
import benchlib
import checkout
import stacks
import store_http
from benchlib import Bar
from serve_startup import free_port

ADMIN_KEY = "mk_bench_analytics_admin"
BAR_REPORT_P95_MS = 200.0
BAR_YEAR_P95_MS = 1000.0
BAR_HTTP_P95_MS = 250.0
BAR_LAG_P95_S = 2.0
LAG = "mercato_analytics_event_lag_seconds"
DELIVERY = "mercato_event_delivery_seconds"
"""The kernel's occurred_at → handler commit of every handler: the bus's own lag, beside."""


def stats(values: list[float]) -> dict[str, float]:
    return {
        "runs": len(values),
        "p50_ms": round(benchlib.percentile(values, 50), 1),
        "p95_ms": round(benchlib.percentile(values, 95), 1),
        "max_ms": round(max(values), 1),
    }


async def timed(runs: int, call: Callable[[], Awaitable[Any]]) -> list[float]:
    await call()  # warm: the statement compiled, the pages in the cache
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    return times


# -- 1. reports ---------------------------------------------------------------------------------


async def service_latency(settings: Any, runs: int, today: date) -> dict[str, dict[str, float]]:
    from mercato.agents.analytics import service
    from mercato.kernel.bootstrap import Kernel
    from mercato.kernel.context import bind

    kernel = Kernel.build(settings)
    year = today - timedelta(days=364)
    cases: dict[str, tuple[str, service.Ask]] = {}
    for name in service.REPORTS:
        cases[f"{name} (30 days, by day)"] = (name, service.Ask())
        cases[f"{name} (a year, by month)"] = (name, service.Ask(start=year, granularity="month"))
    cases["sales by product (30 days)"] = ("sales", service.Ask(group_by="product"))
    cases["sales of a merchant (30 days)"] = ("sales", service.Ask(merchant_id="merchant-3"))
    found = {}
    try:
        with bind(tenant_id=analytics_seed.STORE):
            for label, (name, ask) in cases.items():

                async def ask_once(name: str = name, ask: service.Ask = ask) -> Any:
                    async with kernel.uow(writes=False) as uow:
                        return await service.report(uow, name=name, ask=ask, now=kernel.clock.now())

                found[label] = stats(await timed(runs, ask_once))
                print(f"  {label}: p95 {found[label]['p95_ms']} ms", file=sys.stderr)
    finally:
        await kernel.db.dispose()
    return found


async def http_latency(base: str, runs: int, today: date) -> dict[str, dict[str, float]]:
    headers = {"Authorization": f"Bearer {ADMIN_KEY}"}
    month = {"from": (today - timedelta(days=29)).isoformat(), "to": today.isoformat()}
    by_product = {**month, "group_by": "product"}
    found = {}
    async with httpx.AsyncClient(base_url=base, timeout=60, headers=headers) as client:
        for label, params, accept in [
            ("GET /v1/analytics/sales (30 days, JSON)", month, None),
            ("GET /v1/analytics/sales (30 days, CSV)", month, "text/csv"),
            ("GET /v1/analytics/sales?group_by=product (30 days)", by_product, None),
        ]:

            async def get(params: dict[str, str] = params, accept: str | None = accept) -> None:
                answer = await client.get(
                    "/v1/analytics/sales", params=params, headers={"Accept": accept or "*/*"}
                )
                answer.raise_for_status()

            found[label] = stats(await timed(runs, get))
            print(f"  {label}: p95 {found[label]['p95_ms']} ms", file=sys.stderr)
    return found


def reports(args: argparse.Namespace) -> dict[str, Any]:
    from mercato.kernel import migrate
    from mercato.kernel.config import Settings

    workdir = Path(tempfile.mkdtemp(prefix="mercato-bench-analytics-"))
    try:
        settings = Settings(data_dir=workdir / "data", log_level="WARNING", admin_api_key=ADMIN_KEY)
        migrate.upgrade(settings)
        now = datetime.now(UTC)
        started = time.perf_counter()
        rows = analytics_seed.Year(args.orders, now).build()
        counts = analytics_seed.write(settings.resolved_database_url, rows)
        seed_seconds = round(time.perf_counter() - started, 1)
        print(f"seeded {counts} in {seed_seconds} s", file=sys.stderr)
        by_service = asyncio.run(service_latency(settings, args.runs, now.date()))
        env = {
            **os.environ,
            **checkout.SERVER_ENV,
            "MERCATO_DATA_DIR": str(workdir / "data"),
            "MERCATO_ADMIN_API_KEY": ADMIN_KEY,
        }
        server = checkout.start_server(env, free_port(), workdir / "serve.stderr")
        try:
            by_http = asyncio.run(http_latency(server.base, args.runs, now.date()))
        finally:
            store_http.stop_server(server.proc)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return {"rows": counts, "seed_seconds": seed_seconds, "service": by_service, "http": by_http}


# -- 2. lag under the checkout load --------------------------------------------------------------


def histogram(metrics: Any, name: str = LAG, handlers: str = "") -> dict[float, float]:
    """Cumulative count per upper bound of a histogram (summed over processes and over the
    handlers whose name starts with `handlers`)."""
    found: dict[float, float] = {}
    for (metric, labels), value in metrics.items():
        named = dict(labels)
        if metric == f"{name}_bucket" and named.get("handler", "").startswith(handlers):
            bound = named["le"]
            key = float("inf") if bound == "+Inf" else float(bound)
            found[key] = found.get(key, 0.0) + value
    return found


def p95_bound(before: dict[float, float], after: dict[float, float]) -> tuple[float, int]:
    """The upper bound of the bucket holding the 95th percentile of what was observed in
    between, and how many observations there were."""
    bounds = sorted(after)
    counts = [after[b] - before.get(b, 0.0) for b in bounds]
    total = counts[-1] if counts else 0.0
    for bound, cumulative in zip(bounds, counts, strict=True):
        if total and cumulative >= 0.95 * total:
            return bound, int(total)
    return float("nan"), int(total)


async def _paced(server: Any, shoppers: list[Any], rate: float) -> tuple[Any, float]:
    """Open loop: a checkout started every 1/`rate` s, whether the last one answered or not."""
    recorder = checkout.Recorder()
    [client] = checkout.clients_for([server], 200)
    started = time.perf_counter()

    async def one(k: int, shopper: Any) -> None:
        await asyncio.sleep(max(0.0, started + k / rate - time.perf_counter()))
        with contextlib.suppress(checkout.RequestFailedError):
            await checkout.check_out(recorder, client, shopper)

    try:
        await asyncio.gather(*(one(k, shopper) for k, shopper in enumerate(shoppers)))
    finally:
        await client.aclose()
    return recorder, time.perf_counter() - started


async def _phase(server: Any, run: Callable[[], Awaitable[tuple[Any, float]]]) -> dict[str, Any]:
    """The lags of the events one load caused: analytics' and every handler's (the bus's)."""
    await checkout.drained([server])
    scraped = await checkout.scrape([server])
    recorder, wall = await run()
    after, drain = await checkout.drained([server])
    analytics_p95, observed = p95_bound(histogram(scraped), histogram(after))
    bus_p95, _ = p95_bound(histogram(scraped, DELIVERY), histogram(after, DELIVERY))
    completed = sum(1 for s in recorder.samples if s.status == 201)
    return {
        "checkouts": completed,
        "checkouts_per_second": round(completed / wall, 1),
        "analytics_events": observed,
        "analytics_lag_p95_at_most_s": analytics_p95,
        "every_handler_delivery_p95_at_most_s": bus_p95,
        "drain_seconds": drain,
    }


async def lag_load(server: Any, args: argparse.Namespace) -> dict[str, Any]:
    import random

    rng = random.Random(7)
    pool = await checkout.stock_pool(server.base, rng)
    paced_count = int(args.lag_rate * args.lag_seconds)
    shoppers, _ = await checkout.prepare([server], pool, args.lag_checkouts + paced_count, rng)
    flat_out, paced = shoppers[: args.lag_checkouts], shoppers[args.lag_checkouts :]
    return {
        "flat_out": await _phase(
            server, lambda: checkout.checkout_load([server], flat_out, args.lag_concurrency)
        ),
        "paced": await _phase(server, lambda: _paced(server, paced, args.lag_rate)),
    }


def lag(args: argparse.Namespace) -> dict[str, Any]:
    """The checkout load on a store with every agent, then on one without analytics (what
    analytics' handlers cost the bus)."""
    from mercato.kernel.config import INSTALLED_AGENTS

    found = {}
    without = [a for a in INSTALLED_AGENTS if a != "analytics"]
    for label, agents in (("with analytics", None), ("without analytics", without)):
        workdir = Path(tempfile.mkdtemp(prefix="mercato-bench-analytics-lag-"))
        try:
            env = store_http.seed("embedded", args.lag_products, workdir, stacks.Services())
            env.update(checkout.SERVER_ENV)
            if agents is not None:
                env["MERCATO_AGENTS"] = json.dumps(agents)
            server = checkout.start_server(env, free_port(), workdir / "serve.stderr")
            try:
                found[label] = asyncio.run(lag_load(server, args))
            finally:
                store_http.stop_server(server.proc)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        print(f"  lag {label}: {found[label]}", file=sys.stderr)
    return found


# -- the record -----------------------------------------------------------------------------------


def bars_for(result: dict[str, Any]) -> list[Bar]:
    service = result["reports"]["service"]
    month = max(v["p95_ms"] for k, v in service.items() if "(30 days, by day)" in k)
    year = max(v["p95_ms"] for k, v in service.items() if "(a year, by month)" in k)
    http = result["reports"]["http"]["GET /v1/analytics/sales (30 days, JSON)"]["p95_ms"]
    orders = f"{result['reports']['rows']['analytics_orders']:,}"
    bars = [
        Bar(f"slowest report p95 as the dashboard asks it (30 days by day), {orders} orders",
            f"< {BAR_REPORT_P95_MS:g} ms", f"{month} ms", month < BAR_REPORT_P95_MS),
        Bar(f"slowest report p95, a year by month, {orders} orders", f"< {BAR_YEAR_P95_MS:g} ms",
            f"{year} ms", year < BAR_YEAR_P95_MS),
        Bar("GET /v1/analytics/sales p95 (30 days, client-side)", f"< {BAR_HTTP_P95_MS:g} ms",
            f"{http} ms", http < BAR_HTTP_P95_MS),
    ]  # fmt: skip
    if "lag" in result:
        paced = result["lag"]["with analytics"]["paced"]
        bound = paced["analytics_lag_p95_at_most_s"]
        bars.append(
            Bar(f"event → read model lag p95 at {paced['checkouts_per_second']} checkouts/s",
                f"< {BAR_LAG_P95_S:g} s", f"≤ {bound:g} s", bound <= BAR_LAG_P95_S)
        )  # fmt: skip
    return bars


def markdown(data: dict[str, Any], bars: list[Bar]) -> str:
    result = data["result"]
    lines = benchlib.report_header("Analytics: report latency and event lag", data)
    lines += ["## Bars", "", *benchlib.bars_markdown(bars), "", "## Reports", ""]
    reports_ = result["reports"]
    lines.append(
        "Read models seeded by bulk INSERT (not through the handlers) in "
        f"{reports_['seed_seconds']} s, then ANALYZEd: "
        + ", ".join(f"{n:,} {t}" for t, n in reports_["rows"].items())
        + ". Each report asked through the service (what the route runs), warm; the bars "
        "take the reports as the dashboard asks them; `sales by product` by day is a row per "
        "product and day (some 14,000 rows), shown beside."
    )
    lines += ["", "| report (SQLite) | runs | p50 ms | p95 ms | max ms |", "|---|---|---|---|---|"]
    for label, s in {**reports_["service"], **reports_["http"]}.items():
        lines.append(f"| {label} | {s['runs']} | {s['p50_ms']} | {s['p95_ms']} | {s['max_ms']} |")
    if "lag" in result:
        lines += [
            "",
            "## Lag under the checkout load",
            "",
            "One `mercato serve` (SQLite) on the checkout benchmark's store; prepared carts "
            "checked out flat out (the checkout benchmark's closed loop) and then paced (open "
            "loop). Lags are p95 upper bounds of the histograms' buckets: analytics' "
            f"`{LAG}` and every handler's `{DELIVERY}` (the bus's own).",
            "",
            "| store | load | checkouts | per s | analytics lag p95 | every handler p95 "
            "| drained after |",
            "|---|---|---|---|---|---|---|",
        ]
        for store, phases in result["lag"].items():
            for load, f in phases.items():
                analytics_lag = (
                    f"≤ {f['analytics_lag_p95_at_most_s']:g} s" if f["analytics_events"] else "-"
                )
                lines.append(
                    f"| {store} | {load.replace('_', ' ')} | {f['checkouts']} "
                    f"| {f['checkouts_per_second']} | {analytics_lag} "
                    f"| ≤ {f['every_handler_delivery_p95_at_most_s']:g} s "
                    f"| {f['drain_seconds']} s |"
                )
    lines += ["", *[f"- {note}" for note in data.get("notes", [])]]
    lines += ["", benchlib.noise_line(data["machine"])]
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--orders", type=int, default=100_000)
    p.add_argument("--runs", type=int, default=30, help="timed runs of each report")
    p.add_argument("--lag-products", type=int, default=300, help="0: no lag phase")
    p.add_argument("--lag-checkouts", type=int, default=500)
    p.add_argument("--lag-concurrency", type=int, default=20, help="flat out: shoppers at once")
    p.add_argument("--lag-rate", type=float, default=20.0, help="paced: checkouts a second")
    p.add_argument("--lag-seconds", type=float, default=20.0, help="paced: for how long")
    p.add_argument("--record", action="store_true", help="write bench/results/analytics_reports.*")
    p.add_argument("--note", action="append", default=[])
    args = p.parse_args()
    conditions = benchlib.Conditions()
    result: dict[str, Any] = {"reports": reports(args)}
    if args.lag_products:
        result["lag"] = lag(args)
    data = {
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": conditions.finish(),
        "result": result,
        "notes": args.note,
    }
    bars = bars_for(result)
    data["bars"] = [b.as_dict() for b in bars]
    text = markdown(data, bars)
    print(text)
    if args.record:
        benchlib.write_results("analytics_reports", data, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
