"""Lists of reviews, paged by a keyset cursor (kernel/paging.py): a product's published
reviews (newest, most helpful, rating high→low or low→high; filtered by rating and
verified), a customer's own, and staff's moderation queue (by status, the oldest pending
first). Each review comes with its replies and the caller's vote."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from mercato.agents.reviews.access import reviewer_id
from mercato.agents.reviews.models import Review, ReviewReply, ReviewVote
from mercato.agents.reviews.statuses import ReviewStatus
from mercato.agents.reviews.views import ReplyView, ReviewView
from mercato.kernel import paging
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork

R = Review
SORTS = ("newest", "helpful", "rating_high", "rating_low")
Key = Callable[[Review], tuple[Any, ...]]


def _ordered(query: Select[Review], sort: str, cursor: str | None) -> tuple[Any, Key]:
    """The query in `sort`'s order from `cursor` on, and the key a row's cursor holds."""
    if sort == "helpful":
        key = paging.decode(cursor, int, datetime, str)
        columns: tuple[Any, ...] = (R.helpful, R.created_at, R.id)
        descending = True
        row_key: Key = lambda r: (r.helpful, r.created_at, r.id)  # noqa: E731
    elif sort in ("rating_high", "rating_low"):
        key = paging.decode(cursor, int, datetime, str)
        columns, descending = (R.rating, R.created_at, R.id), sort == "rating_high"
        row_key = lambda r: (r.rating, r.created_at, r.id)  # noqa: E731
    else:
        key = paging.decode(cursor, datetime, str)
        columns, descending = (R.created_at, R.id), sort != "oldest"
        row_key = lambda r: (r.created_at, r.id)  # noqa: E731
    query = query.where(paging.beyond(columns, key, descending=descending))
    order = [c.desc() for c in columns] if descending else list(columns)
    return query.order_by(*order), row_key


async def product_reviews(
    uow: UnitOfWork,
    *,
    product_id: str,
    principal: Principal,
    sort: str,
    rating: int | None,
    verified: bool | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[ReviewView], str | None]:
    query = select(R).where(R.product_id == product_id, R.status == ReviewStatus.PUBLISHED)
    if rating is not None:
        query = query.where(R.rating == rating)
    if verified is not None:
        query = query.where(R.verified == verified)
    return await _page(uow, query, sort, cursor, limit, principal)


async def own_reviews(
    uow: UnitOfWork, *, principal: Principal, cursor: str | None, limit: int
) -> tuple[list[ReviewView], str | None]:
    query = select(R).where(R.customer_id == (reviewer_id(principal) or ""))
    return await _page(uow, query, "newest", cursor, limit, principal)


async def queue(
    uow: UnitOfWork,
    *,
    principal: Principal,
    status: str,
    product_id: str | None,
    cursor: str | None,
    limit: int,
) -> tuple[list[ReviewView], str | None]:
    query = select(R).where(R.status == ReviewStatus(status))
    if product_id is not None:
        query = query.where(R.product_id == product_id)
    sort = "oldest" if status == ReviewStatus.PENDING else "newest"
    return await _page(uow, query, sort, cursor, limit, principal)


async def _page(
    uow: UnitOfWork,
    query: Select[Review],
    sort: str,
    cursor: str | None,
    limit: int,
    principal: Principal,
) -> tuple[list[ReviewView], str | None]:
    ordered, key = _ordered(query, sort, cursor)
    rows = list(await uow.session.scalars(ordered.limit(limit + 1)))
    page, next_cursor = paging.cut(rows, limit, key)
    return await with_parts(uow, page, principal), next_cursor


async def with_parts(uow: UnitOfWork, rows: list[Review], principal: Principal) -> list[ReviewView]:
    """The reviews as views, with their replies and the caller's votes."""
    ids = [r.id for r in rows]
    replies: dict[str, list[ReplyView]] = defaultdict(list)
    votes: dict[str, bool] = {}
    if ids:
        for reply in await uow.session.scalars(
            select(ReviewReply)
            .where(ReviewReply.review_id.in_(ids))
            .order_by(ReviewReply.created_at, ReviewReply.id)
        ):
            replies[reply.review_id].append(ReplyView.of(reply))
        voter = reviewer_id(principal)
        if voter is not None:
            for vote in await uow.session.scalars(
                select(ReviewVote).where(ReviewVote.review_id.in_(ids), ReviewVote.user_id == voter)
            ):
                votes[vote.review_id] = vote.helpful
    return [ReviewView.of(r, replies[r.id], votes.get(r.id)) for r in rows]
