"""Variants: loading a product's, adding one, changing one (a new price is published)."""

from __future__ import annotations

from collections.abc import Sequence
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
from mercato.agents.catalog.models import Product, Variant
from mercato.agents.catalog.problems import LastActiveVariant, TooManyVariants
from mercato.agents.catalog.schemas import VariantIn, VariantPatch
from mercato.agents.catalog.statuses import VariantStatus
from mercato.kernel.db import UnitOfWork
from mercato.kernel.errors import NotFound
from mercato.kernel.ids import new_id
from mercato.kernel.money import round_money

MAX_VARIANTS = 100


def new_variant(product_id: str, data: VariantIn, *, position: int, now: datetime) -> Variant:
    return Variant(
        id=new_id(),
        product_id=product_id,
        sku=data.sku,
        title=data.title,
        price=data.price,
        compare_at_price=data.compare_at_price,
        attributes=dict(data.attributes),
        weight_grams=data.weight_grams,
        length_mm=data.length_mm,
        width_mm=data.width_mm,
        height_mm=data.height_mm,
        position=position,
        status=VariantStatus.ACTIVE,
        available=0,
        created_at=now,
        updated_at=now,
    )


async def variants_of(
    uow: UnitOfWork, product_ids: Sequence[str], *, active_only: bool = False
) -> dict[str, list[Variant]]:
    """Each product's variants in their order (one query)."""
    found: dict[str, list[Variant]] = {pid: [] for pid in product_ids}
    if not product_ids:
        return found
    query = select(Variant).where(Variant.product_id.in_(product_ids))
    if active_only:
        query = query.where(Variant.status == VariantStatus.ACTIVE)
    rows = await uow.session.scalars(
        query.order_by(Variant.product_id, Variant.position, Variant.id)
    )
    for variant in rows:
        found[variant.product_id].append(variant)
    return found


async def lock_product(uow: UnitOfWork, product: Product) -> None:
    """Lock the product's row (`SELECT … FOR UPDATE`) and reload it, before a write reads
    its variants: what is derived from them (price, in stock, search text, attribute rows)
    and the checks over them (last active variant, variant count) are then computed from
    the latest committed state, while concurrent writers of the product wait. Every write
    of a product and its variants takes this lock first, then the variants' rows (as
    `service.refresh_availability` does), so they do not deadlock one another. SQLite, whose writers
    are serialized, renders no FOR UPDATE."""
    await uow.session.execute(
        select(Product)
        .where(Product.id == product.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def add_variant(
    uow: UnitOfWork, *, product: Product, data: VariantIn, now: datetime
) -> Variant:
    await lock_product(uow, product)
    variants = (await variants_of(uow, [product.id]))[product.id]
    if len(variants) >= MAX_VARIANTS:
        raise TooManyVariants(f"product {product.id} has {len(variants)} variants")
    check_amounts([data.price, data.compare_at_price], product.currency)
    await enforce_prices([data.price], is_free=product.is_free)
    check_compare_at(data.compare_at_price, data.price)
    await enforce_unique_skus(uow, [data.sku])
    position = max((v.position for v in variants), default=-1) + 1
    variant = new_variant(product.id, data, position=position, now=now)
    try:
        async with uow.session.begin_nested():
            uow.session.add(variant)
            await uow.session.flush()
    except IntegrityError as exc:
        if "sku" in str(exc.orig).lower():
            raise sku_taken([data.sku], "used by a concurrent insert") from None
        raise
    await _after_variant_change(uow, product, [*variants, variant], now=now)
    return variant


async def update_variant(
    uow: UnitOfWork, *, product: Product, variant_id: str, changes: VariantPatch, now: datetime
) -> Variant:
    """Change a variant; a new price publishes `product.price_changed` (carts holding the
    variant will report it, EC013) and may change the product's listed price."""
    await lock_product(uow, product)
    variants = (await variants_of(uow, [product.id]))[product.id]
    variant = next((v for v in variants if v.id == variant_id), None)
    if variant is None:
        raise NotFound(f"product {product.id} has no variant {variant_id!r}")
    given = changes.model_fields_set
    price = changes.price if changes.price is not None else variant.price
    compare_at = (
        changes.compare_at_price if "compare_at_price" in given else variant.compare_at_price
    )
    check_amounts([price, compare_at], product.currency)
    if changes.price is not None:
        await enforce_prices([price], is_free=product.is_free)
    check_compare_at(compare_at, price)
    others_active = any(v.status == VariantStatus.ACTIVE for v in variants if v is not variant)
    archiving = changes.status == VariantStatus.ARCHIVED
    if archiving and variant.status == VariantStatus.ACTIVE and not others_active:
        raise LastActiveVariant(f"{variant.sku} is the product's last active variant")
    old_price = variant.price
    variant.price, variant.compare_at_price = price, compare_at
    if changes.title is not None:
        variant.title = changes.title
    if changes.attributes is not None:
        variant.attributes = dict(changes.attributes)
    for size in ("weight_grams", "length_mm", "width_mm", "height_mm"):
        if getattr(changes, size) is not None:
            setattr(variant, size, getattr(changes, size))
    if changes.status is not None:
        variant.status = changes.status
    variant.updated_at = now
    await _after_variant_change(uow, product, variants, now=now)
    if price != old_price:
        uow.publish(
            events.VariantPriceChanged(
                product_id=product.id,
                variant_id=variant.id,
                sku=variant.sku,
                old_price=format(round_money(old_price, product.currency), "f"),
                new_price=format(round_money(price, product.currency), "f"),
                currency=product.currency,
            ),
            aggregate_id=product.id,
        )
    return variant


async def _after_variant_change(
    uow: UnitOfWork, product: Product, variants: list[Variant], *, now: datetime
) -> None:
    old_price = product.price
    await derived.sync(uow, product, variants)
    product.updated_at = now
    fields = ["variants"] + (["price"] if product.price != old_price else [])
    uow.publish(
        events.ProductUpdated(product_id=product.id, fields=fields), aggregate_id=product.id
    )
