"""GetDomainContext over gRPC: a real `mercato grpc` server process on a fresh data directory,
and one client calling it `--calls` times, one call at a time, over a kept channel.

Each call asks for a different (entity, workflow, scenario) of a fixed set, so the answer is
built each time (the catalog's text, its rules, relationships and edge cases). Measured: the
round trip as the client sees it, p50/p95/p99. The bar (issue "Domain knowledge and test
data"): p95 < 5 ms.

Usage:
    python bench/grpc_domain_context.py [--calls 2000] [--record]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any

import grpc

import benchlib
from mercato.agents.knowledge.proto import ecommerce_domain_pb2 as pb
from mercato.agents.knowledge.proto import ecommerce_domain_pb2_grpc as rpc

SUBJECTS = (
    ("payment", "checkout", "card_declined"),
    ("order", "checkout", ""),
    ("cart", "cart_abandonment", "abandoned"),
    ("product", "inventory_sync", ""),
    ("customer", "", "high_value"),
    ("order", "return_flow", "full_refund"),
    ("cart_item", "", ""),
    ("", "checkout", "multi_currency"),
)
BAR_P95_MS = 5.0
WARM_UP_CALLS = 50


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure(calls: int) -> dict[str, Any]:
    port = _free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {
            **os.environ,
            "MERCATO_DATA_DIR": data,
            "MERCATO_GRPC_PORT": str(port),
            "MERCATO_LOG_LEVEL": "WARNING",
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "mercato.cli", "grpc"], env=env, stderr=subprocess.DEVNULL
        )
        try:
            channel = grpc.insecure_channel(f"127.0.0.1:{port}")
            grpc.channel_ready_future(channel).result(timeout=60)
            stub = rpc.EcommerceDomainServiceStub(channel)
            sizes: list[int] = []
            for n in range(WARM_UP_CALLS):
                _call(stub, n)
            timings: list[float] = []
            for n in range(calls):
                t0 = time.perf_counter()
                answer = _call(stub, n)
                timings.append((time.perf_counter() - t0) * 1000)
                sizes.append(answer.ByteSize())
            channel.close()
        finally:
            server.terminate()
            server.wait(timeout=20)
    return {
        "calls": calls,
        "subjects": len(SUBJECTS),
        "mean_answer_bytes": round(sum(sizes) / len(sizes)),
        "p50_ms": round(benchlib.percentile(timings, 50), 2),
        "p95_ms": round(benchlib.percentile(timings, 95), 2),
        "p99_ms": round(benchlib.percentile(timings, 99), 2),
    }


def _call(stub: rpc.EcommerceDomainServiceStub, n: int) -> pb.DomainContextResponse:
    entity, workflow, scenario = SUBJECTS[n % len(SUBJECTS)]
    return stub.GetDomainContext(
        pb.DomainContextRequest(
            request_id=str(n), entity=entity, workflow=workflow, scenario=scenario
        ),
        timeout=10,
    )


def markdown(data: dict[str, Any]) -> str:
    r = data["result"]
    bar = benchlib.Bar(
        "GetDomainContext p95 over gRPC",
        f"< {BAR_P95_MS:g} ms",
        f"{r['p95_ms']} ms",
        r["p95_ms"] < BAR_P95_MS,
    )
    lines = [
        *benchlib.report_header("GetDomainContext over gRPC", data),
        "## Result",
        "",
        f"`mercato grpc` (embedded mode) and one client on the same machine; {r['calls']} "
        f"calls one at a time over {r['subjects']} entity/workflow/scenario subjects "
        f"(answers of {r['mean_answer_bytes']} bytes on average), after "
        f"{WARM_UP_CALLS} warm-up calls:",
        "",
        "| p50 | p95 | p99 |",
        "|---|---|---|",
        f"| {r['p50_ms']} ms | {r['p95_ms']} ms | {r['p99_ms']} ms |",
        "",
        "## Bars",
        "",
        *benchlib.bars_markdown([bar]),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    data: dict[str, Any] = {
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": benchlib.machine(),
        "result": measure(args.calls),
    }
    report = markdown(data)
    print(report)
    if args.record:
        benchlib.write_results("grpc_domain_context", data, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
