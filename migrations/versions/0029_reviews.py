"""reviews: customers' reviews of products, their votes and replies, and rating aggregates

Revision ID: 0029_reviews
Revises: 0028_shipment_label_url
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db

revision: str = "0029_reviews"
down_revision: str | None = "0028_shipment_label_url"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = mercato.kernel.db.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "reviews",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=80), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("helpful", sa.Integer(), nullable=False),
        sa.Column("unhelpful", sa.Integer(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.Column("published_at", UTC(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint(
            "tenant_id",
            "product_id",
            "customer_id",
            name=op.f("uq_reviews_tenant_id_product_id_customer_id"),
        ),
    )
    op.create_index(
        "ix_reviews_product",
        "reviews",
        ["tenant_id", "product_id", "status", "created_at", "id"],
        unique=False,
    )
    op.create_index(
        "ix_reviews_customer", "reviews", ["tenant_id", "customer_id", "created_at", "id"]
    )
    op.create_index("ix_reviews_status", "reviews", ["tenant_id", "status", "created_at", "id"])
    op.create_table(
        "review_votes",
        sa.Column("review_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("review_id", "user_id", name=op.f("pk_review_votes")),
    )
    op.create_index("ix_review_votes_review", "review_votes", ["tenant_id", "review_id"])
    op.create_table(
        "review_reports",
        sa.Column("review_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("review_id", "user_id", name=op.f("pk_review_reports")),
    )
    op.create_index("ix_review_reports_review", "review_reports", ["tenant_id", "review_id"])
    op.create_table(
        "review_replies",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("review_id", sa.String(length=36), nullable=False),
        sa.Column("author_kind", sa.String(length=16), nullable=False),
        sa.Column("author_id", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_replies")),
    )
    op.create_index(
        "ix_review_replies_review", "review_replies", ["tenant_id", "review_id", "created_at"]
    )
    op.create_table(
        "product_ratings",
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("average", sa.Float(), nullable=True),
        sa.Column("histogram", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_product_ratings")),
    )
    op.create_table(
        "review_purchases",
        sa.Column("order_id", sa.String(length=64), nullable=False),
        sa.Column("line_id", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("product_id", sa.String(length=64), nullable=False),
        sa.Column("delivered_at", UTC(timezone=True), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("order_id", "line_id", name=op.f("pk_review_purchases")),
    )
    op.create_index(
        "ix_review_purchases_customer",
        "review_purchases",
        ["tenant_id", "customer_id", "product_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_review_purchases_customer", table_name="review_purchases")
    op.drop_table("review_purchases")
    op.drop_table("product_ratings")
    op.drop_index("ix_review_replies_review", table_name="review_replies")
    op.drop_table("review_replies")
    op.drop_index("ix_review_reports_review", table_name="review_reports")
    op.drop_table("review_reports")
    op.drop_index("ix_review_votes_review", table_name="review_votes")
    op.drop_table("review_votes")
    op.drop_index("ix_reviews_status", table_name="reviews")
    op.drop_index("ix_reviews_customer", table_name="reviews")
    op.drop_index("ix_reviews_product", table_name="reviews")
    op.drop_table("reviews")
