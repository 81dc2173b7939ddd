"""BR025: a review is a verified purchase when a delivered order of its author holds the
product; a delivery after the review upgrades it. Verified is never the client's to say."""

from __future__ import annotations

import pytest

from tests.integration.cart.conftest import Product
from tests.integration.reviews.conftest import LiveBoard
from tests.support.store import settle


@pytest.mark.business_rule("BR025")
async def test_a_delivery_makes_the_customers_review_a_verified_purchase(
    live_board: LiveBoard,
) -> None:
    shop = live_board.shop
    assert shop is not None
    # given a customer who reviewed a product and another they never bought
    bought: Product = await shop.product(stock=5)
    other: Product = await shop.product(stock=5)
    _, customer = await live_board.customer()
    early = await live_board.review(bought.id, customer, rating=4)
    unbought = await live_board.review(other.id, customer, rating=3)
    assert early["verified"] is False
    # when their order of the first one is checked out, shipped and delivered
    order, _ = await shop.checked_out((bought, 1), headers=customer)
    await shop.deliver(await shop.ship(order["id"]))
    await settle(live_board.kernel)
    # then that review is verified (and announced again), the other is not
    now = await live_board.client.get(f"/v1/reviews/{early['id']}")
    assert now.json()["verified"] is True
    assert (await live_board.client.get(f"/v1/reviews/{unbought['id']}")).json()[
        "verified"
    ] is False
    assert [e["verified"] for e in await live_board.events("review.published")][-1] is True
    listed = await live_board.listing(bought.id, verified=True)
    assert [r["id"] for r in listed["items"]] == [early["id"]]
