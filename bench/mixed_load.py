"""Mixed load: `--shoppers` concurrent shoppers browsing, searching, filling carts and
checking out against the scaled stack, each waiting 1-3 s between requests.

The store is `mercato demo`'s (`--products`, 1,200 by default), seeded fresh on PostgreSQL
(`store_http.seed`, a scratch database dropped after). `--servers` `mercato serve`
processes (2 by default, one worker each, PostgreSQL + Redis) serve it, with the fraud
velocity checks and the rate limits lifted as `checkout.py` lifts them (every shopper comes
from 127.0.0.1 with the same test card). The shoppers run in `--generators` processes of
their own (`mixed_shoppers.py`: asyncio + httptools, one keep-alive connection per shopper,
spread round-robin over the servers) for `--seconds`; the mix, of actions: browse 60 %
(listing pages, product pages), search 20 %, cart changes 15 %, checkout 5 %.

Reported per request kind: count, errors, latency p50/p95/p99 client- and server-side
(`Server-Timing`); requests/s achieved against the offered load (shoppers ÷ the mean wait);
the CPU of the servers, the generators, PostgreSQL and Redis; the resident size (RSS) of the
servers at idle after the demo, and after the load. Bars: p95 < 200 ms on each kind,
0 errors.

Usage:
    python bench/mixed_load.py [--shoppers 1000] [--seconds 120] [--servers 2] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

import benchlib
import checkout
import stacks
import store_http
from mixed_report import bars_for, markdown
from mixed_shoppers import ACTION_OF, CHECKOUT, KINDS, MIX
from serve_startup import free_port

HERE = Path(__file__).resolve().parent
THINK = (1.0, 3.0)
KEEPALIVE = 4.0  # a shopper's connection is let go after 4 s idle, before uvicorn's 5 s
IDLE_SECONDS = 5.0  # the servers left idle before their resident size is read
DRAIN_TIMEOUT = 60.0
REQUEST_TIMEOUT = 60.0
STOCK_CODES = {"out_of_stock", "insufficient_stock"}
BUSINESS = {"br014_stock_required_for_sale", "insufficient_stock"}
"""Problem codes that are the store's answer, not a fault: stock ran short (the generator
counts units so that it should not, so these are reported even when not counted as errors)."""


# -- the catalogue ----------------------------------------------------------------------------


async def catalogue(base: str) -> dict[str, Any]:
    """What shoppers browse: every active product, the stock of each variant, the category
    slugs, colours and words of product names."""
    products: list[str] = []
    stock: dict[str, int] = {}
    names: list[str] = []
    colours: set[str] = set()
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        url: str | None = "/v1/products?limit=100"
        while url:
            page = (await client.get(url)).raise_for_status().json()
            for product in page["items"]:
                products.append(product["id"])
                names.append(product["name"])
                for variant in product["variants"]:
                    stock[variant["id"]] = max(0, int(variant["available"]))
                    if "colour" in variant["attributes"]:
                        colours.add(variant["attributes"]["colour"])
            cursor = page.get("next_cursor")
            url = f"/v1/products?limit=100&cursor={cursor}" if cursor else None
        tree = (await client.get("/v1/categories")).raise_for_status().json()
    slugs: list[str] = []

    def walk(nodes: Sequence[dict[str, Any]]) -> None:
        for node in nodes:
            slugs.append(node["slug"])
            walk(node.get("children", []))

    walk(tree["items"])
    return {
        "products": products,
        "stock": stock,
        "listings": listing_paths(slugs, sorted(colours)),
        "searches": search_phrases(names),
        "categories": len(slugs),
    }


def listing_paths(slugs: Sequence[str], colours: Sequence[str]) -> list[str]:
    """Listing pages: the newest, each category, each category by price in a range, in stock
    by price, each colour in stock, the merchant's by name."""
    paths = ["/v1/products?limit=20", "/v1/products?in_stock=true&sort=price_desc&limit=20"]
    paths.append("/v1/products?merchant=demo-merchant&sort=name&limit=20")
    for slug in slugs:
        paths.append(f"/v1/products?category={slug}&limit=20")
        paths.append(
            f"/v1/products?category={slug}&min_price=20&max_price=120&sort=price_asc&limit=20"
        )
    paths += [f"/v1/products?attr=colour:{c}&in_stock=true&limit=20" for c in colours]
    return paths


