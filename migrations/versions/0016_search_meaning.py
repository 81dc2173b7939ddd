"""search meaning: each document's MiniLM vector (`search_vectors`), and on the documents
what the background embedder works from (the text whose meaning is embedded, its digest,
whether it is pending, and an embedder's claim)

Revision ID: 0016_search_meaning
Revises: 0015_search
Create Date: 2026-12-05 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db

revision: str = "0016_search_meaning"
down_revision: str | None = "0015_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("search_documents") as batch:
        batch.add_column(sa.Column("meaning", sa.Text(), nullable=False, server_default=""))
        batch.add_column(
            sa.Column("meaning_hash", sa.String(16), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("embed_pending", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.add_column(
            sa.Column(
                "embed_claimed_until", mercato.kernel.db.UTCDateTime(timezone=True), nullable=True
            )
        )
    op.create_index(
        "ix_search_documents_embed_pending",
        "search_documents",
        ["embed_pending"],
        sqlite_where=sa.text("embed_pending"),
        postgresql_where=sa.text("embed_pending"),
    )
    op.create_table(
        "search_vectors",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("meaning_hash", sa.String(16), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", mercato.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "document_id"),
    )
    op.create_index("ix_search_vectors_updated", "search_vectors", ["tenant_id", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_search_vectors_updated", table_name="search_vectors")
    op.drop_table("search_vectors")
    op.drop_index("ix_search_documents_embed_pending", table_name="search_documents")
    with op.batch_alter_table("search_documents") as batch:
        batch.drop_column("embed_claimed_until")
        batch.drop_column("embed_pending")
        batch.drop_column("meaning_hash")
        batch.drop_column("meaning")
