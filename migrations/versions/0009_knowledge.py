"""knowledge: the test-data patterns generation found good

Revision ID: 0009_knowledge
Revises: 0008_payments
Create Date: 2026-11-29 17:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db

revision: str = "0009_knowledge"
down_revision: str | None = "0008_payments"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "knowledge_patterns",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("workflow", sa.String(length=64), nullable=True),
        sa.Column("scenario", sa.String(length=64), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("coherence", sa.Float(), nullable=False),
        sa.Column("example", sa.JSON(), nullable=False),
        sa.Column("generations", sa.Integer(), nullable=False),
        sa.Column("updated_at", mercato.kernel.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("knowledge_patterns")
