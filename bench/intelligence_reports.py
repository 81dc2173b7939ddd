"""Intelligence reports: how long a merchant waits for an answer (issue 20's bars: a Quick
report p95 < 2 s and a Deep report p95 < 30 s with ten questions asked at once; the seed
document's SLA was 2 min and 10 min), and the analysis cache's hit rate over a repeated mix.

The store is `mercato demo`'s (`--products`, 1,200 by default: its competitor feeds, sales
history and reviews included), seeded in `--workdir` and kept for later runs. `mercato serve`
runs as its own process (embedded: SQLite, default settings: 4 questions at once a process).
An admin asks through the API: `POST /v1/intelligence/query`, then follows the question on
`WS /v1/intelligence/ws/{id}` until its report arrives (the socket pushes it; no polling).

1. **Cold first question**: one question alone on a fresh process (it imports statsforecast
   and fits the models), on a scope the mix below never names, so the mix starts cold.
2. **Quick**: `--quick-rounds` rounds of `--concurrency` questions asked at once, drawn in turn
   from `QUESTIONS` (written freehand: prices, a sales drop, reviews of a category, stock-out
   risk, competitors, a category's sales over a period, a forecast, complaints, a product, a
   vague one). The first round finds an empty cache; later rounds repeat the questions.
   End to end (client-side: POST to the report received) and server-side (`duration_ms` of
   the report: the run, without the queue), with each agent's time and cache outcome.
3. **Deep**: the same in Deep mode, `--deep-rounds` rounds (Deep recomputes every analysis).
4. **Cache**: on a restarted server (empty cache), `--cache-questions` Quick questions drawn
   with repetition from the same mix, `--cache-concurrency` at a time; the hit rate from the
   reports' `agents[].cache` (hits / (hits + misses + refreshed)) and from
   `GET /v1/intelligence/cache`.

The floor: `GET /health/live` (what any request costs), idle and during the Quick rounds.

    .venv/bin/python bench/intelligence_reports.py [--workdir /tmp/ibench] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import websockets

import benchlib
import stacks
import store_http
from benchlib import Bar
from serve_startup import free_port

BAR_QUICK_P95_S = 2.0
BAR_DEEP_P95_S = 30.0
SEED_QUICK_S = 120.0
SEED_DEEP_S = 600.0
QUESTIONS = [
    "Am I priced above my competitors on anything, and what should I change?",
    "Sales were down last month. Why, and what can I do about it?",
    "What are customers saying about our headphones?",
    "Which products are likely to sell out in the next few weeks?",
    "Have any competitors changed their prices recently?",
    "How many jackets did we sell in the last 30 days?",
    "What will demand look like next month?",
    "Are there complaints in the reviews for bedding?",
    "What do people think of the {product}?",
    "How is the shop doing?",
]
"""`{product}`: the demo's most reviewed product, looked up in the store."""
WARMUP_QUESTION = "Forecast demand for yoga gear next month"
"""The cold first question: a category the mix never names (its cache entries are its own)."""


def best_reviewed_product(data_dir: Path) -> str:
    """The name of the product with the most reviews (read-only, before the server starts)."""
    with sqlite3.connect(f"file:{data_dir / 'mercato.db'}?mode=ro", uri=True) as db:
        row = db.execute(
            "SELECT p.name FROM reviews r JOIN products p ON p.id = r.product_id "
            "GROUP BY p.id ORDER BY count(*) DESC, p.name LIMIT 1"
        ).fetchone()
    return str(row[0])


def parse(stamp: str | None) -> datetime | None:
    return datetime.fromisoformat(stamp) if stamp else None


