"""A stock reservation's and a sync discrepancy's statuses (stored as these strings)."""

from __future__ import annotations

from enum import StrEnum


class ReservationStatus(StrEnum):
    ACTIVE = "active"
    """Holding stock until it expires."""
    ALLOCATED = "allocated"
    """Its order was confirmed: it holds stock past its expiry, until shipped or released."""
    COMMITTED = "committed"
    RELEASED = "released"
    EXPIRED = "expired"


HOLDING = (ReservationStatus.ACTIVE, ReservationStatus.ALLOCATED)
"""The statuses in which a reservation holds stock."""


class DiscrepancyStatus(StrEnum):
    PENDING = "pending"
    """Waiting for a person to approve or reject it."""
    APPROVED = "approved"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"
    """A later feed of the same stock replaced it before anyone decided."""
