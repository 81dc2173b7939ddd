"""intelligence: competitor prices, price history, alerts, promotions and pricing suggestions

Revision ID: 0033_intelligence_pricing
Revises: 0032_intelligence_ingest
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0033_intelligence_pricing"
down_revision: str | None = "0032_intelligence_ingest"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
