"""The reviews agent's commands and queries: what its API, its handlers, its demo and other
agents (search's rating sort, the sentiment analysis) call. Every function takes the unit of
work first and the rest by keyword; none commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from mercato.agents.catalog import service as catalog
from mercato.agents.reviews import listing, moderating, purchases, writing
from mercato.agents.reviews.listing import SORTS
from mercato.agents.reviews.models import ProductRating, Review
from mercato.agents.reviews.moderation import moderation_reasons, profanity, spam_reasons
from mercato.agents.reviews.problems import (
    AlreadyReported,
    InvalidReview,
    ModerationConflict,
    NotYourReview,
    OwnReviewVote,
    ReplyNotAllowed,
    ReviewerRequired,
    ReviewNotFound,
)
from mercato.agents.reviews.statuses import ReviewStatus
from mercato.agents.reviews.views import RatingView, ReplyView, ReviewsPage, ReviewView
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork

__all__ = [
    "SORTS",
    "AlreadyReported",
    "InvalidReview",
    "ModerationConflict",
    "NotYourReview",
    "OwnReviewVote",
    "RatingView",
    "ReplyNotAllowed",
    "ReplyView",
    "ReviewNotFound",
    "ReviewStatus",
    "ReviewView",
    "ReviewerRequired",
    "ReviewsPage",
    "approve",
    "delete_review",
    "edit_review",
    "get_review",
    "list_own_reviews",
    "list_product_reviews",
    "list_queue",
    "moderation_reasons",
    "product_rating",
    "profanity",
    "ratings_of",
    "record_delivery",
    "record_purchase",
    "reject",
    "reply",
    "report",
    "spam_reasons",
    "submit_review",
    "vote",
]

record_purchase = purchases.record_purchase
record_delivery = purchases.record_delivery


async def _view(uow: UnitOfWork, row: Review, principal: Principal) -> ReviewView:
    return (await listing.with_parts(uow, [row], principal))[0]


async def submit_review(
    uow: UnitOfWork,
    *,
    principal: Principal,
    product_id: str,
    rating: int,
    title: str | None,
    body: str,
    display_name: str | None = None,
    now: datetime,
) -> ReviewView:
    """A signed-in customer reviews a product (BR015, BR016; verified by BR025); published
    at once when clean, else waiting for moderation. Publishes `review.submitted` (and
    `review.published`, `product.rating_changed` when shown)."""
    row = await writing.submit_review(
        uow, principal=principal, product_id=product_id, rating=rating, title=title,
        body=body, display_name=display_name, now=now,
    )  # fmt: skip
    return await _view(uow, row, principal)


async def edit_review(
    uow: UnitOfWork,
    *,
    principal: Principal,
    review_id: str,
    rating: int | None = None,
    title: str | None = None,
    body: str | None = None,
    clear_title: bool = False,
    now: datetime,
) -> ReviewView:
    """The author changes their review; it is checked again like a new one."""
    row = await writing.edit_review(
        uow, principal=principal, review_id=review_id, rating=rating, title=title, body=body,
        clear_title=clear_title, now=now,
    )  # fmt: skip
    return await _view(uow, row, principal)


async def delete_review(
    uow: UnitOfWork, *, principal: Principal, review_id: str, now: datetime
) -> None:
    await writing.delete_review(uow, principal=principal, review_id=review_id, now=now)


async def get_review(uow: UnitOfWork, *, principal: Principal, review_id: str) -> ReviewView:
    row = await moderating.visible(uow, principal, review_id)
    return await _view(uow, row, principal)


async def product_rating(uow: UnitOfWork, *, product_id: str) -> RatingView:
    return RatingView.of(product_id, await uow.session.get(ProductRating, product_id))


async def ratings_of(uow: UnitOfWork, product_ids: Iterable[str]) -> dict[str, RatingView]:
    """The rating aggregates of these products (those with none are left out)."""
    ids = list(product_ids)
    if not ids:
        return {}
    rows = await uow.session.scalars(select(ProductRating).where(ProductRating.product_id.in_(ids)))
    return {row.product_id: RatingView.of(row.product_id, row) for row in rows}


async def list_product_reviews(
    uow: UnitOfWork,
    *,
    principal: Principal,
    product_id: str,
    sort: str = "newest",
    rating: int | None = None,
    verified: bool | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> ReviewsPage:
    """A product's published reviews, a page of them, with its rating aggregate."""
    if sort not in SORTS:
        raise InvalidReview(f"sort is one of {', '.join(SORTS)}")
    product = await catalog.product_for(uow, product_id, principal=principal)
    items, next_cursor = await listing.product_reviews(
        uow, product_id=product.id, principal=principal, sort=sort, rating=rating,
        verified=verified, cursor=cursor, limit=limit,
    )  # fmt: skip
    return ReviewsPage(items, next_cursor, await product_rating(uow, product_id=product.id))


async def list_own_reviews(
    uow: UnitOfWork, *, principal: Principal, cursor: str | None = None, limit: int = 20
) -> ReviewsPage:
    if principal.kind != "user":
        raise ReviewerRequired("sign in to see your reviews")
    items, next_cursor = await listing.own_reviews(
        uow, principal=principal, cursor=cursor, limit=limit
    )
    return ReviewsPage(items, next_cursor)


async def list_queue(
    uow: UnitOfWork,
    *,
    principal: Principal,
    status: str = "pending",
    product_id: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> ReviewsPage:
    """Staff's view: reviews by status (the oldest pending first)."""
    items, next_cursor = await listing.queue(
        uow, principal=principal, status=status, product_id=product_id, cursor=cursor,
        limit=limit,
    )  # fmt: skip
    return ReviewsPage(items, next_cursor)


async def approve(
    uow: UnitOfWork, *, principal: Principal, review_id: str, now: datetime
) -> ReviewView:
    row = await moderating.approve(uow, review_id=review_id, principal=principal, now=now)
    return await _view(uow, row, principal)


async def reject(
    uow: UnitOfWork,
    *,
    principal: Principal,
    review_id: str,
    reason: str,
    hide: bool = False,
    now: datetime,
) -> ReviewView:
    row = await moderating.reject(
        uow, review_id=review_id, principal=principal, reason=reason, hide=hide, now=now
    )
    return await _view(uow, row, principal)


async def vote(
    uow: UnitOfWork, *, principal: Principal, review_id: str, helpful: bool, now: datetime
) -> ReviewView:
    row = await moderating.vote(
        uow, review_id=review_id, principal=principal, helpful=helpful, now=now
    )
    return await _view(uow, row, principal)


async def report(
    uow: UnitOfWork, *, principal: Principal, review_id: str, reason: str, now: datetime
) -> ReviewView:
    row = await moderating.report(
        uow, review_id=review_id, principal=principal, reason=reason,
        threshold=uow.settings.reviews_report_threshold, now=now,
    )  # fmt: skip
    return await _view(uow, row, principal)


async def reply(
    uow: UnitOfWork, *, principal: Principal, review_id: str, body: str, now: datetime
) -> ReplyView:
    return ReplyView.of(
        await moderating.reply(uow, review_id=review_id, principal=principal, body=body, now=now)
    )
