"""BR020 and the cart_abandonment workflow: a cart with items idle for an hour publishes
`cart.abandoned` once; activity starts a new idle period; empty carts never do."""

from __future__ import annotations

import pytest

from mercato.agents.cart.abandonment import detect_abandoned
from mercato.kernel.bootstrap import Kernel
from mercato.kernel.config import Settings
from tests.integration.cart.conftest import Shop


@pytest.mark.business_rule("BR020")
async def test_br020_a_cart_idle_for_an_hour_is_announced_once(quiet_shop: Shop) -> None:
    shop = quiet_shop
    assert shop.clock is not None
    # given a cart with a line, and an empty one
    product = await shop.product("12.00")
    guest, idle_and_empty = await shop.guest(), await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id, 3)
    await shop.cart(idle_and_empty)
    started = shop.clock.now()
    # when 59 minutes pass, nothing is announced
    shop.clock.advance(minutes=59)
    assert await detect_abandoned(shop.kernel) == 0
    assert await shop.events("cart.abandoned") == []
    # when 61 minutes have passed, the cart with items is announced
    shop.clock.advance(minutes=2)
    assert await detect_abandoned(shop.kernel) == 1
    assert await shop.events("cart.abandoned") == [
        {
            "cart_id": cart["id"],
            "user_id": None,
            "session_id": (await shop.events("cart.created"))[0]["session_id"],
            "items": 1,
            "subtotal": "36.00",
            "currency": "USD",
            "idle_since": started.isoformat(),
        }
    ]
    # and however often the sweep runs, and however long it stays idle, only once
    shop.clock.advance(hours=5)
    assert await detect_abandoned(shop.kernel) == 0
    assert len(await shop.events("cart.abandoned")) == 1


@pytest.mark.business_rule("BR020")
async def test_br020_activity_starts_a_new_idle_period(quiet_shop: Shop) -> None:
    shop = quiet_shop
    assert shop.clock is not None
    # given a cart announced as abandoned
    product = await shop.product()
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id)
    shop.clock.advance(minutes=61)
    assert await detect_abandoned(shop.kernel) == 1
    # when the shopper comes back and changes it
    await shop.added(cart, guest, product.variant_id)
    # then it is not abandoned until it idles for another hour
    shop.clock.advance(minutes=30)
    assert await detect_abandoned(shop.kernel) == 0
    shop.clock.advance(minutes=31)
    assert await detect_abandoned(shop.kernel) == 1
    assert len(await shop.events("cart.abandoned")) == 2


@pytest.mark.business_rule("BR020")
async def test_br020_a_cart_emptied_before_the_hour_is_not_announced(quiet_shop: Shop) -> None:
    shop = quiet_shop
    assert shop.clock is not None
    product = await shop.product()
    guest = await shop.guest()
    cart = await shop.added(await shop.cart(guest), guest, product.variant_id)
    emptied = await shop.client.delete(
        f"/v1/carts/{cart['id']}/items/{cart['items'][0]['id']}", headers=guest
    )
    assert emptied.status_code == 200
    shop.clock.advance(hours=2)
    assert await detect_abandoned(shop.kernel) == 0
    assert await shop.events("cart.abandoned") == []


async def test_the_sweep_runs_at_the_configured_interval(settings: Settings) -> None:
    # given a deployment configured to sweep every 7.5 s
    configured = settings.model_copy(update={"cart_abandon_sweep_interval": 7.5})
    kernel = Kernel.build(configured)
    # then the cart agent's sweep runs at that interval
    [job] = kernel.registry.agents["cart"].jobs
    assert (job.name, job.seconds(configured)) == ("cart.detect_abandoned", 7.5)
    await kernel.db.dispose()
