"""support: tickets and their messages, FAQ articles, and the per-store counter of ticket
numbers

Revision ID: 0018_support
Revises: 0017_search_document_facets
Create Date: 2026-12-05 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db

revision: str = "0018_support"
down_revision: str | None = "0017_search_document_facets"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = mercato.kernel.db.UTCDateTime


def upgrade() -> None:
    op.create_table(
        "support_counters",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_support_counters")),
    )
    op.create_table(
        "support_tickets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("requester_user_id", sa.String(length=64), nullable=True),
        sa.Column("requester_session_id", sa.String(length=64), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("conversation_id", sa.String(length=64), nullable=True),
        sa.Column("transcript", sa.JSON(), nullable=True),
        sa.Column("assignee_id", sa.String(length=64), nullable=True),
        sa.Column("first_response_due", UTC(timezone=True), nullable=False),
        sa.Column("resolution_due", UTC(timezone=True), nullable=False),
        sa.Column("first_responded_at", UTC(timezone=True), nullable=True),
        sa.Column("solved_at", UTC(timezone=True), nullable=True),
        sa.Column("last_message_at", UTC(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_tickets")),
        sa.UniqueConstraint(
            "tenant_id", "number", name=op.f("uq_support_tickets_tenant_id_number")
        ),
    )
    with op.batch_alter_table("support_tickets") as batch:
        batch.create_index("ix_support_tickets_created", ["tenant_id", "created_at", "id"])
        batch.create_index("ix_support_tickets_status", ["tenant_id", "status", "created_at", "id"])
        batch.create_index("ix_support_tickets_due", ["tenant_id", "resolution_due", "id"])
        batch.create_index(
            "ix_support_tickets_user", ["tenant_id", "requester_user_id", "created_at", "id"]
        )
        batch.create_index("ix_support_tickets_session", ["tenant_id", "requester_session_id"])
        batch.create_index(
            "ix_support_tickets_assignee", ["tenant_id", "assignee_id", "created_at", "id"]
        )
        batch.create_index("ix_support_tickets_conversation", ["tenant_id", "conversation_id"])
    op.create_table(
        "support_messages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("author_kind", sa.String(length=16), nullable=False),
        sa.Column("author_id", sa.String(length=64), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["support_tickets.id"],
            name=op.f("fk_support_messages_ticket_id_support_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_messages")),
    )
    with op.batch_alter_table("support_messages") as batch:
        batch.create_index("ix_support_messages_ticket", ["ticket_id", "created_at", "id"])
    op.create_table(
        "support_articles",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("question", sa.String(length=300), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("topic", sa.String(length=32), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.Column("updated_at", UTC(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_articles")),
    )
    with op.batch_alter_table("support_articles") as batch:
        batch.create_index("ix_support_articles_topic", ["tenant_id", "topic", "position"])


def downgrade() -> None:
    op.drop_table("support_articles")
    op.drop_table("support_messages")
    op.drop_table("support_tickets")
    op.drop_table("support_counters")
