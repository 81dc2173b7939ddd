"""A customer's review written, edited and deleted; verified (BR025) from the read model of
delivered order lines (`purchases.py`); each product's rating aggregate kept with the
reviews it sums, and the events of every change, in the caller's unit of work.

The text is stored exactly as written (only checked for size and control characters): it is
escaped wherever it is shown, never rewritten here."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from mercato.agents.catalog import service as catalog
from mercato.agents.identity import service as identity
from mercato.agents.reviews.access import is_staff, reviewer_id
from mercato.agents.reviews.announcing import published, withdrawn
from mercato.agents.reviews.events import ProductRatingChanged, ReviewSubmitted
from mercato.agents.reviews.models import (
    ProductRating,
    Review,
    ReviewReply,
    ReviewReport,
    ReviewVote,
)
from mercato.agents.reviews.moderation import language, moderation_reasons
from mercato.agents.reviews.problems import (
    InvalidReview,
    NotYourReview,
    ReviewerRequired,
    ReviewNotFound,
)
from mercato.agents.reviews.purchases import delivered_orders
from mercato.agents.reviews.statuses import ReviewStatus
from mercato.kernel import rules
from mercato.kernel.auth import Principal
from mercato.kernel.db import UnitOfWork
from mercato.kernel.ids import new_id
from mercato.kernel.rules import RuleViolated

MAX_TITLE, MAX_BODY, MAX_NAME = 200, 5000, 80
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def checked_text(value: str | None, what: str, limit: int, *, required: bool) -> str | None:
    """`value` as written if it is a valid review text; 422 `invalid_review` otherwise."""
    if value is None:
        if required:
            raise InvalidReview(f"{what} is required")
        return None
    if not value.strip():
        if required:
            raise InvalidReview(f"{what} is not blank")
        return None
    if len(value) > limit:
        raise InvalidReview(f"{what} has at most {limit} characters")
    if CONTROL.search(value):
        raise InvalidReview(f"{what} holds control characters")
    return value


async def _display_name(uow: UnitOfWork, user_id: str, given: str | None) -> str:
    chosen = checked_text(given, "a display name", MAX_NAME, required=False)
    if chosen is not None:
        return chosen.strip()
    contact = await identity.contact_of(uow, user_id=user_id)
    full = (contact[1] or "").split() if contact else []
    if not full:
        return "A shopper"
    return full[0] if len(full) == 1 else f"{full[0]} {full[-1][0]}."


async def submit_review(
    uow: UnitOfWork,
    *,
    principal: Principal,
    product_id: str,
    rating: int,
    title: str | None,
    body: str,
    display_name: str | None,
    now: datetime,
) -> Review:
    """A signed-in customer's review of a product they can see; published at once when the
    checks find nothing, else pending. 409 `br016_…` for a second one (edit it instead)."""
    customer = reviewer_id(principal)
    if customer is None:
        raise ReviewerRequired("sign in to write a review")
    product = await catalog.product_for(uow, product_id, principal=principal)
    await rules.enforce("BR015", rating=rating)
    text_title = checked_text(title, "a title", MAX_TITLE, required=False)
    text_body = checked_text(body, "a review", MAX_BODY, required=True)
    assert text_body is not None
    name = await _display_name(uow, customer, display_name)
    existing = await uow.session.scalar(
        select(Review.id).where(Review.product_id == product.id, Review.customer_id == customer)
    )
    await rules.enforce(
        "BR016",
        existing_review_id=existing,
        detail="you reviewed this product already: change your review instead",
    )
    try:
        return await record_review(
            uow,
            product_id=product.id,
            customer_id=customer,
            display_name=name,
            rating=rating,
            title=text_title,
            body=text_body,
            now=now,
        )
    except IntegrityError:  # a concurrent first review won the unique key
        raise RuleViolated(rules.get("BR016"), "you reviewed this product already") from None


async def record_review(
    uow: UnitOfWork,
    *,
    product_id: str,
    customer_id: str,
    display_name: str,
    rating: int,
    title: str | None,
    body: str,
    now: datetime,
    rate: bool = True,
) -> Review:
    """Write a checked review: moderated, verified if a delivery says so, announced; the
    product's aggregate recounted unless `rate` is False (a bulk writer recounts once)."""
    delivered = await delivered_orders(uow, customer_id=customer_id, product_id=product_id)
    verified = delivered > 0
    await rules.enforce("BR025", verified=verified, delivered_orders=delivered)
    row = Review(
        id=new_id(),
        product_id=product_id,
        customer_id=customer_id,
        display_name=display_name,
        rating=rating,
        title=title,
        body=body,
        verified=verified,
        helpful=0,
        unhelpful=0,
        reports=0,
        created_at=now,
    )
    _moderate(row, now)
    uow.session.add(row)
    await uow.session.flush()
    await _announce(uow, row, was_published=False, now=now, rate=rate)
    return row


