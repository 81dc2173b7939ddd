"""The Markdown report of `checkout.py` (and the figures it compares against): what was
measured, how, and which bars were met."""

from __future__ import annotations

import os
from typing import Any

import benchlib

BAR_CHECKOUTS_PER_SECOND = 150.0
BAR_EMBEDDED_CHECKOUTS_PER_SECOND = 100.0
BAR_SERVER_CPU_MS = 10.0
BAR_P95_MS = 200.0
BAR_SQL_PER_CHECKOUT = 30.0
KEEPALIVE_EXPIRY = 2.0
IDLE_SECONDS = 5.0  # the background statements of idle servers (relay polls, jobs) measured
DRAIN_QUIET_SECONDS = 2.0  # no event published or handled for this long: the bus is drained
CHECKOUT_ROUTE = "POST /v1/checkout"


def bars_for(result: dict[str, Any]) -> list[benchlib.Bar]:
    c = result["checkout"]
    stack = result["stack"]
    bars = []
    if stack == "scaled":
        rate = c["checkouts_per_second"]
        p95 = c["latency"]["client"]["p95_ms"]
        bars.append(
            benchlib.Bar(
                f"checkouts/s at {c['concurrency']} concurrent shoppers (scaled)",
                f">= {BAR_CHECKOUTS_PER_SECOND:g}",
                f"{rate}",
                rate >= BAR_CHECKOUTS_PER_SECOND,
            )
        )
        bars.append(
            benchlib.Bar(
                f"checkout p95 (client-side) at {c['concurrency']} concurrent shoppers (scaled)",
                f"< {BAR_P95_MS:g} ms",
                f"{p95} ms (server-side {c['latency']['server']['p95_ms']} ms)",
                p95 < BAR_P95_MS,
            )
        )
    else:
        rate = c["checkouts_per_second"]
        bars.append(
            benchlib.Bar(
                f"checkouts/s at {c['concurrency']} concurrent shoppers (embedded)",
                f">= {BAR_EMBEDDED_CHECKOUTS_PER_SECOND:g}",
                f"{rate}",
                rate >= BAR_EMBEDDED_CHECKOUTS_PER_SECOND,
            )
        )
    cpu_ms = round(c["cpu_seconds_until_drained"]["servers"] * 1000 / max(c["completed"], 1), 1)
    bars.append(
        benchlib.Bar(
            f"server CPU per checkout, the background work it causes included ({stack})",
            f"<= {BAR_SERVER_CPU_MS:g} ms",
            f"{cpu_ms} ms",
            cpu_ms <= BAR_SERVER_CPU_MS,
        )
    )
    per = c["sql"]["checkout_per_checkout"]
    bars.append(
        benchlib.Bar(
            f"SQL statements per checkout ({stack})",
            f"<= {BAR_SQL_PER_CHECKOUT:g}",
            f"{per}",
            per is not None and per <= BAR_SQL_PER_CHECKOUT,
        )
    )
    return bars


def _lat(row: dict[str, float]) -> str:
    return f"{row['p50_ms']} / {row['p95_ms']} / {row['p99_ms']} ms"


def _cpu(phase: dict[str, Any], stack: str, per: str) -> str:
    """Where the CPU went: during the run, and per checkout until the bus was drained."""
    cpu, wall = phase["cpu_seconds"], phase["wall_seconds"]
    drained, done = phase["cpu_seconds_until_drained"], max(phase["completed"], 1)
    capacity = round((os.cpu_count() or 1) * wall, 1)
    names = {"servers": "servers", "client": "load generator"}
    if stack == "scaled":
        names.update(postgresql="PostgreSQL", redis="Redis")
    during = ", ".join(f"{label} {cpu[key]} s" for key, label in names.items())
    each = ", ".join(
        f"{label} {round(drained[key] * 1000 / done, 1)} ms" for key, label in names.items()
    )
    return (
        f"CPU used during the {wall} s run ({capacity} CPU-seconds available): {during}. "
        f"Per {per}, until the bus was drained: {each}."
    )


