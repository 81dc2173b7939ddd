"""intelligence: the model registry (models, versions, predictions tracked against actuals,
evaluations)

Revision ID: 0034_intelligence_registry
Revises: 0033_intelligence_pricing
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db

revision: str = "0034_intelligence_registry"
down_revision: str | None = "0033_intelligence_pricing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = mercato.kernel.db.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "intel_models",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("task", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("metric", sa.String(length=16), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("evaluated_at", UTC(), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "task", name="uq_intel_models_task"),
    )
    op.create_table(
        "intel_model_versions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("model_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("training_metrics", sa.JSON(), nullable=False),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("promoted_at", UTC(), nullable=True),
        sa.Column("promoted_by", sa.String(length=64), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "model_id", "version", name="uq_intel_model_versions"),
    )
    op.create_index(
        "ix_intel_model_versions_status",
        "intel_model_versions",
        ["tenant_id", "model_id", "status"],
    )
    op.create_table(
        "intel_predictions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("model_id", sa.String(length=36), nullable=False),
        sa.Column("version_id", sa.String(length=36), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("predicted_label", sa.String(length=16), nullable=True),
        sa.Column("predicted_value", sa.Float(), nullable=True),
        sa.Column("actual_label", sa.String(length=16), nullable=True),
        sa.Column("actual_value", sa.Float(), nullable=True),
        sa.Column("due_at", UTC(), nullable=False),
        sa.Column("predicted_at", UTC(), nullable=False),
        sa.Column("resolved_at", UTC(), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "model_id", "subject", "key", name="uq_intel_predictions"),
    )
    op.create_index(
        "ix_intel_predictions_open",
        "intel_predictions",
        ["tenant_id", "model_id", "resolved_at", "due_at"],
    )
    op.create_index(
        "ix_intel_predictions_version",
        "intel_predictions",
        ["tenant_id", "version_id", "resolved_at"],
    )
    op.create_table(
        "intel_evaluations",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("model_id", sa.String(length=36), nullable=False),
        sa.Column("version_id", sa.String(length=36), nullable=False),
        sa.Column("metric", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("baseline", sa.Float(), nullable=True),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("trigger", sa.String(length=16), nullable=False),
        sa.Column("retrained_version_id", sa.String(length=36), nullable=True),
        sa.Column("evaluated_at", UTC(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_intel_evaluations_model",
        "intel_evaluations",
        ["tenant_id", "model_id", "evaluated_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_intel_evaluations_model", table_name="intel_evaluations")
    op.drop_table("intel_evaluations")
    op.drop_index("ix_intel_predictions_version", table_name="intel_predictions")
    op.drop_index("ix_intel_predictions_open", table_name="intel_predictions")
    op.drop_table("intel_predictions")
    op.drop_index("ix_intel_model_versions_status", table_name="intel_model_versions")
    op.drop_table("intel_model_versions")
    op.drop_table("intel_models")
