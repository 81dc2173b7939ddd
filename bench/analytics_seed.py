"""A year of trading as analytics' read models hold it, written straight into them (bulk
INSERTs of their rows, not through the handlers): `orders` orders over the last 365 days,
with their lines, refunds, carts (abandoned ones too), guest sessions and stock moves.

The shape follows a small shop's: 2,000 products in 40 categories, 25 merchants selling
70 % of them, customers who come back (a third of the orders are repeat orders), 1-4 lines
an order, 6 % of the orders cancelled, 5 % of the sales partly refunded, 40 % of the carts
abandoned (a tenth of those recovered), four guest sessions an order."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, create_engine, insert

from mercato.agents.analytics.calendar import local_dates
from mercato.agents.analytics.models import (
    CartFact,
    LineFact,
    OrderFact,
    RefundFact,
    SessionFact,
    StockMove,
)
from mercato.kernel import migrate

STORE = "default"
PRODUCTS = 2000
CATEGORIES = 40
MERCHANTS = 25
BATCH = 5000
CENT = Decimal("0.01")
UTC_ZONE = ZoneInfo("UTC")


@dataclass(frozen=True)
class Catalogue:
    prices: list[Decimal]
    categories: list[int]
    merchants: list[str | None]


def catalogue(rng: random.Random) -> Catalogue:
    return Catalogue(
        prices=[Decimal(rng.randint(300, 12000)) / 100 for _ in range(PRODUCTS)],
        categories=[rng.randrange(CATEGORIES) for _ in range(PRODUCTS)],
        merchants=[
            f"merchant-{rng.randrange(MERCHANTS)}" if rng.random() < 0.7 else None
            for _ in range(PRODUCTS)
        ],
    )


def _dated(at: datetime) -> dict[str, Any]:
    return local_dates(at, UTC_ZONE).as_dict()


class Year:
    """The rows of every read model, made order by order."""

    def __init__(self, orders: int, now: datetime, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.now = now
        self.goods = catalogue(self.rng)
        self.orders = orders
        self.rows: dict[str, list[dict[str, Any]]] = {
            name: [] for name in ("orders", "lines", "refunds", "carts", "sessions", "moves")
        }
        self._first: set[str] = set()

    def build(self) -> dict[str, list[dict[str, Any]]]:
        moments = sorted(
            self.now - timedelta(seconds=self.rng.randrange(365 * 86400))
            for _ in range(self.orders)
        )
        customers = max(1, int(self.orders * 0.66))
        for n, at in enumerate(moments):
            self._order(n, at, f"u:customer-{int(self.rng.paretovariate(1.2) * 7) % customers}")
        for n in range(int(self.orders * 0.66)):  # abandoned carts never checked out
            at = self.now - timedelta(seconds=self.rng.randrange(365 * 86400))
            self._cart(f"cart-lost-{n}", at, order=None, abandoned=True)
        for n in range(self.orders * 4):
            at = self.now - timedelta(seconds=self.rng.randrange(365 * 86400))
            self.rows["sessions"].append(
                {"tenant_id": STORE, "session_id": f"session-{n}", "started_at": at, **_dated(at)}
            )
        self._receipts()
        return self.rows

    def _order(self, n: int, at: datetime, customer: str) -> None:
        order_id = f"order-{n:07d}"
        lines, subtotal, units = [], Decimal(0), 0
        for k in range(self.rng.choice((1, 1, 2, 2, 3, 4))):
            product = self.rng.randrange(PRODUCTS)
            quantity = self.rng.choice((1, 1, 1, 2, 3))
            price = self.goods.prices[product]
            lines.append(self._line(order_id, k, product, quantity, price))
            subtotal, units = subtotal + price * quantity, units + quantity
        discount = (subtotal * Decimal("0.1")).quantize(CENT) if self.rng.random() < 0.1 else 0
        shipping = Decimal(0) if subtotal >= 50 else Decimal("4.99")
        tax = ((subtotal - discount) * Decimal("0.08")).quantize(CENT)
        total = subtotal - discount + shipping + tax
        age = self.now - at
        roll = self.rng.random()
        if roll < 0.06:
            status = "cancelled"
        elif age < timedelta(days=2) and roll < 0.1:
            status = "pending"
        else:
            status = "delivered" if age > timedelta(days=7) else "confirmed"
        sale = status in ("confirmed", "delivered")
        first = sale and customer not in self._first
        if first:
            self._first.add(customer)
        refunded = self._refund(order_id, at, total) if sale and roll > 0.95 else Decimal(0)
        channel = self.rng.choices(("web", "assistant", "api"), (8, 1, 1))[0]
        self.rows["orders"].append(
            {
                "tenant_id": STORE, "order_id": order_id, "number": f"ORD-{n:07d}",
                "placed_at": at, **_dated(at), "status": status, "currency": "USD",
                "subtotal": subtotal, "discount": discount, "tax": tax, "shipping": shipping,
                "total": total, "refunded": refunded, "units": units, "channel": channel,
                "customer_key": customer, "first_order": first,
                "confirmed_at": at if status != "pending" else None,
                "cancelled_at": at + timedelta(hours=1) if status == "cancelled" else None,
            }
        )  # fmt: skip
        self.rows["lines"].extend(lines)
        self._cart(f"cart-{n}", at - timedelta(minutes=12), order=order_id, abandoned=roll < 0.04)
        if status == "delivered":
            for line in lines:
                self._move(f"ship-{line['line_id']}", line["variant_id"], -line["quantity"], at)

    def _line(
        self, order_id: str, k: int, product: int, quantity: int, price: Decimal
    ) -> dict[str, Any]:
        category = self.goods.categories[product]
        return {
            "tenant_id": STORE, "line_id": f"{order_id}-{k}", "order_id": order_id,
            "variant_id": f"variant-{product:05d}", "product_id": f"product-{product:05d}",
            "sku": f"SKU-{product:05d}", "name": f"Product {product}",
            "merchant_id": self.goods.merchants[product], "category_id": f"category-{category:02d}",
            "category_name": f"Category {category}", "quantity": quantity, "unit_price": price,
            "line_total": price * quantity,
        }  # fmt: skip

    def _refund(self, order_id: str, at: datetime, total: Decimal) -> Decimal:
        when = min(self.now, at + timedelta(days=self.rng.randint(1, 20)))
        amount = (total * Decimal(self.rng.choice((25, 50, 100))) / 100).quantize(CENT)
        self.rows["refunds"].append(
            {
                "tenant_id": STORE, "refund_id": f"refund-{order_id}", "order_id": order_id,
                "payment_id": f"payment-{order_id}", "amount": amount, "currency": "USD",
                "refunded_at": when, **_dated(when),
            }
        )  # fmt: skip
        return amount

    def _cart(self, cart_id: str, at: datetime, *, order: str | None, abandoned: bool) -> None:
        abandoned_at = at + timedelta(hours=1) if abandoned else None
        checked_out = None if order is None else at + timedelta(minutes=12)
        if checked_out is not None and abandoned_at is not None:
            checked_out = abandoned_at + timedelta(hours=3)  # came back: recovered
        self.rows["carts"].append(
            {
                "tenant_id": STORE, "cart_id": cart_id, "created_at": at, **_dated(at),
                "session_id": None, "user_id": None, "first_item_at": at,
                "abandoned_at": abandoned_at, "checked_out_at": checked_out, "order_id": order,
            }
        )  # fmt: skip

    def _receipts(self) -> None:
        """Opening stock a year and a day ago, then a delivery every month."""
        for product in range(PRODUCTS):
            for month in range(13):
                at = self.now - timedelta(days=366 - month * 30)
                self._move(f"receipt-{month}", f"variant-{product:05d}", 40 if month else 200, at)

    def _move(self, event_id: str, variant_id: str, delta: int, at: datetime) -> None:
        self.rows["moves"].append(
            {
                "tenant_id": STORE, "event_id": event_id, "variant_id": variant_id,
                "sku": "SKU-" + variant_id.rsplit("-", 1)[1], "delta": delta, "moved_at": at,
                "day": at.date(),
            }
        )  # fmt: skip


TABLES = {
    "orders": OrderFact,
    "lines": LineFact,
    "refunds": RefundFact,
    "carts": CartFact,
    "sessions": SessionFact,
    "moves": StockMove,
}


def write(database_url: str, rows: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Bulk INSERT every row (an engine of its own: no store in context, no guard), then
    ANALYZE, as a store that has been trading a while has its statistics."""
    engine = create_engine(migrate.sync_url(database_url))
    try:
        with engine.begin() as conn:
            for name, model in TABLES.items():
                table = cast(Table, model.__table__)
                for chunk in _chunks(rows[name]):
                    conn.execute(insert(table), chunk)
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        engine.dispose()
    return {TABLES[name].__tablename__: len(found) for name, found in rows.items()}


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]
