"""The search agent's tables: one document per sellable product (what is matched, filtered,
faceted and ranked), its facet values, and on SQLite the FTS5 index over the documents'
words (`search_fts`, made by the migration: a virtual table is no model)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    Index,
    Integer,
    LargeBinary,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import (
    text as sql_text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from mercato.kernel.db import Base, TenantScoped, UTCDateTime
from mercato.kernel.money import Amount

PATH = String(1000).with_variant(String(1000, collation="C"), "postgresql")


class SearchDocument(TenantScoped, Base):
    """A sellable product as search sees it. `id` is the FTS5 row's id on SQLite; PostgreSQL
    matches `words`, a weighted tsvector (name A; brand and categories B; attributes, SKUs
    and variant titles C; description D)."""

    __tablename__ = "search_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    product_id: Mapped[str] = mapped_column(String(36))
    name: Mapped[str] = mapped_column(String(300))
    brand: Mapped[str | None] = mapped_column(String(200))
    category_id: Mapped[str | None] = mapped_column(String(36))
    category_path: Mapped[str | None] = mapped_column(PATH)
    labels: Mapped[str] = mapped_column(Text, default="")
    """Brand and category names: the B-weighted words."""
    details: Mapped[str] = mapped_column(Text, default="")
    """Attribute values, SKUs and variant titles: the C-weighted words."""
    description: Mapped[str] = mapped_column(Text, default="")
    merchant_id: Mapped[str | None] = mapped_column(String(64))
    price: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    in_stock: Mapped[bool] = mapped_column(Boolean, default=False)
    popularity: Mapped[float] = mapped_column(Float, default=0.0)
    rating: Mapped[float | None] = mapped_column(Float, nullable=True)
    """The mean rating of its published reviews (the reviews agent's aggregate, copied here so
    the rating sort, facet and filter read no other table); None while it has none."""
    rating_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """How many published reviews `rating` is the mean of."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    indexed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    words: Mapped[str | None] = mapped_column(Text().with_variant(TSVECTOR(), "postgresql"))
    terms: Mapped[str] = mapped_column(Text, default="")
    """The distinct folded words of its name, labels and details, as the vocabulary
    (`SearchTerm`) counts them: what to take back when the document changes."""
    facets: Mapped[str] = mapped_column(Text, default="")
    """Its facet values (`SearchFacetValue`'s, lower-cased), `name` \\x1f `value`, joined by
    \\x1e: read with its match, so a search counts the attributes' facets in the process."""
    meaning: Mapped[str] = mapped_column(Text, default="")
    """The text its meaning is embedded from (`meaning.meaning_text`: no SKU, no number)."""
    meaning_hash: Mapped[str] = mapped_column(String(16), default="")
    """A digest of `meaning`: which text a vector was made from."""
    embed_pending: Mapped[bool] = mapped_column(Boolean, default=True)
    """Its text changed since its vector was made (or it has none): the embedder's work."""
    embed_claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    """An embedder is at work on it until then (several processes share the work)."""

    __table_args__ = (
        UniqueConstraint("tenant_id", "product_id"),
        Index(
            "ix_search_documents_embed_pending",
            "embed_pending",
            sqlite_where=sql_text("embed_pending"),
            postgresql_where=sql_text("embed_pending"),
        ),
        Index("ix_search_documents_category", "tenant_id", "category_path"),
        Index("ix_search_documents_words", "words", postgresql_using="gin").ddl_if(
            dialect="postgresql"
        ),
    )


class SearchFacetValue(TenantScoped, Base):
    """One (name, value) a document has, lower-cased: an attribute of the product or of any
    of its variants, what the `attr=` filter matches and the facets count."""

    __tablename__ = "search_facet_values"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(200))

    __table_args__ = (
        Index("ix_search_facet_values_document", "tenant_id", "document_id"),
        Index("ix_search_facet_values_lookup", "tenant_id", "name", "value"),
    )


class SearchTerm(TenantScoped, Base):
    """A word of the store's products (names, brands, categories, attributes) and in how many
    documents it is: the vocabulary a misspelt word is corrected against."""

    __tablename__ = "search_terms"

    term: Mapped[str] = mapped_column(String(64))
    documents: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "term"),)


class SearchSynonym(TenantScoped, Base):
    """Words and phrases a shopper uses for the same thing ("tshirt", "t shirt", "tee"): a
    query's word in a group matches any of them. Edited by the store's admins."""

    __tablename__ = "search_synonyms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    position: Mapped[int] = mapped_column(Integer)
    words: Mapped[list[str]] = mapped_column(JSON)

    __table_args__ = (Index("ix_search_synonyms_store", "tenant_id", "position"),)


class SearchQuery(TenantScoped, Base):
    """A search a shopper made, as analytics reads it: the words, how many products answered
    (0: a query the catalogue cannot answer yet), whether they were relaxed or corrected."""

    __tablename__ = "search_queries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    text: Mapped[str] = mapped_column(String(200))
    words: Mapped[str] = mapped_column(String(200))
    """The folded words, as queries are grouped."""
    results: Mapped[int] = mapped_column(Integer)
    relaxed: Mapped[bool] = mapped_column(Boolean)
    corrected: Mapped[str | None] = mapped_column(String(200))
    user_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_search_queries_store", "tenant_id", "created_at"),)


class SearchClick(TenantScoped, Base):
    """A product a shopper opened from a search's answers, and at which place."""

    __tablename__ = "search_clicks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    query_id: Mapped[str] = mapped_column(String(36))
    product_id: Mapped[str] = mapped_column(String(36))
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_search_clicks_store", "tenant_id", "query_id"),)


class SearchBasket(TenantScoped, Base):
    """The products of an order placed and not yet confirmed: counted as bought together once
    it is (`order.confirmed`), then forgotten."""

    __tablename__ = "search_baskets"

    order_id: Mapped[str] = mapped_column(String(36))
    product_ids: Mapped[list[str]] = mapped_column(JSON)
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "order_id"),)


class SearchPair(TenantScoped, Base):
    """How many confirmed orders held both products (each pair stored both ways round)."""

    __tablename__ = "search_pairs"

    product_id: Mapped[str] = mapped_column(String(36))
    other_id: Mapped[str] = mapped_column(String(36))
    orders: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "product_id", "other_id"),)


class SearchInterest(TenantScoped, Base):
    """How much a shopper (`user:<id>` or `session:<id>`) showed for a product: cart adds and
    purchases, weighted. What `for-you` recommendations start from."""

    __tablename__ = "search_interests"

    shopper: Mapped[str] = mapped_column(String(80))
    product_id: Mapped[str] = mapped_column(String(36))
    weight: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "shopper", "product_id"),)


class SearchCartOwner(TenantScoped, Base):
    """Whose a cart is (its events name the cart only)."""

    __tablename__ = "search_cart_owners"

    cart_id: Mapped[str] = mapped_column(String(36))
    shopper: Mapped[str] = mapped_column(String(80))

    __table_args__ = (PrimaryKeyConstraint("tenant_id", "cart_id"),)


class SearchVector(TenantScoped, Base):
    """A document's meaning: the MiniLM embedding of its text (384 float16 values, unit
    length), made in the background by the embedder and matched by cosine in the process."""

    __tablename__ = "search_vectors"

    document_id: Mapped[int] = mapped_column(Integer)
    meaning_hash: Mapped[str] = mapped_column(String(16))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "document_id"),
        Index("ix_search_vectors_updated", "tenant_id", "updated_at"),
    )
