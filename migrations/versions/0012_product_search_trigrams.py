"""products: the `q` filter's words found through trigrams on PostgreSQL (ADR 22)

`LIKE '%word%'` on `search_text` read every product of the store (~1 ms a search at 1,200
products, a quarter of PostgreSQL's execution time under the mixed load). A GIN index of
pg_trgm's trigrams answers it from the index. pg_trgm ships with PostgreSQL (contrib) and is
a trusted extension: the database's owner may create it. SQLite keeps reading the rows.

Revision ID: 0012_product_search_trigrams
Revises: 0011_store_led_indexes
Create Date: 2026-12-05 10:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012_product_search_trigrams"
down_revision: str | None = "0011_store_led_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
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
    op.drop_index("ix_products_search_trgm", table_name="products")
