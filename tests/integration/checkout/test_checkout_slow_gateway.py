"""BR018 at the payment step: a gateway (a local Stripe, on its real wire) that takes longer
to answer than the stock is held for. The order cannot be confirmed on holds that lapsed,
so the checkout is undone whole: the order cancelled, the authorization voided, the stock
and the cart back as they were."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from mercato.kernel.clock import ManualClock
from mercato.kernel.config import Settings
from tests.fakes.stripe_api import FakeStripe
from tests.integration.cart.conftest import Shop
from tests.integration.checkout.conftest import GOOD, Checkout, body, new_key
from tests.support.store import store_for


class StripeThatAnswersLate(FakeStripe):
    """Stripe thinking for 20 minutes over each authorization (holds last 15 by default):
    the store's clock has moved on when the answer arrives."""

    def __init__(self, clock: ManualClock) -> None:
        super().__init__()
        self.clock = clock

    def _create_pi(self, pi_id: str | None, p: dict[str, Any], key: str | None) -> tuple[int, Any]:
        self.clock.advance(minutes=20)
        return super()._create_pi(pi_id, p, key)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 6, 1, 12, 0, tzinfo=UTC))


@pytest.fixture
def late_stripe(clock: ManualClock) -> Iterator[StripeThatAnswersLate]:
    with StripeThatAnswersLate(clock).running() as fake:
        yield fake


@pytest.fixture
async def checkout(
    make_settings: Callable[..., Settings], late_stripe: StripeThatAnswersLate, clock: ManualClock
) -> AsyncIterator[Checkout]:
    settings = make_settings(
        stripe_api_key=late_stripe.api_key,
        stripe_api_base=late_stripe.url,
        stripe_webhook_secret=late_stripe.webhook_secret,
        payment_providers=["sandbox", "stripe"],
    )
    async with store_for(settings, clock=clock, start=False) as (kernel, client):
        yield Checkout(Shop(kernel, client, clock))


@pytest.mark.business_rule("BR018")
async def test_holds_that_lapse_while_the_gateway_answers_confirm_no_order(
    checkout: Checkout,
) -> None:
    # given a cart of 2 units out of 5
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 2))

    # when it is checked out through a gateway that answers after the holds lapsed
    request = body(
        cart, GOOD, payment={"provider": "stripe", "card": body(cart)["payment"]["card"]}
    )
    answer = await checkout.client.post(
        "/v1/checkout", json=request, headers={**headers, "Idempotency-Key": new_key()}
    )

    # then the checkout is refused, and nothing of it stays: no confirmed order, no
    # authorization left standing, no stock held, the cart the shopper's again
    assert answer.status_code == 409, answer.text
    assert answer.json()["code"] == "reservation_not_active"
    [order] = await checkout.orders()
    assert (order.status, order.confirmed_at) == ("cancelled", None)
    [payment] = await checkout.payments()
    assert payment.status == "voided"
    level = await checkout.level(product)
    assert (level["reserved"], level["available"]) == (0, 5)
    again = await checkout.shop.get(cart, headers)
    assert again["status"] == "active"
