"""The floor app of `floor.py`: what the four measured requests cost a lean hand-written app
on the same stack, the least Mercato could cost.

The same FastAPI served by the same uvicorn as `mercato serve` (uvicorn picks uvloop and
httptools), on the same SQLite file (Mercato's demo store), with no middleware, raw SQL and
plain dict answers:

- `GET /v1/products/{id}`: the product, its active variants and its category (3 queries);
- `GET /v1/products?limit=20`: the newest active products and their active variants (2
  queries), with the same `next_cursor` Mercato issues;
- `GET /v1/carts/{id}`: the guest session (`X-Session-Token`, hashed as Mercato stores
  it), the cart, its lines joined to their variants and products, their stock over the
  active locations, the store's cart settings and its tax rate (6 queries); totals and
  problems (price changed, out of or short of stock, no longer for sale) computed as the
  cart's view does;
- `POST /v1/carts/{id}/items`: the session, then in one write transaction the cart's version
  claimed (one conditional UPDATE) and the line upserted (one INSERT … SELECT … ON CONFLICT
  that adds to an existing line), then the cart read back as above. No stock check and no
  event in the outbox: that is Mercato's work above the floor.

Every query is scoped by the store (`X-Tenant`, else `default`) as Mercato's are. The
database is reached as a lean asyncio app would reach it: aiosqlite (the driver Mercato's
embedded mode uses too), a few reader connections each running one request's queries in a
`BEGIN DEFERRED` transaction (a consistent answer), one writer connection behind an asyncio
lock taking `BEGIN IMMEDIATE`, with Mercato's pragmas (WAL, synchronous=NORMAL).

Money is computed in the stored integers (1/10,000 of the unit) and answered in cents, so
the floor assumes a two-decimal currency and tax-exclusive prices (the demo store's USD);
products are looked up by id only (Mercato also accepts a slug); discount codes are not
read. `floor.py` checks that the floor's answers equal Mercato's before measuring.

Run by `floor.py` as `python bench/floor_app.py --db PATH --port N`.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from typing import Any

import aiosqlite
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

READERS = 5  # SQLAlchemy's default pool size, as Mercato's engine has
PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000")
DEFAULT_TENANT = "default"
Row = Sequence[Any]

PRODUCT_COLUMNS = (
    "id, name, slug, description, price, compare_at_price, currency, status, is_free, "
    "requires_shipping, category_id, merchant_id, attributes, images, in_stock, created_at, "
    "updated_at"
)
VARIANT_COLUMNS = (
    "id, product_id, sku, title, price, compare_at_price, attributes, available, status"
)
PRODUCT = f"SELECT {PRODUCT_COLUMNS} FROM products WHERE id = ? AND tenant_id = ?"
PRODUCT_VARIANTS = (
    f"SELECT {VARIANT_COLUMNS} FROM product_variants WHERE product_id = ? AND tenant_id = ? "
    "AND status = 'active' ORDER BY position, id"
)
CATEGORY = "SELECT id, name, slug FROM categories WHERE id = ? AND tenant_id = ?"
NEWEST = (
    f"SELECT {PRODUCT_COLUMNS} FROM products WHERE tenant_id = ? AND status = 'active' "
    "ORDER BY created_at DESC, id DESC LIMIT ?"
)
SESSION = "SELECT id FROM guest_sessions WHERE token_hash = ? AND tenant_id = ? AND expires_at > ?"
CART = (
    "SELECT id, status, currency, country, region, version, discount_code, created_at, "
    "updated_at, session_id, user_id FROM carts WHERE id = ? AND tenant_id = ?"
)
LINES = (
    "SELECT i.id, i.variant_id, i.product_id, i.sku, i.name, i.quantity, i.unit_price, "
    "v.price, v.status, p.status, p.currency, p.is_free, p.requires_shipping "
    "FROM cart_items i LEFT JOIN product_variants v ON v.id = i.variant_id "
    "AND v.tenant_id = i.tenant_id LEFT JOIN products p ON p.id = v.product_id "
    "AND p.tenant_id = i.tenant_id WHERE i.cart_id = ? AND i.tenant_id = ? "
    "ORDER BY i.added_at, i.id"
)
SETTINGS = (
    "SELECT currency, prices_include_tax, flat_shipping, free_shipping_over, "
    "default_country, default_region FROM cart_settings WHERE id = ? AND tenant_id = ?"
)
TAX = (
    "SELECT region, rate_percent FROM tax_rates WHERE tenant_id = ? AND country = ? "
    "AND region IN (?, ?)"
)
CLAIM = (
    "UPDATE carts SET version = version + 1, updated_at = ?, last_activity_at = ?, "
    "abandoned_at = NULL WHERE id = ? AND tenant_id = ? AND session_id = ? "
    "AND user_id IS NULL AND status = 'active'"
)
UPSERT_LINE = (
    "INSERT INTO cart_items (id, cart_id, variant_id, product_id, sku, name, quantity, "
    "unit_price, added_at, tenant_id) "
    "SELECT ?, ?, v.id, v.product_id, v.sku, "
    "CASE WHEN v.title != '' THEN p.name || ' (' || v.title || ')' ELSE p.name END, "
    "?, v.price, ?, v.tenant_id FROM product_variants v JOIN products p ON p.id = v.product_id "
    "AND p.tenant_id = v.tenant_id WHERE v.id = ? AND v.tenant_id = ? "
    "AND v.status = 'active' AND p.status = 'active' "
    "ON CONFLICT (cart_id, variant_id) DO UPDATE SET quantity = quantity + excluded.quantity"
)


# -- the database -----------------------------------------------------------------------------


class Database:
    """Reader connections handed out one request at a time, and the one writer."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self.writer: aiosqlite.Connection | None = None
        self.write_lock = asyncio.Lock()

    async def _connect(self) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None, timeout=30)
        for pragma in PRAGMAS:
            await conn.execute(f"PRAGMA {pragma}")
        return conn

    async def open(self) -> None:
        for _ in range(READERS):
            self.readers.put_nowait(await self._connect())
        self.writer = await self._connect()

    async def close(self) -> None:
        while not self.readers.empty():
            await self.readers.get_nowait().close()
        if self.writer is not None:
            await self.writer.close()

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """A reader connection inside a read transaction (one snapshot for the answer)."""
        conn = await self.readers.get()
        try:
            await conn.execute("BEGIN DEFERRED")
            try:
                yield conn
            finally:
                await conn.execute("COMMIT")
        finally:
            self.readers.put_nowait(conn)

    @contextlib.asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """The writer inside `BEGIN IMMEDIATE`: committed on success, else rolled back."""
        assert self.writer is not None
        async with self.write_lock:
            await self.writer.execute("BEGIN IMMEDIATE")
            try:
                yield self.writer
            except BaseException:
                await self.writer.execute("ROLLBACK")
                raise
            await self.writer.execute("COMMIT")


