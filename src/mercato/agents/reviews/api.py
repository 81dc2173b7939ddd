"""The reviews agent's routes: parse → service → schema. Reading a product's published
reviews is public; writing, editing, voting and reporting need `reviews:write` (signed-in
customers); replying needs `reviews:reply` (a merchant on its own products, staff on any);
the queue and moderation need `reviews:moderate`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from mercato.agents.reviews import service
from mercato.agents.reviews.access import MODERATE, REPLY, WRITE
from mercato.agents.reviews.schemas import (
    RatingOut,
    ReasonIn,
    RejectIn,
    ReplyIn,
    ReplyOut,
    ReviewChange,
    ReviewIn,
    ReviewOut,
    ReviewsPageOut,
    SortName,
    StatusName,
    VoteIn,
    page_out,
    rating_out,
    reply_out,
    review_out,
)
from mercato.agents.reviews.service import (
    AlreadyReported,
    InvalidReview,
    ModerationConflict,
    NotYourReview,
    OwnReviewVote,
    ReplyNotAllowed,
    ReviewerRequired,
    ReviewNotFound,
)
from mercato.kernel.auth import Principal, public, require
from mercato.kernel.errors import NotFound
from mercato.kernel.openapi import problems
from mercato.kernel.paging import InvalidCursor
from mercato.kernel.routes import KernelDep

router = APIRouter(tags=["reviews"])

Writer = Annotated[Principal, Depends(require(WRITE))]
Replier = Annotated[Principal, Depends(require(REPLY))]
Moderator = Annotated[Principal, Depends(require(MODERATE))]
Anyone = Annotated[Principal, Depends(public())]
ProductId = Annotated[str, Path(max_length=320)]
ReviewId = Annotated[str, Path(max_length=64)]
Cursor = Annotated[str | None, Query(max_length=300)]


@router.get(
    "/products/{product_id}/reviews",
    response_model=ReviewsPageOut,
    responses=problems(NotFound, InvalidCursor),
)
async def list_product_reviews(
    product_id: ProductId,
    kernel: KernelDep,
    principal: Anyone,
    sort: SortName = "newest",
    rating: Annotated[int | None, Query(ge=1, le=5)] = None,
    verified: bool | None = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ReviewsPageOut:
    """A product's published reviews with its rating aggregate (count, average, histogram)."""
    async with kernel.uow(writes=False) as uow:
        page = await service.list_product_reviews(
            uow, principal=principal, product_id=product_id, sort=sort, rating=rating,
            verified=verified, cursor=cursor, limit=limit,
        )  # fmt: skip
    return page_out(page)


@router.get("/products/{product_id}/rating", response_model=RatingOut, responses=problems(NotFound))
async def product_rating(product_id: ProductId, kernel: KernelDep, principal: Anyone) -> RatingOut:
    """A product's rating aggregate only."""
    async with kernel.uow(writes=False) as uow:
        page = await service.list_product_reviews(
            uow, principal=principal, product_id=product_id, limit=1
        )
    assert page.rating is not None
    return rating_out(page.rating)


@router.post(
    "/products/{product_id}/reviews",
    status_code=201,
    response_model=ReviewOut,
    responses=problems(NotFound, InvalidReview, ReviewerRequired, "BR015", "BR016", "BR025"),
)
async def submit_review(
    product_id: ProductId, body: ReviewIn, kernel: KernelDep, principal: Writer
) -> ReviewOut:
    """A signed-in customer reviews a product, once (409 `br016_one_review_per_product`
    for a second: PATCH it instead); verified when a delivered order of theirs holds it."""
    async with kernel.uow() as uow:
        view = await service.submit_review(
            uow, principal=principal, product_id=product_id, rating=body.rating,
            title=body.title, body=body.body, display_name=body.display_name,
            now=kernel.clock.now(),
        )  # fmt: skip
        await uow.commit()
    return review_out(view)


