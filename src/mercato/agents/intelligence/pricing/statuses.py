"""A pricing suggestion's statuses (stored as these strings)."""

from __future__ import annotations

from enum import StrEnum


class SuggestionStatus(StrEnum):
    OPEN = "open"
    """Made for the product's current price: the merchant may accept it."""
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded"
    """A newer analysis (a new price, cost or competitor's price) replaced it."""
