"""A customer writes, edits and deletes their review of a product (BR015, BR016); the
product's rating aggregate and the review events follow; bad input changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.identity.conftest import ADMIN, guest_headers
from tests.integration.reviews.conftest import CLEAN, Board


async def test_a_clean_review_is_published_at_once_with_its_aggregate_and_events(
    board: Board,
) -> None:
    # given a product and a signed-in customer
    product = await board.product()
    customer_id, customer = await board.customer()
    # when they review it
    review = await board.review(product, customer, rating=4, body=CLEAN)
    # then it is shown at once, not verified (no delivered order), and counted
    assert review["status"] == "published" and review["verified"] is False
    assert (review["customer_id"], review["body"], review["reasons"]) == (customer_id, CLEAN, [])
    assert review["display_name"] == "Casey C."
    listed = await board.listing(product)
    assert [r["id"] for r in listed["items"]] == [review["id"]]
    assert listed["rating"] == {
        "product_id": product,
        "count": 1,
        "average": 4.0,
        "histogram": {"1": 0, "2": 0, "3": 0, "4": 1, "5": 0},
    }
    assert [e["held"] for e in await board.events("review.submitted")] == [False]
    published = await board.events("review.published")
    assert published[0]["body"] == CLEAN and published[0]["rating"] == 4
    changed = await board.events("product.rating_changed")
    assert (changed[-1]["average"], changed[-1]["count"]) == (4.0, 1)


@pytest.mark.business_rule("BR015")
@pytest.mark.parametrize("rating", [0, 6, -1])
async def test_a_rating_outside_one_to_five_is_refused_and_nothing_changes(
    board: Board, rating: int
) -> None:
    # given a product and a customer
    product = await board.product()
    _, customer = await board.customer()
    before = await board.snapshot()
    # when they rate it out of range
    answer = await board.post(product, customer, rating=rating)
    # then BR015's problem, and nothing is written
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    assert (answer.json()["code"], answer.json()["rule"]) == ("br015_rating_range", "BR015")
    assert await board.snapshot() == before


@pytest.mark.business_rule("BR016")
async def test_a_second_review_of_the_same_product_is_a_conflict_and_an_edit_is_a_patch(
    board: Board,
) -> None:
    # given a customer's review of a product
    product = await board.product()
    _, customer = await board.customer()
    first = await board.review(product, customer, rating=2, body="Too small for me.")
    before = await board.snapshot()
    # when they post another one
    again = await board.post(product, customer, rating=5)
    # then 409 with BR016's stable code, and nothing changed
    assert again.status_code == 409, again.text
    assert again.json()["code"] == "br016_one_review_per_product"
    assert await board.snapshot() == before
    # when they change the first one instead
    changed = await board.client.patch(
        f"/v1/reviews/{first['id']}", json={"rating": 3, "title": None}, headers=customer
    )
    # then it is the same review with the new rating, and the aggregate follows
    assert changed.status_code == 200, changed.text
    assert (changed.json()["id"], changed.json()["rating"], changed.json()["title"]) == (
        first["id"],
        3,
        None,
    )
    assert (await board.listing(product))["rating"]["histogram"]["3"] == 1


@pytest.mark.business_rule("BR015")
async def test_an_edit_out_of_range_or_by_another_changes_nothing(board: Board) -> None:
    # given a review
    product = await board.product()
    _, author = await board.customer()
    _, other = await board.customer()
    review = await board.review(product, author)
    before = await board.snapshot()
    # when its author rates it 9 and another customer edits or deletes it
    url = f"/v1/reviews/{review['id']}"
    refusals = [
        await board.client.patch(url, json={"rating": 9}, headers=author),
        await board.client.patch(url, json={"body": "mine now"}, headers=other),
        await board.client.delete(url, headers=other),
        await board.client.patch(url, json={"verified": True}, headers=author),
    ]
    # then each is refused with its code and nothing changed
    codes = [(r.status_code, r.json()["code"]) for r in refusals]
    assert codes == [
        (422, "br015_rating_range"),
        (403, "review_not_yours"),
        (403, "review_not_yours"),
        (422, "validation_failed"),
    ]
    assert await board.snapshot() == before


@pytest.mark.parametrize(
    "body",
    [
        {"rating": 5, "body": ""},
        {"rating": 5, "body": "   "},
        {"rating": 5, "body": "x" * 5001},
        {"rating": 5, "body": "ok\u0000"},
        {"rating": "five", "body": "Nice"},
        {"rating": 5, "body": "Nice", "verified": True},
        {"body": "Nice"},
    ],
)
async def test_a_review_that_is_not_valid_is_refused_and_nothing_is_written(
    board: Board, body: dict[str, Any]
) -> None:
    # given a product and a customer
    product = await board.product()
    _, customer = await board.customer()
    before = await board.snapshot()
    # when they send a bad review (verified is never the client's to say)
    answer = await board.client.post(f"/v1/products/{product}/reviews", json=body, headers=customer)
    # then a problem, and nothing written
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] in {"validation_failed", "invalid_review"}
    assert await board.snapshot() == before


async def test_only_signed_in_customers_write_and_a_missing_product_is_a_404(
    board: Board,
) -> None:
    # given a product
    product = await board.product()
    _, customer = await board.customer()
    guest_session = await guest_headers(board.client)
    before = await board.snapshot()
    # when nobody, a guest, or a customer on a missing product posts
    anonymous = await board.post(product, {})
    guest = await board.post(product, guest_session)
    missing = await board.post("no-such-product", customer)
    # then refused, and nothing written
    assert anonymous.status_code == 401
    assert guest.status_code == 403
    assert missing.status_code == 404
    assert await board.snapshot() == before


async def test_the_author_deletes_their_review_and_may_write_another(board: Board) -> None:
    # given a published review
    product = await board.product()
    _, customer = await board.customer()
    review = await board.review(product, customer, rating=1, body="Broke on day one.")
    # when its author deletes it
    gone = await board.client.delete(f"/v1/reviews/{review['id']}", headers=customer)
    # then it is gone, the aggregate is empty, the withdrawal announced
    assert gone.status_code == 204, gone.text
    listed = await board.listing(product)
    assert listed["items"] == [] and listed["rating"]["count"] == 0
    assert listed["rating"]["average"] is None
    assert [e["review_id"] for e in await board.events("review.withdrawn")] == [review["id"]]
    assert (await board.client.get(f"/v1/reviews/{review['id']}")).status_code == 404
    # and a new review is accepted
    assert (await board.post(product, customer, rating=4)).status_code == 201
    mine = await board.client.get("/v1/reviews/mine", headers=customer)
    assert [r["rating"] for r in mine.json()["items"]] == [4]
    assert (await board.client.get("/v1/reviews/mine", headers=ADMIN)).status_code == 403