def _moderate(row: Review, now: datetime) -> None:
    """Set the status from the checks of the text as it is now."""
    reasons = moderation_reasons(f"{row.title or ''}\n{row.body}")
    row.reasons = reasons
    row.language = language(f"{row.title or ''} {row.body}")
    row.updated_at = now
    if reasons:
        row.status, row.published_at = ReviewStatus.PENDING, None
    else:
        row.status, row.published_at = ReviewStatus.PUBLISHED, now


async def _announce(
    uow: UnitOfWork, row: Review, *, was_published: bool, now: datetime, rate: bool = True
) -> None:
    held = row.status == ReviewStatus.PENDING
    uow.publish(
        ReviewSubmitted(
            review_id=row.id,
            product_id=row.product_id,
            customer_id=row.customer_id,
            rating=row.rating,
            held=held,
            reasons=list(row.reasons),
        ),
        aggregate_id=row.id,
    )
    if row.status == ReviewStatus.PUBLISHED:
        published(uow, row)
    elif was_published:
        withdrawn(uow, row, "edited: waits for moderation")
    if rate:
        await refresh_rating(uow, product_id=row.product_id, review_id=row.id, now=now)


async def refresh_rating(
    uow: UnitOfWork, *, product_id: str, review_id: str, now: datetime
) -> None:
    """Recount the product's published reviews; `product.rating_changed` when it moved."""
    await uow.session.flush()
    counted = await uow.session.execute(
        select(Review.rating, func.count())
        .where(Review.product_id == product_id, Review.status == ReviewStatus.PUBLISHED)
        .group_by(Review.rating)
    )
    histogram = {str(star): 0 for star in range(1, 6)}
    for star, count in counted:
        histogram[str(star)] = int(count)
    total = sum(histogram.values())
    average = round(sum(int(s) * n for s, n in histogram.items()) / total, 2) if total else None
    row = await uow.session.get(ProductRating, product_id)
    if row is not None and row.count == total and row.histogram == histogram:
        return
    if row is None:
        row = ProductRating(product_id=product_id)
        uow.session.add(row)
    row.count, row.average, row.histogram, row.updated_at = total, average, histogram, now
    uow.publish(
        ProductRatingChanged(
            review_id=review_id, product_id=product_id, average=average, count=total
        ),
        aggregate_id=product_id,
    )


async def own_review(uow: UnitOfWork, *, principal: Principal, review_id: str) -> Review:
    """The review, locked, if the principal wrote it (404 when missing, 403 when another's)."""
    row = await uow.session.scalar(
        select(Review)
        .where(Review.id == review_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise ReviewNotFound(f"no review {review_id!r}")
    if row.customer_id != reviewer_id(principal):
        if row.status != ReviewStatus.PUBLISHED and not is_staff(principal):
            raise ReviewNotFound(f"no review {review_id!r}")
        raise NotYourReview("only its author changes a review")
    return row


async def edit_review(
    uow: UnitOfWork,
    *,
    principal: Principal,
    review_id: str,
    rating: int | None,
    title: str | None,
    body: str | None,
    clear_title: bool,
    now: datetime,
) -> Review:
    """The author changes their review: checked again (it may go back to the queue); one
    that staff rejected or hid, or that shoppers reported, waits for staff again."""
    row = await own_review(uow, principal=principal, review_id=review_id)
    if rating is not None:
        await rules.enforce("BR015", rating=rating)
    new_title = checked_text(title, "a title", MAX_TITLE, required=False)
    new_body = checked_text(body, "a review", MAX_BODY, required=True) if body is not None else None
    was_published = row.status == ReviewStatus.PUBLISHED
    set_aside = row.status in (ReviewStatus.REJECTED, ReviewStatus.HIDDEN) or (
        row.status == ReviewStatus.PENDING and "reported" in row.reasons
    )
    if rating is not None:
        row.rating = rating
    if new_title is not None or clear_title:
        row.title = new_title
    if new_body is not None:
        row.body = new_body
    _moderate(row, now)
    if set_aside and row.status == ReviewStatus.PUBLISHED:  # staff had put it aside
        row.status, row.published_at = ReviewStatus.PENDING, None
        row.reasons = ["edited after moderation"]
    await _announce(uow, row, was_published=was_published, now=now)
    return row


async def delete_review(
    uow: UnitOfWork, *, principal: Principal, review_id: str, now: datetime
) -> None:
    """The author removes their review, its votes, reports and replies; they may write a
    new one afterwards."""
    row = await own_review(uow, principal=principal, review_id=review_id)
    if row.status == ReviewStatus.PUBLISHED:
        withdrawn(uow, row, "deleted by its author")
    for table in (ReviewVote, ReviewReport):
        await uow.session.execute(delete(table).where(table.review_id == row.id))
    await uow.session.execute(delete(ReviewReply).where(ReviewReply.review_id == row.id))
    product_id = row.product_id
    await uow.session.delete(row)
    await refresh_rating(uow, product_id=product_id, review_id=review_id, now=now)
