"""search document facets: each document's facet values on its own row (`facets`), read with
its match, so a search counts the attributes' facets without asking the database again;
filled from `search_facet_values` for the documents already indexed

Revision ID: 0017_search_document_facets
Revises: 0016_search_meaning
Create Date: 2026-12-05 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_search_document_facets"
down_revision: str | None = "0016_search_meaning"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with op.batch_alter_table("search_documents") as batch:
        batch.add_column(sa.Column("facets", sa.Text(), nullable=False, server_default=""))
    if postgres:
        joined = "string_agg(f.name || chr(31) || f.value, chr(30) ORDER BY f.name, f.value)"
    else:
        joined = "group_concat(f.name || char(31) || f.value, char(30))"
    op.execute(
        "UPDATE search_documents SET facets = COALESCE(("
        f"SELECT {joined} FROM search_facet_values f "
        "WHERE f.tenant_id = search_documents.tenant_id "
        "AND f.document_id = search_documents.id), '')"
    )


def downgrade() -> None:
    with op.batch_alter_table("search_documents") as batch:
        batch.drop_column("facets")