async def ask(base: str, key: str, question: str, mode: str) -> dict[str, Any]:
    """One question end to end: POST, then its socket until the report (or failure)."""
    headers = {"Authorization": f"Bearer {key}"}
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=60, headers=headers) as client:
        accepted = await client.post(
            "/v1/intelligence/query", json={"question": question, "mode": mode}
        )
        if accepted.status_code != 202:
            raise RuntimeError(f"ask -> {accepted.status_code} {accepted.text[:300]}")
        query_id = accepted.json()["query_id"]
        url = base.replace("http://", "ws://") + f"/v1/intelligence/ws/{query_id}"
        frame: dict[str, Any] = {}
        async with websockets.connect(url, additional_headers=headers, max_size=None) as ws:
            while frame.get("type") not in {"report", "failed"}:
                frame = json.loads(await ws.recv())
        client_ms = (time.perf_counter() - started) * 1000
        row = (await client.get(f"/v1/intelligence/queries/{query_id}")).json()
    report = frame.get("report") or {}
    enqueued, begun, finished = (
        parse(row.get(k)) for k in ("enqueued_at", "started_at", "finished_at")
    )
    return {
        "question": question,
        "mode": mode,
        "status": frame.get("status"),
        "error": frame.get("error"),
        "client_ms": round(client_ms, 1),
        "server_ms": report.get("duration_ms"),
        "queue_ms": round((begun - enqueued).total_seconds() * 1000, 1)
        if begun and enqueued
        else None,
        "run_ms": round((finished - begun).total_seconds() * 1000, 1)
        if finished and begun
        else None,
        "report_status": report.get("status"),
        "planned_by": report.get("planned_by"),
        "agents": [
            {k: a.get(k) for k in ("agent", "status", "duration_ms", "cache", "records_read")}
            for a in report.get("agents") or []
        ],
    }


async def rounds(
    base: str, key: str, mode: str, count: int, concurrency: int, questions: list[str]
) -> list[list[dict[str, Any]]]:
    """`count` rounds of `concurrency` questions at once, taken in turn from the mix."""
    done: list[list[dict[str, Any]]] = []
    for n in range(count):
        asked = [questions[(n * concurrency + i) % len(questions)] for i in range(concurrency)]
        began = time.perf_counter()
        done.append(list(await asyncio.gather(*(ask(base, key, q, mode) for q in asked))))
        print(
            f"  {mode} round {n + 1}: {time.perf_counter() - began:.1f} s, p95 "
            f"{benchlib.percentile([s['client_ms'] for s in done[-1]], 95):.0f} ms",
            file=sys.stderr,
        )
    return done


async def one_at_a_time(base: str, key: str, questions: list[str]) -> list[dict[str, Any]]:
    """Each question once, alone (no queue, no other question's CPU), on an empty cache."""
    return [await ask(base, key, q, "quick") for q in questions]


