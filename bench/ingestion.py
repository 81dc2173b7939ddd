"""Ingestion throughput and matching quality (issue 19, "What to measure").

1. **Shopify**: a local Shopify Admin API (tests/fakes/shopify_api.py, real HTTP on
   127.0.0.1) with `--products` products x 3 variants, `--orders` orders and their stock,
   ingested by one run of a Shopify source (250 a page, no rate limit in the way): raw
   payloads fetched per second and clean records stored per second, end to end (HTTP,
   checksums, cleaning, SQLite writes, lineage).
2. **CSV**: a file of `--rows` competitor offers (10 % invalid) ingested by a file source.
3. **Matching**: a generated catalogue pair with known answers. `--catalogue` store products
   (brand, kind, material, colour, size); the competitor lists a perturbed copy of 80 % of
   them (words reordered, dropped, abbreviated, misspelt; a GTIN on 40 % of them, written as
   UPC-A or EAN-13; an MPN on 20 %) and as many distractors (the same kind and brand in
   another size or colour, or another brand). Precision and recall of the proposals
   (confidence ≥ 0.5) and of the matches accepted without review (≥ the threshold), with
   MiniLM and with words alone.

    .venv/bin/python bench/ingestion.py [--products 2000] [--orders 2000] [--rows 20000]
        [--catalogue 1000] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mercato.agents.intelligence.ingest.clean.identifiers import check_digit
from mercato.agents.intelligence.ingest.clean.matching import (
    PROPOSE_FROM,
    Item,
    best_match,
    embedding_similarity,
)

RESULTS = Path(__file__).parent / "results" / "ingestion.md"
BRANDS = ["Bosch", "Philips", "Threadline", "Nordkap", "Vela", "Kestrel", "Aster", "Moreau"]
KINDS = [
    "kettle",
    "toaster",
    "t-shirt",
    "hoodie",
    "backpack",
    "desk lamp",
    "water bottle",
    "running shoe",
    "blender",
    "frying pan",
]
MATERIALS = [
    "stainless steel",
    "organic cotton",
    "recycled polyester",
    "bamboo",
    "cast iron",
    "aluminium",
    "glass",
    "leather",
]
COLOURS = ["black", "white", "navy", "red", "olive", "grey", "sand", "teal"]
SIZES = ["S", "M", "L", "XL", "1 l", "1.7 l", "500 ml", "28 cm"]
ABBREVIATIONS = {
    "stainless steel": "SS",
    "organic cotton": "org. cotton",
    "aluminium": "alu",
    "recycled polyester": "rPET",
    "t-shirt": "tee",
    "water bottle": "bottle",
}


def gtin13(rng: random.Random) -> str:
    body = "".join(str(rng.randint(0, 9)) for _ in range(12))
    return body + str(check_digit(body))


def upca(rng: random.Random) -> str:
    body = "0" + "".join(str(rng.randint(0, 9)) for _ in range(11))
    return body + str(check_digit(body))


def perturb(title: str, rng: random.Random) -> str:
    for long, short in ABBREVIATIONS.items():
        if long in title and rng.random() < 0.5:
            title = title.replace(long, short)
    words = title.split()
    if len(words) > 3 and rng.random() < 0.5:
        words.pop(rng.randrange(1, len(words)))
    if rng.random() < 0.5:
        rng.shuffle(words)
    if rng.random() < 0.3:
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 4:
            j = rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def catalogue_pair(n: int, seed: int = 7) -> tuple[list[Item], list[tuple[Item, str | None]]]:
    rng = random.Random(seed)
    store: list[Item] = []
    for i in range(n):
        brand, kind = rng.choice(BRANDS), rng.choice(KINDS)
        material, colour, size = rng.choice(MATERIALS), rng.choice(COLOURS), rng.choice(SIZES)
        code = upca(rng) if rng.random() < 0.5 else gtin13(rng)
        store.append(
            Item(
                f"p{i}",
                f"{brand} {material} {kind} {colour} {size}",
                gtin=code,
                mpn=f"{brand[:2].upper()}-{i:05d}",
                brand=brand,
            )
        )
    theirs: list[tuple[Item, str | None]] = []
    for i, mine in enumerate(store):
        if rng.random() < 0.8:
            gtin = None
            if rng.random() < 0.4 and mine.gtin:
                gtin = mine.gtin.lstrip("0") if len(mine.gtin) == 13 else "0" + mine.gtin
                gtin = gtin if len(gtin) in (12, 13) else mine.gtin
            mpn = mine.mpn.lower().replace("-", " ") if mine.mpn and rng.random() < 0.2 else None
            brand = mine.brand if rng.random() < 0.7 else None
            theirs.append(
                (Item(f"c{i}", perturb(mine.title, rng), gtin=gtin, mpn=mpn, brand=brand), mine.id)
            )
        words = mine.title.split()
        if rng.random() < 0.5:  # the same product line, another colour or size
            swapped = [rng.choice(COLOURS) if w in COLOURS else w for w in words]
            swapped[-1] = rng.choice([s for s in SIZES if s.split()[-1] != words[-1]])
            distractor = " ".join(swapped)
        else:  # another brand's
            distractor = " ".join([rng.choice([b for b in BRANDS if b != words[0]]), *words[1:]])
        if distractor != mine.title:
            theirs.append((Item(f"d{i}", perturb(distractor, rng)), None))
    return store, theirs


def quality(n: int, threshold: float, embeddings: bool) -> dict[str, Any]:
    store, theirs = catalogue_pair(n)
    started = time.perf_counter()
    similarity = embedding_similarity(store) if embeddings else None
    if embeddings and similarity is None:
        return {"unavailable": True}
    found = [(best_match(item, store, similarity=similarity), truth) for item, truth in theirs]
    seconds = time.perf_counter() - started
    positives = sum(1 for _, truth in theirs if truth is not None)
    out: dict[str, Any] = {
        "items": len(theirs),
        "positives": positives,
        "seconds": round(seconds, 1),
    }
    for label, floor in (("proposed", PROPOSE_FROM), ("accepted", threshold)):
        chosen = [(f, t) for f, t in found if f is not None and f.confidence >= floor]
        right = sum(1 for f, t in chosen if f.product_id == t)
        out[label] = {
            "count": len(chosen),
            "precision": round(right / len(chosen), 3) if chosen else None,
            "recall": round(right / positives, 3) if positives else None,
        }
    return out


async def shopify_throughput(products: int, orders: int, workdir: Path) -> dict[str, Any]:
    from pydantic import SecretStr
    from tests.fakes.shopify_api import TOKEN, FakeShopify, make_shop

    from mercato.agents.intelligence.ingest import runner, sources
    from mercato.kernel import migrate
    from mercato.kernel.bootstrap import Kernel
    from mercato.kernel.config import Settings
    from mercato.kernel.context import bind

    settings = Settings(
        data_dir=workdir / "shopify",
        log_level="WARNING",
        admin_api_key="b" * 40,
        intel_credentials={"shop": SecretStr(TOKEN)},
        intel_allow_private_hosts=True,  # the Shopify fake answers on 127.0.0.1
    )
    await asyncio.to_thread(migrate.upgrade, settings)
    kernel = Kernel.build(settings)
    await kernel.prepare()
    fake = FakeShopify(make_shop(products=products, variants=3, orders=orders))
    try:
        with fake.running(), bind(tenant_id="default"):
            async with kernel.uow() as uow:
                source = await sources.create_source(
                    uow,
                    kind="shopify",
                    name="bench",
                    settings={"shop_url": fake.url, "currency": "USD"},
                    credential="shop",
                    interval_seconds=None,
                    rate_per_second=1000.0,
                    enabled=True,
                    now=datetime.now(UTC),
                )
                await uow.commit()
            started = time.perf_counter()
            run = await runner.run_source(kernel, source_id=source.id)
            seconds = time.perf_counter() - started
    finally:
        await kernel.stop()
    return _rates(run, seconds, requests=len(fake.requests))


async def csv_throughput(rows: int, workdir: Path) -> dict[str, Any]:
    from mercato.agents.intelligence.ingest import runner, sources
    from mercato.kernel import migrate
    from mercato.kernel.bootstrap import Kernel
    from mercato.kernel.config import Settings
    from mercato.kernel.context import bind

    settings = Settings(data_dir=workdir / "csv", log_level="WARNING", admin_api_key="b" * 40)
    await asyncio.to_thread(migrate.upgrade, settings)
    (settings.data_dir / "imports").mkdir(parents=True, exist_ok=True)
    rng = random.Random(3)
    with (settings.data_dir / "imports" / "offers.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "competitor",
                "url",
                "title",
                "price",
                "currency",
                "availability",
                "observed_at",
                "sku",
            ]
        )
        for i in range(rows):
            price = f"{rng.uniform(1, 500):.2f}" if rng.random() > 0.1 else "n/a"
            writer.writerow(
                [
                    "Rival",
                    f"https://rival.test/p/{i}",
                    f"Product {i}",
                    price,
                    "EUR",
                    "in_stock",
                    "2026-12-01T10:00:00+00:00",
                    f"rv-{i}",
                ]
            )
    kernel = Kernel.build(settings)
    await kernel.prepare()
    try:
        with bind(tenant_id="default"):
            async with kernel.uow() as uow:
                source = await sources.create_source(
                    uow,
                    kind="file",
                    name="bench",
                    settings={"path": "offers.csv", "kind": "offer"},
                    credential=None,
                    interval_seconds=None,
                    rate_per_second=1.0,
                    enabled=True,
                    now=datetime.now(UTC),
                )
                await uow.commit()
            started = time.perf_counter()
            run = await runner.run_source(kernel, source_id=source.id)
            seconds = time.perf_counter() - started
    finally:
        await kernel.stop()
    return _rates(run, seconds)


def _rates(run: Any, seconds: float, **more: Any) -> dict[str, Any]:
    return {
        "status": run.status,
        "fetched": run.fetched,
        "stored": run.stored,
        "rejected": run.rejected,
        "seconds": round(seconds, 2),
        "fetched_per_s": round(run.fetched / seconds),
        "stored_per_s": round(run.stored / seconds),
        **more,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--catalogue", type=int, default=1000)
    parser.add_argument("--threshold", type=float, default=0.85)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="mercato-bench-ingest-"))
    results = {
        "shopify": asyncio.run(shopify_throughput(args.products, args.orders, workdir)),
        "csv": asyncio.run(csv_throughput(args.rows, workdir)),
        "matching (MiniLM + words)": quality(args.catalogue, args.threshold, embeddings=True),
        "matching (words only)": quality(args.catalogue, args.threshold, embeddings=False),
    }
    for name, result in results.items():
        print(f"{name}: {result}")
    if args.record:
        record(args, results)


def record(args: argparse.Namespace, results: dict[str, Any]) -> None:
    command = "  .venv/bin/python bench/ingestion.py " + " ".join(sys.argv[1:])
    lines = [
        "# Ingestion throughput and matching quality",
        "",
        f"Recorded {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node()} "
        f"({platform.machine()}, {platform.processor() or 'cpu'}, Python "
        f"{platform.python_version()}); embedded mode (SQLite), one process.",
        "",
        "```",
        command,
        "```",
        "",
        "| ingestion | fetched | stored | rejected | seconds | fetched/s | stored/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in ("shopify", "csv"):
        r = results[name]
        lines.append(
            f"| {name} | {r['fetched']} | {r['stored']} | {r['rejected']} | "
            f"{r['seconds']} | {r['fetched_per_s']} | {r['stored_per_s']} |"
        )
    lines += [
        "",
        "| matching | items (true matches) | proposed: n, precision, recall | "
        "accepted: n, precision, recall | seconds |",
        "|---|---|---|---|---|",
    ]
    for name in ("matching (MiniLM + words)", "matching (words only)"):
        r = results[name]
        if r.get("unavailable"):
            lines.append(f"| {name} | model unavailable | | | |")
            continue
        p, a = r["proposed"], r["accepted"]
        lines.append(
            f"| {name} | {r['items']} ({r['positives']}) | {p['count']}, {p['precision']}, "
            f"{p['recall']} | {a['count']}, {a['precision']}, {a['recall']} | "
            f"{r['seconds']} |"
        )
    lines += [
        "",
        f"Shopify: {args.products} products x 3 variants, {args.orders} orders, stock "
        "per variant at one location; CSV: offers, 10 % with a price that is not one. "
        f"Matching threshold {args.threshold} (accepted without review).",
        "",
    ]
    RESULTS.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
