"""intelligence: competitor prices, price history, alerts, promotions and pricing suggestions

Revision ID: 0033_intelligence_pricing
Revises: 0032_intelligence_ingest
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db
import mercato.kernel.money

revision: str = "0033_intelligence_pricing"
down_revision: str | None = "0032_intelligence_ingest"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = mercato.kernel.db.UTCDateTime(timezone=True)
AMOUNT = mercato.kernel.money.Amount()


def upgrade() -> None:
    op.create_table(
        "intel_pricing_observations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("competitor", sa.String(length=120), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("price", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("availability", sa.String(length=40), nullable=True),
        sa.Column("promotion_text", sa.Text(), nullable=True),
        sa.Column("promotions", sa.JSON(), nullable=False),
        sa.Column("match_confidence", sa.Float(), nullable=False),
        sa.Column("source_record_id", sa.String(length=64), nullable=True),
        sa.Column("observed_at", WHEN, nullable=False),
        sa.Column("recorded_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_pricing_observations")),
        sa.UniqueConstraint(
            "tenant_id",
            "product_id",
            "competitor",
            "url",
            "observed_at",
            name="uq_intel_pricing_observations_seen",
        ),
    )
    op.create_index(
        "ix_intel_pricing_observations_product",
        "intel_pricing_observations",
        ["tenant_id", "product_id", "observed_at"],
        unique=False,
    )
    op.create_table(
        "intel_pricing_store_prices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("price", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("observed_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_pricing_store_prices")),
        sa.UniqueConstraint(
            "tenant_id",
            "product_id",
            "seq",
            name=op.f("uq_intel_pricing_store_prices_tenant_id_product_id_seq"),
        ),
    )
    op.create_index(
        "ix_intel_pricing_store_prices_product",
        "intel_pricing_store_prices",
        ["tenant_id", "product_id", "observed_at"],
        unique=False,
    )
    op.create_table(
        "intel_pricing_alerts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("observation_id", sa.String(length=36), nullable=False),
        sa.Column("competitor", sa.String(length=120), nullable=False),
        sa.Column("url", sa.String(length=1000), nullable=False),
        sa.Column("old_price", AMOUNT, nullable=False),
        sa.Column("new_price", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("change_percent", AMOUNT, nullable=False),
        sa.Column("threshold_percent", AMOUNT, nullable=False),
        sa.Column("observed_at", WHEN, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_pricing_alerts")),
        sa.UniqueConstraint(
            "tenant_id",
            "observation_id",
            name=op.f("uq_intel_pricing_alerts_tenant_id_observation_id"),
        ),
    )
    op.create_index(
        "ix_intel_pricing_alerts_product",
        "intel_pricing_alerts",
        ["tenant_id", "product_id", "observed_at"],
        unique=False,
    )
    op.create_table(
        "intel_pricing_costs",
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("cost", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("min_margin_percent", AMOUNT, nullable=True),
        sa.Column("min_margin_amount", AMOUNT, nullable=True),
        sa.Column("updated_by", sa.String(length=128), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "product_id", name=op.f("pk_intel_pricing_costs")),
    )
    op.create_table(
        "intel_pricing_floors",
        sa.Column("category_id", sa.String(length=36), nullable=False),
        sa.Column("min_margin_percent", AMOUNT, nullable=False),
        sa.Column("updated_by", sa.String(length=128), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "category_id", name=op.f("pk_intel_pricing_floors")),
    )
    op.create_table(
        "intel_pricing_suggestions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("base_price", AMOUNT, nullable=False),
        sa.Column("price", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("floor", AMOUNT, nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(length=600), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("accepted_by", sa.String(length=128), nullable=True),
        sa.Column("accepted_at", WHEN, nullable=True),
        sa.Column("applied", sa.JSON(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_pricing_suggestions")),
    )
    op.create_index(
        "ix_intel_pricing_suggestions_product",
        "intel_pricing_suggestions",
        ["tenant_id", "product_id", "status"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_intel_pricing_suggestions_product", table_name="intel_pricing_suggestions")
    op.drop_table("intel_pricing_suggestions")
    op.drop_table("intel_pricing_floors")
    op.drop_table("intel_pricing_costs")
    op.drop_index("ix_intel_pricing_alerts_product", table_name="intel_pricing_alerts")
    op.drop_table("intel_pricing_alerts")
    op.drop_index("ix_intel_pricing_store_prices_product", table_name="intel_pricing_store_prices")
    op.drop_table("intel_pricing_store_prices")
    op.drop_index("ix_intel_pricing_observations_product", table_name="intel_pricing_observations")
    op.drop_table("intel_pricing_observations")
