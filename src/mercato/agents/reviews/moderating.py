"""What happens to a review after it is written: staff approve, reject or hide it; shoppers
vote it helpful or not and report it (reports past a threshold send a published review back
to the queue); the product's merchant, or staff, reply to it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from mercato.agents.catalog import service as catalog
from mercato.agents.reviews.access import is_staff, reviewer_id
from mercato.agents.reviews.announcing import published, withdrawn
from mercato.agents.reviews.models import Review, ReviewReply, ReviewReport, ReviewVote
from mercato.agents.reviews.problems import (
    AlreadyReported,
    ModerationConflict,
    OwnReviewVote,
    ReplyNotAllowed,
    ReviewerRequired,
    ReviewNotFound,
)
from mercato.agents.reviews.statuses import ReplyAuthor, ReviewStatus
from mercato.agents.reviews.writing import checked_text, refresh_rating
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id

MAX_REASON, MAX_REPLY = 300, 3000


def shown_to(principal: Principal, row: Review) -> bool:
    """Published reviews are everyone's; others only their author's and staff's."""
    return (
        row.status == ReviewStatus.PUBLISHED
        or is_staff(principal)
        or row.customer_id == reviewer_id(principal)
    )


async def visible(
    uow: UnitOfWork, principal: Principal, review_id: str, *, lock: bool = False
) -> Review:
    query = select(Review).where(Review.id == review_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    row = await uow.session.scalar(query)
    if row is None or not shown_to(principal, row):
        raise ReviewNotFound(f"no review {review_id!r}")
    return row


async def approve(
    uow: UnitOfWork, *, review_id: str, principal: Principal, now: datetime
) -> Review:
    """Staff publish a pending (or rejected, or hidden) review."""
    row = await visible(uow, principal, review_id, lock=True)
    if row.status == ReviewStatus.PUBLISHED:
        raise ModerationConflict("the review is published already")
    row.status, row.published_at, row.updated_at = ReviewStatus.PUBLISHED, now, now
    row.reasons = []
    published(uow, row)
    await refresh_rating(uow, product_id=row.product_id, review_id=row.id, now=now)
    return row


async def reject(
    uow: UnitOfWork,
    *,
    review_id: str,
    principal: Principal,
    reason: str,
    hide: bool,
    now: datetime,
) -> Review:
    """Staff reject a pending review, or take down a published one (`hide`), with a reason."""
    text = checked_text(reason, "a reason", MAX_REASON, required=True)
    assert text is not None
    row = await visible(uow, principal, review_id, lock=True)
    target = ReviewStatus.HIDDEN if hide else ReviewStatus.REJECTED
    if row.status == target:
        raise ModerationConflict(f"the review is {target.value} already")
    was_published = row.status == ReviewStatus.PUBLISHED
    row.status, row.updated_at = target, now
    row.reasons = [*row.reasons, f"staff: {text.strip()}"]
    if was_published:
        withdrawn(uow, row, text.strip())
        await refresh_rating(uow, product_id=row.product_id, review_id=row.id, now=now)
    return row


async def vote(
    uow: UnitOfWork, *, review_id: str, principal: Principal, helpful: bool, now: datetime
) -> Review:
    """A signed-in user finds a review helpful or not; voting again changes their vote."""
    voter = reviewer_id(principal)
    if voter is None:
        raise ReviewerRequired("sign in to vote")
    row = await visible(uow, principal, review_id, lock=True)
    if row.status != ReviewStatus.PUBLISHED:
        raise ReviewNotFound(f"no review {review_id!r}")
    if row.customer_id == voter:
        raise OwnReviewVote("a review's author does not vote on it")
    mine = await uow.session.get(ReviewVote, (row.id, voter))
    if mine is None:
        uow.session.add(
            ReviewVote(review_id=row.id, user_id=voter, helpful=helpful, created_at=now)
        )
    else:
        mine.helpful, mine.created_at = helpful, now
    await uow.session.flush()
    await _recount_votes(uow, row)
    return row


async def _recount_votes(uow: UnitOfWork, row: Review) -> None:
    counted = dict(
        (bool(h), int(n))
        for h, n in await uow.session.execute(
            select(ReviewVote.helpful, func.count())
            .where(ReviewVote.review_id == row.id)
            .group_by(ReviewVote.helpful)
        )
    )
    row.helpful, row.unhelpful = counted.get(True, 0), counted.get(False, 0)


async def report(
    uow: UnitOfWork,
    *,
    review_id: str,
    principal: Principal,
    reason: str,
    threshold: int,
    now: datetime,
) -> Review:
    """A shopper reports a published review; at `threshold` reports it waits for staff."""
    reporter = reviewer_id(principal)
    if reporter is None:
        raise ReviewerRequired("sign in to report a review")
    text = checked_text(reason, "a reason", MAX_REASON, required=True)
    assert text is not None
    row = await visible(uow, principal, review_id, lock=True)
    if row.status != ReviewStatus.PUBLISHED:
        raise ReviewNotFound(f"no review {review_id!r}")
    if await uow.session.get(ReviewReport, (row.id, reporter)) is not None:
        raise AlreadyReported("you reported this review already")
    uow.session.add(ReviewReport(review_id=row.id, user_id=reporter, reason=text, created_at=now))
    row.reports += 1
    if row.reports >= threshold:
        row.status, row.updated_at = ReviewStatus.PENDING, now
        row.reasons = [*row.reasons, "reported"]
        withdrawn(uow, row, "reported by shoppers: waits for moderation")
        await refresh_rating(uow, product_id=row.product_id, review_id=row.id, now=now)
    await uow.session.flush()
    return row


async def reply(
    uow: UnitOfWork, *, review_id: str, principal: Principal, body: str, now: datetime
) -> ReviewReply:
    """The product's merchant, or staff, answer a published review in public."""
    text = checked_text(body, "a reply", MAX_REPLY, required=True)
    assert text is not None
    row = await visible(uow, principal, review_id)
    if row.status != ReviewStatus.PUBLISHED and not is_staff(principal):
        raise ReviewNotFound(f"no review {review_id!r}")
    if is_staff(principal):
        kind = ReplyAuthor.STAFF
    else:
        product = await catalog.product_for(uow, row.product_id, principal=principal)
        if principal.merchant_id is None or product.merchant_id != principal.merchant_id:
            raise ReplyNotAllowed("a merchant replies to reviews of its own products")
        kind = ReplyAuthor.MERCHANT
    answer = ReviewReply(
        id=new_id(),
        review_id=row.id,
        author_kind=kind,
        author_id=principal.id,
        body=text,
        created_at=now,
    )
    uow.session.add(answer)
    await uow.session.flush()
    return answer
