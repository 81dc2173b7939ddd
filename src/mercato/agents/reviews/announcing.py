"""The events announcing that a review is shown in the shop, or no longer shown."""

from __future__ import annotations

from mercato.agents.reviews.events import ReviewPublished, ReviewWithdrawn
from mercato.agents.reviews.models import Review
from mercato.kernel.db import UnitOfWork


def published(uow: UnitOfWork, row: Review) -> None:
    assert row.published_at is not None
    uow.publish(
        ReviewPublished(
            review_id=row.id,
            product_id=row.product_id,
            customer_id=row.customer_id,
            rating=row.rating,
            title=row.title,
            body=row.body,
            verified=row.verified,
            language=row.language,
            published_at=row.published_at,
        ),
        aggregate_id=row.id,
    )


def withdrawn(uow: UnitOfWork, row: Review, reason: str) -> None:
    uow.publish(
        ReviewWithdrawn(review_id=row.id, product_id=row.product_id, reason=reason),
        aggregate_id=row.id,
    )
