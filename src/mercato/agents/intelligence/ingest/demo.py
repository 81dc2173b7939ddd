"""The demo store's competitors: three fictional shops and a marketplace seller whose offers
for the demo's first products arrive the way a merchant's would, as export files in the
import directory read by one `file` source per competitor, run once per observation day
over the last eight weeks. Every price the pricing part then holds traces back through the
ingestion's lineage: raw payload -> clean record -> match -> price observation.

The offers are drawn from a seeded generator (`offers`): each shop prices around its own
level (-15 % .. +12 % of the store's price), some prices move by 6 % or more between two
observations (the pricing alerts), some carry a promotion or are out of stock, and a few
listings of the marketplace have no identifiers and titles that only look like the store's,
so their matches wait in the review queue. The offers identify the products by GTIN or by
brand and MPN, as real feeds do: the demo's products have neither, so each is given both (in
the catalog, through its service), but the last few (`AMBIGUOUS`), whose barcodes the store
has "not filled in yet": only their titles can match them.

Seeded once: a store whose last competitor source ran every observation day is left alone;
one that stopped half-way is completed (the same day, a payload fetched before is a
duplicate and an observation pricing has is not observed again).
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import func, select

from mercato.agents.catalog import service as catalog
from mercato.agents.intelligence.ingest import runner, sources
from mercato.agents.intelligence.ingest.clean.identifiers import check_digit
from mercato.agents.intelligence.ingest.models import Match, Run
from mercato.agents.intelligence.ingest.statuses import MatchStatus, RunStatus
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.db import UnitOfWork

PRODUCTS = 40
"""Products given competitors (the demo's first ones, by their SKUs `DEMO-00001-1`, ...)."""
DAYS_AGO = (56, 35, 14, 2)
"""The observation days, counted back from today: four observations over eight weeks."""
SEED = 2026
AMBIGUOUS = 5
"""Marketplace listings without identifiers whose titles only resemble a store product."""
FOLDER = "demo-competitors"
"""Where the competitors' export files are written, under the import directory."""
LOW, HIGH = -0.15, 0.12
"""The competitors' prices stay within these fractions of the store's price."""
OPERATOR = Principal(id="demo", tenant_id="*", kind="system", roles=frozenset({"admin"}))
Identifiers = Literal["gtin", "mpn", "both"]


@dataclass(frozen=True)
class Shop:
    """A fictional competitor and how its feed looks (`demo_assets/competitors.json`)."""

    name: str
    slug: str
    domain: str
    format: Literal["json", "csv"]
    level: float
    spread: float
    coverage: float
    identifiers: Identifiers
    hour: int
    marketplace: bool = False


ASSETS = json.loads(
    (Path(__file__).parent / "demo_assets" / "competitors.json").read_text(encoding="utf-8")
)
SHOPS = tuple(Shop(**shop) for shop in ASSETS["shops"])
PROMOTIONS: tuple[str, ...] = tuple(ASSETS["promotions"])
COLUMNS = ("competitor", "url", "title", "price", "currency", "availability", "promotion",
           "gtin", "mpn", "brand", "observed_at")  # fmt: skip


@dataclass(frozen=True)
class DemoProduct:
    """What a competitor's listing shows of one of the store's products."""

    id: str
    number: int
    """Its place among the demo's products (1 for `DEMO-00001-1`)."""
    name: str
    price: Decimal
    currency: str
    brand: str | None
    gtin: str | None
    """None for a product left without identifiers (only a title can match it)."""
    mpn: str | None


@dataclass
class Summary:
    created: bool
    products: int = 0
    sources: int = 0
    runs: int = 0
    offers: int = 0
    """Offer rows the competitors' files held, over all observation days."""
    stored: int = 0
    pending: int = 0
    """Matches waiting for a reviewer."""
    failed: list[str] = field(default_factory=list)
    """`source: error` of each run that failed."""


def demo_skus(count: int = PRODUCTS) -> list[str]:
    """The first variant's SKU of the demo's first products (`mercato.demo_data`'s scheme)."""
    return [f"DEMO-{n:05d}-1" for n in range(1, count + 1)]


def demo_gtin(number: int) -> str:
    """An EAN-13 in GS1's restricted-circulation range (20...), so no real product has it."""
    body = f"20{number:010d}"
    return f"{body}{check_digit(body)}"


def demo_mpn(number: int, brand: str | None) -> str:
    return f"{(brand or 'MC')[:3].upper()}-{number:04d}-{(number * 37) % 100:02d}"


def _money(value: Decimal) -> Decimal:
    """A shelf price: to the ten cents, ending in 9 (23.47 -> 23.49)."""
    tenths = (value * 10).to_integral_value(rounding=ROUND_HALF_UP) / 10
    return max(tenths - Decimal("0.01"), Decimal("0.49"))


def _path(rng: random.Random, shop: Shop, days: int) -> list[float]:
    """The shop's price relative to the store's on each observation day: mostly still, a
    small move now and then, and sometimes a move of 6 % or more (an alert)."""
    level = min(HIGH, max(LOW, rng.gauss(shop.level, shop.spread)))
    path = [level]
    for _ in range(days - 1):
        draw = rng.random()
        step = 0.0
        if draw < 0.1:
            step = rng.choice((-1, 1)) * rng.uniform(0.06, 0.1)
        elif draw < 0.3:
            step = rng.choice((-1, 1)) * rng.uniform(0.01, 0.03)
        if not LOW <= level + step <= HIGH:
            step = -step
        level = min(HIGH, max(LOW, level + step))
        path.append(level)
    return path


def _title(shop: Shop, product: DemoProduct) -> str:
    brand = product.brand or ""
    if shop.slug == "trailbase":
        return f"{product.name} by {brand}".strip().removesuffix(" by")
    return f"{brand} {product.name}".strip()


def _vague_title(product: DemoProduct) -> str:
    """The product's name without its line number ("Alpine Matte Over-Ear Headphones"): the
    title alone cannot say which of the store's lines it is."""
    return product.name.split(" No. ")[0]


def offers(
    products: Sequence[DemoProduct], *, today: datetime, seed: int = SEED
) -> dict[str, list[list[dict[str, Any]]]]:
    """Each shop's offer rows (by the shop's slug), per observation day, oldest first. A
    product without identifiers is listed by the marketplace only, on the last day only, under
    a title that cannot tell the store's lines apart."""
    made: dict[str, list[list[dict[str, Any]]]] = {s.slug: [[] for _ in DAYS_AGO] for s in SHOPS}
    for shop in SHOPS:
        for product in products:
            rng = random.Random(f"{seed}:{shop.slug}:{product.number}")
            vague = product.gtin is None
            if (vague and not shop.marketplace) or (not vague and rng.random() >= shop.coverage):
                continue
            path = _path(rng, shop, len(DAYS_AGO))
            for k, (ago, relative) in enumerate(zip(DAYS_AGO, path, strict=True)):
                if vague and k < len(DAYS_AGO) - 1:
                    continue  # a new seller, listed since the last observation only
                seen = datetime.combine((today - timedelta(days=ago)).date(), time(shop.hour))
                made[shop.slug][k].append(
                    _row(shop, product, relative, seen.replace(tzinfo=today.tzinfo), rng)
                )
    return made


def _row(
    shop: Shop, product: DemoProduct, relative: float, seen: datetime, rng: random.Random
) -> dict[str, Any]:
    draw = rng.random()
    availability = "out_of_stock" if draw < 0.06 else "limited" if draw < 0.1 else "in_stock"
    return {
        "competitor": shop.name,
        "url": f"https://{shop.domain}/p/{product.number}-{_slug(product.name)}",
        "title": _title(shop, product) if product.gtin else _vague_title(product),
        "price": _money(product.price * Decimal(str(1 + relative))),
        "currency": product.currency,
        "availability": availability,
        "promotion": rng.choice(PROMOTIONS) if rng.random() < 0.12 else None,
        **_identifiers(shop, product),
        "observed_at": seen.isoformat(),
    }


def _identifiers(shop: Shop, product: DemoProduct) -> dict[str, str | None]:
    """What the shop's feed shows to identify the product: its GTIN, or its brand and MPN,
    or both (an MPN means nothing without its brand: such a shop then shows the GTIN)."""
    by_mpn = shop.identifiers in ("mpn", "both") and product.brand is not None
    by_gtin = shop.identifiers in ("gtin", "both") or not by_mpn
    return {
        "gtin": product.gtin if by_gtin else None,
        "mpn": product.mpn if by_mpn else None,
        "brand": product.brand,
    }


def _slug(name: str) -> str:
    return "-".join("".join(c for c in w if c.isalnum()) for w in name.lower().split()).strip("-")


def export(rows: Sequence[dict[str, Any]], fmt: Literal["json", "csv"]) -> str:
    """The rows as the shop's export file: JSON (prices as text, as many feeds write them),
    or CSV with empty cells."""
    if fmt == "json":
        items = [
            {k: str(v) if isinstance(v, Decimal) else v for k, v in row.items() if v is not None}
            for row in rows
        ]
        return json.dumps({"items": items}, indent=1, ensure_ascii=False)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else str(v) for k, v in row.items()} for row in rows)
    return out.getvalue()


