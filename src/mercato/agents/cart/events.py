"""Events the cart agent publishes (aggregate: the cart)."""

from __future__ import annotations

from typing import ClassVar

from mercato.kernel.events import Event


class CartCreated(Event):
    event_type: ClassVar[str] = "cart.created"
    cart_id: str
    user_id: str | None
    session_id: str | None


class CartItemChanged(Event):
    """A line was added, changed or removed (quantity 0)."""

    event_type: ClassVar[str] = "cart.item_changed"
    cart_id: str
    variant_id: str
    quantity: int
    previous_quantity: int


class CartMerged(Event):
    """A guest's cart was merged into its user's cart at sign-in (`into_cart_id ==
    cart_id` when the guest cart simply became the user's)."""

    event_type: ClassVar[str] = "cart.merged"
    cart_id: str
    into_cart_id: str
    user_id: str
    moved_variant_ids: list[str] = []
    capped_variant_ids: list[str] = []
    """Variants in both carts whose added quantities were capped at 99 (BR001)."""
    dropped_variant_ids: list[str] = []
    """Guest lines left out: in another currency than the user's cart, or the user's cart
    already had 100 distinct lines (BR003)."""


class CartAbandoned(Event):
    """A cart with lines sat idle past the threshold (cart_abandonment workflow)."""

    event_type: ClassVar[str] = "cart.abandoned"
    cart_id: str
    user_id: str | None
    session_id: str | None
    items: int
    subtotal: str
    currency: str
    idle_since: str


class CartCheckedOut(Event):
    """The cart became an order (its checkout's order was confirmed)."""

    event_type: ClassVar[str] = "cart.checked_out"
    cart_id: str
    order_id: str
