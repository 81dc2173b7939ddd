"""The assistant's turn latency (issue 16's bars: a turn without an LLM p95 < 50 ms
server-side at 20 concurrent conversations; the WebSocket's first chunk p95 < 100 ms).

The store is `mercato demo`'s (`--products`, 1,200 by default, its FAQ included), seeded in
`--workdir` and kept for later runs; every product's meaning is embedded first, as the
server's background job would. Then `mercato serve` runs as its own process, and
`--conversations` guests talk to it at once for `--seconds`, each going through a shopping
dialogue in a loop: a search, a product's details, an add to the cart (answering the size
question with its first quick reply when asked), the cart, a shipping question, an order
status, thanks. Each shopper reads the reply and sends the next message `--think` seconds
later (0.5 to 1.5 times it, at random: a fast typist; people take several seconds), which is
where the bars are read; then once more with no pause at all, the most turns a process
answers (its capacity, and the queueing that saturation causes).

1. **HTTP**: `POST /v1/assistant/messages`, latency read server-side (`Server-Timing`) and
   client-side; the floor beside it is `GET /health/live` measured the same way in the same
   run (what any request costs on this machine).
2. **WebSocket**: the same dialogue over `WS /v1/assistant/ws`, the time from sending a
   message to its first `chunk` frame (client-side: a socket carries no Server-Timing).

    .venv/bin/python bench/assistant_latency.py [--conversations 20] [--seconds 30] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
import websockets

import benchlib
import stacks
import store_http
from benchlib import Bar
from search_latency import embed_all
from serve_startup import free_port

DIALOGUE = [
    "hi, do you have hoodies?",
    "tell me more about the first one",
    "add the first one to my cart",
    "what's in my cart?",
    "how long does shipping take?",
    "where is my order?",
    "thanks!",
]
BAR_TURN_P95_MS = 50.0
BAR_FIRST_CHUNK_P95_MS = 100.0


async def session(client: httpx.AsyncClient) -> str:
    answer = await client.post("/v1/sessions")
    answer.raise_for_status()
    return str(answer.json()["session_token"])


async def pause(think: float) -> None:
    if think:
        await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))


async def http_shopper(
    base: str, until: float, samples: list[tuple[str, float, float]], think: float
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        token = await session(client)
        await pause(think)  # shoppers arrive one by one, not all in the same millisecond
        conversation: str | None = None
        while time.monotonic() < until:
            for text in DIALOGUE:
                pending = [text]
                while pending and time.monotonic() < until:
                    body: dict[str, Any] = {"text": pending.pop()}
                    if conversation:
                        body["conversation_id"] = conversation
                    response, sample = await store_http.timed(
                        client,
                        "turn",
                        "POST",
                        "/v1/assistant/messages",
                        json=body,
                        headers={"x-session-token": token},
                    )
                    samples.append(sample)
                    await pause(think)
                    reply = response.json()
                    conversation = reply["conversation_id"]
                    if "Which" in reply["reply"] and reply["quick_replies"]:
                        pending.append(reply["quick_replies"][0])


async def floor(base: str, until: float, samples: list[tuple[str, float, float]]) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        while time.monotonic() < until:
            _, sample = await store_http.timed(client, "floor", "GET", "/health/live")
            samples.append(sample)
            await asyncio.sleep(0.05)


async def ws_shopper(
    base: str, until: float, firsts: list[float], wholes: list[float], think: float
) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        token = await session(client)
    url = base.replace("http://", "ws://") + f"/v1/assistant/ws?session_token={token}"
    await pause(think)
    async with websockets.connect(url) as ws:
        while time.monotonic() < until:
            for text in DIALOGUE:
                pending = [text]
                while pending and time.monotonic() < until:
                    started = time.perf_counter()
                    await ws.send(json.dumps({"type": "message", "text": pending.pop()}))
                    first = None
                    while True:
                        frame = json.loads(await ws.recv())
                        if frame["type"] == "chunk" and first is None:
                            first = (time.perf_counter() - started) * 1000
                        if frame["type"] in {"done", "error"}:
                            break
                    wholes.append((time.perf_counter() - started) * 1000)
                    if first is not None:
                        firsts.append(first)
                    await pause(think)
                    if (
                        frame["type"] == "done"
                        and "Which" in frame["reply"]
                        and frame["quick_replies"]
                    ):
                        pending.append(frame["quick_replies"][0])


async def load(base: str, conversations: int, seconds: float, think: float) -> dict[str, Any]:
    until = time.monotonic() + seconds
    samples: list[tuple[str, float, float]] = []
    await asyncio.gather(
        *(http_shopper(base, until, samples, think) for _ in range(conversations)),
        floor(base, until, samples),
    )
    until = time.monotonic() + seconds
    firsts: list[float] = []
    wholes: list[float] = []
    await asyncio.gather(
        *(ws_shopper(base, until, firsts, wholes, think) for _ in range(conversations))
    )
    return {
        "turn": store_http.stats(samples, "turn"),
        "floor": store_http.stats(samples, "floor"),
        "ws_first_chunk": {
            "count": len(firsts),
            "p50_ms": round(benchlib.percentile(firsts, 50), 2),
            "p95_ms": round(benchlib.percentile(firsts, 95), 2),
            "p99_ms": round(benchlib.percentile(firsts, 99), 2),
        },
        "ws_whole_reply": {
            "count": len(wholes),
            "p50_ms": round(benchlib.percentile(wholes, 50), 2),
            "p95_ms": round(benchlib.percentile(wholes, 95), 2),
        },
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    root = (
        Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="mercato-assistant-"))
    )
    workdir = root / f"embedded-{args.products}"
    workdir.mkdir(parents=True, exist_ok=True)
    env = store_http.seed("embedded", args.products, workdir, stacks.Services())
    embed_all(env, workdir)
    port = free_port()
    server = store_http.start_server(env, port, workers=1)
    try:
        base = f"http://127.0.0.1:{port}"
        asyncio.run(load(base, 2, 3, 0))  # warm: the model, the gazetteer, the FAQ's vectors
        paced = asyncio.run(load(base, args.conversations, args.seconds, args.think))
        flat_out = asyncio.run(load(base, args.conversations, args.seconds, 0))
        return {**paced, "saturated": flat_out}
    finally:
        store_http.stop_server(server)
        if not args.workdir:
            shutil.rmtree(root, ignore_errors=True)


def report(data: dict[str, Any], bars: list[Bar]) -> str:
    r = data["result"]
    sat = r["saturated"]
    lines = benchlib.report_header("Assistant: turn latency without an LLM", data)
    lines += ["## Bars", "", *benchlib.bars_markdown(bars), ""]
    lines += [
        "## Figures",
        "",
        f"{data['conversations']} guests at once for {data['seconds_per_phase']} s a phase, each "
        f"going through a {len(DIALOGUE)}-message shopping dialogue in a loop on the demo store "
        f"({data['products']} products), one `mercato serve` process (embedded: SQLite).",
        "",
        "| measure | count | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|",
        f"| HTTP turn, server-side | {r['turn']['requests']} | {r['turn']['server_p50_ms']} "
        f"| {r['turn']['server_p95_ms']} | {r['turn']['server_p99_ms']} |",
        f"| HTTP turn, client-side | {r['turn']['requests']} | {r['turn']['client_p50_ms']} "
        f"| {r['turn']['client_p95_ms']} | |",
        f"| floor: GET /health/live, server-side | {r['floor']['requests']} "
        f"| {r['floor']['server_p50_ms']} | {r['floor']['server_p95_ms']} "
        f"| {r['floor']['server_p99_ms']} |",
        f"| WebSocket: first chunk | {r['ws_first_chunk']['count']} "
        f"| {r['ws_first_chunk']['p50_ms']} | {r['ws_first_chunk']['p95_ms']} "
        f"| {r['ws_first_chunk']['p99_ms']} |",
        f"| WebSocket: whole reply | {r['ws_whole_reply']['count']} "
        f"| {r['ws_whole_reply']['p50_ms']} | {r['ws_whole_reply']['p95_ms']} | |",
        "",
        f"Each shopper sends its next message {data['think_seconds']} s (0.5-1.5 ×) after a reply: "  # noqa: RUF001
        f"{r['turn']['requests'] / data['seconds_per_phase']:.0f} turns a second over HTTP.",
        "",
        "With no pause at all (the process saturated: its capacity, and the queueing it causes):",
        "",
        "| measure | count | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|",
        f"| HTTP turn, server-side | {sat['turn']['requests']} | {sat['turn']['server_p50_ms']} "
        f"| {sat['turn']['server_p95_ms']} | {sat['turn']['server_p99_ms']} |",
        f"| WebSocket: first chunk | {sat['ws_first_chunk']['count']} "
        f"| {sat['ws_first_chunk']['p50_ms']} | {sat['ws_first_chunk']['p95_ms']} "
        f"| {sat['ws_first_chunk']['p99_ms']} |",
        "",
        f"Capacity: {sat['turn']['requests'] / data['seconds_per_phase']:.0f} turns a second "
        "over HTTP on one process.",
        "",
        "## Noise",
        "",
        benchlib.noise_line(data["machine"]),
    ]
    return "\n".join(lines)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--products", type=int, default=1200)
    p.add_argument("--conversations", type=int, default=20)
    p.add_argument("--seconds", type=float, default=30.0)
    p.add_argument(
        "--think", type=float, default=1.0, help="seconds between a reply and the next message"
    )
    p.add_argument("--workdir", help="keep the seeded store here for later runs")
    p.add_argument("--record", action="store_true", help="write bench/results/assistant_latency.*")
    args = p.parse_args()
    conditions = benchlib.Conditions()
    result = run(args)
    data = {
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": conditions.finish(),
        "products": args.products,
        "conversations": args.conversations,
        "seconds_per_phase": args.seconds,
        "think_seconds": args.think,
        "result": result,
    }
    bars = [
        Bar(
            "turn p95 (server), 20 conversations",
            f"< {BAR_TURN_P95_MS:.0f} ms",
            f"{result['turn']['server_p95_ms']} ms",
            result["turn"]["server_p95_ms"] < BAR_TURN_P95_MS,
        ),
        Bar(
            "WebSocket first chunk p95",
            f"< {BAR_FIRST_CHUNK_P95_MS:.0f} ms",
            f"{result['ws_first_chunk']['p95_ms']} ms",
            result["ws_first_chunk"]["p95_ms"] < BAR_FIRST_CHUNK_P95_MS,
        ),
    ]
    data["bars"] = [b.as_dict() for b in bars]
    markdown = report(data, bars)
    print(markdown)
    if args.record:
        benchlib.write_results("assistant_latency", data, markdown)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
