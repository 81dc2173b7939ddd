"""The scenarios each entity can be generated in, with what each one changes, and the mix a
workflow gives the records no scenario was asked for."""

from __future__ import annotations

HAPPY = "happy_path"
HIGH_VALUE_MINOR = 100_000
"""high_value: a total of at least 1,000.00 (in USD cents)."""
MAX_LINES = 100
"""max_items: BR003's limit of unique lines."""

_ORDER = {
    HAPPY: "A paid order of 1-5 lines of in-stock products shipped at home (US), confirmed, "
    "shipped or delivered; the card authorized, captured when it shipped",
    "high_value": "A total of at least 1,000.00 (expensive products, several units)",
    "single_item": "Exactly one line of quantity 1",
    "max_items": "100 unique lines: BR003's limit of a cart, carried into the order",
    "multi_currency": "Priced and paid in EUR, GBP, JPY or CAD (products sold in it), not "
    "the store's USD; no flat shipping (it is a USD amount)",
    "international": "Shipped to (and billed at) an address outside the store's country",
    "guest_checkout": "Placed by a guest: no account (customer_id empty), the email only",
    "digital_only": "Only products that need no shipping: no shipping address (BR005)",
    "card_declined": "The card was declined: the payment failed (card_declined) and the "
    "order was cancelled (payment_declined); the cart given back, then abandoned (BR020)",
    "full_refund": "Delivered, then refunded in full (payment refunded)",
    "partial_refund": "Delivered, then part of the total refunded",
    "cancelled": "Cancelled by the shopper before it shipped; the authorization voided",
    "manual_review": "Billed in another country than shipped to: the payment authorized but "
    "held for manual review (country_mismatch), the order confirmed under review",
    "abandoned": "Checkout abandoned at payment: the order placed, never paid, cancelled "
    "when its stock reservation expired (no payment row); the cart given back, then "
    "abandoned (BR020)",
}
_CART = {
    HAPPY: "An active cart of 1-5 lines, touched within the last hour",
    "high_value": "A subtotal of at least 1,000.00",
    "single_item": "Exactly one line of quantity 1",
    "max_items": "100 unique lines (BR003's limit)",
    "multi_currency": "A cart in EUR, GBP, JPY or CAD of products sold in it",
    "abandoned": "Idle for more than an hour: abandoned and announced once (BR020)",
    "guest": "A guest's cart (a session, no account)",
}
_PAYMENT = {
    HAPPY: "A card payment of its order's total (BR004), authorized and captured when the "
    "order shipped",
    "authorized": "Authorized, not captured yet (the order confirmed, not shipped)",
    "high_value": "Of an order total of at least 1,000.00",
    "multi_currency": "In EUR, GBP, JPY or CAD",
    "card_declined": "Declined by the gateway (failed, card_declined)",
    "full_refund": "Captured, then refunded in full",
    "partial_refund": "Captured, then partly refunded",
    "voided": "Authorized, then voided when the order was cancelled",
    "manual_review": "Authorized and held for manual review (country_mismatch)",
}
_CUSTOMER = {
    HAPPY: "An active account at home (US) with a verified email and a password",
    "international": "An account of a shopper abroad (names and address of that country)",
    "unverified_email": "An account whose email address is not verified yet",
    "locked_account": "Locked for a while after five failed sign-ins",
    "disabled": "An account an administrator disabled",
}
_PRODUCT = {
    HAPPY: "An active product of 1-3 variants (SKUs) in stock, priced in USD",
    "multi_variant": "An active product of 4 or more variants (sizes, colours)",
    "high_value": "Every variant priced at 1,000.00 or more",
    "multi_currency": "Sold in EUR, GBP, JPY or CAD",
    "digital": "Needs no shipping (an e-book, a gift card)",
    "free_product": "Marked free: every price exactly 0.00 (BR012's exception, EC010)",
    "out_of_stock": "No stock anywhere: not in stock, not purchasable (BR014)",
    "draft": "A draft, not listed yet",
    "archived": "Archived, no longer sold",
}

SCENARIOS: dict[str, dict[str, str]] = {
    "order": _ORDER,
    "cart": _CART,
    "payment": _PAYMENT,
    "customer": _CUSTOMER,
    "product": _PRODUCT,
}
"""Entity → scenario → what it changes."""

WORKFLOW_MIX: dict[str, dict[str, dict[str, int]]] = {
    "checkout": {
        "order": {HAPPY: 70, "card_declined": 10, "single_item": 10, "international": 10},
        "payment": {"authorized": 80, "card_declined": 20},
        "cart": {HAPPY: 100},
    },
    "return_flow": {
        "order": {HAPPY: 40, "full_refund": 30, "partial_refund": 30},
        "payment": {HAPPY: 40, "full_refund": 30, "partial_refund": 30},
    },
    "cart_abandonment": {
        "cart": {"abandoned": 60, HAPPY: 40},
        "order": {"abandoned": 50, HAPPY: 50},
    },
    "inventory_sync": {
        "product": {HAPPY: 60, "multi_variant": 20, "out_of_stock": 20},
    },
}
"""Workflow → entity → weights of the scenarios the records nobody asked a scenario for are
spread over. Besides: in checkout, happy orders end confirmed (just checked out); in
return_flow they end delivered."""

WORKFLOWS = ("checkout", "return_flow", "cart_abandonment", "inventory_sync")


def generatable_entities() -> list[str]:
    return sorted(SCENARIOS)


def scenario_names(entity: str) -> list[str]:
    """The entity's scenarios, happy_path first ([] for an entity not generated)."""
    names = SCENARIOS.get(entity, {})
    return [HAPPY, *sorted(n for n in names if n != HAPPY)] if names else []


def scenario_description(entity: str, scenario: str) -> str:
    return SCENARIOS.get(entity, {}).get(scenario, "")
