"""`mercato demo`: a realistic, deterministic store to try Mercato with.

Everything is written through the agents' own services (so every rule holds and every event
is published, as if a merchant had typed it all in), then the command waits until the event
bus has delivered those events, so the catalog's availability is current before a server
starts. Running it again adds nothing: the store is recognised by its first SKU.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import text

from mercato import demo_data, demo_pictures, demo_support
from mercato.agents.cart import service as cart
from mercato.agents.catalog import categories as catalog_categories
from mercato.agents.catalog import gallery
from mercato.agents.catalog import service as catalog
from mercato.agents.catalog.pictures import PreparedPicture, prepare
from mercato.agents.catalog.schemas import ProductIn, VariantIn
from mercato.agents.identity import admin as identity_admin
from mercato.agents.identity import service as identity
from mercato.agents.identity.deps import IdentityDeps
from mercato.agents.intelligence.demand import demo as demand_demo
from mercato.agents.intelligence.ingest import demo as competitors_demo
from mercato.agents.inventory import service as inventory
from mercato.agents.reviews import demo as reviews_demo
from mercato.agents.shipping import demo as shipping_demo
from mercato.agents.support import service as support
from mercato.agents.warehouse import demo as warehouse_demo
from mercato.demo_sizes import size_of
from mercato.kernel import migrate
from mercato.kernel.auth import Principal
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from mercato.kernel.context import bind
from mercato.kernel.db import UnitOfWork

MERCHANT_ID = "demo-merchant"
FREE_SKU = "DEMO-FREE-STICKERS"
BATCH = 100
"""Products written per transaction."""
ANALYZE_FIRST = 2_000
"""PostgreSQL: statistics are taken when the store reaches this many products, then at each
fourfold, while it is seeded. The event handlers' prepared statements (availability, stock)
are planned from them; on tables never analyzed (autovacuum off, or behind a bulk load)
PostgreSQL scanned every stock level for each refresh: seeding 100,000 products took 1,095 s,
and 119 s with these analyses (`bench/store_http.py`'s seed, this 2-core machine)."""
DRAIN_STALL_TIMEOUT = 60.0
"""Seconds the bus may deliver nothing before the demo gives up waiting for it."""

OPERATOR = Principal(id="demo", tenant_id="*", kind="system", roles=frozenset({"admin"}))


@dataclass(frozen=True)
class DemoUser:
    role: str
    email: str
    password: str
    full_name: str


USERS = [
    DemoUser("admin", "admin@demo.mercato.dev", "Lantern-Orchid-Harbor-41", "Avery Admin"),
    DemoUser("merchant", "merchant@demo.mercato.dev", "Copper-Meadow-Falcon-27", "Morgan Merchant"),
    DemoUser("support", "sam@demo.mercato.dev", "Beacon-Thistle-Rover-36", "Sam Support"),
    DemoUser("customer", "ada@demo.mercato.dev", "Velvet-Quarry-Moss-63", "Ada Lovelace"),
    DemoUser("customer", "jose@demo.mercato.dev", "Saffron-Delta-Kite-18", "José García"),
    DemoUser("customer", "aiko@demo.mercato.dev", "Granite-Willow-Echo-95", "Aiko 日本 🎉"),
]
"""The demo's accounts; their passwords are printed by `mercato demo` (a demo, not a shop)."""

LOCATIONS = [
    ("WH-EAST", "East warehouse", "warehouse", 10),
    ("SHOP-NYC", "New York shop", "store", 20),
]
TAX_RATES = [
    cart.TaxRateSpec("US", "NY", Decimal("8.875"), "NY sales tax"),
    cart.TaxRateSpec("US", "CA", Decimal("7.25"), "CA sales tax"),
    cart.TaxRateSpec("GB", None, Decimal("20"), "VAT"),
    cart.TaxRateSpec("DE", None, Decimal("19"), "MwSt"),
]


@dataclass
class DemoReport:
    created: bool
    products: int = 0
    variants: int = 0
    categories: int = 0


async def seed_demo(
    settings: Settings,
    *,
    products: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
    analyze_first: int = ANALYZE_FIRST,
    pictures: bool = True,
) -> DemoReport:
    """Seed the default store (idempotent) and wait until the bus has delivered its events."""
    if settings.should_auto_migrate:  # Alembic runs its own event loop: give it a thread
        await asyncio.to_thread(migrate.upgrade, settings)
    kernel = Kernel.build(settings)
    try:
        await kernel.prepare()
        await kernel.start(relay=True, consumers=True, sagas=False, jobs=False)
        with bind(tenant_id=settings.default_tenant):
            report = await _seed(
                kernel,
                products=products,
                seed=seed,
                progress=progress,
                first=analyze_first,
                pictures=pictures,
            )
            await _help_desk(kernel)
            await reviews_demo.seed(kernel)
            await demand_demo.seed(kernel)
            await competitors_demo.seed_competitors(kernel)
        await _drain(kernel)
        if report.created:
            # Fresh statistics for the planner. Until autovacuum gets round to the new rows,
            # PostgreSQL plans the listing as if the tables were empty; SQLite has none until
            # ANALYZE.
            await _analyze(kernel)
        return report
    finally:
        await kernel.stop()


async def _analyze(kernel: Kernel) -> None:
    async with kernel.db.engine.begin() as conn:
        if kernel.db.is_sqlite:
            await conn.execute(text("PRAGMA analysis_limit=1000"))
        await conn.execute(text("ANALYZE"))


async def _seed(
    kernel: Kernel,
    *,
    products: int,
    seed: int,
    progress: Callable[[int], None] | None,
    first: int,
    pictures: bool,
) -> DemoReport:
    now = kernel.clock.now()
    made = demo_data.products(products, seed)
    async with kernel.uow(writes=False) as uow:
        if await catalog.variant_ids_for_skus(uow, [made[-1].variants[0].sku]):
            return DemoReport(created=False)  # a complete demo store is there
    await _accounts(kernel)
    async with kernel.uow() as uow:
        await _store_settings(uow, kernel.settings, now)
        locations = await _locations(uow, now)
        await shipping_demo.seed(uow, kernel.settings, locations=locations, now=now)
        category_ids = {
            tuple(path): (await catalog_categories.ensure_category_path(uow, path, now)).id
            for path in demo_data.categories()
        }
        await uow.commit()
    report = DemoReport(created=True, categories=len(category_ids))
    next_analysis = first  # PostgreSQL: statistics as the store grows (ANALYZE_FIRST)
    for start in range(0, len(made), BATCH):
        batch = made[start : start + BATCH]
        async with kernel.uow(writes=False) as uow:
            done = bool(await catalog.variant_ids_for_skus(uow, [batch[0].variants[0].sku]))
        if done:  # made by an earlier run that stopped half-way
            continue
        items = [_new_product(item, category_ids) for item in batch]
        if start == 0:
            items.append(_free_product(category_ids))
        drawn = await _drawn(batch, start) if pictures else []
        async with (
            gallery.Uploading(kernel.deps(gallery.PictureStore).objects) as upload,
            kernel.uow() as uow,
        ):
            created = await catalog.create_products(
                uow,
                items=items,
                currency_default=kernel.settings.default_currency,
                now=kernel.clock.now(),
            )
            for product, item, picture in zip(created, batch, drawn, strict=False):
                await _picture(uow, kernel, product.id, item, picture, upload)
            await _opening_stock(uow, kernel, batch, locations, free=start == 0)
            await uow.commit()
            upload.kept()
        report.variants += sum(len(i.data.variants) for i in items)
        report.products += len(items)
        if not kernel.db.is_sqlite and report.products >= next_analysis:
            await _analyze(kernel)
            next_analysis *= 4
        if progress is not None:
            progress(len(batch))
    async with kernel.uow() as uow:  # the warehouse's layout, boxes, and the stock in bins
        await warehouse_demo.seed(uow, location_ids=locations, now=kernel.clock.now())
        await uow.commit()
    return report


async def _drawn(batch: list[demo_data.DemoProduct], start: int) -> list[PreparedPicture]:
    """Each product's picture, drawn and prepared as an upload would be (in threads: Pillow
    lets go of the interpreter while it encodes)."""

    def made(offset: int, item: demo_data.DemoProduct) -> PreparedPicture:
        data = demo_pictures.draw(item, start + offset + 1)
        return prepare(data, max_bytes=len(data))

    return list(await asyncio.gather(*(asyncio.to_thread(made, n, i) for n, i in enumerate(batch))))


async def _picture(
    uow: UnitOfWork,
    kernel: Kernel,
    product_id: str,
    item: demo_data.DemoProduct,
    picture: PreparedPicture,
    upload: gallery.Uploading,
) -> None:
    product = await catalog.editable_product(uow, product_id, principal=OPERATOR)
    await gallery.add_picture(
        uow,
        product=product,
        picture=picture,
        alt=f"A drawing of the {item.name}",
        variant_id=None,
        upload=upload,
        now=kernel.clock.now(),
    )


async def _accounts(kernel: Kernel) -> None:
    deps = kernel.deps(IdentityDeps)
    for user in USERS:
        async with kernel.uow() as uow:
            if await identity.account_exists(uow, email=user.email):
                continue  # made by an earlier run that stopped half-way
            if user.role == "customer":
                await identity.create_user(
                    uow,
                    deps,
                    email=user.email,
                    password=user.password,
                    full_name=user.full_name,
                    roles=["customer"],
                )
            else:
                await identity_admin.create_staff(
                    uow,
                    deps,
                    email=user.email,
                    password=user.password,
                    full_name=user.full_name,
                    roles=[user.role],
                    merchant_id=MERCHANT_ID if user.role == "merchant" else None,
                    creator=OPERATOR,
                )
            await uow.commit()


async def _help_desk(kernel: Kernel) -> None:
    """The FAQ and a few customers' tickets (each unless an earlier run made them): one
    answered by the support account and late on its SLA, one new."""
    now = kernel.clock.now()
    async with kernel.uow() as uow:
        if not await support.list_articles(uow, drafts=True):
            for spec in demo_support.FAQ:
                await support.create_article(uow, spec=spec, now=now)
            await uow.commit()
        if (await support.list_tickets(uow, principal=OPERATOR, limit=1)).items:
            return
    staff = await _principal(kernel, "sam@demo.mercato.dev", "support")
    for ticket in demo_support.TICKETS:
        customer = await _principal(kernel, ticket.email, "customer")
        opened = now - timedelta(hours=ticket.hours_ago)
        async with kernel.uow() as uow:
            view = await support.open_ticket(
                uow,
                principal=customer,
                subject=ticket.subject,
                body=ticket.body,
                category=ticket.category,
                priority=ticket.priority,
                email=ticket.email,
                now=opened,
            )
            if ticket.staff_reply is not None:
                changes = support.TicketChanges(assignee_id=staff.id)
                await support.change_ticket(
                    uow, ticket_id=view.id, principal=staff, changes=changes, now=opened
                )
                await support.add_message(
                    uow,
                    ticket_id=view.id,
                    principal=staff,
                    body=ticket.staff_reply,
                    now=opened + timedelta(hours=2),
                )
            await uow.commit()


async def _principal(kernel: Kernel, email: str, role: str) -> Principal:
    """A demo account as it signs in: its id, store and role."""
    async with kernel.uow(writes=False) as uow:
        [user] = await identity_admin.list_users(uow, after=None, limit=1, email=email)
    return Principal(
        id=user.id, tenant_id=kernel.settings.default_tenant, kind="user", roles=frozenset({role})
    )


async def _store_settings(uow: UnitOfWork, settings: Settings, now: datetime) -> None:
    store = await cart.ensure_settings(uow, now=now)
    await cart.put_tax_rates(uow, rates=TAX_RATES)
    currency = store.currency
    codes = [
        ("WELCOME10", cart.CodeSpec(kind=cart.DiscountKind.PERCENT, value=Decimal(10))),
        (
            "SAVE5",
            cart.CodeSpec(kind=cart.DiscountKind.FIXED, value=Decimal(5), min_subtotal=Decimal(50)),
        ),
        (
            "LAUNCH50",
            cart.CodeSpec(kind=cart.DiscountKind.PERCENT, value=Decimal(50), usage_limit=100),
        ),
        (
            "SUMMER25",  # expired: shows how carts drop an expired code (EC014)
            cart.CodeSpec(
                kind=cart.DiscountKind.PERCENT,
                value=Decimal(25),
                starts_at=now - timedelta(days=120),
                expires_at=now - timedelta(days=30),
            ),
        ),
    ]
    for code, spec in codes:
        if await cart.find_code(uow, code) is None:
            await cart.create_code(uow, code=code, spec=spec, currency=currency, now=now)


async def _locations(uow: UnitOfWork, now: datetime) -> list[str]:
    """The demo's locations' ids, made unless an earlier run made them."""
    existing = {location.code: location.id for location in await inventory.list_locations(uow)}
    ids = []
    for code, name, kind, priority in LOCATIONS:
        if code not in existing:
            location = await inventory.create_location(
                uow, code=code, name=name, kind=kind, priority=priority, now=now
            )
            existing[code] = location.id
        ids.append(existing[code])
    return ids


def _new_product(
    item: demo_data.DemoProduct, category_ids: dict[tuple[str, ...], str]
) -> catalog.NewProduct:
    data = ProductIn(
        name=item.name,
        description=item.description,
        category_id=category_ids[tuple(item.category)],
        attributes=item.attributes,
        images=item.images,
        compare_at_price=item.compare_at_price,
        requires_shipping=item.requires_shipping,
        is_free=item.is_free,
        variants=[
            VariantIn(
                sku=v.sku, title=v.title, price=v.price, attributes=v.attributes, **sizes(item)
            )
            for v in item.variants
        ],
    )
    return catalog.NewProduct(data, MERCHANT_ID)


def sizes(item: demo_data.DemoProduct) -> dict[str, int]:
    """A shipped unit's weight and box, by its category (nothing for downloads)."""
    found = size_of(item.category) if item.requires_shipping else None
    if found is None:
        return {}
    weight, length, width, height = found
    return {"weight_grams": weight, "length_mm": length, "width_mm": width, "height_mm": height}


def _free_product(category_ids: dict[tuple[str, ...], str]) -> catalog.NewProduct:
    """A product given away (EC010): free is said explicitly, its price is 0."""
    data = ProductIn(
        name="Mercato Sticker Pack",
        description="Five vinyl stickers, free with any order.",
        category_id=category_ids[("Books & Media", "Digital Gift Cards")],
        is_free=True,
        attributes={"material": "vinyl"},
        variants=[VariantIn(sku=FREE_SKU, title="", price=Decimal(0))],
    )
    return catalog.NewProduct(data, MERCHANT_ID)


async def _opening_stock(
    uow: UnitOfWork,
    kernel: Kernel,
    batch: list[demo_data.DemoProduct],
    locations: list[str],
    *,
    free: bool,
) -> None:
    """One goods receipt per location for the batch's variants (and the free product)."""
    for index, location_id in enumerate(locations):
        lines: list[tuple[str | None, str | None, int]] = [
            (None, v.sku, v.stock[index]) for p in batch for v in p.variants if v.stock[index]
        ]
        if free and index == 0:
            lines.append((None, FREE_SKU, 500))
        if lines:
            await inventory.receive(
                uow,
                location_id=location_id,
                lines=lines,
                note="demo store opening stock",
                actor="demo",
                now=kernel.clock.now(),
            )


async def _drain(kernel: Kernel) -> None:
    """Wait until every event written has been delivered (and, in process, handled), for as
    long as the bus keeps making progress."""
    last = await kernel.relay.pending()
    stalled_since = asyncio.get_running_loop().time()
    while last:
        await asyncio.sleep(0.2)
        now, pending = asyncio.get_running_loop().time(), await kernel.relay.pending()
        if pending < last:
            stalled_since = now
        elif now - stalled_since > DRAIN_STALL_TIMEOUT:
            raise TimeoutError(f"the event bus stopped delivering ({pending} events waiting)")
        last = pending
