"""The Markdown report of `mixed_load.py` and the bars it is held to."""

from __future__ import annotations

import os
from typing import Any

import benchlib

BAR_P95_MS = 200.0


def bars_for(result: dict[str, Any]) -> list[benchlib.Bar]:
    load = result["load"]
    shoppers = result["shoppers"]
    bars = []
    for kind, k in load["kinds"].items():
        if not k["requests"]:
            continue
        p95 = k["client"]["p95_ms"]
        bars.append(
            benchlib.Bar(
                f"{kind}: p95 (client-side), {shoppers} shoppers",
                f"< {BAR_P95_MS:g} ms",
                f"{p95} ms (server-side {k['server']['p95_ms']} ms)",
                p95 < BAR_P95_MS,
            )
        )
    bars.append(
        benchlib.Bar(
            f"errors, {shoppers} shoppers, {result['seconds']:g} s",
            "0",
            f"{load['errors']} of {load['requests']}",
            load["errors"] == 0,
        )
    )
    return bars


def _lat(row: dict[str, float]) -> str:
    return f"{row['p50_ms']} / {row['p95_ms']} / {row['p99_ms']} ms"


def _statuses(statuses: dict[str, int]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in statuses.items()) or "none"


def _memory(rows: list[dict[str, float]]) -> str:
    return ", ".join(
        f"server {n + 1}: {m['rss_mib']} MiB (peak {m['peak_rss_mib']})" for n, m in enumerate(rows)
    )


