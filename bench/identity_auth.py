"""Identity benchmarks: access-token verifications per second on one core, and login latency
with the production Argon2id parameters (t=3, 64 MiB, p=4).

    .venv/bin/python bench/identity_auth.py [--seconds 5] [--logins 60] [--requests 2000]
                                            [--record]

Bar (issue "Identity, access and tenancy"): at least 5,000 token verifications per second on
one core. Login latency is reported, not barred: it is what Argon2id costs by design.

Also (issue "Hardening"): what authorizing on the account as it is now (ADR 15) costs per
request: `GET /v1/me` with the account cache (the default 5 s) and with no cache (every
request reads the account), beside an unauthenticated `GET /health/live` measured in the
same run as the floor.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchlib import (
    Bar,
    bars_markdown,
    code_revision,
    command_line,
    machine,
    now_iso,
    percentile,
    report_header,
    write_results,
)
from mercato.agents import identity
from mercato.agents.identity.tokens import Keyring, TokenService
from mercato.app import create_app
from mercato.kernel import migrate
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings

TOKEN_BAR = 5_000


def verifications_per_second(seconds: float) -> dict[str, Any]:
    """Verify distinct real tokens in a loop on one pinned core."""
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    with tempfile.TemporaryDirectory() as directory:
        service = TokenService(Keyring.from_directory(Path(directory)), issuer="mercato", ttl=900)
        now = datetime.now(UTC)
        tokens = [
            service.issue(
                subject=f"user-{i}",
                tenant_id="default",
                roles=["customer"],
                merchant_id=None,
                session_id=None,
                version=0,
                now=now,
            )
            for i in range(1000)
        ]
        done, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            for token in tokens:
                service.verify(token)
            done += len(tokens)
        elapsed = time.perf_counter() - started
    return {
        "verifications": done,
        "seconds": round(elapsed, 2),
        "per_second": round(done / elapsed),
    }


async def login_latencies(logins: int, concurrency: int) -> dict[str, Any]:
    """Logins through the HTTP app (in process) against SQLite, production Argon2id."""
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(
            data_dir=Path(directory), rate_limit_auth="1000000/minute", log_level="WARNING"
        )
        await asyncio.to_thread(migrate.upgrade, settings)
        kernel = Kernel.build(settings, agents=[identity.agent])
        await kernel.prepare()
        app = create_app(kernel=kernel)
        transport = httpx.ASGITransport(app=app)
        body = {
            "email": "bench@example.com",
            "password": "Tangerine-Piano-Lighthouse",
            "full_name": "Bench",
        }
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            assert (await client.post("/v1/auth/register", json=body)).status_code == 201
            credentials = {"email": body["email"], "password": body["password"]}
            latencies: list[float] = []
            gate = asyncio.Semaphore(concurrency)

            async def one() -> None:
                async with gate:
                    started = time.perf_counter()
                    answer = await client.post("/v1/auth/login", json=credentials)
                    latencies.append(time.perf_counter() - started)
                    assert answer.status_code == 200, answer.text

            started = time.perf_counter()
            await asyncio.gather(*(one() for _ in range(logins)))
            elapsed = time.perf_counter() - started
        await kernel.stop()
    ms = [x * 1000 for x in latencies]
    return {
        "logins": logins,
        "concurrency": concurrency,
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "logins_per_second": round(logins / elapsed, 1),
    }


async def request_costs(requests: int, cache_seconds: float) -> dict[str, Any]:
    """Sequential requests through the HTTP app in process (SQLite): the floor (an open
    route), and an account's own route with its token, whose account check is cached for
    `cache_seconds` (0: read on every request)."""
    with tempfile.TemporaryDirectory() as directory:
        settings = Settings(
            data_dir=Path(directory),
            rate_limit_auth="1000000/minute",
            rate_limit_api="1000000/minute",
            log_level="WARNING",
            password_hash_time_cost=1,
            password_hash_memory_kib=1024,
            password_hash_parallelism=1,
            auth_cache_seconds=cache_seconds,
        )
        await asyncio.to_thread(migrate.upgrade, settings)
        kernel = Kernel.build(settings, agents=[identity.agent])
        await kernel.prepare()
        transport = httpx.ASGITransport(app=create_app(kernel=kernel))
        body = {"email": "me@example.com", "password": "Tangerine-Piano-Lighthouse"}
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            await client.post("/v1/auth/register", json={**body, "full_name": "Bench"})
            token = (await client.post("/v1/auth/login", json=body)).json()["access_token"]
            signed = {"authorization": f"Bearer {token}"}
            timings: dict[str, list[float]] = {"floor": [], "me": []}
            for _ in range(requests):
                for name, path, headers in (
                    ("floor", "/health/live", {}),
                    ("me", "/v1/me", signed),
                ):
                    started = time.perf_counter()
                    answer = await client.get(path, headers=headers)
                    timings[name].append((time.perf_counter() - started) * 1000)
                    assert answer.status_code == 200, answer.text
        await kernel.stop()
    floor, me = (percentile(timings[k], 50) for k in ("floor", "me"))
    return {
        "requests": requests,
        "cache_seconds": cache_seconds,
        "floor_p50_ms": round(floor, 3),
        "me_p50_ms": round(me, 3),
        "me_p95_ms": round(percentile(timings["me"], 95), 3),
        "ratio_to_floor": round(me / floor, 2),
    }


def _cache_label(seconds: float) -> str:
    return f"cached {seconds:g} s" if seconds else "read every time"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--logins", type=int, default=60)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    info = machine()
    cached = asyncio.run(request_costs(args.requests, 5.0))
    uncached = asyncio.run(request_costs(args.requests, 0.0))
    sequential = asyncio.run(login_latencies(args.logins, 1))
    concurrent = asyncio.run(login_latencies(args.logins, 4))
    tokens = verifications_per_second(args.seconds)  # pins this process to one core: last
    bars = [
        Bar(
            "token verifications per second, one core",
            f">= {TOKEN_BAR:,}",
            f"{tokens['per_second']:,}",
            tokens["per_second"] >= TOKEN_BAR,
        )
    ]
    rows = [
        "| measurement | figure |",
        "|---|---|",
        f"| token verifications / s (one core) | {tokens['per_second']:,} |",
        *(
            f"| login, {r['concurrency']} at a time: p50 / p95 / p99 | {r['p50_ms']} / "
            f"{r['p95_ms']} / {r['p99_ms']} ms ({r['logins_per_second']} logins/s) |"
            for r in (sequential, concurrent)
        ),
        *(
            f"| `GET /v1/me` with a token, account check {_cache_label(r['cache_seconds'])}"
            f": p50 / p95 | {r['me_p50_ms']} / {r['me_p95_ms']} ms ({r['ratio_to_floor']}x the "
            f"floor, `GET /health/live` at {r['floor_p50_ms']} ms) |"
            for r in (cached, uncached)
        ),
    ]
    print("\n".join(rows))
    if args.record:
        data = {
            "date": now_iso(),
            "code": code_revision(),
            "command": command_line(),
            "machine": info,
            "argon2": {"time_cost": 3, "memory_kib": 65536, "parallelism": 4},
            "tokens": tokens,
            "login_sequential": sequential,
            "login_concurrent": concurrent,
            "requests_cached": cached,
            "requests_uncached": uncached,
            "bars": [b.as_dict() for b in bars],
        }
        markdown = "\n".join(
            [
                *report_header("Identity: token verification and login latency", data),
                "## Figures",
                "Logins go through the HTTP app in process (SQLite, embedded mode) with the "
                "production Argon2id parameters (t=3, m=64 MiB, p=4); tokens are Ed25519 JWTs "
                "verified by `TokenService.verify` on one pinned core. Authenticated requests "
                "run one at a time through the same in-process app; every access token is "
                "checked against the account's current state (ADR 15).",
                "",
                *rows,
                "",
                "## Bars",
                *bars_markdown(bars),
            ]
        )
        paths = write_results("identity_auth", data, markdown)
        print(f"recorded {paths[0]} and {paths[1]}")


if __name__ == "__main__":
    main()
