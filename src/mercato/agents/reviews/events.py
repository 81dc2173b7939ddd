"""The reviews agent's events (seed 003 "Review"). The intelligence agent's sentiment part
reads published reviews from them; search keeps products' ratings from them."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from mercato.kernel.events import Event


class ReviewEvent(Event):
    review_id: str
    product_id: str


class ReviewSubmitted(ReviewEvent):
    """A customer wrote or edited a review; it waits for moderation or is published at once."""

    event_type: ClassVar[str] = "review.submitted"
    customer_id: str
    rating: int
    held: bool
    """True: it waits in the moderation queue (`reasons` say why)."""
    reasons: list[str]


class ReviewPublished(ReviewEvent):
    """A review is shown in the shop (approved, or clean on arrival), or shown again after an
    edit: its text as the customer wrote it."""

    event_type: ClassVar[str] = "review.published"
    customer_id: str
    rating: int
    title: str | None
    body: str
    verified: bool
    language: str | None
    published_at: datetime


class ReviewWithdrawn(ReviewEvent):
    """A published review is no longer shown (rejected on a report, hidden by staff, deleted by
    its author)."""

    event_type: ClassVar[str] = "review.withdrawn"
    reason: str


class ProductRatingChanged(ReviewEvent):
    """A product's published reviews changed: its rating aggregate now (review_id: the review
    that changed it)."""

    event_type: ClassVar[str] = "product.rating_changed"
    average: float | None
    """Mean rating of its published reviews, None when it has none."""
    count: int
