"""A product's and a variant's statuses (stored as these strings)."""

from __future__ import annotations

from enum import StrEnum


class ProductStatus(StrEnum):
    DRAFT = "draft"
    """Being written: seen only by the merchant selling it and by staff."""
    ACTIVE = "active"
    ARCHIVED = "archived"
    """No longer sold; kept for the orders that name it."""


class VariantStatus(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"
