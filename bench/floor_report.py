"""The Markdown report of `floor.py`: the two apps side by side, per request kind."""

from __future__ import annotations

from typing import Any

import benchlib


def _lat(app: dict[str, Any]) -> str:
    return f"{app['p50_ms']} / {app['p95_ms']} / {app['p99_ms']} ms"


def _statuses(statuses: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in statuses.items()) or "none"


def markdown(data: dict[str, Any], bars: list[benchlib.Bar]) -> str:
    r = data["result"]
    lines = benchlib.report_header("Mercato beside a floor app (embedded, one process each)", data)
    lines += [
        f"## {r['products']:,} demo products, {r['connections']} connections, "
        f"{r['rounds']} rounds of {r['seconds']} s per app",
        "",
        "Ratio: Mercato's time per request ÷ the floor's (the floor's requests/s ÷ Mercato's, "
        "over all rounds; the bar is 1.5 at most). Latency p50 / p95 / p99 as wrk saw it "
        "(the median round's). CPU: the server process's, per request.",
        "",
        "| request | Mercato req/s | floor req/s | **ratio** | ratio per round "
        "| Mercato latency | floor latency | CPU per request (Mercato / floor) "
        "| bytes per response, headers included (Mercato / floor) | errors (Mercato / floor) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, k in r["kinds"].items():
        m, f = k["apps"]["mercato"], k["apps"]["floor"]
        lines.append(
            f"| {kind} (`{k['route']}`) | {m['requests_per_second']} | "
            f"{f['requests_per_second']} | **{k['ratio']}** | "
            f"{', '.join(str(x) for x in k['ratio_per_round'])} | {_lat(m)} | {_lat(f)} | "
            f"{m['server_cpu_ms_per_request']} / {f['server_cpu_ms_per_request']} ms "
            f"({k['cpu_ratio']}x) | {m['bytes_per_answer']} / {f['bytes_per_answer']} | "
            f"{m['errors']} / {f['errors']} |"
        )
    lines += ["", "Statuses and the load generator's CPU (wrk, one thread, its own process):", ""]
    for kind, k in r["kinds"].items():
        m, f = k["apps"]["mercato"], k["apps"]["floor"]
        lines.append(
            f"- {kind}: Mercato {_statuses(m['statuses'])} (wrk {m['wrk_cpu_seconds']} CPU-s "
            f"over {m['seconds']} s); floor {_statuses(f['statuses'])} (wrk "
            f"{f['wrk_cpu_seconds']} CPU-s over {f['seconds']} s)"
        )
    lines += [
        "",
        "### The floor's answers are Mercato's",
        "",
        "Checked before measuring: each kind asked of both apps, the JSON answers compared.",
        "",
        "| request | compared | statuses (Mercato, floor) | bytes (Mercato, floor) | equal |",
        "|---|---|---|---|---|",
    ]
    for kind, c in r["same_answers"].items():
        lines.append(
            f"| {kind} | {c['what']} | {c['statuses']} | {c['bytes']} | "
            f"{'yes' if c['equal'] else '**NO**'} |"
        )
    rss = r["rss_mib"]
    stderr = r["server_stderr"]
    logged = sum(v["lines"] for v in stderr.values())
    lines += [
        "",
        f"Resident memory (RSS): Mercato {rss['idle']['mercato']} MiB after start-up, "
        f"{rss['after']['mercato']} MiB after the run; the floor {rss['idle']['floor']} MiB, "
        f"{rss['after']['floor']} MiB.",
        "",
        f"Mercato's stderr: {logged} line(s) at WARNING or above" + (":" if logged else "."),
    ]
    if logged:
        lines += ["", "```"]
        for name, v in stderr.items():
            lines += [f"[{name}] {line[:300]}" for line in v["last"][-15:]]
        lines.append("```")
    lines += [
        "",
        "## How it was measured",
        "",
        "- One `mercato serve` process (embedded mode, 1 worker) and one floor app process "
        "(`bench/floor_app.py`) on the same SQLite file, both under uvicorn with the "
        f"arguments `mercato serve` gives it (here loop {r['uvicorn']['loop']}, http "
        f"{r['uvicorn']['http']}). Mercato ran with "
        + ", ".join(f"`{k}={v}`" for k, v in r["server_env"].items())
        + ".",
        "- The floor: FastAPI without middleware, raw SQL through aiosqlite (Mercato's "
        "embedded driver too; a few reader connections, each request's reads in one "
        "transaction, one writer behind an asyncio lock with BEGIN IMMEDIATE), plain dicts "
        "answered by FastAPI's JSONResponse. A product: 3 queries; the listing: 2; a cart: "
        "the guest session, the cart, its lines joined to variants and products, their stock, "
        "the store's settings and tax rate (6), totals and problems computed as Mercato's "
        "view does; an add: the session, then the cart's version claimed and the line "
        "upserted in one transaction (no stock check, no outbox event), then the cart read "
        "back.",
        f"- Each app reads and writes its own {r['carts_per_app']} guest carts (sessions and "
        f"carts made through Mercato's API, {r['lines_per_cart']} lines each put in through "
        "the floor's endpoint before the clock); an add cycles over every (cart, variant) pair "
        "of its app, a unit at a time, on variants with at least 100 in stock. Products: "
        f"{r['products_in_plan']} in-stock products in turn. Set-up took "
        f"{r['prepare_seconds']} s.",
        f"- Load: {r['wrk']}, one thread, {r['connections']} keep-alive connections, back to "
        f"back (closed loop), in its own process. Per kind: {r['warmup']} s of warm-up per "
        f"app, then {r['rounds']} rounds of {r['seconds']} s of Mercato then {r['seconds']} s "
        "of the floor; after each of Mercato's add rounds, its event bus is left to drain "
        "before the floor runs (no work of Mercato's spills onto the floor's clock).",
        "- In a closed loop, latency is about the connections ÷ the throughput: the ratio "
        "of throughputs is the figure to compare; CPU per request tells the same story "
        "without the other processes' noise.",
        *[f"- {note}" for note in data.get("notes", [])],
        "",
        "## Bars",
        "",
        *benchlib.bars_markdown(bars),
        "",
        benchlib.noise_line(data["machine"]),
    ]
    return "\n".join(lines)