async def seed_competitors(
    kernel: Kernel, *, skus: Sequence[str] | None = None, seed: int = SEED
) -> Summary:
    """Seed the demo store's competitors' offers through the ingestion (idempotent): one
    `file` source per shop, run once per observation day. `skus`: the products' first
    variants' SKUs (default: the demo's first `PRODUCTS`)."""
    async with kernel.uow(writes=False) as uow:
        last = await sources.source_by_name(uow, SHOPS[-1].name)
        if last is not None and await _runs_done(uow, last.id) >= len(DAYS_AGO):
            return Summary(created=False)
    products = await _products(kernel, list(skus or demo_skus()))
    if not products:
        return Summary(created=False)
    now = kernel.clock.now()
    source_ids = await _sources(kernel)
    folder = Path(runner.import_dir(kernel.settings)) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    summary = Summary(created=True, products=len(products), sources=len(source_ids))
    made = offers(products, today=now, seed=seed)
    for shop in SHOPS:  # shop by shop, day by day: a shop's history arrives in its order
        for rows in made[shop.slug]:
            (folder / f"{shop.slug}.{shop.format}").write_text(export(rows, shop.format))
            run = await run_file_source(kernel, source_id=source_ids[shop.slug])
            summary.runs += 1
            summary.offers += len(rows)
            summary.stored += run.stored
            if run.status == RunStatus.FAILED:
                summary.failed.append(f"{shop.name}: {(run.error or '').splitlines()[0][:300]}")
    async with kernel.uow(writes=False) as uow:
        summary.pending = int(
            await uow.session.scalar(
                select(func.count()).select_from(Match).where(Match.status == MatchStatus.PENDING)
            )
            or 0
        )
    return summary


