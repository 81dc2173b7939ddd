"""carts: found by the day they were opened (the admin's conversion, `GET /v1/cart-summary`)

Revision ID: 0014_carts_by_day
Revises: 0013_product_pictures
Create Date: 2026-12-05 15:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014_carts_by_day"
down_revision: str | None = "0013_product_pictures"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_carts_created", "carts", ["tenant_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_carts_created", table_name="carts")
