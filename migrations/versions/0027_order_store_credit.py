"""orders: the store credit a checkout spent on the order (the payment takes the rest)

Revision ID: 0027_order_store_credit
Revises: 0026_returns
Create Date: 2026-12-06 02:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.money

revision: str = "0027_order_store_credit"
down_revision: str | None = "0026_returns"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(
            sa.Column(
                "credit_applied",
                mercato.kernel.money.Amount(),
                server_default="0",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("credit_applied")
