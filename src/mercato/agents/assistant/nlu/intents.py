"""The intents the assistant understands: the contract of `POST /v1/assistant/parse`."""

from __future__ import annotations

INTENTS: tuple[str, ...] = (
    "greeting",
    "goodbye",
    "thanks",
    "search_products",
    "product_details",
    "check_availability",
    "add_to_cart",
    "update_cart_item",
    "remove_from_cart",
    "view_cart",
    "apply_discount",
    "checkout",
    "order_status",
    "cancel_order",
    "change_order",
    "change_shipping_address",
    "return_refund",
    "invoice",
    "payment_issue",
    "faq",
    "account_help",
    "newsletter",
    "feedback",
    "complaint",
    "human_handoff",
    "out_of_scope",
)

OUT_OF_SCOPE = "out_of_scope"

ACTING: frozenset[str] = frozenset(
    {
        "add_to_cart",
        "update_cart_item",
        "remove_from_cart",
        "apply_discount",
        "checkout",
        "cancel_order",
        "change_order",
        "change_shipping_address",
    }
)
"""Intents whose handling changes something (a cart, an order): never taken on a message the
classifier is unsure of."""
