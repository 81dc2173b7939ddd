"""Mercato beside a floor app: the same four requests, the same stack, one process each.

The store is `mercato demo`'s (`--products`, 1,200 by default), seeded fresh in a temporary
directory (`store_http.seed`) and removed after. Two servers run on its SQLite file, one
process each: `mercato serve` (embedded mode) and the floor app (`floor_app.py`: the same
FastAPI and uvicorn, raw queries through aiosqlite, no middleware, plain dict answers).
Before anything is measured, the floor's answers are checked equal to Mercato's.

wrk (`floor.lua`, in its own process, one thread) loads one app at a time with
`--connections` connections, back to back, for `--seconds`: per request kind, a warm-up of
each app, then `--rounds` rounds of Mercato then the floor (A, B, A, B, …), so the noise of
a busy machine falls on both. Reported per kind and app: requests/s, latency p50/p95/p99
(wrk's), the server's CPU per request, wrk's CPU, and the ratio of Mercato's time per request
to the floor's (the floor's requests/s ÷ Mercato's): the bar is 1.5 at most on each kind.

Usage:
    python bench/floor.py [--seconds 5] [--rounds 3] [--connections 16] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

import benchlib
import checkout
import stacks
import store_http
from floor_report import markdown
from serve_startup import free_port

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "floor.lua"
KINDS = {
    "product": "GET /v1/products/{id}",
    "listing": "GET /v1/products?limit=20",
    "cart": "GET /v1/carts/{id}",
    "add item": "POST /v1/carts/{id}/items",
}
APPS = ("mercato", "floor")
BAR_RATIO = 1.5
MIN_STOCK = 100  # the variants added to carts: Mercato refuses a line beyond the stock
PRODUCTS_IN_PLAN = 200
PAUSE = 0.5  # seconds between two wrk runs
SETUP_CONCURRENCY = 16


@dataclass
class App:
    name: str
    base: str
    proc: subprocess.Popen[bytes]
    log: Path


@dataclass
class Cart:
    token: str
    id: str


# -- servers ----------------------------------------------------------------------------------


def start_floor(database: Path, port: int, log: Path) -> App:
    command = [sys.executable, str(HERE / "floor_app.py"), "--db", str(database)]
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=sink
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return App("floor", base, proc, log)
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"the floor app exited: {log.read_text()[-2000:]}")
        time.sleep(0.2)
    store_http.stop_server(proc)
    raise RuntimeError("the floor app was not ready in 60 s")


def server_cpu(pid: int) -> float:
    """CPU seconds the process has used so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


# -- the plans --------------------------------------------------------------------------------


async def in_stock_variants(client: httpx.AsyncClient) -> tuple[list[str], list[str]]:
    """Active product ids, and the ids of variants with at least MIN_STOCK available."""
    products: list[str] = []
    variants: list[str] = []
    url: str | None = "/v1/products?in_stock=true&limit=100"
    while url:
        page = (await client.get(url)).raise_for_status().json()
        for product in page["items"]:
            products.append(product["id"])
            variants += [v["id"] for v in product["variants"] if v["available"] >= MIN_STOCK]
        cursor = page.get("next_cursor")
        url = f"/v1/products?in_stock=true&limit=100&cursor={cursor}" if cursor else None
    return products, variants


async def new_carts(client: httpx.AsyncClient, count: int) -> list[Cart]:
    """`count` guest sessions, each with its cart, made through Mercato's API."""
    made: list[Cart] = []
    todo = iter(range(count))

    async def worker() -> None:
        for _ in todo:
            session = (await client.post("/v1/sessions", json={})).raise_for_status().json()
            token = session["session_token"]
            cart = await client.post("/v1/carts", headers={"X-Session-Token": token})
            made.append(Cart(token, cart.raise_for_status().json()["id"]))

    await asyncio.gather(*(worker() for _ in range(SETUP_CONCURRENCY)))
    return made


async def fill(client: httpx.AsyncClient, lines: list[tuple[Cart, str]]) -> None:
    """Put the lines in (through the floor's endpoint: it writes the rows Mercato writes)."""
    todo = iter(lines)

    async def worker() -> None:
        for cart, variant in todo:
            answer = await client.post(
                f"/v1/carts/{cart.id}/items",
                headers={"X-Session-Token": cart.token},
                json={"variant_id": variant, "quantity": 1},
            )
            answer.raise_for_status()

    await asyncio.gather(*(worker() for _ in range(SETUP_CONCURRENCY)))


