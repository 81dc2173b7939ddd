"""Each process keeps a store's cart settings and tax rates (ADR 22, fourth pass): a cart
command reads them from memory, and an admin's change reaches every process's next cart
once it commits, not when the copy would have run out."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from mercato.kernel.config import Settings
from tests.conftest import needs_redis
from tests.integration.cart.conftest import Shop
from tests.support.store import store_for

US = {"country": "US", "rate_percent": "5", "name": "US"}


def tax_of(cart: dict[str, object]) -> object:
    return cart["tax_total"]


async def taxed_cart(admin: Shop, shopper: Shop) -> tuple[dict[str, Any], dict[str, str]]:
    """A guest's 20.00 cart made through `shopper`, taxed at 5 % set through `admin`: the
    cart and the guest's headers."""
    await admin.tax_rates(US)
    product = await admin.product("20.00")
    guest = await shopper.guest()
    cart = await shopper.added(await shopper.cart(guest), guest, product.variant_id)
    assert tax_of(cart) == "1.00"
    return cart, guest


async def test_a_new_rate_prices_the_next_cart_command_in_the_same_process(shop: Shop) -> None:
    # given a 20.00 cart taxed at 5 %, the store's terms kept by this process
    cart, guest = await taxed_cart(shop, shop)
    # when the admin raises the rate
    await shop.tax_rates({**US, "rate_percent": "10"})
    # then the cart's next answer is priced at it
    again = await shop.client.get(f"/v1/carts/{cart['id']}", headers=guest)
    assert tax_of(again.json()) == "2.00"


@needs_redis
@pytest.mark.redis
async def test_a_rate_changed_on_one_server_prices_carts_on_another_at_once(
    make_settings: Callable[..., Settings],
) -> None:
    # given two servers of one scaled deployment, each keeping the store's terms a minute
    settings = make_settings("postgres+redis", store_terms_cache_seconds=60)
    async with store_for(settings) as (one_kernel, one), store_for(settings) as (two_kernel, two):
        first, second = Shop(one_kernel, one), Shop(two_kernel, two)
        cart, guest = await taxed_cart(first, second)
        # when the admin raises the rate through the first
        await first.tax_rates({**US, "rate_percent": "10"})
        # then the second prices at it within the broadcast's delay, not the copy's minute
        for _ in range(100):
            answer = await two.get(f"/v1/carts/{cart['id']}", headers=guest)
            if tax_of(answer.json()) != "1.00":
                break
            await asyncio.sleep(0.02)
        assert tax_of(answer.json()) == "2.00"
