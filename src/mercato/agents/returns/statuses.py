"""The returns agent's statuses and kinds."""

from __future__ import annotations

from enum import StrEnum


class ReturnStatus(StrEnum):
    """requested → approved (its label made) → received → inspected → refunded; or
    rejected; or cancelled by the shopper before it is received. A return screened as
    risky stays requested until staff approve it."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    RECEIVED = "received"
    INSPECTED = "inspected"
    REFUNDING = "refunding"
    """Its refund saga runs (restock, then the money)."""
    REFUNDED = "refunded"
    CANCELLED = "cancelled"


OPEN = (
    ReturnStatus.REQUESTED,
    ReturnStatus.APPROVED,
    ReturnStatus.RECEIVED,
    ReturnStatus.INSPECTED,
    ReturnStatus.REFUNDING,
)
"""Units in these returns are spoken for: another return cannot ask for them."""


class Condition(StrEnum):
    """An item's condition at inspection (BR010: only `original` refunds in full)."""

    ORIGINAL = "original"
    OPENED = "opened"
    """Unused, packaging opened or missing: the restocking fee applies."""
    DAMAGED = "damaged"
    MISSING = "missing"
    """Never arrived with the parcel: nothing to refund."""


class Resolution(StrEnum):
    REFUND = "refund"
    """To the original payment method (store credit when it cannot take it)."""
    STORE_CREDIT = "store_credit"
    EXCHANGE = "exchange"
    """A replacement order of the same products (another variant if asked)."""


class Disposition(StrEnum):
    RESTOCK = "restock"
    WRITE_OFF = "write_off"


class CreditReason(StrEnum):
    RETURN = "return"
    CHECKOUT = "checkout"
    CHECKOUT_REVERSED = "checkout_reversed"
    ADJUSTMENT = "adjustment"
    TRANSFER = "transfer"
    """A guest's balance (kept by email) moved to the account that verified that email."""
