"""A product's published reviews: sorted newest, most helpful, rating high or low; filtered
by rating and verified; paged by cursor without repeats or gaps."""

from __future__ import annotations

from typing import Any

from tests.integration.reviews.conftest import Board


async def _all(board: Board, product: str, **params: Any) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = await board.listing(
            product, limit=2, **params, **({"cursor": cursor} if cursor else {})
        )
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen


async def test_sorts_filters_and_pages(board: Board) -> None:
    # given five reviews rated 3, 5, 1, 4, 5 and one vote on the 1-star one
    product = await board.product()
    made = []
    for rating in (3, 5, 1, 4, 5):
        _, who = await board.customer()
        made.append(
            await board.review(
                product, who, rating=rating, body=f"Rated it {rating} stars honestly."
            )
        )
    _, voter = await board.customer()
    await board.act(made[2]["id"], "votes", voter, {"helpful": True})
    # when they are listed two at a time in each order
    newest = await _all(board, product)
    helpful = await _all(board, product, sort="helpful")
    high = await _all(board, product, sort="rating_high")
    low = await _all(board, product, sort="rating_low")
    fives = await _all(board, product, rating=5)
    verified = await _all(board, product, verified=True)
    # then every review once, in the order asked
    assert [r["id"] for r in newest] == [r["id"] for r in reversed(made)]
    assert helpful[0]["id"] == made[2]["id"] and len(helpful) == 5
    assert [r["rating"] for r in high] == [5, 5, 4, 3, 1]
    assert [r["rating"] for r in low] == [1, 3, 4, 5, 5]
    assert {r["id"] for r in fives} == {made[1]["id"], made[4]["id"]}
    assert verified == []
    summary = (await board.listing(product))["rating"]
    assert (summary["count"], summary["average"]) == (5, 3.6)
    assert summary["histogram"] == {"1": 1, "2": 0, "3": 1, "4": 1, "5": 2}
    bad = await board.client.get(f"/v1/products/{product}/reviews", params={"cursor": "nope"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_cursor")
