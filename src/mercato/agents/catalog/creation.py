"""Creating products: every check first, then the inserts of a whole lot of products in a
few statements (one query for the slugs, one for the SKUs, one INSERT per table), in a
SAVEPOINT so a lost race leaves the caller's transaction usable.

`service.create_product` is this for one product; imports and the demo create in lots.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mercato.agents.catalog import derived, events
from mercato.agents.catalog.checks import (
    check_amounts,
    check_compare_at,
    enforce_prices,
    enforce_unique_skus,
    sku_taken,
)
from mercato.agents.catalog.models import Category, Product, Variant
from mercato.agents.catalog.problems import SlugTaken, UnknownCategory
from mercato.agents.catalog.schemas import ProductIn
from mercato.agents.catalog.variants import new_variant
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

SLUG_ATTEMPTS = 8
"""Concurrent creations of one name each take the next free slug; the last try cannot lose."""
Lot = list[tuple[Product, list[Variant], str | None]]
"""Products being created, each with its variants and the slug asked for."""


@dataclass(frozen=True)
class NewProduct:
    data: ProductIn
    merchant_id: str | None
    """Decided by the caller: a merchant's own id, or what an admin asked for."""


async def create_products(
    uow: UnitOfWork, *, items: Sequence[NewProduct], currency_default: str, now: datetime
) -> list[Product]:
    """Products with their variants, all or none, each with what is derived from it and a
    `product.created` event. Raises the first problem of the lot."""
    if not items:
        return []
    wanted = {i.data.category_id for i in items} - {None}
    categories: dict[str, Category] = {}
    if wanted:
        found = await uow.session.scalars(select(Category).where(Category.id.in_(wanted)))
        categories = {c.id: c for c in found}
    products: Lot = []
    for item in items:
        await _check(item.data, currency_default, categories)
        product = _product(item, categories, currency_default, now)
        variants = [
            new_variant(product.id, v, position=n, now=now)
            for n, v in enumerate(item.data.variants)
        ]
        products.append((product, variants, item.data.slug))
    await enforce_unique_skus(uow, [v.sku for _, variants, _ in products for v in variants])
    await _insert(uow, products)
    # Every event is made before any is published: a caller that rolls this lot back to a
    # SAVEPOINT on an error (the importer) is left with no event of it.
    created = [
        events.ProductCreated(
            product_id=product.id,
            name=product.name,
            status=product.status,
            merchant_id=product.merchant_id,
            currency=product.currency,
            category_id=product.category_id,
            variants=[
                {"variant_id": v.id, "sku": v.sku, "price": format(v.price, "f")} for v in variants
            ],
        )
        for product, variants, _ in products
    ]
    for event in created:
        uow.publish(event, aggregate_id=event.product_id)
    return [product for product, _, _ in products]


async def _check(data: ProductIn, currency_default: str, categories: dict[str, Category]) -> None:
    """Amounts in the currency's minor units, BR012 (EC010), compare-at prices above the
    price, a category that exists."""
    currency = data.currency or currency_default
    prices = [v.price for v in data.variants]
    check_amounts([*prices, *(v.compare_at_price for v in data.variants)], currency)
    check_amounts([data.compare_at_price], currency)
    await enforce_prices(prices, is_free=data.is_free)
    for variant_in in data.variants:
        check_compare_at(variant_in.compare_at_price, variant_in.price)
    check_compare_at(data.compare_at_price, min(prices))
    if data.category_id is not None and data.category_id not in categories:
        raise UnknownCategory(f"no category {data.category_id!r}")


def _product(
    item: NewProduct, categories: dict[str, Category], currency_default: str, now: datetime
) -> Product:
    data = item.data
    category = categories.get(data.category_id) if data.category_id else None
    return Product(
        id=new_id(),
        merchant_id=item.merchant_id,
        name=data.name,
        description=data.description,
        status=data.status,
        category_id=category.id if category else None,
        category_path=category.path if category else None,
        attributes=dict(data.attributes),
        images=list(data.images),
        compare_at_price=data.compare_at_price,
        currency=data.currency or currency_default,
        is_free=data.is_free,
        requires_shipping=data.requires_shipping,
        created_at=now,
        updated_at=now,
    )


async def _insert(uow: UnitOfWork, products: Lot) -> None:
    """Insert everything in a SAVEPOINT; made-up slugs that lose a race are made again."""
    for attempt in range(SLUG_ATTEMPTS):
        await _assign_slugs(uow, products, last=attempt == SLUG_ATTEMPTS - 1)
        try:
            async with uow.session.begin_nested():
                for product, variants, _ in products:
                    derived.apply(product, variants)
                # Table by table: the ORM knows no order between these tables.
                uow.session.add_all(product for product, _, _ in products)
                await uow.session.flush()
                uow.session.add_all(v for _, variants, _ in products for v in variants)
                await uow.session.flush()
                for product, variants, _ in products:
                    await derived.sync(uow, product, variants, new=True)
                await uow.session.flush()
            return
        except IntegrityError as exc:
            conflict = str(exc.orig).lower()
            if "sku" in conflict:
                skus = [v.sku for _, variants, _ in products for v in variants]
                raise sku_taken(skus, "used by a concurrent insert") from None
            if "foreign key" in conflict:
                raise UnknownCategory("a category was deleted meanwhile") from None
            if "slug" not in conflict:
                raise
    raise SlugTaken("the slugs kept being taken by concurrent inserts")


async def _assign_slugs(uow: UnitOfWork, products: Lot, *, last: bool) -> None:
    """Asked-for slugs must be free; the others are made from the name (`name`, `name-2` …
    `name-10`, else `name-<random>`, always on the last try). One query."""
    bases = {p.id: derived.slugify(p.name) or f"p-{p.id[-12:]}" for p, _, _ in products}
    wanted = {slug for _, _, slug in products if slug is not None}
    candidates = {c for base in bases.values() for c in derived.slug_candidates(base)}
    taken = set(
        await uow.session.scalars(select(Product.slug).where(Product.slug.in_(candidates | wanted)))
    )
    for product, _, slug in products:
        if slug is not None:
            if slug in taken:
                raise SlugTaken(f"slug {slug!r} is already used")
            product.slug = slug
            taken.add(slug)
    for product, _, slug in products:
        if slug is None:
            base = bases[product.id]
            unique = f"{base[:280]}-{product.id[-12:]}"
            free = [] if last else [c for c in derived.slug_candidates(base) if c not in taken]
            product.slug = free[0] if free else unique
            taken.add(product.slug)
