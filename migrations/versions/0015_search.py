"""search: the search agent's documents, facet values, vocabulary, synonyms, query log and
what was bought together; SQLite's FTS5 index of the documents' words (`search_fts`, its
row id the document's id); PostgreSQL's weighted tsvector with a GIN index

Revision ID: 0015_search
Revises: 0014_carts_by_day
Create Date: 2026-12-05 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import mercato.kernel.db
import mercato.kernel.money

revision: str = "0015_search"
down_revision: str | None = "0014_carts_by_day"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FTS = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "name, labels, details, description, "
    "tokenize = 'porter unicode61 remove_diacritics 2', prefix = '2 3 4')"
)
"""Porter stems English words ("jackets" → "jacket"); the prefix indexes answer "jac*" from
the index (search as you type)."""


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    path = sa.String(1000, collation="C") if postgres else sa.String(1000)
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("brand", sa.String(200), nullable=True),
        sa.Column("category_id", sa.String(36), nullable=True),
        sa.Column("category_path", path, nullable=True),
        sa.Column("labels", sa.Text(), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("merchant_id", sa.String(64), nullable=True),
        sa.Column("price", mercato.kernel.money.Amount(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("in_stock", sa.Boolean(), nullable=False),
        sa.Column("popularity", sa.Float(), nullable=False),
        sa.Column("created_at", mercato.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("indexed_at", mercato.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("words", postgresql.TSVECTOR() if postgres else sa.Text(), nullable=True),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tenant_id", "product_id"),
    )
    op.create_index(
        "ix_search_documents_category", "search_documents", ["tenant_id", "category_path"]
    )
    op.create_table(
        "search_facet_values",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_search_facet_values_document", "search_facet_values", ["tenant_id", "document_id"]
    )
    op.create_index(
        "ix_search_facet_values_lookup", "search_facet_values", ["tenant_id", "name", "value"]
    )
    op.create_table(
        "search_terms",
        sa.Column("term", sa.String(64), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "term"),
    )
    op.create_table(
        "search_synonyms",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("words", sa.JSON(), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_search_synonyms_store", "search_synonyms", ["tenant_id", "position"])
    op.create_table(
        "search_queries",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("words", sa.String(200), nullable=False),
        sa.Column("results", sa.Integer(), nullable=False),
        sa.Column("relaxed", sa.Boolean(), nullable=False),
        sa.Column("corrected", sa.String(200), nullable=True),
        sa.Column("user_id", sa.String(64), nullable=True),
        sa.Column("created_at", mercato.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_search_queries_store", "search_queries", ["tenant_id", "created_at"])
    op.create_table(
        "search_clicks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("query_id", sa.String(36), nullable=False),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", mercato.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_search_clicks_store", "search_clicks", ["tenant_id", "query_id"])
    op.create_table(
        "search_baskets",
        sa.Column("order_id", sa.String(36), nullable=False),
        sa.Column("product_ids", sa.JSON(), nullable=False),
        sa.Column("placed_at", mercato.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "order_id"),
    )
    op.create_table(
        "search_pairs",
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("other_id", sa.String(36), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "product_id", "other_id"),
    )
    op.create_table(
        "search_interests",
        sa.Column("shopper", sa.String(80), nullable=False),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("updated_at", mercato.kernel.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "shopper", "product_id"),
    )
    op.create_table(
        "search_cart_owners",
        sa.Column("cart_id", sa.String(36), nullable=False),
        sa.Column("shopper", sa.String(80), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "cart_id"),
    )
    if postgres:
        op.create_index(
            "ix_search_documents_words", "search_documents", ["words"], postgresql_using="gin"
        )
    else:
        op.execute(FTS)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_cart_owners")
    op.drop_table("search_interests")
    op.drop_table("search_pairs")
    op.drop_table("search_baskets")
    op.drop_table("search_clicks")
    op.drop_table("search_queries")
    op.drop_table("search_synonyms")
    op.drop_table("search_terms")
    op.drop_table("search_facet_values")
    op.drop_table("search_documents")
