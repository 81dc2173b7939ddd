"""The events the pricing part publishes (aggregate: the store's product)."""

from __future__ import annotations

from typing import ClassVar

from mercato.kernel.events import Event


class CompetitorPriceChanged(Event):
    """A matched competitor's price moved by the alert threshold or more."""

    event_type: ClassVar[str] = "pricing.competitor_price_changed"
    alert_id: str
    product_id: str
    competitor: str
    url: str
    old_price: str
    new_price: str
    currency: str
    change_percent: str
    threshold_percent: str
    observed_at: str


class PriceSuggestionAccepted(Event):
    """A merchant took a suggested price: the catalogue's own `product.price_changed`
    events follow from the same transaction."""

    event_type: ClassVar[str] = "pricing.suggestion_accepted"
    suggestion_id: str
    product_id: str
    rule: str
    old_price: str
    new_price: str
    currency: str
    accepted_by: str
