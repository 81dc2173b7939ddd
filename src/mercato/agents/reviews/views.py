"""What the reviews service answers: plain values, so the API never touches a table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mercato.agents.reviews.models import ProductRating, Review, ReviewReply


@dataclass(frozen=True)
class ReplyView:
    id: str
    review_id: str
    author_kind: str
    author_id: str
    body: str
    created_at: datetime

    @classmethod
    def of(cls, row: ReviewReply) -> ReplyView:
        return cls(row.id, row.review_id, row.author_kind.value, row.author_id, row.body,
                   row.created_at)  # fmt: skip


@dataclass(frozen=True)
class ReviewView:
    id: str
    product_id: str
    customer_id: str
    display_name: str
    rating: int
    title: str | None
    body: str
    language: str | None
    status: str
    verified: bool
    reasons: list[str]
    helpful: int
    unhelpful: int
    reports: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    replies: list[ReplyView] = field(default_factory=list)
    my_vote: bool | None = None
    """The caller's vote (True helpful, False not), None when they have not voted."""

    @classmethod
    def of(
        cls, row: Review, replies: list[ReplyView] | None = None, my_vote: bool | None = None
    ) -> ReviewView:
        return cls(
            id=row.id,
            product_id=row.product_id,
            customer_id=row.customer_id,
            display_name=row.display_name,
            rating=row.rating,
            title=row.title,
            body=row.body,
            language=row.language,
            status=row.status.value,
            verified=row.verified,
            reasons=list(row.reasons or []),
            helpful=row.helpful,
            unhelpful=row.unhelpful,
            reports=row.reports,
            created_at=row.created_at,
            updated_at=row.updated_at,
            published_at=row.published_at,
            replies=replies or [],
            my_vote=my_vote,
        )


@dataclass(frozen=True)
class RatingView:
    product_id: str
    count: int
    average: float | None
    histogram: dict[int, int]

    @classmethod
    def of(cls, product_id: str, row: ProductRating | None) -> RatingView:
        stored = row.histogram if row is not None else {}
        histogram = {star: int(stored.get(str(star), 0)) for star in range(1, 6)}
        if row is None:
            return cls(product_id, 0, None, histogram)
        return cls(product_id, row.count, row.average, histogram)


@dataclass(frozen=True)
class ReviewsPage:
    items: list[ReviewView]
    next_cursor: str | None
    rating: RatingView | None = None
