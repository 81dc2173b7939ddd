"""Spam and profanity wait in the moderation queue; staff approve or reject them with a
reason; shoppers' reports past the threshold send a published review back to the queue."""

from __future__ import annotations

from tests.integration.identity.conftest import ADMIN
from tests.integration.reviews.conftest import Board

SPAM = "BEST DEAL EVER!!! Visit www.cheap-stuff.biz and use code SAVE50 now"


async def test_spam_waits_in_the_queue_until_staff_approve_it(board: Board) -> None:
    # given a product and a customer
    product = await board.product()
    _, customer = await board.customer()
    staff = await board.staff()
    # when the customer posts a review with a link and a promo phrase
    held = await board.review(product, customer, rating=5, body=SPAM)
    # then it waits, with its reasons, unseen by shoppers and uncounted
    assert held["status"] == "pending"
    assert {"link", "promotion"} <= set(held["reasons"])
    listed = await board.listing(product)
    assert listed["items"] == [] and listed["rating"]["count"] == 0
    assert (await board.client.get(f"/v1/reviews/{held['id']}")).status_code == 404
    queue = await board.client.get("/v1/reviews", params={"status": "pending"}, headers=staff)
    assert [r["id"] for r in queue.json()["items"]] == [held["id"]]
    assert [e["held"] for e in await board.events("review.submitted")] == [True]
    # when staff approve it
    approved = await board.act(held["id"], "approve", staff)
    # then it is published and counted
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "published"
    assert (await board.listing(product))["rating"]["count"] == 1
    again = await board.act(held["id"], "approve", staff)
    assert (again.status_code, again.json()["code"]) == (409, "review_moderation_conflict")


async def test_profanity_is_held_and_staff_reject_it_with_a_reason(board: Board) -> None:
    # given a review with a swear word (and one without, from Scunthorpe)
    product = await board.product()
    _, rude = await board.customer()
    _, local = await board.customer()
    held = await board.review(product, rude, rating=1, body="This is total shit, avoid.")
    fine = await board.review(product, local, rating=4, body="Shipped fast to Scunthorpe, nice.")
    assert (held["status"], held["reasons"]) == ("pending", ["profanity"])
    assert fine["status"] == "published"
    # when staff reject it with a reason
    rejected = await board.act(held["id"], "reject", ADMIN, {"reason": "Offensive language"})
    # then it is rejected, the reason recorded, and its author still sees it
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["status"] == "rejected"
    assert "staff: Offensive language" in rejected.json()["reasons"]
    own = await board.client.get(f"/v1/reviews/{held['id']}", headers=rude)
    assert own.json()["status"] == "rejected"


async def test_moderation_is_for_staff_and_a_bad_reason_changes_nothing(board: Board) -> None:
    # given a held review
    product = await board.product()
    _, customer = await board.customer()
    held = await board.review(product, customer, body=SPAM)
    before = await board.snapshot()
    # when a customer approves it, and staff reject it without a reason
    refusals = [
        await board.act(held["id"], "approve", customer),
        await board.act(held["id"], "reject", ADMIN, {"reason": ""}),
        await board.client.get("/v1/reviews", headers=customer),
        await board.act("no-such-review", "approve", ADMIN),
    ]
    # then refused, nothing changed
    assert [r.status_code for r in refusals] == [403, 422, 403, 404]
    assert refusals[3].json()["code"] == "review_not_found"
    assert await board.snapshot() == before


async def test_reports_past_the_threshold_send_a_review_back_to_the_queue(board: Board) -> None:
    # given a published review and three other shoppers (threshold 3)
    product = await board.product()
    _, author = await board.customer()
    review = await board.review(product, author)
    reporters = [(await board.customer())[1] for _ in range(3)]
    # when two report it, and one of them twice
    for who in reporters[:2]:
        answer = await board.act(review["id"], "reports", who, {"reason": "fake review"})
        assert answer.status_code == 200, answer.text
    twice = await board.act(review["id"], "reports", reporters[0], {"reason": "again"})
    # then it is still shown; the repeat is refused
    assert (twice.status_code, twice.json()["code"]) == (409, "review_already_reported")
    assert (await board.listing(product))["rating"]["count"] == 1
    # when the third reports it
    third = await board.act(review["id"], "reports", reporters[2], {"reason": "spam"})
    # then it waits for staff, withdrawn from the shop
    assert third.json()["status"] == "pending" and "reported" in third.json()["reasons"]
    assert (await board.listing(product))["rating"]["count"] == 0
    assert [e["review_id"] for e in await board.events("review.withdrawn")] == [review["id"]]
    hidden = await board.act(review["id"], "reject", ADMIN, {"reason": "fake", "hide": True})
    assert hidden.json()["status"] == "hidden"


async def test_an_edit_of_a_rejected_review_waits_for_staff_again(board: Board) -> None:
    # given a review staff rejected
    product = await board.product()
    _, customer = await board.customer()
    held = await board.review(product, customer, rating=1, body="This is total shit, avoid.")
    await board.act(held["id"], "reject", ADMIN, {"reason": "Offensive language"})
    # when its author rewrites it politely
    edited = await board.client.patch(
        f"/v1/reviews/{held['id']}", json={"body": "Not good, it broke."}, headers=customer
    )
    # then it is not published by the edit: it waits for staff
    assert edited.status_code == 200, edited.text
    assert (edited.json()["status"], edited.json()["reasons"]) == (
        "pending",
        ["edited after moderation"],
    )
    assert (await board.listing(product))["items"] == []
