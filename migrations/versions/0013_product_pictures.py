"""products: the pictures merchants upload, kept on the product's row (`catalog/gallery.py`)

Each entry names its renditions' keys in the object store (the local disk embedded, S3
scaled); every read that shows a product reads them in the same statement.

Revision ID: 0013_product_pictures
Revises: 0012_product_search_trigrams
Create Date: 2026-12-05 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_product_pictures"
down_revision: str | None = "0012_product_search_trigrams"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("products") as table:
        table.add_column(
            sa.Column("pictures", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("products") as table:
        table.drop_column("pictures")
