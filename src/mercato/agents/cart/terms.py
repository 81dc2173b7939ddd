"""Where a cart is taxed, and the discount code it carries (one per cart)."""

from __future__ import annotations

from datetime import datetime

from mercato.agents.cart import codes, view
from mercato.agents.cart.access import Shopper, answer, claim, for_write
from mercato.agents.cart.problems import (
    DiscountCodeNotApplied,
    DiscountMinimumNotMet,
    RegionNeedsCountry,
)
from mercato.agents.cart.view import CartView
from mercato.kernel.db import UnitOfWork
from mercato.kernel.money import round_money


async def set_address(
    uow: UnitOfWork,
    *,
    cart_id: str,
    shopper: Shopper,
    changes: dict[str, str | None],
    now: datetime,
) -> CartView:
    """Where the cart is taxed: `changes` holds the fields the shopper sent (country,
    region). A new country clears the region unless one is given; None means the store's
    default country."""
    cart = await for_write(uow, cart_id, shopper)
    country = changes.get("country", cart.country)
    region = changes.get("region") if {"country", "region"} & changes.keys() else cart.region
    if region is not None and country is None:
        raise RegionNeedsCountry("set the cart's country with its region")
    await claim(uow, cart, now=now)
    cart.country, cart.region = country, region
    return await answer(uow, cart, now=now)


async def apply_code(
    uow: UnitOfWork,
    *,
    cart_id: str,
    shopper: Shopper,
    code: str,
    now: datetime,
) -> CartView:
    """Put a discount code on the cart (one per cart: it replaces any other)."""
    cart = await for_write(uow, cart_id, shopper)
    row = await codes.find(uow, code)
    reason = codes.dead_reason(row, now=now, currency=cart.currency)
    if reason is not None or row is None:
        raise codes.refuse(reason or "discount_code_not_found", code)
    current = await view.build(uow, cart, now=now)
    if row.min_subtotal is not None and current.totals.subtotal < row.min_subtotal:
        minimum = format(round_money(row.min_subtotal, cart.currency), "f")
        raise DiscountMinimumNotMet(
            codes.DETAILS["discount_minimum_not_met"].format(code=row.code, minimum=minimum),
            min_subtotal=minimum,
            subtotal=format(current.totals.subtotal, "f"),
        )
    await claim(uow, cart, now=now)
    cart.discount_code = row.code
    return await answer(uow, cart, now=now)


async def remove_code(
    uow: UnitOfWork,
    *,
    cart_id: str,
    shopper: Shopper,
    code: str,
    now: datetime,
) -> CartView:
    cart = await for_write(uow, cart_id, shopper)
    if cart.discount_code is None or cart.discount_code != codes.normalize(code):
        raise DiscountCodeNotApplied(f"the cart does not carry the code {codes.normalize(code)}")
    await claim(uow, cart, now=now)
    cart.discount_code = None
    return await answer(uow, cart, now=now)
