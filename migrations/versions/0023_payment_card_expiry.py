"""payments: the card's expiry month and year (a refund after it falls back to store credit)

Revision ID: 0023_payment_card_expiry
Revises: 0022_item_sizes
Create Date: 2026-12-06 02:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_payment_card_expiry"
down_revision: str | None = "0022_item_sizes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.add_column(sa.Column("card_exp_month", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("card_exp_year", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("card_exp_year")
        batch.drop_column("card_exp_month")
