"""intelligence: review sentiment and its aggregates

Revision ID: 0030_intelligence_sentiment
Revises: 0029_reviews
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db

revision: str = "0030_intelligence_sentiment"
down_revision: str | None = "0029_reviews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = mercato.kernel.db.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "intelligence_review_sentiment",
        sa.Column("review_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=8), nullable=False),
        sa.Column("polarity", sa.Float(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("aspects", sa.JSON(), nullable=False),
        sa.Column("requests", sa.JSON(), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=True),
        sa.Column("model_version", sa.String(length=32), nullable=False),
        sa.Column("published_at", UTC(timezone=True), nullable=False),
        sa.Column("analysed_at", UTC(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "review_id", name=op.f("pk_intelligence_review_sentiment")
        ),
    )
    op.create_index(
        "ix_intelligence_review_sentiment_product",
        "intelligence_review_sentiment",
        ["tenant_id", "product_id", "published_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_intelligence_review_sentiment_product", table_name="intelligence_review_sentiment"
    )
    op.drop_table("intelligence_review_sentiment")