async def one(conn: aiosqlite.Connection, sql: str, params: Sequence[Any]) -> Row | None:
    async with conn.execute(sql, params) as cursor:
        return await cursor.fetchone()


async def rows(conn: aiosqlite.Connection, sql: str, params: Sequence[Any]) -> list[Row]:
    async with conn.execute(sql, params) as cursor:
        return list(await cursor.fetchall())


# -- values as Mercato answers them -----------------------------------------------------------


def money(units: int) -> str:
    """Stored 1/10,000 units → "12.34" (half up, as `round_money`; two-decimal currency)."""
    cents = (units + 50) // 100 if units >= 0 else -((-units + 50) // 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def cents_units(units: int) -> int:
    """Units rounded to whole cents (still in units)."""
    return (units + 50) // 100 * 100


def stamp(stored: str) -> str:
    """SQLite's `2026-01-02 03:04:05.678901` (UTC) → `2026-01-02T03:04:05.678901Z`."""
    return stored.replace(" ", "T") + "Z"


def now_stored() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def variant_dict(v: Row) -> dict[str, Any]:
    return {
        "id": v[0],
        "sku": v[2],
        "title": v[3],
        "price": money(v[4]),
        "compare_at_price": money(v[5]) if v[5] is not None else None,
        "attributes": json.loads(v[6]),
        "available": v[7],
        "status": v[8],
    }


def product_dict(p: Row, variants: list[Row]) -> dict[str, Any]:
    return {
        "id": p[0],
        "name": p[1],
        "slug": p[2],
        "description": p[3],
        "price": money(p[4]),
        "compare_at_price": money(p[5]) if p[5] is not None else None,
        "currency": p[6],
        "status": p[7],
        "is_free": bool(p[8]),
        "requires_shipping": bool(p[9]),
        "category_id": p[10],
        "merchant_id": p[11],
        "attributes": json.loads(p[12]),
        "images": json.loads(p[13]),
        "in_stock": bool(p[14]),
        "variants": [variant_dict(v) for v in variants],
        "created_at": stamp(p[15]),
        "updated_at": stamp(p[16]),
    }


