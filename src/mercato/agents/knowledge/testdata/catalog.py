"""The catalog generated records point at: categories, products, their variants (SKUs), one
warehouse and its stock. Orders and carts draw their lines from it, so every line names a
variant that exists, at that variant's price, in the cart's currency.

Stock is followed as records consume it, so BR014 (stock covers the line) can be measured:
`available` is what a line could take when it was added; when a line wants more, the variant
is restocked first (a receipt), as a store would. Confirmed orders hold their units
(reserved), shipped ones took them (on hand dropped); cancelled and abandoned ones gave them
back."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mercato.agents.catalog.service import slugify
from mercato.agents.knowledge.testdata.formats import money_formatter
from mercato.agents.knowledge.testdata.words import (
    ADJECTIVES,
    DEPARTMENTS,
    INJECTION_TEXT,
    MATERIALS,
    OTHER_CURRENCIES,
    Department,
)

RESTOCK = 500
RATES = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "CAD": 1.36, "JPY": 150.0}
"""Rough USD → currency rates for pricing products sold in other currencies."""
EXPENSIVE_MINOR = 20_000
"""Variants from 200.00 are drawn for high_value records."""


class Variant:
    __slots__ = (
        "attributes",
        "available",
        "currency",
        "id",
        "on_hand",
        "position",
        "price",
        "product",
        "reserved",
        "sku",
        "title",
    )

    def __init__(
        self, product: Product, vid: str, sku: str, title: str, price: int, stock: int
    ) -> None:
        self.product, self.id, self.sku, self.title, self.price = product, vid, sku, title, price
        self.currency = product.currency
        self.attributes: dict[str, str] = {}
        self.position = 0
        self.on_hand = stock
        self.reserved = 0
        self.available = stock
        """on_hand - reserved: what the next line may take (BR014)."""

    def take(self, quantity: int) -> int:
        """Make sure `quantity` can be sold now (restock when short); the availability the
        line was added against."""
        if self.available < quantity or self.available <= 0:
            more = RESTOCK + quantity
            self.on_hand += more
            self.available += more
        return self.available

    def hold(self, quantity: int) -> None:
        """A confirmed order keeps the units (an allocated reservation)."""
        self.reserved += quantity
        self.available -= quantity

    def ship(self, quantity: int) -> None:
        """A shipped order took the units (a committed reservation)."""
        self.on_hand -= quantity
        self.available -= quantity


@dataclass
class Product:
    id: str
    name: str
    slug: str
    department: Department
    category_id: str
    category_path: str
    currency: str
    status: str
    is_free: bool
    requires_shipping: bool
    created_at: str
    description: str
    variants: list[Variant] = field(default_factory=list)
    scenario: str | None = None
    edge_case: str | None = None


@dataclass
class Category:
    id: str
    parent_id: str | None
    name: str
    slug: str
    path: str
    position: int


class Catalog:
    """Categories (made as products need them), products and variants, one warehouse."""

    def __init__(
        self,
        rng: random.Random,
        ids: Callable[[], Callable[[], str]],
        created_at: str,
    ) -> None:
        self._rng = rng
        self._category_id, self._product_id, self._variant_id = ids(), ids(), ids()
        self.location_id = ids()()
        self.stock_ids = ids()
        self.created_at = created_at
        self.categories: dict[tuple[str, ...], Category] = {}
        self.products: list[Product] = []
        self._serial = 0
        self._pools: dict[str, list[Variant]] = {}
        self._special: dict[str, Variant] = {}

    # -- making products ---------------------------------------------------------------

    def category(self, path: tuple[str, ...]) -> Category:
        found = self.categories.get(path)
        if found is not None:
            return found
        parent = self.category(path[:-1]) if len(path) > 1 else None
        cid = self._category_id()
        made = Category(
            cid,
            parent.id if parent else None,
            path[-1],
            slugify("-".join(path)),
            f"{parent.path if parent else '/'}{cid}/",
            len(self.categories),
        )
        self.categories[path] = made
        return made

    def add_product(
        self,
        department: Department,
        *,
        currency: str = "USD",
        variants: int = 1,
        status: str = "active",
        is_free: bool = False,
        min_price: int = 0,
        stock: int | None = None,
        name: str | None = None,
        price: int | None = None,
    ) -> Product:
        """A product of the department with `variants` SKUs, priced in `currency` (0.00 when
        free), each with `stock` units (random when None) at the warehouse."""
        rng = self._rng
        self._serial += 1
        serial = self._serial
        if name is None:
            noun = department.nouns[int(rng.random() * len(department.nouns))]
            made_of = f" {_pick(rng, MATERIALS)}" if department.ships else ""
            name = f"{_pick(rng, ADJECTIVES)}{made_of} {noun}"
        category = self.category(department.path)
        product = Product(
            id=self._product_id(),
            name=name,
            slug=f"{slugify(name) or 'product'}-{serial}",
            department=department,
            category_id=category.id,
            category_path=category.path,
            currency=currency,
            status=status,
            is_free=is_free,
            requires_shipping=department.ships,
            created_at=self.created_at,
            description=f"{name}: {' / '.join(department.path).lower()}.",
        )
        base = max(
            min_price, department.low + int(rng.random() * (department.high - department.low))
        )
        values = department.values or ("",)
        code = "".join(w[0] for w in department.path).upper() + department.path[-1][:3].upper()
        for position in range(variants):
            value = values[position % len(values)]
            label = value if position < len(values) else f"{value} {position // len(values) + 1}"
            if is_free:
                amount = 0
            elif price is not None:
                amount = price
            elif department.attribute == "amount":
                amount = int(value) * 100
            else:
                amount = base + position * 500 if department.attribute == "storage" else base
            amount = _convert(amount, currency)
            units = stock if stock is not None else 20 + int(rng.random() * 380)
            variant = Variant(
                product,
                self._variant_id(),
                f"{code}-{serial:05d}-{position + 1:02d}",
                label or "Default",
                amount,
                units,
            )
            variant.position = position
            if department.attribute and label:
                variant.attributes = {department.attribute: label}
            product.variants.append(variant)
        self.products.append(product)
        return product

    def stock_pool(self) -> None:
        """The products orders and carts draw from: each department in USD, some in every
        other currency, and two free products."""
        rng = self._rng
        for department in DEPARTMENTS:
            for _ in range(8):
                self.add_product(department, variants=2 + int(rng.random() * 2))
        shipped = [d for d in DEPARTMENTS if d.ships]
        for currency in OTHER_CURRENCIES:
            for index in range(6):
                self.add_product(shipped[index % len(shipped)], currency=currency, variants=2)
        self.add_product(DEPARTMENTS[-2], is_free=True, name="Free Sample Chapter")
        self.add_product(DEPARTMENTS[2], is_free=True, name="Free Recipe Tea Towel")

    def special(self, kind: str) -> Variant:
        """A variant some edge case needs, made once: `large` (333,333.33, so three make
        EC008's 999,999.99), `injection` (EC015's text as its name), `last_unit` (one unit
        left, EC002)."""
        found = self._special.get(kind)
        if found is not None:
            return found
        computers = DEPARTMENTS[5]
        if kind == "large":
            product = self.add_product(
                computers, name="Custom Render Farm Cluster", price=33_333_333, stock=10
            )
        elif kind == "injection":
            product = self.add_product(DEPARTMENTS[3], name=INJECTION_TEXT)
        else:
            product = self.add_product(DEPARTMENTS[3], name="Last One Left Vase", stock=1)
        found = self._special[kind] = product.variants[0]
        self._pools.clear()
        return found

    # -- drawing lines ---------------------------------------------------------------------

    def pool(self, name: str) -> list[Variant]:
        """Sellable variants: `USD`, `EUR` … (any shipping), `USD:digital`, `USD:ships`,
        `USD:expensive`, `free`. Special variants are never drawn."""
        found = self._pools.get(name)
        if found is not None:
            return found
        specials = {v.id for v in self._special.values()}
        every = [
            v
            for p in self.products
            if p.status == "active" and p.scenario is None
            for v in p.variants
            if v.id not in specials
        ]
        if name == "free":
            found = [v for v in every if v.product.is_free]
        else:
            currency, _, kind = name.partition(":")
            found = [v for v in every if v.currency == currency and not v.product.is_free]
            if kind == "digital":
                found = [v for v in found if not v.product.requires_shipping]
            elif kind == "ships":
                found = [v for v in found if v.product.requires_shipping]
            elif kind == "expensive":
                found = [v for v in found if v.price >= EXPENSIVE_MINOR]
        self._pools[name] = found
        return found

    # -- as records ------------------------------------------------------------------------

    def record(self, product: Product) -> dict[str, Any]:
        """The product as a JSON record, its variants' stock as it is now."""
        text = money_formatter(product.currency)
        variants = product.variants
        record: dict[str, Any] = {"scenario": product.scenario or "happy_path"}
        if product.edge_case:
            record["edge_case"], record["breaks_rule"] = product.edge_case, None
        record.update(
            id=product.id,
            name=product.name,
            slug=product.slug,
            status=product.status,
            category=" > ".join(product.department.path),
            currency=product.currency,
            is_free=product.is_free,
            requires_shipping=product.requires_shipping,
            price=text(min(v.price for v in variants)),
            in_stock=any(v.available > 0 for v in variants),
            created_at=product.created_at,
            variants=[
                {
                    "id": v.id,
                    "sku": v.sku,
                    "title": v.title,
                    "price": text(v.price),
                    "attributes": v.attributes,
                    "available": v.available,
                }
                for v in variants
            ],
        )
        return record


def _pick(rng: random.Random, items: tuple[str, ...]) -> str:
    return items[int(rng.random() * len(items))]


def _convert(usd_minor: int, currency: str) -> int:
    """A USD price in cents → a price in `currency`'s minor units, ending in .99 / whole yen."""
    if currency == "USD" or usd_minor == 0:
        return usd_minor
    if currency == "JPY":
        return max(100, int(usd_minor * RATES["JPY"] / 100) // 10 * 10)
    return max(99, int(usd_minor * RATES[currency]) // 100 * 100 + 99)
