"""EC012: a checkout that starts just before midnight on New Year's Eve and ends after it
keeps one order date throughout: the order's, its number's year, its payment's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from mercato.kernel.config import Settings
from tests.integration.cart.conftest import Shop
from tests.integration.checkout.conftest import Checkout
from tests.support.store import store_for

LAST_MOMENT = datetime(2026, 12, 31, 23, 59, 59, 990_000, tzinfo=UTC)


class TickingClock:
    """Time that moves on by a millisecond each time it is read: a checkout read from
    23:59:59.990 crosses midnight half-way."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        self._now += timedelta(milliseconds=1)
        return self._now


@pytest.fixture
async def midnight_checkout(settings: Settings) -> AsyncIterator[tuple[Checkout, TickingClock]]:
    clock = TickingClock(datetime(2026, 12, 31, 23, 0, tzinfo=UTC))
    async with store_for(settings, clock=clock, start=False) as (kernel, client):
        yield Checkout(Shop(kernel, client)), clock


@pytest.mark.edge_case("EC012")
async def test_a_checkout_across_midnight_keeps_one_order_date(
    midnight_checkout: tuple[Checkout, TickingClock],
) -> None:
    # given a cart, and the clock 10 ms before the new year
    checkout, clock = midnight_checkout
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 1))
    clock._now = LAST_MOMENT

    # when it is checked out, the clock crossing midnight on the way
    answer = await checkout.post(cart, headers)
    assert clock.now().year == 2027

    # then the order, its number and its payment all carry the moment the checkout began
    assert answer.status_code == 201, answer.text
    order = answer.json()["order"]
    placed = datetime.fromisoformat(order["placed_at"])
    assert placed.year == 2026 and placed < datetime(2027, 1, 1, tzinfo=UTC)
    assert order["number"].startswith("ORD-2026-")
    [row] = await checkout.orders()
    assert row.placed_at == placed
    [payment] = await checkout.payments()
    assert payment.created_at == placed