def cursor_for(p: Row) -> str:
    """The cursor Mercato's newest-first listing issues after product `p`."""
    created = p[15].replace(" ", "T") + "+00:00"
    raw = json.dumps(["newest", created, p[0]], separators=(",", ":"), ensure_ascii=False)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def not_found(detail: str) -> JSONResponse:
    return JSONResponse({"code": "not_found", "detail": detail}, status_code=404)


# -- the cart ---------------------------------------------------------------------------------


async def session_of(db: Database, token: str | None, tenant: str) -> str | None:
    if not token:
        return None
    digest = hashlib.sha256(token.encode()).hexdigest()
    async with db.read() as conn:
        found = await one(conn, SESSION, (digest, tenant, now_stored()))
    return found[0] if found else None


def line_problems(line: Row, available: int) -> list[dict[str, Any]]:
    item_id, name, quantity, recorded = line[0], line[4], line[5], line[6]
    price, variant_status, product_status = line[7], line[8], line[9]
    if price is None or variant_status != "active" or product_status != "active":
        gone = f"{name} is no longer for sale"
        return [{"code": "unavailable", "detail": gone, "item_id": item_id}]
    found: list[dict[str, Any]] = []
    if price != recorded:
        old, new = money(recorded), money(price)
        found.append(
            {
                "code": "price_changed",
                "detail": f"the price of {name} changed from {old} to {new}",
                "item_id": item_id,
                "old_price": old,
                "new_price": new,
            }
        )
    if available <= 0:
        found.append(
            {
                "code": "out_of_stock",
                "detail": f"{name} is out of stock",
                "item_id": item_id,
                "rule": "BR014",
                "available": 0,
            }
        )
    elif quantity > available:
        found.append(
            {
                "code": "insufficient_stock",
                "detail": f"only {available} of {name} left, the cart holds {quantity}",
                "item_id": item_id,
                "rule": "BR014",
                "available": available,
                "quantity": quantity,
            }
        )
    return found


async def read_cart(db: Database, cart_id: str, session_id: str, tenant: str) -> Any:
    """The cart as Mercato's `GET /v1/carts/{id}` answers it (404 if not the session's)."""
    async with db.read() as conn:
        cart = await one(conn, CART, (cart_id, tenant))
        if cart is None or cart[9] != session_id or cart[10] is not None:
            return not_found(f"no cart {cart_id!r}")
        lines = await rows(conn, LINES, (cart_id, tenant))
        stock: dict[str, int] = {}
        if lines:
            ids = sorted({line[1] for line in lines})
            marks = ",".join("?" * len(ids))
            sums = await rows(
                conn,
                "SELECT s.variant_id, SUM(s.on_hand - s.reserved) FROM stock_levels s "
                "JOIN inventory_locations l ON l.id = s.location_id "
                f"WHERE s.variant_id IN ({marks}) AND s.tenant_id = ? AND l.active = 1 "
                "GROUP BY s.variant_id",
                (*ids, tenant),
            )
            stock = {variant: int(units or 0) for variant, units in sums}
        settings = await one(conn, SETTINGS, (tenant, tenant))
        assert settings is not None  # the first cart opened made it
        country, region = (cart[3], cart[4]) if cart[3] else (settings[4], cart[4] or settings[5])
        found = await rows(conn, TAX, (tenant, country, "", region or ""))
        rates: dict[str, int] = {place: int(percent) for place, percent in found}
    rate = rates.get(region, rates.get("", 0)) if region else rates.get("", 0)
    items, problems = [], []
    subtotal = 0
    ships = False
    for line in lines:
        current = line[7] if line[7] is not None else line[6]
        total = 0 if line[11] else cents_units(current * line[5])
        subtotal += total
        ships = ships or bool(line[12] if line[12] is not None else True)
        available = stock.get(line[1], 0)
        problems += line_problems(line, available)
        items.append(
            {
                "id": line[0],
                "variant_id": line[1],
                "product_id": line[2],
                "sku": line[3],
                "name": line[4],
                "quantity": line[5],
                "unit_price": money(current),
                "price_at_add": money(line[6]),
                "line_total": money(total),
                "available": max(0, available),
                "requires_shipping": bool(line[12]) if line[12] is not None else True,
            }
        )
    tax = (subtotal * rate + 50_000_000) // 100_000_000 * 100 if rate > 0 else 0
    flat, free_over = int(settings[2]), settings[3]
    shipping = flat if ships and not (free_over is not None and subtotal >= free_over) else 0
    return {
        "id": cart[0],
        "status": cart[1],
        "currency": cart[2],
        "country": country,
        "region": region,
        "version": cart[5],
        "items": items,
        "discount_code": cart[6],
        "subtotal": money(subtotal),
        "discount_total": "0.00",
        "tax_total": money(tax),
        "shipping_total": money(shipping),
        "total": money(subtotal + tax + shipping),
        "problems": problems,
        "created_at": stamp(cart[7]),
        "updated_at": stamp(cart[8]),
    }


