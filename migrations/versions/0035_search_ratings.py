"""search: products' review ratings in the search index (the rating sort and facet)

Revision ID: 0035_search_ratings
Revises: 0034_intelligence_registry
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0035_search_ratings"
down_revision: str | None = "0034_intelligence_registry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OF_ITS_PRODUCT = (
    "FROM product_ratings r WHERE r.tenant_id = search_documents.tenant_id "
    "AND r.product_id = search_documents.product_id"
)


def upgrade() -> None:
    with op.batch_alter_table("search_documents") as batch:
        batch.add_column(sa.Column("rating", sa.Float(), nullable=True))
        batch.add_column(
            sa.Column("rating_count", sa.Integer(), nullable=False, server_default="0")
        )
    # the documents already indexed carry their products' ratings at once (events to come
    # keep them; `mercato search reindex` would too)
    op.execute(
        f"UPDATE search_documents SET rating = (SELECT r.average {_OF_ITS_PRODUCT}), "
        f"rating_count = COALESCE((SELECT r.count {_OF_ITS_PRODUCT}), 0)"
    )


def downgrade() -> None:
    with op.batch_alter_table("search_documents") as batch:
        batch.drop_column("rating_count")
        batch.drop_column("rating")
