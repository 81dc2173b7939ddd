"""The sentiment part follows the reviews agent's events: a published review (new, approved,
or edited) is analysed and stored; a withdrawn one is forgotten. Both are idempotent (an
upsert and a delete keyed by the review), so a redelivery changes nothing."""

from __future__ import annotations

from mercato.agents.intelligence.sentiment import service
from mercato.agents.reviews.events import ReviewPublished, ReviewWithdrawn
from mercato.kernel.bus.subscriptions import Handler, HandlerContext, on


@on(ReviewPublished)
async def analyse_review(event: ReviewPublished, ctx: HandlerContext) -> None:
    await service.record_review(
        ctx.uow,
        review_id=event.review_id,
        product_id=event.product_id,
        rating=event.rating,
        title=event.title,
        body=event.body,
        published_at=event.published_at,
    )


@on(ReviewWithdrawn)
async def forget_review(event: ReviewWithdrawn, ctx: HandlerContext) -> None:
    await service.forget_review(ctx.uow, review_id=event.review_id)


handlers: list[Handler] = [analyse_review, forget_review]
