"""How the store's carts fared (`GET /v1/cart-summary`, the admin dashboard's conversion):
carts opened in a window, those with something in them, those that became orders, those
abandoned; staff only, and a window that makes no sense is refused."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

from mercato.agents.cart.abandonment import detect_abandoned
from tests.integration.catalog.conftest import ADMIN_HEADERS
from tests.integration.checkout.conftest import Checkout
from tests.integration.identity.conftest import sign_up


def at(moment: object) -> str:
    return quote(moment.isoformat())  # type: ignore[attr-defined]


async def test_the_summary_counts_the_windows_carts_by_how_they_fared(
    quiet_checkout: Checkout,
) -> None:
    shop = quiet_checkout.shop
    assert shop.clock is not None
    product = await shop.product("20.00")
    # given a cart opened yesterday (outside the window)
    await quiet_checkout.filled_cart((product, 1))
    shop.clock.advance(days=1)
    opened = shop.clock.now()
    # and today: an empty cart, a cart left idle past the hour, and two carts that became orders
    await shop.cart(await shop.guest())
    await quiet_checkout.filled_cart((product, 2))
    shop.clock.advance(minutes=61)
    assert await detect_abandoned(shop.kernel) >= 1
    for _ in range(2):
        cart, headers = await quiet_checkout.filled_cart((product, 1))
        placed = await quiet_checkout.post(cart, headers)
        assert placed.status_code == 201, placed.text

    # when an admin asks how today's carts fared
    answer = await shop.client.get(
        f"/v1/cart-summary?since={at(opened)}&until={at(shop.clock.now() + timedelta(seconds=1))}",
        headers=ADMIN_HEADERS,
    )

    # then four were opened, three had something in them, two became orders, one was abandoned
    assert answer.status_code == 200, answer.text
    summary = answer.json()
    assert (summary["started"], summary["with_items"], summary["converted"]) == (4, 3, 2)
    assert summary["abandoned"] == 1
    assert summary["conversion"] == "0.6667"


async def test_without_a_window_the_last_day_is_summed_and_an_empty_one_has_no_rate(
    quiet_checkout: Checkout,
) -> None:
    answer = await quiet_checkout.client.get("/v1/cart-summary", headers=ADMIN_HEADERS)
    assert answer.status_code == 200
    summary = answer.json()
    assert (summary["started"], summary["conversion"]) == (0, None)
    assert summary["since"] < summary["until"]


async def test_a_window_that_makes_no_sense_is_refused(quiet_checkout: Checkout) -> None:
    shop = quiet_checkout.shop
    assert shop.clock is not None
    now = shop.clock.now()
    for query, code in [
        (f"since={at(now)}&until={at(now - timedelta(hours=1))}", "invalid_window"),
        (f"since={at(now - timedelta(days=400))}&until={at(now)}", "invalid_window"),
        ("since=2026-01-01T00:00:00", "validation_failed"),  # no time zone: whose midnight?
        ("since=yesterday", "validation_failed"),
    ]:
        answer = await shop.client.get(f"/v1/cart-summary?{query}", headers=ADMIN_HEADERS)
        assert answer.status_code == 422, (query, answer.text)
        assert answer.json()["code"] == code


async def test_only_staff_who_read_any_cart_see_the_summary(checkout: Checkout) -> None:
    client = checkout.client
    customer = await sign_up(client, "customer")
    merchant = await sign_up(client, "merchant", merchant_id="m-1")
    support = await sign_up(client, "support")
    assert (await client.get("/v1/cart-summary")).status_code == 401
    for who, status in ((customer, 403), (merchant, 403), (support, 200)):
        answer = await client.get("/v1/cart-summary", headers=who.headers)
        assert answer.status_code == status, who
