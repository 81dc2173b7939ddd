"""intelligence: preferences, conversations and past questions

Revision ID: 0037_intelligence_memory
Revises: 0036_intelligence_ask
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db
import mercato.kernel.money

revision: str = "0037_intelligence_memory"
down_revision: str | None = "0036_intelligence_ask"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = mercato.kernel.db.UTCDateTime
AMOUNT = mercato.kernel.money.Amount()


def upgrade() -> None:
    op.create_table(
        "intel_preferences",
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("kpis", sa.JSON(), nullable=False),
        sa.Column("marketplaces", sa.JSON(), nullable=False),
        sa.Column("goals", sa.JSON(), nullable=False),
        sa.Column("margin_floor_percent", AMOUNT, nullable=True),
        sa.Column("report_detail", sa.String(length=16), nullable=False),
        sa.Column("updated_at", UTC(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "user_id"),
    )
    op.create_table(
        "intel_conversation_turns",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("conversation_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("query_id", sa.String(length=36), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("intents", sa.JSON(), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_intel_conversation_turns_conversation",
        "intel_conversation_turns",
        ["tenant_id", "conversation_id", "created_at"],
    )
    op.create_index(
        "ix_intel_conversation_turns_created",
        "intel_conversation_turns",
        ["tenant_id", "created_at"],
    )
    op.create_table(
        "intel_past_questions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("report_id", sa.String(length=36), nullable=False),
        sa.Column("embedding", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_intel_past_questions_user",
        "intel_past_questions",
        ["tenant_id", "user_id", "created_at"],
    )
    op.create_index(
        "ix_intel_past_questions_created", "intel_past_questions", ["tenant_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_table("intel_past_questions")
    op.drop_table("intel_conversation_turns")
    op.drop_table("intel_preferences")
