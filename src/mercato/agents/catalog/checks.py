"""The checks every write of prices and SKUs goes through (BR012, BR013, amounts)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation

from mercato.agents.catalog.models import Category
from mercato.agents.catalog.problems import InvalidAmount, InvalidCompareAtPrice, UnknownCategory
from mercato.agents.catalog.rules import duplicates, taken_skus
from mercato.kernel import rules
from mercato.kernel.db import UnitOfWork
from mercato.kernel.money import is_valid_amount
from mercato.kernel.rules import RuleViolated


def check_amounts(amounts: Iterable[Decimal | None], currency: str) -> None:
    """Each amount is finite and in the currency's minor units; one too large to round
    (`-1e30`: rounding overflows the decimal context) is as invalid as one too fine."""
    for amount in amounts:
        if amount is None:
            continue
        try:
            valid = amount.is_finite() and is_valid_amount(amount, currency)
        except InvalidOperation:
            valid = False
        if not valid:
            raise InvalidAmount(f"{amount} is not a valid amount in {currency}")


def check_compare_at(compare_at: Decimal | None, price: Decimal) -> None:
    if compare_at is not None and compare_at <= price:
        raise InvalidCompareAtPrice(f"compare-at price {compare_at} is not above {price}")


async def enforce_prices(prices: Sequence[Decimal], *, is_free: bool) -> None:
    """BR012, with EC010: a free product is explicit."""
    detail = (
        "a product marked free has every price at 0"
        if is_free
        else "every price is greater than 0 (a product sold for 0 is marked `is_free`)"
    )
    await rules.enforce("BR012", detail=detail, prices=list(prices), is_free=is_free)


async def enforce_unique_skus(uow: UnitOfWork, skus: Sequence[str]) -> None:
    """BR013, before inserting (a concurrent insert is caught at flush)."""
    try:
        await rules.enforce("BR013", uow=uow, skus=list(skus))
    except RuleViolated:
        repeated = duplicates(skus)
        if repeated:
            raise sku_taken(repeated, "repeated in the request") from None
        raise sku_taken(await taken_skus(uow, skus)) from None


def sku_taken(skus: Sequence[str], why: str = "already used by another variant") -> RuleViolated:
    return RuleViolated(rules.get("BR013"), f"SKU {', '.join(skus)}: {why}", skus=list(skus))


async def category_for(uow: UnitOfWork, category_id: str | None) -> Category | None:
    if category_id is None:
        return None
    category = await uow.session.get(Category, category_id)
    if category is None:
        raise UnknownCategory(f"no category {category_id!r}")
    return category
