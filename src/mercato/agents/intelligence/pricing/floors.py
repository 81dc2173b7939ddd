"""The margin floor under every suggestion: a product's cost (the catalog has none: the
merchant states it here) plus its minimum margin, the product's own, else its category's
(the nearest one up its path), else the store's default (`Settings.
intel_pricing_min_margin_percent`). No cost, no floor: suggestions then never lower the price."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from mercato.agents.catalog import service as catalog
from mercato.agents.intelligence.pricing.models import CategoryFloor, Cost
from mercato.agents.intelligence.pricing.problems import CategoryNotFound, InvalidPricingInput
from mercato.agents.intelligence.pricing.products import StoreProduct
from mercato.agents.intelligence.pricing.rules import Floor
from mercato.kernel.db import UnitOfWork
from mercato.kernel.money import is_valid_amount


@dataclass(frozen=True)
class FloorSource:
    floor: Floor
    margin_from: str
    """product, category:<id> or store."""


async def floor_of(uow: UnitOfWork, product: StoreProduct) -> FloorSource | None:
    return (await floors_of(uow, [product]))[product.id]


async def floors_of(
    uow: UnitOfWork, products: Sequence[StoreProduct]
) -> dict[str, FloorSource | None]:
    """Each product's floor, in two queries however many products."""
    if not products:
        return {}
    costs = {
        row.product_id: row
        for row in await uow.session.scalars(
            select(Cost).where(Cost.product_id.in_([p.id for p in products]))
        )
    }
    wanted = {
        c
        for p in products
        if (cost := costs.get(p.id)) is not None and cost.min_margin_percent is None
        for c in p.category_ids
    }
    margins = await _category_margins(uow, wanted)
    found: dict[str, FloorSource | None] = {}
    for product in products:
        cost = costs.get(product.id)
        if cost is None or cost.currency != product.currency:
            found[product.id] = None
            continue
        amount = cost.min_margin_amount or Decimal(0)
        percent: Decimal | None = cost.min_margin_percent
        source = "product"
        if percent is None:
            percent, source = _nearest(margins, product.category_ids)
        if percent is None:
            percent, source = uow.settings.intel_pricing_min_margin_percent, "store"
        found[product.id] = FloorSource(Floor(cost.cost, percent, amount, cost.currency), source)
    return found


async def _cost(uow: UnitOfWork, product_id: str) -> Cost | None:
    found: Cost | None = await uow.session.scalar(select(Cost).where(Cost.product_id == product_id))
    return found


async def _category_margins(uow: UnitOfWork, category_ids: set[str]) -> dict[str, Decimal]:
    if not category_ids:
        return {}
    return {
        row.category_id: row.min_margin_percent
        for row in await uow.session.scalars(
            select(CategoryFloor).where(CategoryFloor.category_id.in_(sorted(category_ids)))
        )
    }


def _nearest(
    margins: dict[str, Decimal], category_ids: Sequence[str]
) -> tuple[Decimal | None, str]:
    """The margin of the nearest category up the product's path that has one."""
    for category_id in category_ids:  # nearest first
        if category_id in margins:
            return margins[category_id], f"category:{category_id}"
    return None, "store"


async def set_cost(
    uow: UnitOfWork,
    *,
    product: StoreProduct,
    cost: Decimal,
    currency: str | None,
    min_margin_percent: Decimal | None,
    min_margin_amount: Decimal | None,
    by: str,
    now: datetime,
) -> Cost:
    """State what the product costs (in its own currency) and, optionally, its own minimum
    margin; replaces what was stated before."""
    currency = (currency or product.currency).upper()
    if currency != product.currency:
        raise InvalidPricingInput(f"the product is priced in {product.currency}, not {currency}")
    for amount in (cost, min_margin_amount):
        if amount is not None and not is_valid_amount(amount, currency):
            raise InvalidPricingInput(f"{amount} has more decimals than {currency} has")
    row = await _cost(uow, product.id)
    if row is None:
        row = Cost(product_id=product.id)
        uow.session.add(row)
    row.cost, row.currency = cost, currency
    row.min_margin_percent, row.min_margin_amount = min_margin_percent, min_margin_amount
    row.updated_by, row.updated_at = by, now
    await uow.session.flush()
    return row


async def set_category_margin(
    uow: UnitOfWork, *, category: str, min_margin_percent: Decimal, by: str, now: datetime
) -> CategoryFloor:
    """A category's minimum margin (by its id or slug), for its products and its
    subcategories' that have a cost and no margin of their own."""
    path = await catalog.category_path(uow, category)
    if path is None:
        raise CategoryNotFound(f"no category {category!r}")
    category_id = [part for part in path.split("/") if part][-1]
    row = await uow.session.scalar(
        select(CategoryFloor).where(CategoryFloor.category_id == category_id)
    )
    if row is None:
        row = CategoryFloor(category_id=category_id)
        uow.session.add(row)
    row.min_margin_percent, row.updated_by, row.updated_at = min_margin_percent, by, now
    await uow.session.flush()
    return row


async def costed_products(uow: UnitOfWork) -> list[str]:
    """The products with a stated cost (whose floors a category's margin may move)."""
    return list(await uow.session.scalars(select(Cost.product_id).order_by(Cost.product_id)))