async def _runs_done(uow: UnitOfWork, source_id: str) -> int:
    """The source's runs that did not fail."""
    count = await uow.session.scalar(
        select(func.count())
        .select_from(Run)
        .where(Run.source_id == source_id, Run.status != RunStatus.FAILED)
    )
    return int(count or 0)


async def _products(kernel: Kernel, skus: list[str]) -> list[DemoProduct]:
    """The products of `skus` (in their order), each given a GTIN and an MPN if it has none,
    but the last few (`AMBIGUOUS`, at most a quarter): a store has not always filled in every
    barcode, and only a title can match a competitor's listing of those."""
    bare = len(skus) - min(AMBIGUOUS, len(skus) // 4)
    async with kernel.uow() as uow:
        by_sku = await catalog.variant_ids_for_skus(uow, skus)
        variants = await catalog.sellable_variants(uow, list(by_sku.values()))
        made: list[DemoProduct] = []
        for number, sku in enumerate(skus, start=1):
            variant = variants.get(by_sku.get(sku, ""))
            if variant is None or not variant.sellable or variant.is_free:
                continue
            product = await catalog.product_for(uow, variant.product_id, principal=OPERATOR)
            attributes = {str(k): str(v) for k, v in (product.attributes or {}).items()}
            brand, gtin, mpn = (
                attributes.get("brand"),
                attributes.get("gtin"),
                attributes.get("mpn"),
            )
            if gtin is None and number <= bare:
                gtin, mpn = demo_gtin(number), mpn or demo_mpn(number, brand)
                attributes.update(gtin=gtin, mpn=mpn)
                await catalog.update_product(
                    uow,
                    product=product,
                    changes=catalog.ProductPatch(attributes=attributes),
                    now=kernel.clock.now(),
                )
            made.append(
                DemoProduct(
                    id=product.id,
                    number=number,
                    name=product.name,
                    price=product.price,
                    currency=product.currency,
                    brand=brand,
                    gtin=gtin,
                    mpn=mpn,
                )
            )
        await uow.commit()
    return made


async def _sources(kernel: Kernel) -> dict[str, str]:
    """Each shop's source id (made unless an earlier run made it): a `file` source, run by
    hand (no interval), whose file is the shop's export."""
    found: dict[str, str] = {}
    async with kernel.uow() as uow:
        for shop in SHOPS:
            source = await sources.source_by_name(uow, shop.name)
            if source is None:
                source = await sources.create_source(
                    uow,
                    kind="file",
                    name=shop.name,
                    settings={
                        "path": f"{FOLDER}/{shop.slug}.{shop.format}",
                        "kind": "offer",
                        "format": shop.format,
                        "defaults": {"currency": kernel.settings.default_currency},
                    },
                    credential=None,
                    interval_seconds=None,
                    rate_per_second=1.0,
                    enabled=True,
                    now=kernel.clock.now(),
                )
            found[shop.slug] = source.id
        await uow.commit()
    return found


async def run_file_source(kernel: Kernel, *, source_id: str) -> Run:
    """One run of a `file` source as `mercato intel ingest` runs it, titles matched by their
    words (embedding the catalogue costs seconds a run on the demo's store)."""
    return await runner.run_source(kernel, source_id=source_id, use_embeddings=False)
