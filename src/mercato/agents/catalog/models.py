"""The catalog agent's tables: categories (a tree), products, their variants (SKUs) and the
attribute values browsing filters on."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from mercato.agents.catalog.statuses import ProductStatus, VariantStatus
from mercato.kernel.db import Base, StrEnumColumn, TenantScoped, UTCDateTime
from mercato.kernel.money import Amount

PATH = String(1000).with_variant(String(1000, collation="C"), "postgresql")
"""A category path: compared bytewise ("C") on PostgreSQL whatever the database's collation,
so a subtree is one index range (`path <= category_path < path || '~'`) on both backends."""


class Category(TenantScoped, Base):
    """A node of the store's category tree. `path` is the chain of ids from the root
    (`/a/b/c/`), so a subtree is one indexed prefix match."""

    __tablename__ = "categories"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(140))
    path: Mapped[str] = mapped_column(PATH)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("tenant_id", "slug"),)


FILTERS = ("price", "in_stock", "category_path", "merchant_id")
"""The listing's filter columns, carried by each sort index."""


class Product(TenantScoped, Base):
    """A product and the facts listing filters and sorts on, kept on the row: `price` is its
    lowest variant price, `category_path` its category's path, `in_stock` whether any
    variant is available (a read model of inventory's stock events)."""

    __tablename__ = "products"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    merchant_id: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(320))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ProductStatus] = mapped_column(StrEnumColumn(ProductStatus, 16))
    category_id: Mapped[str | None] = mapped_column(ForeignKey("categories.id"))
    category_path: Mapped[str | None] = mapped_column(PATH)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    images: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Pictures elsewhere, by URL (a feed's, an import's)."""
    pictures: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    """Pictures uploaded to Mercato, in the order they are shown (`gallery.py`)."""
    price: Mapped[Decimal] = mapped_column(Amount)
    compare_at_price: Mapped[Decimal | None] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    is_free: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_shipping: Mapped[bool] = mapped_column(Boolean, default=True)
    in_stock: Mapped[bool] = mapped_column(Boolean, default=False)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "slug"),
        # One index per sort, (store, status, sort key, id), followed by the filter columns:
        # a page is read in order, and filters are checked in the index, not in the rows.
        Index("ix_products_listing_newest", "tenant_id", "status", "created_at", "id", *FILTERS),
        Index("ix_products_listing_price", "tenant_id", "status", "price", "id", *FILTERS[1:]),
        Index("ix_products_listing_name", "tenant_id", "status", "name", "id", *FILTERS),
        Index("ix_products_category_path", "tenant_id", "category_path"),
        Index("ix_products_merchant", "tenant_id", "merchant_id"),
        # PostgreSQL: the `q` filter's `LIKE '%word%'` through trigrams (pg_trgm), not a
        # read of every product (ADR 22, fifth pass); SQLite reads them. No pending list
        # (fastupdate off): the planner prices a GIN index by it, and until a vacuum empties
        # it a freshly seeded store's searches were planned as reads of every product.
        Index(
            "ix_products_search_trgm",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
            postgresql_with={"fastupdate": "off"},
        ).ddl_if(dialect="postgresql"),
    )


class Variant(TenantScoped, Base):
    """A sellable variant of a product: one SKU, unique in its store (BR013)."""

    __tablename__ = "product_variants"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    sku: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300), default="")
    price: Mapped[Decimal] = mapped_column(Amount)
    compare_at_price: Mapped[Decimal | None] = mapped_column(Amount)
    attributes: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[VariantStatus] = mapped_column(
        StrEnumColumn(VariantStatus, 16), default=VariantStatus.ACTIVE
    )
    available: Mapped[int] = mapped_column(Integer, default=0)
    """Units available to sell across locations: a read model of inventory's events."""
    weight_grams: Mapped[int | None] = mapped_column(Integer)
    """One unit's shipping weight; unknown is None (shipping assumes its default)."""
    length_mm: Mapped[int | None] = mapped_column(Integer)
    width_mm: Mapped[int | None] = mapped_column(Integer)
    height_mm: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        UniqueConstraint("tenant_id", "sku"),
        # With the store in it, SQLite (which plans without statistics until ANALYZE) takes
        # this index for "the variants of these products" over the one on tenant_id alone.
        Index("ix_product_variants_product", "product_id", "tenant_id"),
    )


class AttributeValue(TenantScoped, Base):
    """One (name, value) a product or any of its variants has, lower-cased: what the
    `attr=` filter of the listing matches through one index."""

    __tablename__ = "product_attribute_values"

    product_id: Mapped[str] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(String(200))

    __table_args__ = (
        # The store leads the key, so SQLite (which plans without statistics until ANALYZE)
        # finds a product's pairs through it rather than through the index on tenant_id.
        PrimaryKeyConstraint("tenant_id", "product_id", "name", "value"),
        Index("ix_product_attribute_values_lookup", "tenant_id", "name", "value"),
    )
