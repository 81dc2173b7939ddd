"""intelligence: review sentiment and its aggregates

Revision ID: 0030_intelligence_sentiment
Revises: 0029_reviews
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0030_intelligence_sentiment"
down_revision: str | None = "0029_reviews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