def line(method: str, path: str, token: str = "", body: dict[str, Any] | None = None) -> str:
    return "\t".join([method, path, token, json.dumps(body) if body else ""])


def plans_for(
    products: Sequence[str], carts: dict[str, list[Cart]], lines: dict[str, list[list[str]]]
) -> dict[str, dict[str, list[str]]]:
    """Kind → app → the plan's lines. Each app reads and writes its own carts; an add cycles
    over every (cart, variant) pair, a cart at a time, so its lines grow one unit per pass."""
    plans: dict[str, dict[str, list[str]]] = {kind: {} for kind in KINDS}
    for app in APPS:
        plans["product"][app] = [line("GET", f"/v1/products/{p}") for p in products]
        plans["listing"][app] = [line("GET", "/v1/products?limit=20")]
        plans["cart"][app] = [line("GET", f"/v1/carts/{c.id}", c.token) for c in carts[app]]
        plans["add item"][app] = [
            line(
                "POST",
                f"/v1/carts/{cart.id}/items",
                cart.token,
                {"variant_id": variants[n], "quantity": 1},
            )
            for n in range(len(lines[app][0]))
            for cart, variants in zip(carts[app], lines[app], strict=True)
        ]
    return plans


# -- the same answers -------------------------------------------------------------------------


def compared(mercato: httpx.Response, floor: httpx.Response, what: str) -> dict[str, Any]:
    return {
        "what": what,
        "statuses": [mercato.status_code, floor.status_code],
        "bytes": [len(mercato.content), len(floor.content)],
        "equal": mercato.status_code == floor.status_code and mercato.json() == floor.json(),
    }


async def same_answers(
    apps: dict[str, App], products: Sequence[str], carts: dict[str, list[Cart]], variant: str
) -> dict[str, dict[str, Any]]:
    """Each kind asked of both apps (a write: each app adds to a cart, and the other app's
    read of that cart is compared with the write's answer)."""
    m, f = apps["mercato"].base, apps["floor"].base
    async with httpx.AsyncClient(timeout=30) as client:
        product = f"/v1/products/{products[0]}"
        listing = "/v1/products?limit=20"
        cart = carts["mercato"][0]
        headers = {"X-Session-Token": cart.token}
        path = f"/v1/carts/{cart.id}"
        checks = {
            "product": compared(
                await client.get(m + product), await client.get(f + product), product
            ),
            "listing": compared(
                await client.get(m + listing), await client.get(f + listing), listing
            ),
            "cart": compared(
                await client.get(m + path, headers=headers),
                await client.get(f + path, headers=headers),
                "a cart of Mercato's, read by both",
            ),
        }
        body = {"variant_id": variant, "quantity": 1}
        added = await client.post(m + f"{path}/items", headers=headers, json=body)
        read = await client.get(f + path, headers=headers)
        by_mercato = compared(added, read, "Mercato's answer to an add ~ the floor's read after")
        floors = carts["floor"][0]
        headers = {"X-Session-Token": floors.token}
        path = f"/v1/carts/{floors.id}"
        added = await client.post(f + f"{path}/items", headers=headers, json=body)
        read = await client.get(m + path, headers=headers)
        by_floor = compared(read, added, "the floor's answer to an add ~ Mercato's read after")
        checks["add item"] = {
            "what": f"{by_mercato['what']}; {by_floor['what']}",
            "statuses": by_mercato["statuses"],
            "bytes": by_mercato["bytes"],
            "equal": by_mercato["equal"] and by_floor["equal"],
        }
    return checks


# -- wrk --------------------------------------------------------------------------------------


