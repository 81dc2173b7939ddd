"""The demo's reviews: written through the agent's own rules, over the store's products,
some verified, the spam held, with each product's aggregate; a second run adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from mercato.agents.reviews import demo
from mercato.agents.reviews.models import ProductRating, Review
from mercato.kernel.context import bind
from tests.integration.identity.conftest import ADMIN
from tests.integration.reviews.conftest import Board


async def _counts(board: Board) -> tuple[int, int, int, int]:
    with bind(tenant_id="default"):
        async with board.kernel.uow(writes=False) as uow:
            every = await uow.session.scalar(select(func.count()).select_from(Review))
            verified = await uow.session.scalar(
                select(func.count()).select_from(Review).where(Review.verified.is_(True))
            )
            held = await uow.session.scalar(
                select(func.count()).select_from(Review).where(Review.status == "pending")
            )
            rated = await uow.session.scalar(select(func.count()).select_from(ProductRating))
    return int(every or 0), int(verified or 0), int(held or 0), int(rated or 0)


async def test_the_demo_seeds_reviews_once(board: Board) -> None:
    # given a store with a few products
    products = [await board.product() for _ in range(6)]
    # when the demo seeds its reviews twice
    with bind(tenant_id="default"):
        await demo.seed(board.kernel)
    first = await _counts(board)
    with bind(tenant_id="default"):
        await demo.seed(board.kernel)
    # then reviews exist, some verified, the four spam ones held, and nothing was added again
    every, verified, held, rated = first
    assert every > 20 and 0 < verified < every and held == 4 and rated >= 1
    assert await _counts(board) == first
    queue = await board.client.get("/v1/reviews", params={"status": "pending"}, headers=ADMIN)
    assert all(r["display_name"] == "Deal Hunter" for r in queue.json()["items"])
    listed = [await board.listing(p) for p in products]
    assert sum(page["rating"]["count"] for page in listed) == every - held
