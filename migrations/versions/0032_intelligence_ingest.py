"""intelligence: sources, runs, raw records, clean records, matches, lineage and audit

Revision ID: 0032_intelligence_ingest
Revises: 0031_intelligence_demand
Create Date: 2026-12-06 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

revision: str = "0032_intelligence_ingest"
down_revision: str | None = "0031_intelligence_demand"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