def search_phrases(names: Sequence[str]) -> list[str]:
    """One word, or two next to each other, of the products' names (no numbers)."""
    found: set[str] = set()
    for name in names:
        words = [w for w in re.findall(r"[a-z]+", name.lower()) if len(w) > 2]
        found.update(words)
        found.update(f"{a} {b}" for a, b in itertools.pairwise(words))
    return sorted(found)


# -- the generators ---------------------------------------------------------------------------


async def first_orders(
    servers: Sequence[checkout.Server], seed: int, database: str
) -> dict[str, Any]:
    """The store's first orders and an ANALYZE, before the clock (`checkout.first_orders`)."""
    rng = random.Random(seed)
    pool = await checkout.stock_pool(servers[0].base, rng)
    return await checkout.first_orders(servers, pool, rng, database)


def generator_plans(
    args: argparse.Namespace, servers: Sequence[checkout.Server], shop: dict[str, Any]
) -> list[dict[str, Any]]:
    """One plan per generator: its shoppers, and a share of the stock of its own."""
    hosts = [[s.base.split("//")[1].split(":")[0], int(s.base.rsplit(":", 1)[1])] for s in servers]
    variants = sorted(shop["stock"])
    random.Random(args.seed).shuffle(variants)
    per = -(-args.shoppers // args.generators)
    start_at = time.time() + 3.0  # the generators import and start, then begin together
    plans = []
    for g in range(args.generators):
        first = g * per
        count = max(0, min(per, args.shoppers - first))
        plans.append(
            {
                "servers": hosts,
                "first": first,
                "count": count,
                "seconds": args.seconds,
                "start_at": start_at,
                "seed": args.seed,
                "think": list(THINK),
                "keepalive": KEEPALIVE,
                "timeout": REQUEST_TIMEOUT,
                "products": shop["products"],
                "listings": shop["listings"],
                "searches": shop["searches"],
                "stock": {v: shop["stock"][v] for v in variants[g :: args.generators]},
                "address": checkout.ADDRESS,
            }
        )
    return plans


def run_generators(plans: Sequence[dict[str, Any]], tmp: Path) -> list[dict[str, Any]]:
    """Each plan in a process of its own; their results, with the CPU each process used
    (all of it, start-up included: `cpu_seconds_total`)."""
    procs = []
    for n, plan in enumerate(plans):
        plan_path, out_path = tmp / f"plan-{n}.json", tmp / f"samples-{n}.json"
        plan_path.write_text(json.dumps(plan))
        log = (tmp / f"generator-{n}.stderr").open("wb")
        command = [sys.executable, str(HERE / "mixed_shoppers.py"), str(plan_path), str(out_path)]
        procs.append((subprocess.Popen(command, stderr=log), out_path, log))
    results = []
    for proc, out_path, log in procs:
        _, status, usage = os.wait4(proc.pid, 0)  # the child's own CPU, as Popen does not tell
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.close()
        if proc.returncode != 0:
            raise RuntimeError(
                f"a generator failed: {Path(log.name).read_text(errors='replace')[-2000:]}"
            )
        result = json.loads(out_path.read_text())
        result["cpu_seconds_total"] = usage.ru_utime + usage.ru_stime
        results.append(result)
    return results


# -- memory -----------------------------------------------------------------------------------


def memory(pid: int) -> dict[str, float]:
    """Resident size now and its peak (MiB), from /proc."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        for key, name in (("VmRSS:", "rss_mib"), ("VmHWM:", "peak_rss_mib")):
            if line.startswith(key):
                out[name] = round(int(line.split()[1]) / 1024, 1)
    return out


# -- figures ----------------------------------------------------------------------------------


def is_business(status: int | str, code: str) -> bool:
    """A refusal the store owes the shopper (stock ran short), not a fault."""
    if not isinstance(status, int) or status not in {409, 422}:
        return False
    head, _, listed = code.partition(":")
    if head == "cart_not_checkoutable":
        return bool(listed) and set(listed.split(",")) <= STOCK_CODES
    return head in BUSINESS


def latency(values: Sequence[float]) -> dict[str, float]:
    return {
        f"p{p}_ms": round(benchlib.percentile(list(values), p), 1) if values else float("nan")
        for p in (50, 95, 99)
    }


def kind_figures(samples: Sequence[Sequence[Any]]) -> dict[str, dict[str, Any]]:
    """Per kind: counts by outcome and the latency of the 2xx answers."""
    out: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        chosen = [s for s in samples if s[0] == kind]
        ok = [s for s in chosen if isinstance(s[1], int) and 200 <= s[1] < 300]
        business = [s for s in chosen if is_business(s[1], s[4])]
        out[kind] = {
            "requests": len(chosen),
            "ok": len(ok),
            "business": len(business),
            "errors": len(chosen) - len(ok) - len(business),
            "statuses": dict(sorted(Counter(str(s[1]) for s in chosen).items())),
            "client": latency([s[2] for s in ok]),
            "server": latency([s[3] for s in ok if s[3] is not None]),
        }
    return out


def summarize(
    args: argparse.Namespace, results: Sequence[dict[str, Any]], cpu: dict[str, float]
) -> dict[str, Any]:
    samples = [s for r in results for s in r["samples"]]
    actions: Counter[str] = Counter()
    for r in results:
        actions.update(r["actions"])
    problems: dict[str, list[str]] = {}
    for r in results:
        for key, bodies in r["problems"].items():
            problems.setdefault(key, []).extend(bodies[: 3 - len(problems.get(key, []))])
    lags = [x for r in results for x in r["loop_lag_ms"]]
    kinds = kind_figures(samples)
    mean_think = sum(THINK) / 2
    by_action = Counter(ACTION_OF[s[0]] for s in samples)
    total_actions = sum(actions.values())
    return {
        "requests": len(samples),
        "requests_per_second": round(len(samples) / args.seconds, 1),
        "actions": dict(actions),
        "actions_per_second": round(total_actions / args.seconds, 1),
        "offered_actions_per_second": round(args.shoppers / mean_think, 1),
        "mix_of_actions": {
            name: round(100 * actions.get(name, 0) / max(total_actions, 1), 1) for name, _ in MIX
        },
        "mix_of_requests": {
            name: round(100 * by_action.get(name, 0) / max(len(samples), 1), 1) for name, _ in MIX
        },
        "errors": sum(k["errors"] for k in kinds.values()),
        "business": sum(k["business"] for k in kinds.values()),
        "kinds": kinds,
        "checkouts_per_second": round(kinds[CHECKOUT]["ok"] / args.seconds, 1),
        "problems": problems,
        "generator": {
            "processes": len(results),
            "cpu_seconds_during_load": round(sum(r["cpu_seconds"] for r in results), 1),
            "cpu_seconds_total": round(sum(r["cpu_seconds_total"] for r in results), 1),
            "loop_lag_ms": latency(lags) | {"max_ms": round(max(lags, default=0.0), 1)},
        },
        "cpu_seconds": cpu,
    }


# -- the servers' logs ------------------------------------------------------------------------


def log_events(logs: Sequence[Path]) -> list[dict[str, Any]]:
    """What the servers logged at WARNING and above, counted by event and error (a
    traceback's last line), most frequent first."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for log in logs:
        for line in log.read_text(errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                if not line.startswith("Mercato "):  # the banner
                    counts[("(not JSON)", "", line[:200])] += 1
                continue
            trace = str(entry.get("exception") or "").strip()
            error = trace.splitlines()[-1] if trace else str(entry.get("error") or "")
            error = error or str(entry.get("code") or "")
            counts[(str(entry.get("event")), str(entry.get("level")), error[:200])] += 1
    return [
        {"event": event, "level": level, "error": error, "count": n}
        for (event, level, error), n in counts.most_common()
    ]


def trimmed(excerpt: dict[str, Any], lines: int = 10, width: int = 300) -> dict[str, Any]:
    """`checkout.log_excerpt`'s, its last lines shortened (tracebacks run to kilobytes)."""
    return {
        name: dict(v, last=[line[:width] for line in v["last"][-lines:]])
        for name, v in excerpt.items()
    }


# -- the run ----------------------------------------------------------------------------------


def run(args: argparse.Namespace, services: stacks.Services) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="mercato-bench-mixed-"))
    logs = Path(tempfile.mkdtemp(prefix="mercato-bench-mixed-logs-"))
    servers: list[checkout.Server] = []
    try:
        env = store_http.seed("scaled", args.products, workdir, services)
        env.update(checkout.SERVER_ENV, COLUMNS="500")
        for n in range(args.servers):
            own = dict(env, MERCATO_GRPC_PORT=str(free_port()))  # one gRPC port each
            log = logs / f"server-{n + 1}.stderr"
            servers.append(checkout.start_server(own, free_port(), log))
        pids = [s.proc.pid for s in servers]
        time.sleep(IDLE_SECONDS)
        idle = [memory(pid) for pid in pids]
        history = asyncio.run(first_orders(servers, args.seed, checkout.database_url(env)))
        shop = asyncio.run(catalogue(servers[0].base))
        plans = generator_plans(args, servers, shop)
        before, cpu0 = asyncio.run(checkout.scrape(servers)), checkout.cpu_seconds(pids)
        print(
            f"{args.shoppers} shoppers for {args.seconds:g} s on {len(servers)} servers",
            file=sys.stderr,
        )
        results = run_generators(plans, logs)
        cpu1 = checkout.cpu_seconds(pids)
        after, drain_seconds = asyncio.run(checkout.drained(servers, DRAIN_TIMEOUT))
        loaded = [memory(pid) for pid in pids]
        figures = summarize(args, results, checkout.cpu_used(cpu0, cpu1))
        figures["cpu_seconds"]["generators"] = figures["generator"]["cpu_seconds_during_load"]
        del figures["cpu_seconds"]["client"]  # this process only waited
        seeded = workdir / "seed-seconds"
        seed_seconds = float(seeded.read_text()) if seeded.exists() else None
    finally:
        for server in servers:
            store_http.stop_server(server.proc)
        checkout.clean_up_store("scaled", workdir, services)
    return {
        "products": args.products,
        "servers": args.servers,
        "shoppers": args.shoppers,
        "seconds": args.seconds,
        "think_seconds": list(THINK),
        "catalogue": {
            "products": len(shop["products"]),
            "variants_in_stock": sum(1 for n in shop["stock"].values() if n > 0),
            "stock_units": sum(shop["stock"].values()),
            "listing_pages": len(shop["listings"]),
            "search_phrases": len(shop["searches"]),
        },
        "seed_seconds": seed_seconds,
        "first_orders": history,
        "memory": {"idle": idle, "after": loaded, "after_drain_seconds": drain_seconds},
        "saga_outcomes": checkout.saga_outcomes(before, after),
        "load": figures,
        "server_env": checkout.SERVER_ENV,
        "server_stderr": trimmed(checkout.log_excerpt(servers)),
        "server_log_events": log_events([s.log for s in servers]),
        "logs": str(logs),
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--shoppers", type=int, default=1000)
    p.add_argument("--seconds", type=float, default=120.0)
    p.add_argument("--servers", type=int, default=2, help="mercato serve processes")
    p.add_argument("--generators", type=int, default=1, help="load generator processes")
    p.add_argument("--products", type=int, default=1200, help="demo products to seed")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--pg-url", default=stacks.PG_URL, help="PostgreSQL server")
    p.add_argument("--redis-url", default=stacks.REDIS_URL, help="Redis")
    p.add_argument("--record", action="store_true", help="write bench/results/mixed_load.*")
    p.add_argument("--note", action="append", default=[], help="a note for the .md (repeat)")
    args = p.parse_args()
    services = stacks.Services(pg_url=args.pg_url, redis_url=args.redis_url)
    conditions = benchlib.Conditions()
    conditions.info.update(stacks.server_versions(services, ["scaled"]))
    result = run(args, services)
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
    if args.record:
        benchlib.write_results("mixed_load", data, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
