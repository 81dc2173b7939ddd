"""identity: account versions (access tokens end at once), failed logins of unknown emails

Revision ID: 0010_hardening
Revises: 0009_knowledge
Create Date: 2026-12-04 20:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db

revision: str = "0010_hardening"
down_revision: str | None = "0009_knowledge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("auth_version", sa.Integer(), nullable=False, server_default="0")
        )
    op.create_table(
        "login_failures",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("email_digest", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", mercato.kernel.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", mercato.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "email_digest"),
    )
    op.create_index("ix_login_failures_updated_at", "login_failures", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_login_failures_updated_at", table_name="login_failures")
    op.drop_table("login_failures")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("auth_version")
