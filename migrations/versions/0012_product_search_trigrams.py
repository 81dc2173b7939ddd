"""products: the `q` filter's words found through trigrams on PostgreSQL (ADR 22)

`LIKE '%word%'` on `search_text` read every product of the store (~1 ms a search at 1,200
products, a quarter of PostgreSQL's execution time under the mixed load). A GIN index of
pg_trgm's trigrams answers it from the index. pg_trgm ships with PostgreSQL (contrib) and is
a trusted extension: the database's owner may create it. Where it cannot be created (a
server built without contrib), the migration says so and goes on without the index:
searches read the rows, as before. SQLite keeps reading the rows.

Revision ID: 0012_product_search_trigrams
Revises: 0011_store_led_indexes
Create Date: 2026-12-05 10:20:00
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_product_search_trigrams"
down_revision: str | None = "0011_store_led_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    try:
        with bind.begin_nested():  # a refusal must not abort the migration's transaction
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError as exc:
        logging.getLogger("alembic.runtime.migration").warning(
            "pg_trgm is not available (%s): searches will read every product", exc.orig
        )
        return
    op.create_index(
        "ix_products_search_trgm",
        "products",
        ["search_text"],
        postgresql_using="gin",
        postgresql_ops={"search_text": "gin_trgm_ops"},
        postgresql_with={"fastupdate": "off"},  # no pending list (catalog/models.py says why)
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_products_search_trgm", table_name="products", if_exists=True)