def _statuses(statuses: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in statuses.items()) or "none"


def _lag(c: dict[str, Any], j: dict[str, Any]) -> list[str]:
    """The analytics dashboards' lag behind the events of each phase (issue 17)."""
    if "analytics_lag" not in c:
        return []
    rows = [
        f"| {name} | {p['events']} | ≤ {p['p50_le_s']} s | ≤ {p['p95_le_s']} s "
        f"| ≤ {p['p99_le_s']} s |"
        for name, p in (("prepared carts", c["analytics_lag"]), ("journeys", j["analytics_lag"]))
    ]
    return [
        "### Event to dashboard",
        "",
        "The analytics read models' lag behind each event they take up (`occurred_at` to "
        "handled: `mercato_analytics_event_lag_seconds`), by its histogram's buckets.",
        "",
        "| phase | events | p50 | p95 | p99 |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ]


def markdown(data: dict[str, Any], bars: list[benchlib.Bar]) -> str:
    r = data["result"]
    c, j = r["checkout"], r["journey"]
    stack = r["stack"]
    lines = benchlib.report_header(f"Checkout under load ({stack})", data)
    lines += [
        f"## {stack}: {r['products']:,} demo products, {r['server_processes']} server "
        f"process(es) of {r.get('server_workers', 1)} worker(s)",
        "",
        f"Checkout: **{c['checkouts_per_second']} checkouts/s** at {c['concurrency']} concurrent "
        f"shoppers, client p95 {c['latency']['client']['p95_ms']} ms, "
        f"{c['sql']['checkout_per_checkout']} SQL statements per checkout.",
        "",
        "### 1. Prepared carts (closed loop)",
        "",
        f"{c['checkouts']} guests, each with its own session and a cart of 1-3 lines, prepared "
        f"before the clock (in {c['prepare_seconds']} s; their requests' statuses: "
        f"{_statuses(c['prepare_statuses'])}); {c['concurrency']} shoppers check them "
        "out back to back. Latency p50 / p95 / p99 of the 201s.",
        "",
        "| checkouts/s | completed (201) | errors | client latency | server latency "
        "| SQL / checkout | background SQL / checkout |",
        "|---|---|---|---|---|---|---|",
        f"| {c['checkouts_per_second']} | {c['completed']} of {c['checkouts']} | {c['errors']} "
        f"| {_lat(c['latency']['client'])} | {_lat(c['latency']['server'])} "
        f"| {c['sql']['checkout_per_checkout']} | {c['sql']['background_per_checkout']} |",
        "",
        f"Statuses: {_statuses(c['statuses'])}. Checkout sagas: {_statuses(c['saga_outcomes'])}.",
        "",
        _cpu(c, stack, "checkout"),
        "",
        "### 2. Whole journey (closed loop)",
        "",
        f"{j['concurrency']} shoppers for {j['seconds']:g} s, each journey a new guest session, "
        "a new cart, three items added and the checkout.",
        "",
        "| journeys/s (= checkouts/s) | completed | failed | journey latency "
        "| SQL / checkout | background SQL / journey |",
        "|---|---|---|---|---|---|",
        f"| {j['journeys_per_second']} | {j['completed']} | {j['failed']} "
        f"| {_lat(j['latency'])} | {j['sql']['checkout_per_checkout']} "
        f"| {j['sql']['background_per_checkout']} |",
        "",
        "| request | n (2xx) | client p50 / p95 / p99 | server p50 / p95 / p99 "
        "| SQL statements / request | statuses |",
        "|---|---|---|---|---|---|",
    ]
    routes = {
        "session": "POST /v1/sessions",
        "cart": "POST /v1/carts",
        "add item": "POST /v1/carts/{cart_id}/items",
        "checkout": CHECKOUT_ROUTE,
    }
    for kind, stats in j["requests"].items():
        route = j["sql_by_route"].get(routes[kind], {})
        lines.append(
            f"| {kind} | {stats['requests']} | {_lat(stats['client'])} | {_lat(stats['server'])} "
            f"| {route.get('per_request', '?')} | {_statuses(j['statuses'][kind])} |"
        )
    lines += ["", _cpu(j, stack, "journey"), ""]
    lines += _lag(c, j)
    problems = {f"preparing the carts: {k}": v for k, v in c["prepare_problems"].items()}
    problems.update({f"prepared carts: {k}": v for k, v in c["problems"].items()})
    problems.update({f"journey: {k}": v for k, v in j["problems"].items()})
    if problems:
        lines += ["### Errors seen", ""]
        for name, bodies in problems.items():
            lines.append(f"- {name}: `{bodies[0][:300]}`")
        lines.append("")
    stderr = r["server_stderr"]
    logged = sum(v["lines"] for v in stderr.values())
    lines += [
        "### Server stderr",
        "",
        f"{logged} line(s) at WARNING or above from the server process(es)"
        + (":" if logged else "."),
    ]
    if logged:
        lines.append("")
        lines.append("```")
        for name, v in stderr.items():
            lines += [f"[{name}] {line[:300]}" for line in v["last"][-15:]]
        lines.append("```")
    lines += [
        "",
        "## How it was measured",
        "",
        "- The servers ran with "
        + ", ".join(f"`{k}={v}`" for k, v in r["server_env"].items())
        + ". Each shopper pays with a card of their own from a client address of their own "
        "(`X-Forwarded-For`, believed from 127.0.0.1 as a balancer's would be), with an e-mail "
        "and guest session of their own: the fraud screen's velocity counts per card, address "
        "and customer run at their default limits, as for real shoppers "
        "(`bench/shopper_identity.py`). The rate limits per client are lifted.",
        "- Before any clock, the store took its first "
        f"{r.get('first_orders', {}).get('orders', 0)} orders (20 at a time) and its tables "
        "were analyzed (`ANALYZE`), as on a store that has "
        "been selling a while: this machine's PostgreSQL runs with autovacuum off, and the "
        "order and payment tables would otherwise keep the empty store's statistics, by "
        "which any index the store leads looks as narrow as a row's own key.",
        "- Clients: one `httpx.AsyncClient` per server, its pool sized to the concurrency "
        f"(idle connections let go after {KEEPALIVE_EXPIRY:g} s, before uvicorn's 5 s keep-alive "
        "ends them), in the benchmark's process; scaled: shoppers spread round-robin over "
        "the two servers (no load balancer). The load generator shares the machine's cores "
        "with the servers, PostgreSQL and Redis: its CPU is shown above.",
        "- SQL statements: the servers' `mercato_sql_statements_total` counters (summed over "
        "the processes; statements that read or write data, transaction control such as "
        "BEGIN and SAVEPOINT left out, as the PostgreSQL driver sends its BEGIN outside the "
        "count) before and after each phase. Per checkout: "
        f'`route="{CHECKOUT_ROUTE}"` '
        "(the saga's steps included) ÷ completed checkouts. Background (relay, handlers, jobs): "
        "read once no event had been published or handled for "
        f"{DRAIN_QUIET_SECONDS:g} s (the outbox drained; {c['drain_seconds']} s and "
        f"{j['drain_seconds']} s after the phases), less what the idle servers send anyway "
        f"({r['idle_background_statements_per_second']} statements/s, measured over "
        f"{IDLE_SECONDS:g} s before phase 1: relay polls and jobs), ÷ completed checkouts.",
        "- In a closed loop every shopper's request waits behind the others': latency is about "
        "the concurrency ÷ the throughput (Little's law), so at "
        f"{c['concurrency']} shoppers a p95 under {BAR_P95_MS:g} ms needs about "
        f"{c['concurrency'] * 1000 / BAR_P95_MS:g} checkouts/s.",
        *[f"- {note}" for note in data.get("notes", [])],
        "",
        "## Bars",
        "",
        *benchlib.bars_markdown(bars),
        "",
        benchlib.noise_line(data["machine"]),
    ]
    return "\n".join(lines)
