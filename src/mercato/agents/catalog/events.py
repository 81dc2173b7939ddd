"""Events the catalog agent publishes (aggregate: the product)."""

from __future__ import annotations

from typing import ClassVar

from mercato.kernel.events import Event


class ProductCreated(Event):
    event_type: ClassVar[str] = "product.created"
    product_id: str
    name: str
    status: str
    merchant_id: str | None
    variants: list[dict[str, str]]
    """[{variant_id, sku, price}] (prices as decimal strings)."""
    currency: str | None = None
    category_id: str | None = None


class ProductUpdated(Event):
    event_type: ClassVar[str] = "product.updated"
    product_id: str
    fields: list[str]
    """What changed: product fields by name, `variants` when a variant was added or
    changed, `price` when the product's lowest price moved."""


class ProductArchived(Event):
    event_type: ClassVar[str] = "product.archived"
    product_id: str


class ProductAvailabilityChanged(Event):
    """The product went out of stock, or came back (its read model of inventory's stock
    flipped `in_stock`): what a search index or a back-in-stock alert follows."""

    event_type: ClassVar[str] = "product.availability_changed"
    product_id: str
    in_stock: bool


class VariantPriceChanged(Event):
    """A variant's price changed: carts holding it will report the change (EC013)."""

    event_type: ClassVar[str] = "product.price_changed"
    product_id: str
    variant_id: str
    sku: str
    old_price: str
    new_price: str
    currency: str