def markdown(data: dict[str, Any], bars: list[benchlib.Bar]) -> str:
    r = data["result"]
    load = r["load"]
    gen = load["generator"]
    cpu = load["cpu_seconds"]
    capacity = round((os.cpu_count() or 1) * r["seconds"], 1)
    cat = r["catalogue"]
    lines = benchlib.report_header("Mixed load (scaled)", data)
    lines += [
        f"## {r['shoppers']} shoppers for {r['seconds']:g} s, {r['servers']} server processes "
        "(PostgreSQL + Redis)",
        "",
        f"**{load['requests_per_second']} requests/s** achieved ({load['requests']} requests); "
        f"{load['actions_per_second']} shopper actions/s against "
        f"{load['offered_actions_per_second']} offered (shoppers ÷ the mean wait of "
        f"{sum(r['think_seconds']) / 2:g} s). Errors: **{load['errors']}**; stock refusals "
        f"(business answers, not errors): {load['business']}. Checkouts: "
        f"{load['kinds']['checkout']['ok']} ({load['checkouts_per_second']}/s).",
        "",
        "| request | n | 2xx | errors | stock refusals | client p50 / p95 / p99 "
        "| server p50 / p95 / p99 | statuses |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for kind, k in load["kinds"].items():
        lines.append(
            f"| {kind} | {k['requests']} | {k['ok']} | {k['errors']} | {k['business']} "
            f"| {_lat(k['client'])} | {_lat(k['server'])} | {_statuses(k['statuses'])} |"
        )
    mix_a = ", ".join(f"{name} {pct} %" for name, pct in load["mix_of_actions"].items())
    mix_r = ", ".join(f"{name} {pct} %" for name, pct in load["mix_of_requests"].items())
    saga = ", ".join(f"{k}: {v}" for k, v in r["saga_outcomes"].items()) or "none"
    lines += [
        "",
        f"Mix of shopper actions: {mix_a}. Of requests (a cart change may first make the "
        f"session and the cart, a checkout of an empty cart first adds an item, and a new cart "
        f"follows each checkout): {mix_r}. Checkout sagas: {saga}.",
        "",
        f"CPU during the {r['seconds']:g} s ({capacity} CPU-seconds on this machine): servers "
        f"{cpu['servers']} s, PostgreSQL {cpu['postgresql']} s, Redis {cpu['redis']} s, load "
        f"generator {cpu['generators']} s ({gen['processes']} process(es); "
        f"{gen['cpu_seconds_total']} s with start-up). The generator's event loop woke up late "
        f"by p50 {gen['loop_lag_ms']['p50_ms']} ms, p99 {gen['loop_lag_ms']['p99_ms']} ms, "
        f"max {gen['loop_lag_ms']['max_ms']} ms (client-side latency includes it).",
        "",
        f"Resident memory (RSS) of the server processes: at idle after the demo, "
        f"{_memory(r['memory']['idle'])}; after the load (and {r['memory']['after_drain_seconds']}"
        f" s for the event bus to drain), {_memory(r['memory']['after'])}.",
        "",
    ]
    if load["problems"]:
        lines += ["### Errors and refusals seen", ""]
        for name, bodies in load["problems"].items():
            lines.append(f"- {name}: `{bodies[0][:300]}`")
        lines.append("")
    events = r["server_log_events"]
    logged = sum(e["count"] for e in events)
    lines += [
        "### Server logs",
        "",
        f"{logged} line(s) at WARNING or above from the server processes"
        + (", by event and error:" if logged else "."),
    ]
    if logged:
        lines += ["", "| event | level | error | lines |", "|---|---|---|---|"]
        for e in events[:20]:
            error = e["error"].replace("|", "\\|")
            lines.append(f"| {e['event']} | {e['level']} | {error} | {e['count']} |")
    lines += [
        "",
        "## How it was measured",
        "",
        f"- Store: `mercato demo` with {r['products']:,} products seeded on PostgreSQL in "
        f"{r['seed_seconds']} s ({cat['products']} active products, {cat['variants_in_stock']} "
        f"variants in stock, {cat['stock_units']:,} units). Before the clock the store took "
        f"its first {r.get('first_orders', {}).get('orders', 0)} orders and its tables were "
        "analyzed, as on a store that has been selling a while (this machine's PostgreSQL "
        "runs with autovacuum off; `bench/checkout.py`'s `first_orders` says why).",
        f"- Servers: {r['servers']} x `mercato serve --workers 1` (scaled: PostgreSQL + "
        "Redis; relay and handlers in the same processes), with "
        + ", ".join(f"`{k}={v}`" for k, v in r["server_env"].items())
        + " (each shopper pays with a card of their own from a client address of their own, "
        "`bench/shopper_identity.py`: the fraud screen runs at its default limits; the rate "
        "limits per client are lifted).",
        f"- Shoppers: {r['shoppers']}, spread round-robin over the servers (no load "
        "balancer), each with its own keep-alive connection (let go after 4 s idle, before "
        "uvicorn's 5 s), in a load generator process of its own (asyncio on uvloop, HTTP "
        "parsed by httptools: httpx costs ten times the CPU per request). Each waits 1-3 s "
        "(uniform), then acts: browse 60 % (half listing pages: the newest, each of the "
        f"{cat['listing_pages']} category, price, stock, colour and merchant pages, now and then "
        "the next page by cursor; half product pages), search 20 % (`q`: one or two words of a "
        f"product name, {cat['search_phrases']} phrases), cart change 15 % (add up to 5 lines, "
        "change a quantity to 1-3, remove a line, in its own guest cart), checkout 5 % (a "
        "sandbox card of the shopper's own; then a new cart).",
        "- Errors: every answer that is not a 2xx and not a stock refusal (409 "
        "`br014_stock_required_for_sale` or `insufficient_stock`, 422 `cart_not_checkoutable` "
        "for stock only), and every request that got no answer (connection lost, 60 s "
        "timeout). The generator counts every unit its carts take against the stock the "
        "listing showed, so stock refusals should not happen either: any is reported above.",
        "- Latency: of the 2xx answers; client-side from sending the request to the last byte "
        "of the answer, server-side from `Server-Timing` (the request's arrival to the start "
        "of the answer). The bar is read client-side.",
        "- Offered load: each shopper acts once per wait and answer, so it is shoppers ÷ the "
        "mean wait when answers are instant, and falls as they slow down (a closed loop with "
        "think time): the achieved rate against the offered one shows how far.",
        *[f"- {note}" for note in data.get("notes", [])],
        "",
        "## Bars",
        "",
        *benchlib.bars_markdown(bars),
        "",
        benchlib.noise_line(data["machine"]),
    ]
    return "\n".join(lines)
