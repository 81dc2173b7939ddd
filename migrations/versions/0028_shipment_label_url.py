"""shipping: where the carrier keeps a shipment's label file (fetched later when it could not
be at purchase)

Revision ID: 0028_shipment_label_url
Revises: 0027_order_store_credit
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_shipment_label_url"
down_revision: str | None = "0027_order_store_credit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("shipments") as batch:
        batch.add_column(sa.Column("label_url", sa.String(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("shipments") as batch:
        batch.drop_column("label_url")