async def floor_while(base: str, stop: asyncio.Event, samples: list[store_http.Sample]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while not stop.is_set():
            _, sample = await store_http.timed(client, "floor", "GET", "/health/live")
            samples.append(sample)
            await asyncio.sleep(0.1)


async def idle_floor(base: str, count: int = 200) -> dict[str, Any]:
    samples: list[store_http.Sample] = []
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for _ in range(count):
            _, sample = await store_http.timed(client, "floor", "GET", "/health/live")
            samples.append(sample)
    return store_http.stats(samples, "floor")


async def with_floor(base: str, work: Any) -> tuple[Any, dict[str, Any]]:
    stop = asyncio.Event()
    samples: list[store_http.Sample] = []
    floor = asyncio.create_task(floor_while(base, stop, samples))
    try:
        result = await work
    finally:
        stop.set()
        await floor
    return result, store_http.stats(samples, "floor")


def latency(samples: list[dict[str, Any]]) -> dict[str, Any]:
    def summary(values: list[float]) -> dict[str, float]:
        return {
            "p50": round(benchlib.percentile(values, 50), 1),
            "p95": round(benchlib.percentile(values, 95), 1),
            "max": round(max(values), 1) if values else float("nan"),
        }

    return {
        "count": len(samples),
        "statuses": dict(Counter(str(s["status"]) for s in samples)),
        "client_ms": summary([s["client_ms"] for s in samples]),
        "server_ms": summary([s["server_ms"] for s in samples if s["server_ms"] is not None]),
        "queue_ms": summary([s["queue_ms"] for s in samples if s["queue_ms"] is not None]),
        "outside_agents_ms": summary([outside_agents(s) for s in samples if s["server_ms"]]),
    }


def outside_agents(sample: dict[str, Any]) -> float:
    """The report's time not spent waiting for its agents (they run side by side: the
    slowest is the wait): reading the question, scoping, synthesis, the summary."""
    slowest = max((a["duration_ms"] or 0.0 for a in sample["agents"]), default=0.0)
    return float(sample["server_ms"]) - slowest


def by_agent(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Per agent: its runs' duration, cache outcomes, and how often it was the report's
    slowest agent (the one the report waited for)."""
    times: dict[str, list[float]] = defaultdict(list)
    caches: dict[str, Counter[str]] = defaultdict(Counter)
    statuses: dict[str, Counter[str]] = defaultdict(Counter)
    slowest: Counter[str] = Counter()
    for s in samples:
        for a in s["agents"]:
            times[a["agent"]].append(float(a["duration_ms"] or 0.0))
            caches[a["agent"]][str(a["cache"])] += 1
            statuses[a["agent"]][str(a["status"])] += 1
        if s["agents"]:
            slowest[max(s["agents"], key=lambda a: a["duration_ms"] or 0.0)["agent"]] += 1
    return {
        name: {
            "runs": len(values),
            "p50_ms": round(benchlib.percentile(values, 50), 1),
            "p95_ms": round(benchlib.percentile(values, 95), 1),
            "max_ms": round(max(values), 1),
            "total_ms": round(sum(values), 1),
            "slowest_in_reports": slowest[name],
            "cache": dict(caches[name]),
            "statuses": dict(statuses[name]),
        }
        for name, values in sorted(times.items(), key=lambda kv: -sum(kv[1]))
    }


def by_question(samples: list[dict[str, Any]]) -> dict[str, Any]:
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in samples:
        found[s["question"]].append(s)
    return {
        q: {
            "count": len(rows),
            "client_p50_ms": round(benchlib.percentile([r["client_ms"] for r in rows], 50), 1),
            "client_max_ms": round(max(r["client_ms"] for r in rows), 1),
            "server_max_ms": round(max(r["server_ms"] or 0.0 for r in rows), 1),
            "agents": sorted({a["agent"] for r in rows for a in r["agents"]}),
            "statuses": dict(Counter(str(r["status"]) for r in rows)),
        }
        for q, rows in found.items()
    }


def mode_result(done: list[list[dict[str, Any]]]) -> dict[str, Any]:
    every = [s for r in done for s in r]
    return {
        "all": latency(every),
        "first_round": latency(done[0]),
        "later_rounds": latency([s for r in done[1:] for s in r]) if len(done) > 1 else None,
        "agents": by_agent(every),
        "questions": by_question(every),
        "samples": every,
    }


async def cache_mix(
    base: str, key: str, questions: list[str], count: int, concurrency: int, seed: int
) -> dict[str, Any]:
    rng = random.Random(seed)
    drawn = [rng.choice(questions) for _ in range(count)]
    done: list[dict[str, Any]] = []
    for start in range(0, count, concurrency):
        batch = drawn[start : start + concurrency]
        done += await asyncio.gather(*(ask(base, key, q, "quick") for q in batch))
    outcomes = Counter(str(a["cache"]) for s in done for a in s["agents"])
    counted = outcomes["hit"] + outcomes["miss"] + outcomes["refreshed"]
    async with httpx.AsyncClient(
        base_url=base, timeout=30, headers={"Authorization": f"Bearer {key}"}
    ) as client:
        answer = await client.get("/v1/intelligence/cache")
        answer.raise_for_status()
        server = answer.json()
    return {
        "questions": count,
        "distinct": len(set(drawn)),
        "concurrency": concurrency,
        "report_outcomes": dict(outcomes),
        "report_hit_rate": round(outcomes["hit"] / counted, 3) if counted else None,
        "server_stats": server.get("stats"),
        "recent_invalidations": len(server.get("recent_invalidations") or []),
        "latency": latency(done),
        "agents": by_agent(done),
        "samples": done,
    }


@contextmanager
def serving(env: dict[str, str]) -> Iterator[str]:
    """A fresh `mercato serve` process (an empty analysis cache); its base URL."""
    port = free_port()
    server = store_http.start_server(env, port, workers=1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        store_http.stop_server(server)


def timed_rounds(
    base: str, key: str, mode: str, args: argparse.Namespace, questions: list[str]
) -> dict[str, Any]:
    count = args.quick_rounds if mode == "quick" else args.deep_rounds
    began = time.perf_counter()
    done = asyncio.run(rounds(base, key, mode, count, args.concurrency, questions))
    return {**mode_result(done), "wall_seconds": round(time.perf_counter() - began, 1)}


def measure(
    env: dict[str, str], key: str, args: argparse.Namespace, questions: list[str]
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    with serving(env) as base:
        result["floor_idle"] = asyncio.run(idle_floor(base))
        print("cold first question", file=sys.stderr)
        result["cold_first"] = asyncio.run(ask(base, key, WARMUP_QUESTION, "quick"))
        print("quick rounds", file=sys.stderr)

        async def quick_with_floor() -> tuple[dict[str, Any], dict[str, Any]]:
            work = asyncio.to_thread(timed_rounds, base, key, "quick", args, questions)
            return await with_floor(base, work)

        result["quick"], result["floor_quick"] = asyncio.run(quick_with_floor())
        print("deep rounds", file=sys.stderr)
        result["deep"] = timed_rounds(base, key, "deep", args, questions)
    print("each question alone on a restarted server", file=sys.stderr)
    with serving(env) as base:
        asyncio.run(ask(base, key, WARMUP_QUESTION, "quick"))
        alone = asyncio.run(one_at_a_time(base, key, questions))
        result["alone"] = {"all": latency(alone), "agents": by_agent(alone), "samples": alone}
    print("cache mix on a restarted server", file=sys.stderr)
    with serving(env) as base:
        result["cache"] = asyncio.run(
            cache_mix(base, key, questions, args.cache_questions, args.cache_concurrency, args.seed)
        )
    return result


def run(args: argparse.Namespace) -> dict[str, Any]:
    root = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="mercato-intel-"))
    workdir = root / f"embedded-{args.products}"
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        env = store_http.seed("embedded", args.products, workdir, stacks.Services())
        if args.questions_per_process:
            env["MERCATO_INTEL_QUESTIONS_PER_PROCESS"] = str(args.questions_per_process)
        data_dir = Path(env["MERCATO_DATA_DIR"])
        key = (data_dir / "admin-api-key").read_text().strip()
        product = best_reviewed_product(data_dir)
        questions = [q.format(product=product) for q in QUESTIONS]
        return {
            "seed_seconds": float((workdir / "seed-seconds").read_text()),
            "product_asked_about": product,
            **measure(env, key, args, questions),
        }
    finally:
        if not args.workdir:
            shutil.rmtree(root, ignore_errors=True)


def _row(label: str, found: dict[str, Any] | None) -> str:
    if not found:
        return f"| {label} | 0 | | | | | | | | |"
    c, s, q, o = (found[k] for k in ("client_ms", "server_ms", "queue_ms", "outside_agents_ms"))
    return (
        f"| {label} | {found['count']} | {c['p50']} | {c['p95']} | {c['max']} "
        f"| {s['p50']} | {s['p95']} | {s['max']} | {q['p95']} | {o['p50']} / {o['p95']} |"
    )


def _agents_table(agents: dict[str, Any]) -> list[str]:
    lines = [
        "| agent | runs | p50 ms | p95 ms | max ms | total ms | slowest in reports | cache |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, a in agents.items():
        cache = ", ".join(f"{k} {v}" for k, v in sorted(a["cache"].items()))
        lines.append(
            f"| {name} | {a['runs']} | {a['p50_ms']} | {a['p95_ms']} | {a['max_ms']} "
            f"| {a['total_ms']} | {a['slowest_in_reports']} | {cache} |"
        )
    return lines


def report(data: dict[str, Any], bars: list[Bar]) -> str:
    r = data["result"]
    cold = r["cold_first"]
    cache = r["cache"]
    cold_agents = ", ".join(f"{a['agent']} {a['duration_ms']} ms" for a in cold["agents"])
    head = (
        "| questions | count | client p50 ms | client p95 ms | client max ms | server p50 ms "
        "| server p95 ms | server max ms | queue p95 ms | outside agents p50 / p95 ms |"
    )
    sep = "|---|---|---|---|---|---|---|---|---|---|"
    lines = benchlib.report_header("Intelligence: report latency and the analysis cache", data)
    lines += ["## Bars", "", *benchlib.bars_markdown(bars), ""]
    lines += [
        "## Figures",
        "",
        f"`mercato demo` store of {data['products']} products (seeded in {r['seed_seconds']} s), "
        "one `mercato serve` process (embedded: SQLite; "
        f"{data['questions_per_process']} questions at once a process), an admin asking "
        f"{data['concurrency']} questions at once from a mix of "
        f"{len(QUESTIONS)} (the product asked about: {r['product_asked_about']}). Client-side: "
        "from the POST to the report received on the question's WebSocket (the queue "
        "included). Server-side: the report's `duration_ms` (the run, without the queue). "
        "Outside agents: that less the slowest agent's `duration_ms` (the agents run side by "
        "side): reading the question, scoping, synthesis, the summary.",
        "",
        f'Cold first question, alone on a fresh process ("{WARMUP_QUESTION}"): '
        f"{cold['client_ms']} ms end to end, {cold['server_ms']} ms server-side "
        f"(queue {cold['queue_ms']} ms; {cold_agents}).",
        "",
        head,
        sep,
        _row(f"Quick, all ({data['quick_rounds']} rounds)", r["quick"]["all"]),
        _row("Quick, first round (cold cache)", r["quick"]["first_round"]),
        _row("Quick, later rounds", r["quick"]["later_rounds"]),
        _row("Quick, each question alone", r["alone"]["all"]),
        _row(f"Deep, all ({data['deep_rounds']} rounds)", r["deep"]["all"]),
        _row("Deep, first round", r["deep"]["first_round"]),
        _row("Deep, later rounds", r["deep"]["later_rounds"]),
        "",
        f"Statuses: Quick {r['quick']['all']['statuses']}, Deep {r['deep']['all']['statuses']}. "
        f"Wall time: Quick rounds {r['quick']['wall_seconds']} s, Deep rounds "
        f"{r['deep']['wall_seconds']} s.",
        "",
        "### Where the time goes (each agent's `duration_ms` in the reports)",
        "",
        "Quick:",
        "",
        *_agents_table(r["quick"]["agents"]),
        "",
        "Deep:",
        "",
        *_agents_table(r["deep"]["agents"]),
        "",
        "### Each question alone (Quick, empty cache, warm process)",
        "",
        "On a restarted server, after the cold first question: the mix asked one question at a "
        "time, so no queue and no other question's CPU (what a question costs by itself).",
        "",
        "| question | client ms | server ms | agents (ms, cache) |",
        "|---|---|---|---|",
        *(
            f"| {s['question']} | {s['client_ms']} | {s['server_ms']} | "
            + ", ".join(f"{a['agent']} {a['duration_ms']} {a['cache']}" for a in s["agents"])
            + " |"
            for s in r["alone"]["samples"]
        ),
        "",
        *_agents_table(r["alone"]["agents"]),
        "",
        "### Per question (Quick, 10 at once)",
        "",
        "| question | asked | client p50 ms | client max ms | server max ms | agents |",
        "|---|---|---|---|---|---|",
        *(
            f"| {q} | {v['count']} | {v['client_p50_ms']} | {v['client_max_ms']} "
            f"| {v['server_max_ms']} | {', '.join(v['agents'])} |"
            for q, v in r["quick"]["questions"].items()
        ),
        "",
        "### Cache hit rate over a repeated mix",
        "",
        f"On a restarted server (empty cache): {cache['questions']} Quick questions drawn with "
        f"repetition from the mix ({cache['distinct']} distinct), {cache['concurrency']} at a "
        "time.",
        "",
        f"- From the reports' `agents[].cache`: {cache['report_outcomes']}; hit rate "
        f"hits / (hits + misses + refreshed) = **{cache['report_hit_rate']}**",
        f"- `GET /v1/intelligence/cache`: {cache['server_stats']}",
        f"- Latency over the mix: client p50 {cache['latency']['client_ms']['p50']} ms, p95 "
        f"{cache['latency']['client_ms']['p95']} ms; server p95 "
        f"{cache['latency']['server_ms']['p95']} ms",
        "",
        "### Floor: `GET /health/live`",
        "",
        "| when | requests | server p50 ms | server p95 ms | client p50 ms | client p95 ms |",
        "|---|---|---|---|---|---|",
        *(
            f"| {label} | {f['requests']} | {f['server_p50_ms']} | {f['server_p95_ms']} "
            f"| {f['client_p50_ms']} | {f['client_p95_ms']} |"
            for label, f in (("idle", r["floor_idle"]), ("during Quick rounds", r["floor_quick"]))
        ),
        "",
        "## Noise",
        "",
        benchlib.noise_line(data["machine"]),
    ]
    if data["notes"]:
        lines += ["", "## Notes", "", *(f"- {note}" for note in data["notes"])]
    return "\n".join(lines)


def bars_for(result: dict[str, Any]) -> list[Bar]:
    quick = result["quick"]["all"]["client_ms"]["p95"] / 1000
    deep = result["deep"]["all"]["client_ms"]["p95"] / 1000
    return [
        Bar("Quick report p95 (end to end), 10 at once", f"< {BAR_QUICK_P95_S:.0f} s",
            f"{quick:.2f} s", quick < BAR_QUICK_P95_S),
        Bar("Deep report p95 (end to end), 10 at once", f"< {BAR_DEEP_P95_S:.0f} s",
            f"{deep:.2f} s", deep < BAR_DEEP_P95_S),
        Bar("Quick p95, the seed document's SLA", f"< {SEED_QUICK_S / 60:.0f} min",
            f"{quick:.2f} s", quick < SEED_QUICK_S),
        Bar("Deep p95, the seed document's SLA", f"< {SEED_DEEP_S / 60:.0f} min",
            f"{deep:.2f} s", deep < SEED_DEEP_S),
    ]  # fmt: skip


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--products", type=int, default=1200)
    p.add_argument("--concurrency", type=int, default=10, help="questions asked at once")
    p.add_argument("--quick-rounds", type=int, default=5)
    p.add_argument("--deep-rounds", type=int, default=2)
    p.add_argument("--cache-questions", type=int, default=30)
    p.add_argument("--cache-concurrency", type=int, default=3)
    p.add_argument("--seed", type=int, default=7, help="the cache mix's draw")
    p.add_argument(
        "--questions-per-process",
        type=int,
        help="MERCATO_INTEL_QUESTIONS_PER_PROCESS for the server (default: the setting's, 4)",
    )
    p.add_argument("--workdir", help="keep the seeded store here for later runs")
    p.add_argument("--note", action="append", default=[], help="added to the Markdown")
    p.add_argument(
        "--record", action="store_true", help="write bench/results/intelligence_reports.*"
    )
    args = p.parse_args()
    conditions = benchlib.Conditions()
    result = run(args)
    data = {
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": conditions.finish(),
        "products": args.products,
        "concurrency": args.concurrency,
        "quick_rounds": args.quick_rounds,
        "deep_rounds": args.deep_rounds,
        "questions_per_process": args.questions_per_process or 4,
        "questions": QUESTIONS,
        "notes": args.note,
        "result": result,
    }
    bars = bars_for(result)
    data["bars"] = [b.as_dict() for b in bars]
    markdown = report(data, bars)
    print(markdown)
    if args.record:
        benchlib.write_results("intelligence_reports", data, markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