class ItemIn(BaseModel):
    variant_id: str = Field(max_length=36)
    quantity: int = Field(ge=1, le=99)


# -- the app ----------------------------------------------------------------------------------


def create_app(path: str) -> FastAPI:
    db = Database(path)

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        await db.open()
        yield
        await db.close()

    app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)

    def tenant_of(request: Request) -> str:
        return request.headers.get("x-tenant") or DEFAULT_TENANT

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/v1/products/{product_id}")
    async def get_product(product_id: str, request: Request) -> Any:
        tenant = tenant_of(request)
        async with db.read() as conn:
            product = await one(conn, PRODUCT, (product_id, tenant))
            if product is None or product[7] != "active":
                return not_found(f"no product {product_id!r}")
            variants = await rows(conn, PRODUCT_VARIANTS, (product_id, tenant))
            category = await one(conn, CATEGORY, (product[10], tenant)) if product[10] else None
        answer = product_dict(product, variants)
        answer["category"] = (
            {"id": category[0], "name": category[1], "slug": category[2]} if category else None
        )
        return answer

    @app.get("/v1/products")
    async def list_products(request: Request, limit: int = 20) -> Any:
        tenant = tenant_of(request)
        limit = max(1, min(limit, 100))
        async with db.read() as conn:
            found = await rows(conn, NEWEST, (tenant, limit + 1))
            page = found[:limit]
            ids = [p[0] for p in page]
            by_product: dict[str, list[Row]] = {pid: [] for pid in ids}
            if ids:
                marks = ",".join("?" * len(ids))
                for v in await rows(
                    conn,
                    f"SELECT {VARIANT_COLUMNS} FROM product_variants WHERE product_id IN "
                    f"({marks}) AND tenant_id = ? AND status = 'active' "
                    "ORDER BY product_id, position, id",
                    (*ids, tenant),
                ):
                    by_product[v[1]].append(v)
        return {
            "items": [product_dict(p, by_product[p[0]]) for p in page],
            "next_cursor": cursor_for(page[-1]) if len(found) > limit and page else None,
        }

    @app.get("/v1/carts/{cart_id}")
    async def get_cart(cart_id: str, request: Request) -> Any:
        tenant = tenant_of(request)
        session = await session_of(db, request.headers.get("x-session-token"), tenant)
        if session is None:
            return JSONResponse({"code": "session_required"}, status_code=401)
        return await read_cart(db, cart_id, session, tenant)

    @app.post("/v1/carts/{cart_id}/items")
    async def add_item(cart_id: str, body: ItemIn, request: Request) -> Any:
        tenant = tenant_of(request)
        session = await session_of(db, request.headers.get("x-session-token"), tenant)
        if session is None:
            return JSONResponse({"code": "session_required"}, status_code=401)
        now = now_stored()
        async with db.write() as conn:
            claimed = await conn.execute(CLAIM, (now, now, cart_id, tenant, session))
            if claimed.rowcount != 1:
                raise NotFoundError(f"no active cart {cart_id!r}")
            line = (str(uuid.uuid4()), cart_id, body.quantity, now, body.variant_id, tenant)
            upserted = await conn.execute(UPSERT_LINE, line)
            if upserted.rowcount != 1:
                raise NotFoundError(f"no variant {body.variant_id!r} for sale")
        return await read_cart(db, cart_id, session, tenant)

    @app.exception_handler(NotFoundError)
    async def refused(_: Request, exc: NotFoundError) -> JSONResponse:
        return not_found(str(exc))

    return app


class NotFoundError(Exception):
    """Rolls the write back; answered 404."""


def main() -> None:
    parser = argparse.ArgumentParser(description="The floor app of bench/floor.py")
    parser.add_argument("--db", required=True, help="Mercato's SQLite file")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # the arguments `mercato serve` gives uvicorn (loop and http "auto": uvloop, httptools)
    uvicorn.run(
        create_app(args.db),
        host="127.0.0.1",
        port=args.port,
        proxy_headers=False,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
