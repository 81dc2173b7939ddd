"""The reviews agent's tables: reviews, their helpful votes, replies and reports, each
product's rating aggregate, and the read model of who received which product (from the
orders' and shipping's events) that makes a review a verified purchase."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.reviews.statuses import ReplyAuthor, ReviewStatus
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime


class Review(TenantScoped, Base):
    """A customer's review of a product, its text exactly as written (escaped where shown,
    never altered). `verified` is computed (BR025), never taken from the client."""

    __tablename__ = "reviews"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(80))
    rating: Mapped[int] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[ReviewStatus] = mapped_column(StrEnumColumn(ReviewStatus, 16))
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Why it waits or was rejected: the moderation checks' findings, staff's reason."""
    helpful: Mapped[int] = mapped_column(Integer, default=0)
    unhelpful: Mapped[int] = mapped_column(Integer, default=0)
    reports: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "product_id", "customer_id"),  # BR016
        Index("ix_reviews_product", "tenant_id", "product_id", "status", "created_at", "id"),
        Index("ix_reviews_customer", "tenant_id", "customer_id", "created_at", "id"),
        Index("ix_reviews_status", "tenant_id", "status", "created_at", "id"),
    )


class ReviewVote(TenantScoped, Base):
    """One signed-in user's vote on a review: helpful or not (changeable)."""

    __tablename__ = "review_votes"

    review_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    helpful: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_review_votes_review", "tenant_id", "review_id"),)


class ReviewReport(TenantScoped, Base):
    """A shopper's report of a review (one per user and review)."""

    __tablename__ = "review_reports"

    review_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    reason: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_review_reports_review", "tenant_id", "review_id"),)


class ReviewReply(TenantScoped, Base):
    """The merchant's (on its own product) or staff's public answer to a review."""

    __tablename__ = "review_replies"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    review_id: Mapped[str] = mapped_column(String(36))
    author_kind: Mapped[ReplyAuthor] = mapped_column(StrEnumColumn(ReplyAuthor, 16))
    author_id: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_review_replies_review", "tenant_id", "review_id", "created_at"),)


class ProductRating(TenantScoped, Base):
    """A product's published reviews summed up: count, mean and the histogram of 1 to 5 stars."""

    __tablename__ = "product_ratings"

    product_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    average: Mapped[float | None] = mapped_column(Float)
    histogram: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ReviewPurchase(TenantScoped, Base):
    """An order line a customer placed (order.placed) and whether it reached them
    (shipment.delivered / order.delivered): the verified-purchase read model."""

    __tablename__ = "review_purchases"

    order_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    line_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(64))
    product_id: Mapped[str] = mapped_column(String(64))
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_review_purchases_customer", "tenant_id", "customer_id", "product_id"),
    )
