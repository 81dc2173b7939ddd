"""intelligence: daily demand per product and its forecasts

Revision ID: 0031_intelligence_demand
Revises: 0030_intelligence_sentiment
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db

revision: str = "0031_intelligence_demand"
down_revision: str | None = "0030_intelligence_sentiment"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = mercato.kernel.db.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "intelligence_demand_lines",
        sa.Column("line_id", sa.String(length=36), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("variant_id", sa.String(length=36), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("cancelled", sa.Boolean(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "line_id", name=op.f("pk_intelligence_demand_lines")),
    )
    op.create_index(
        "ix_intelligence_demand_lines_order",
        "intelligence_demand_lines",
        ["tenant_id", "order_id"],
        unique=False,
    )
    op.create_index(
        "ix_intelligence_demand_lines_variant",
        "intelligence_demand_lines",
        ["tenant_id", "variant_id", "day"],
        unique=False,
    )
    op.create_table(
        "intelligence_demand_daily",
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("variant_id", sa.String(length=36), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "variant_id", "day", "source", name=op.f("pk_intelligence_demand_daily")
        ),
    )
    op.create_index(
        "ix_intelligence_demand_daily_product",
        "intelligence_demand_daily",
        ["tenant_id", "product_id", "day"],
        unique=False,
    )
    op.create_index(
        "ix_intelligence_demand_daily_source",
        "intelligence_demand_daily",
        ["tenant_id", "source"],
        unique=False,
    )
    op.create_table(
        "intelligence_demand_forecasts",
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("horizon", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("seasonality", sa.JSON(), nullable=False),
        sa.Column("season_length", sa.Integer(), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("low_confidence", sa.Boolean(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("mase", sa.Float(), nullable=True),
        sa.Column("baseline_mase", sa.Float(), nullable=True),
        sa.Column("history_days", sa.Integer(), nullable=False),
        sa.Column("history_end", sa.Date(), nullable=False),
        sa.Column("alerts", sa.JSON(), nullable=False),
        sa.Column("computed_at", UTC(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "product_id", "horizon", name=op.f("pk_intelligence_demand_forecasts")
        ),
    )
    op.create_index(
        "ix_intelligence_demand_forecasts_computed",
        "intelligence_demand_forecasts",
        ["tenant_id", "computed_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(
        "ix_intelligence_demand_forecasts_computed", table_name="intelligence_demand_forecasts"
    )
    op.drop_table("intelligence_demand_forecasts")
    op.drop_index("ix_intelligence_demand_daily_source", table_name="intelligence_demand_daily")
    op.drop_index("ix_intelligence_demand_daily_product", table_name="intelligence_demand_daily")
    op.drop_table("intelligence_demand_daily")
    op.drop_index("ix_intelligence_demand_lines_variant", table_name="intelligence_demand_lines")
    op.drop_index("ix_intelligence_demand_lines_order", table_name="intelligence_demand_lines")
    op.drop_table("intelligence_demand_lines")
