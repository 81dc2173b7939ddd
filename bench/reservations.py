"""Stock reservations per second on PostgreSQL (and on SQLite for comparison).

A kernel with every agent runs in this process on a fresh database holding the demo store
(`--products` products, their variants stocked in two locations). `--workers` concurrent
tasks then reserve stock, each reservation its own transaction through the inventory
service (`inventory.reserve`: one conditional UPDATE per draw, a ledger row, a
`stock.reserved` event in the outbox), for `--seconds`:

- **spread**: each reservation takes 1 unit of a random variant among the stocked ones;
- **hot SKU**: every reservation takes 1 unit of the same variant (one stock row that every
  transaction must update: the worst case of lock contention).

The relay and the handlers (the catalog's availability read model) run as they would in a
server, so they compete for the database as in production.

Usage:
    python bench/reservations.py [--stack scaled|embedded|all] [--workers 16] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select

import benchlib
import stacks
from mercato.agents.catalog import service as catalog
from mercato.agents.inventory import service as inventory
from mercato.agents.inventory.errors import InsufficientStock
from mercato.agents.inventory.reservations import reserve
from mercato.demo import seed_demo
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.context import bind


async def stocked_variants(kernel: Kernel, tenant: str) -> list[str]:
    from mercato.agents.catalog.models import Variant

    with bind(tenant_id=tenant):
        async with kernel.uow(writes=False) as uow:
            ids = list(await uow.session.scalars(select(Variant.id).limit(5000)))
            stock = await inventory.available(uow, ids)
            sellable = await catalog.sellable_variants(uow, ids)
    return [v for v in ids if stock.get(v, 0) >= 1 and sellable[v].sellable]


async def hammer(
    kernel: Kernel, tenant: str, pick: Any, workers: int, seconds: float
) -> dict[str, Any]:
    done, short, latencies = 0, 0, []
    deadline = time.perf_counter() + seconds

    async def worker(n: int) -> None:
        nonlocal done, short
        rng = random.Random(n)
        with bind(tenant_id=tenant):
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                try:
                    async with kernel.uow() as uow:
                        await reserve(
                            uow,
                            reference=f"bench-{uuid.uuid4().hex}",
                            lines=[(pick(rng), 1)],
                            now=kernel.clock.now(),
                        )
                        await uow.commit()
                    done += 1
                except InsufficientStock:
                    short += 1
                latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(workers)))
    wall = time.perf_counter() - started
    return {
        "reservations": done,
        "refused_insufficient": short,
        "seconds": round(wall, 2),
        "reservations_per_second": round(done / wall, 1),
        "p50_ms": round(benchlib.percentile(latencies, 50), 2),
        "p95_ms": round(benchlib.percentile(latencies, 95), 2),
        "p99_ms": round(benchlib.percentile(latencies, 99), 2),
    }


async def run_stack(
    args: argparse.Namespace, stack: str, services: stacks.Services
) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="mercato-bench-reserve-"))
    settings: Settings = stacks.build_settings(stack, workdir, services)
    settings = settings.model_copy(update={"broker_url": None, "auto_migrate": True})
    if not settings.is_sqlite:
        name = settings.resolved_database_url.rsplit("/", 1)[1]
        stacks._admin_sql(services, f'CREATE DATABASE "{name}"')
        settings = settings.model_copy(update={"jwt_signing_keys": [_key()]})
    try:
        await seed_demo(settings, products=args.products, seed=7)
        kernel = Kernel.build(settings)
        await kernel.prepare()
        await kernel.start(sagas=False, jobs=False)
        try:
            tenant = settings.default_tenant
            variants = await stocked_variants(kernel, tenant)
            hot = variants[0]
            await _restock(kernel, tenant, hot)
            spread = await hammer(
                kernel, tenant, lambda rng: rng.choice(variants), args.workers, args.seconds
            )
            contended = await hammer(kernel, tenant, lambda _: hot, args.workers, args.seconds)
        finally:
            await kernel.stop()
    finally:
        if not settings.is_sqlite:
            stacks._drop_scratch(settings, services)
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "stack": stack,
        "workers": args.workers,
        "variants": len(variants),
        "spread": spread,
        "hot_sku": contended,
    }


def _key() -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from mercato.agents.identity.tokens import SigningKey

    return SigningKey.from_private(Ed25519PrivateKey.generate()).pem().decode()


async def _restock(kernel: Kernel, tenant: str, variant_id: str) -> None:
    """Enough units of the hot variant that it never runs out during the run."""
    with bind(tenant_id=tenant):
        async with kernel.uow() as uow:
            location = (await inventory.list_locations(uow))[0]
            await inventory.adjust(
                uow,
                variant_id=variant_id,
                location_id=location.id,
                delta=1_000_000,
                reason="received",
                now=kernel.clock.now(),
            )
            await uow.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", choices=[*stacks.STACKS, "all"], default="scaled")
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    services = stacks.Services()
    chosen = list(stacks.STACKS) if args.stack == "all" else [args.stack]
    conditions = benchlib.Conditions()
    conditions.info.update(stacks.server_versions(services, chosen))
    results = [asyncio.run(run_stack(args, stack, services)) for stack in chosen]
    info = conditions.finish()
    data = {
        "date": benchlib.now_iso(),
        "code": benchlib.code_revision(),
        "command": benchlib.command_line(),
        "machine": info,
        "results": results,
    }
    lines = benchlib.report_header("Stock reservations per second", data)
    lines += [
        "| stack | workload | workers | reservations/s | p50 | p95 | p99 | refused |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for workload in ("spread", "hot_sku"):
            w = r[workload]
            lines.append(
                f"| {r['stack']} | {workload} | {r['workers']} | {w['reservations_per_second']} | "
                f"{w['p50_ms']} ms | {w['p95_ms']} ms | {w['p99_ms']} ms | "
                f"{w['refused_insufficient']} |"
            )
    lines += ["", benchlib.noise_line(info)]
    report = "\n".join(lines)
    print(report)
    if args.record:
        benchlib.write_results("reservations", data, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
