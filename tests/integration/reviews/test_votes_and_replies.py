"""Helpful votes (one per signed-in user, changeable, never on one's own review) and replies
(a merchant on its own products' reviews, staff on any)."""

from __future__ import annotations

from tests.integration.identity.conftest import ADMIN
from tests.integration.reviews.conftest import Board


async def test_one_changeable_vote_per_user_and_none_on_ones_own_review(board: Board) -> None:
    # given a published review and two other shoppers
    product = await board.product()
    _, author = await board.customer()
    review = await board.review(product, author)
    _, first = await board.customer()
    _, second = await board.customer()
    # when both find it helpful, then the first changes their mind
    await board.act(review["id"], "votes", first, {"helpful": True})
    await board.act(review["id"], "votes", second, {"helpful": True})
    again = await board.act(review["id"], "votes", first, {"helpful": True})
    changed = await board.act(review["id"], "votes", first, {"helpful": False})
    # then each user counts once, with their latest vote
    assert (again.json()["helpful"], again.json()["unhelpful"]) == (2, 0)
    assert (changed.json()["helpful"], changed.json()["unhelpful"], changed.json()["my_vote"]) == (
        1,
        1,
        False,
    )
    before = await board.snapshot()
    # when the author votes on their own review, or a guest votes
    own = await board.act(review["id"], "votes", author, {"helpful": True})
    nobody = await board.act(review["id"], "votes", {}, {"helpful": True})
    # then refused, nothing changed
    assert (own.status_code, own.json()["code"]) == (403, "review_own_vote")
    assert nobody.status_code == 401
    assert await board.snapshot() == before


async def test_a_merchant_replies_on_its_own_products_only_and_staff_on_any(board: Board) -> None:
    # given a merchant's product and another merchant's, each with a review
    seller = await board.merchant("merchant-1")
    rival = await board.merchant("merchant-2")
    product = await board.product(seller)
    _, customer = await board.customer()
    review = await board.review(product, customer, rating=2, body="Colour faded after a wash.")
    # when the product's merchant replies
    answer = await board.act(review["id"], "replies", seller, {"body": "Sorry! Write to us."})
    # then the reply is shown with the review
    assert answer.status_code == 201, answer.text
    assert answer.json()["author_kind"] == "merchant"
    before = await board.snapshot()
    # when another merchant, or a customer, replies
    other = await board.act(review["id"], "replies", rival, {"body": "Buy ours instead"})
    shopper = await board.act(review["id"], "replies", customer, {"body": "me too"})
    # then refused, nothing changed
    assert (other.status_code, other.json()["code"]) == (403, "review_reply_not_allowed")
    assert shopper.status_code == 403
    assert await board.snapshot() == before
    staff = await board.act(review["id"], "replies", ADMIN, {"body": "Replacement sent."})
    assert staff.json()["author_kind"] == "staff"
    listed = await board.listing(product)
    assert [r["author_kind"] for r in listed["items"][0]["replies"]] == ["merchant", "staff"]
