"""A cart's statuses and a discount code's kinds (stored as these strings)."""

from __future__ import annotations

from enum import StrEnum


class CartStatus(StrEnum):
    ACTIVE = "active"
    CHECKOUT = "checkout"
    """An order is being paid for: the cart is held, and given back if checkout fails."""
    CONVERTED = "converted"
    MERGED = "merged"
    """A guest's cart folded into the user's at sign-in."""
    ABANDONED = "abandoned"


class DiscountKind(StrEnum):
    PERCENT = "percent"
    FIXED = "fixed"
