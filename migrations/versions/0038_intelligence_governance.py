"""intelligence: token usage and budgets, alerts, archives

Revision ID: 0038_intelligence_governance
Revises: 0037_intelligence_memory
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db

revision: str = "0038_intelligence_governance"
down_revision: str | None = "0037_intelligence_memory"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = mercato.kernel.db.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "intel_token_usage",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("query_id", sa.String(length=36), nullable=True),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("model", sa.String(length=120), nullable=False),
        sa.Column("input_tokens", sa.Integer(), nullable=False),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_intel_token_usage_at", "intel_token_usage", ["tenant_id", "created_at"])
    op.create_index(
        "ix_intel_token_usage_user", "intel_token_usage", ["tenant_id", "user_id", "created_at"]
    )
    op.create_table(
        "intel_budgets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=True),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("monthly_tokens", sa.BigInteger(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", UTC(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "subject", name="uq_intel_budgets_subject"),
    )
    op.create_table(
        "intel_alerts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("severity", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("open_key", sa.String(length=200), nullable=True),
        sa.Column("diagnostics", sa.JSON(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_at", UTC(), nullable=False),
        sa.Column("last_at", UTC(), nullable=False),
        sa.Column("delivered_at", UTC(), nullable=True),
        sa.Column("acknowledged_at", UTC(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "open_key", name="uq_intel_alerts_open_key"),
    )
    op.create_index("ix_intel_alerts_key", "intel_alerts", ["tenant_id", "key", "first_at"])
    op.create_index("ix_intel_alerts_first", "intel_alerts", ["tenant_id", "first_at", "id"])
    op.create_table(
        "intel_component_health",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("component", sa.String(length=64), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("last_outcome", sa.String(length=16), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("recent", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTC(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "component", name="uq_intel_component_health"),
    )
    op.create_table(
        "intel_archives",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("location", sa.String(length=500), nullable=False),
        sa.Column("archived_at", UTC(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_intel_archives_record", "intel_archives", ["tenant_id", "record_id"])
    op.create_index(
        "ix_intel_archives_kind", "intel_archives", ["tenant_id", "kind", "archived_at"]
    )


def downgrade() -> None:
    op.drop_table("intel_archives")
    op.drop_table("intel_component_health")
    op.drop_table("intel_alerts")
    op.drop_table("intel_budgets")
    op.drop_table("intel_token_usage")
