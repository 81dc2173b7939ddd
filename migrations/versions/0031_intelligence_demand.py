"""intelligence: daily demand per product and its forecasts

Revision ID: 0031_intelligence_demand
Revises: 0030_intelligence_sentiment
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0031_intelligence_demand"
down_revision: str | None = "0030_intelligence_sentiment"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