@router.get("/reviews/mine", response_model=ReviewsPageOut, responses=problems(InvalidCursor))
async def list_own_reviews(
    kernel: KernelDep,
    principal: Writer,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ReviewsPageOut:
    """The signed-in customer's own reviews, whatever their status, newest first."""
    async with kernel.uow(writes=False) as uow:
        page = await service.list_own_reviews(uow, principal=principal, cursor=cursor, limit=limit)
    return page_out(page)


@router.get("/reviews", response_model=ReviewsPageOut, responses=problems(InvalidCursor))
async def list_queue(
    kernel: KernelDep,
    principal: Moderator,
    status: StatusName = "pending",
    product_id: Annotated[str | None, Query(max_length=64)] = None,
    cursor: Cursor = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ReviewsPageOut:
    """Staff: reviews by status; `pending` is the moderation queue, oldest first."""
    async with kernel.uow(writes=False) as uow:
        page = await service.list_queue(
            uow, principal=principal, status=status, product_id=product_id, cursor=cursor,
            limit=limit,
        )  # fmt: skip
    return page_out(page)


@router.get("/reviews/{review_id}", response_model=ReviewOut, responses=problems(ReviewNotFound))
async def get_review(review_id: ReviewId, kernel: KernelDep, principal: Anyone) -> ReviewOut:
    """A published review (its author and staff see it in any status)."""
    async with kernel.uow(writes=False) as uow:
        view = await service.get_review(uow, principal=principal, review_id=review_id)
    return review_out(view)


@router.patch(
    "/reviews/{review_id}",
    response_model=ReviewOut,
    responses=problems(ReviewNotFound, NotYourReview, InvalidReview, "BR015", "BR025"),
)
async def edit_review(
    review_id: ReviewId, body: ReviewChange, kernel: KernelDep, principal: Writer
) -> ReviewOut:
    """The author changes their review; it is checked again (it may wait for moderation)."""
    async with kernel.uow() as uow:
        view = await service.edit_review(
            uow, principal=principal, review_id=review_id, rating=body.rating,
            title=body.title, body=body.body,
            clear_title="title" in body.model_fields_set and body.title is None,
            now=kernel.clock.now(),
        )  # fmt: skip
        await uow.commit()
    return review_out(view)


@router.delete(
    "/reviews/{review_id}",
    status_code=204,
    response_class=Response,
    responses=problems(ReviewNotFound, NotYourReview),
)
async def delete_review(review_id: ReviewId, kernel: KernelDep, principal: Writer) -> Response:
    """The author removes their review (they may write another afterwards)."""
    async with kernel.uow() as uow:
        await service.delete_review(
            uow, principal=principal, review_id=review_id, now=kernel.clock.now()
        )
        await uow.commit()
    return Response(status_code=204)


@router.post(
    "/reviews/{review_id}/votes",
    response_model=ReviewOut,
    responses=problems(ReviewNotFound, OwnReviewVote, ReviewerRequired),
)
async def vote(
    review_id: ReviewId, body: VoteIn, kernel: KernelDep, principal: Writer
) -> ReviewOut:
    """Helpful or not: one vote per signed-in user, changed by voting again."""
    async with kernel.uow() as uow:
        view = await service.vote(
            uow, principal=principal, review_id=review_id, helpful=body.helpful,
            now=kernel.clock.now(),
        )  # fmt: skip
        await uow.commit()
    return review_out(view)


@router.post(
    "/reviews/{review_id}/reports",
    response_model=ReviewOut,
    responses=problems(ReviewNotFound, AlreadyReported, InvalidReview, ReviewerRequired),
)
async def report(
    review_id: ReviewId, body: ReasonIn, kernel: KernelDep, principal: Writer
) -> ReviewOut:
    """A shopper reports a review; enough reports send it back to the moderation queue."""
    async with kernel.uow() as uow:
        view = await service.report(
            uow, principal=principal, review_id=review_id, reason=body.reason,
            now=kernel.clock.now(),
        )  # fmt: skip
        await uow.commit()
    return review_out(view)


@router.post(
    "/reviews/{review_id}/replies",
    status_code=201,
    response_model=ReplyOut,
    responses=problems(ReviewNotFound, ReplyNotAllowed, InvalidReview),
)
async def reply(
    review_id: ReviewId, body: ReplyIn, kernel: KernelDep, principal: Replier
) -> ReplyOut:
    """The product's merchant, or staff, answer a review in public."""
    async with kernel.uow() as uow:
        view = await service.reply(
            uow, principal=principal, review_id=review_id, body=body.body, now=kernel.clock.now()
        )
        await uow.commit()
    return reply_out(view)


@router.post(
    "/reviews/{review_id}/approve",
    response_model=ReviewOut,
    responses=problems(ReviewNotFound, ModerationConflict),
)
async def approve(review_id: ReviewId, kernel: KernelDep, principal: Moderator) -> ReviewOut:
    """Staff publish a waiting (or rejected, or hidden) review."""
    async with kernel.uow() as uow:
        view = await service.approve(
            uow, principal=principal, review_id=review_id, now=kernel.clock.now()
        )
        await uow.commit()
    return review_out(view)


@router.post(
    "/reviews/{review_id}/reject",
    response_model=ReviewOut,
    responses=problems(ReviewNotFound, ModerationConflict, InvalidReview),
)
async def reject(
    review_id: ReviewId, body: RejectIn, kernel: KernelDep, principal: Moderator
) -> ReviewOut:
    """Staff reject a waiting review, or take a published one down (`hide`), with a reason."""
    async with kernel.uow() as uow:
        view = await service.reject(
            uow, principal=principal, review_id=review_id, reason=body.reason, hide=body.hide,
            now=kernel.clock.now(),
        )  # fmt: skip
        await uow.commit()
    return review_out(view)
