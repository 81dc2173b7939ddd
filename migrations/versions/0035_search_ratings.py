"""search: products' review ratings in the search index (the rating sort and facet)

Revision ID: 0035_search_ratings
Revises: 0034_intelligence_registry
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0035_search_ratings"
down_revision: str | None = "0034_intelligence_registry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