def run_wrk(app: App, plan: Path, connections: int, seconds: int) -> dict[str, Any]:
    """One wrk run against `app`: wrk's figures, its CPU and the server's."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s"]
    command += ["-s", str(SCRIPT), app.base, "--", str(plan)]
    before = server_cpu(app.proc.pid)
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    out = proc.stdout.read().decode(errors="replace")
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)  # wrk's own CPU, which Popen.wait does not tell
    proc.returncode = os.waitstatus_to_exitcode(status)
    server = server_cpu(app.proc.pid) - before
    found = [x for x in out.splitlines() if x.startswith("FLOOR-RESULT ")]
    if proc.returncode != 0 or not found:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {out[-2000:]}")
    result: dict[str, Any] = json.loads(found[0].removeprefix("FLOOR-RESULT "))
    result["server_cpu_seconds"] = round(server, 3)
    result["wrk_cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 3)
    return result


def summary(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """An app's figures for one kind over its rounds: requests/s over the summed time, the
    median round's latency percentiles, CPU per request."""
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["duration_us"] for r in runs) / 1e6
    statuses: dict[str, int] = {}
    for r in runs:
        for status, count in r["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
    transport = sum(r["errors"][k] for r in runs for k in ("connect", "read", "write", "timeout"))
    server = sum(r["server_cpu_seconds"] for r in runs)
    wrk = sum(r["wrk_cpu_seconds"] for r in runs)
    return {
        "requests": requests,
        "requests_per_second": round(requests / seconds, 1),
        "per_round": [round(r["requests"] / (r["duration_us"] / 1e6), 1) for r in runs],
        "p50_ms": round(statistics.median(r["latency_us"]["p50"] for r in runs) / 1000, 2),
        "p95_ms": round(statistics.median(r["latency_us"]["p95"] for r in runs) / 1000, 2),
        "p99_ms": round(statistics.median(r["latency_us"]["p99"] for r in runs) / 1000, 2),
        "statuses": dict(sorted(statuses.items())),
        "errors": sum(c for s, c in statuses.items() if not s.startswith("2")) + transport,
        "transport_errors": transport,
        "bytes_per_answer": round(sum(r["bytes"] for r in runs) / max(requests, 1)),
        "server_cpu_ms_per_request": round(server * 1000 / max(requests, 1), 3),
        "wrk_cpu_seconds": round(wrk, 2),
        "seconds": round(seconds, 1),
    }


# -- the run ----------------------------------------------------------------------------------


async def prepare(
    apps: dict[str, App], args: argparse.Namespace, rng: random.Random
) -> tuple[list[str], dict[str, list[Cart]], dict[str, list[list[str]]], list[str]]:
    async with httpx.AsyncClient(base_url=apps["mercato"].base, timeout=60) as client:
        products, variants = await in_stock_variants(client)
        if len(variants) < args.lines:
            raise RuntimeError(f"only {len(variants)} variants have {MIN_STOCK} in stock")
        carts = {app: await new_carts(client, args.carts) for app in APPS}
    lines = {app: [rng.sample(variants, args.lines) for _ in carts[app]] for app in APPS}
    async with httpx.AsyncClient(base_url=apps["floor"].base, timeout=60) as client:
        pairs = [zip(carts[app], lines[app], strict=True) for app in APPS]
        await fill(client, [(cart, v) for each in pairs for cart, vs in each for v in vs])
    chosen = rng.sample(products, min(PRODUCTS_IN_PLAN, len(products)))
    return chosen, carts, lines, variants


def measure(
    apps: dict[str, App],
    plans: dict[str, dict[str, list[str]]],
    args: argparse.Namespace,
    tmp: Path,
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for kind, route in KINDS.items():
        files = {}
        for app in APPS:
            files[app] = tmp / f"plan-{kind.replace(' ', '-')}-{app}.txt"
            files[app].write_text("\n".join(plans[kind][app]) + "\n")
        for app in APPS:  # warm-up, not recorded
            run_wrk(apps[app], files[app], args.connections, args.warmup)
            time.sleep(PAUSE)
        runs: dict[str, list[dict[str, Any]]] = {app: [] for app in APPS}
        for _ in range(args.rounds):
            for app in APPS:
                runs[app].append(run_wrk(apps[app], files[app], args.connections, args.seconds))
                if app == "mercato" and kind == "add item":  # its events' work, done now
                    asyncio.run(checkout.drained([_as_server(apps[app])]))
                time.sleep(PAUSE)
        figures = {app: summary(runs[app]) for app in APPS}
        m, f = figures["mercato"], figures["floor"]
        per_round = [
            round(fr / mr, 2) if mr else float("inf")
            for mr, fr in zip(m["per_round"], f["per_round"], strict=True)
        ]
        results[kind] = {
            "route": route,
            "apps": figures,
            "runs": runs,
            "ratio": round(f["requests_per_second"] / m["requests_per_second"], 2)
            if m["requests_per_second"]
            else float("inf"),
            "ratio_per_round": per_round,
            "cpu_ratio": round(m["server_cpu_ms_per_request"] / f["server_cpu_ms_per_request"], 2)
            if f["server_cpu_ms_per_request"]
            else float("inf"),
        }
        print(
            f"{kind}: Mercato {m['requests_per_second']} req/s, floor {f['requests_per_second']} "
            f"req/s, ratio {results[kind]['ratio']}",
            file=sys.stderr,
        )
    return results


def _as_server(app: App) -> checkout.Server:
    return checkout.Server(app.base, app.proc, app.log)


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    workdir = Path(tempfile.mkdtemp(prefix="mercato-bench-floor-"))
    logs = Path(tempfile.mkdtemp(prefix="mercato-bench-floor-logs-"))
    apps: dict[str, App] = {}
    try:
        env = store_http.seed("embedded", args.products, workdir, stacks.Services())
        # its own gRPC port: the default one may be another server's on a shared machine
        env.update(checkout.SERVER_ENV, COLUMNS="500", MERCATO_GRPC_PORT=str(free_port()))
        log = logs / "mercato.stderr"
        server = checkout.start_server(env, free_port(), log)
        apps["mercato"] = App("mercato", server.base, server.proc, log)
        database = workdir / "data" / "mercato.db"
        apps["floor"] = start_floor(database, free_port(), logs / "floor.stderr")
        idle_rss = {app: rss_mib(apps[app].proc.pid) for app in APPS}
        started = time.perf_counter()
        products, carts, lines, variants = asyncio.run(prepare(apps, args, rng))
        prepare_seconds = round(time.perf_counter() - started, 1)
        checks = asyncio.run(same_answers(apps, products, carts, variants[0]))
        plans = plans_for(products, carts, lines)
        results = measure(apps, plans, args, workdir)
        rss = {app: rss_mib(apps[app].proc.pid) for app in APPS}
    finally:
        for app in apps.values():
            store_http.stop_server(app.proc)
        shutil.rmtree(workdir, ignore_errors=True)
    servers = [_as_server(apps["mercato"])]
    return {
        "products": args.products,
        "connections": args.connections,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "warmup": args.warmup,
        "carts_per_app": args.carts,
        "lines_per_cart": args.lines,
        "products_in_plan": len(products),
        "prepare_seconds": prepare_seconds,
        "same_answers": checks,
        "kinds": results,
        "rss_mib": {"idle": idle_rss, "after": rss},
        "server_env": checkout.SERVER_ENV,
        "server_stderr": checkout.log_excerpt(servers),
        "floor_stderr": (logs / "floor.stderr").read_text(errors="replace").splitlines()[-20:],
        "uvicorn": uvicorn_choice(),
        "wrk": subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
        .stdout.splitlines()[0]
        .strip(),
    }


def uvicorn_choice() -> dict[str, str]:
    """What uvicorn's "auto" loop and http pick here (both apps run them)."""
    import importlib.util

    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    http = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return {"loop": loop, "http": http}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--products", type=int, default=1200, help="demo products to seed")
    p.add_argument("--connections", type=int, default=16, help="wrk's connections (both apps)")
    p.add_argument("--seconds", type=int, default=5, help="seconds per app per round")
    p.add_argument("--rounds", type=int, default=3, help="rounds of Mercato then the floor")
    p.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per app and kind")
    p.add_argument("--carts", type=int, default=200, help="guest carts per app")
    p.add_argument("--lines", type=int, default=3, help="lines per cart")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--record", action="store_true", help="write bench/results/floor.{json,md}")
    p.add_argument("--note", action="append", default=[], help="a note for the .md (repeat)")
    args = p.parse_args()
    if shutil.which("wrk") is None:
        p.error("wrk is needed (apt-get install wrk)")
    conditions = benchlib.Conditions()
    result = run(args)
    data = {
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": conditions.finish(),
        "notes": args.note,
        "result": result,
    }
    bars = [
        benchlib.Bar(
            f"Mercato's time per request ÷ the floor's, {kind} ({k['route']})",
            f"<= {BAR_RATIO:g}",
            f"{k['ratio']}",
            k["ratio"] <= BAR_RATIO,
        )
        for kind, k in result["kinds"].items()
    ]
    data["bars"] = [b.as_dict() for b in bars]
    report = markdown(data, bars)
    print(report)
    if args.record:
        benchlib.write_results("floor", data, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
