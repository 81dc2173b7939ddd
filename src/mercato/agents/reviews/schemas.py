"""The reviews API's request and response bodies. Texts are answered exactly as written:
clients escape them where they show them (the console renders them as text)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from mercato.agents.reviews.views import RatingView, ReplyView, ReviewsPage, ReviewView
from mercato.kernel.schemas import RequestModel

StatusName = Literal["pending", "published", "rejected", "hidden"]
SortName = Literal["newest", "helpful", "rating_high", "rating_low"]


class ReviewIn(RequestModel):
    rating: int = Field(description="1 to 5 stars (BR015)")
    title: Annotated[str | None, Field(max_length=200)] = None
    body: Annotated[str, Field(min_length=1, max_length=5000)]
    display_name: Annotated[str | None, Field(max_length=80)] = Field(
        default=None, description="The name shown with it (default: first name, initial)"
    )


class ReviewChange(RequestModel):
    """What the author changes; a field left out stays (`title: null` removes the title)."""

    rating: int | None = None
    title: Annotated[str | None, Field(max_length=200)] = None
    body: Annotated[str | None, Field(min_length=1, max_length=5000)] = None


class VoteIn(RequestModel):
    helpful: bool


class ReasonIn(RequestModel):
    reason: Annotated[str, Field(min_length=1, max_length=300)]


class RejectIn(ReasonIn):
    hide: bool = Field(default=False, description="Take a published review down")


class ReplyIn(RequestModel):
    body: Annotated[str, Field(min_length=1, max_length=3000)]


class ReplyOut(BaseModel):
    id: str
    review_id: str
    author_kind: Literal["merchant", "staff"]
    author_id: str
    body: str
    created_at: datetime


class ReviewOut(BaseModel):
    id: str
    product_id: str
    customer_id: str
    display_name: str
    rating: int
    title: str | None
    body: str
    language: str | None
    status: StatusName
    verified: bool
    reasons: list[str]
    helpful: int
    unhelpful: int
    reports: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    replies: list[ReplyOut]
    my_vote: bool | None


class RatingOut(BaseModel):
    product_id: str
    count: int
    average: float | None
    histogram: dict[str, int] = Field(description="Stars (1 to 5) → published reviews")


class ReviewsPageOut(BaseModel):
    items: list[ReviewOut]
    next_cursor: str | None
    rating: RatingOut | None = None


def reply_out(view: ReplyView) -> ReplyOut:
    return ReplyOut.model_validate(view, from_attributes=True)


def review_out(view: ReviewView) -> ReviewOut:
    return ReviewOut.model_validate(view, from_attributes=True)


def rating_out(view: RatingView) -> RatingOut:
    histogram = {str(star): count for star, count in view.histogram.items()}
    return RatingOut(
        product_id=view.product_id, count=view.count, average=view.average, histogram=histogram
    )


def page_out(page: ReviewsPage) -> ReviewsPageOut:
    return ReviewsPageOut(
        items=[review_out(v) for v in page.items],
        next_cursor=page.next_cursor,
        rating=rating_out(page.rating) if page.rating is not None else None,
    )
