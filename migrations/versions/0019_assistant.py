"""assistant: conversations and their messages, shoppers' memory, the LLM's monthly usage

Revision ID: 0019_assistant
Revises: 0018_support
Create Date: 2026-12-05 21:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db

revision: str = "0019_assistant"
down_revision: str | None = "0018_support"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = mercato.kernel.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "assistant_conversations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=True),
        sa.Column("session_id", sa.String(64), nullable=True),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_assistant_conversations_user",
        "assistant_conversations",
        ["tenant_id", "user_id", "updated_at"],
    )
    op.create_index(
        "ix_assistant_conversations_session",
        "assistant_conversations",
        ["tenant_id", "session_id"],
    )
    op.create_table(
        "assistant_messages",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("conversation_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("intent", sa.String(40), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "conversation_id", "seq"),
    )
    op.create_table(
        "assistant_memories",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("owner", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("key", sa.String(32), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "owner", "kind", "key", "value"),
    )
    op.create_table(
        "assistant_usage",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("tokens", sa.Integer(), nullable=False),
        sa.Column("turns", sa.Integer(), nullable=False),
        sa.Column("warned", sa.Integer(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "month"),
    )


def downgrade() -> None:
    op.drop_table("assistant_usage")
    op.drop_table("assistant_memories")
    op.drop_table("assistant_messages")
    op.drop_index("ix_assistant_conversations_session", "assistant_conversations")
    op.drop_index("ix_assistant_conversations_user", "assistant_conversations")
    op.drop_table("assistant_conversations")
