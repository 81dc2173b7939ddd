"""reviews: customers' reviews of products, their votes and replies, and rating aggregates

Revision ID: 0029_reviews
Revises: 0028_shipment_label_url
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0029_reviews"
down_revision: str | None = "0028_shipment_label_url"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
