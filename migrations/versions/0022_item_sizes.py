"""catalog: a variant's shipping weight and box dimensions (shipping rates, packing)

Revision ID: 0022_item_sizes
Revises: 0021_analytics
Create Date: 2026-12-06 02:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_item_sizes"
down_revision: str | None = "0021_analytics"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIZES = ("weight_grams", "length_mm", "width_mm", "height_mm")


def upgrade() -> None:
    with op.batch_alter_table("product_variants") as batch:
        for name in SIZES:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("product_variants") as batch:
        for name in reversed(SIZES):
            batch.drop_column(name)
