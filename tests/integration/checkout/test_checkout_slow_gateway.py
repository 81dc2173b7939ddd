"""BR018 at the payment step: a gateway that takes longer to answer than the stock is held
for. The order cannot be confirmed on holds that lapsed, so the checkout is undone whole:
the order cancelled, the authorization voided, the stock and the cart back as they were."""

from __future__ import annotations

from typing import Any

import pytest

from mercato.agents.payments import service as payments
from mercato.kernel.clock import ManualClock
from tests.integration.checkout.conftest import Checkout


@pytest.mark.business_rule("BR018")
async def test_holds_that_lapse_while_the_gateway_answers_confirm_no_order(
    quiet_checkout: Checkout, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a cart of 2 units out of 5, and a gateway that answers 20 minutes later
    # (holds last 15 by default)
    checkout = quiet_checkout
    clock: ManualClock = checkout.shop.clock
    product = await checkout.shop.product("10.00", stock=5)
    cart, headers = await checkout.filled_cart((product, 2))
    answer_in_time = payments.authorize_at_gateway

    async def answer_late(*args: Any, **kwargs: Any) -> payments.PaymentInfo:
        clock.advance(minutes=20)
        return await answer_in_time(*args, **kwargs)

    monkeypatch.setattr(payments, "authorize_at_gateway", answer_late)

    # when it is checked out
    answer = await checkout.post(cart, headers)

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
