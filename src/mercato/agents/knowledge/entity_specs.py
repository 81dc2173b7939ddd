"""The domain's entities as the catalog names them: owner, category, purpose and test
scenarios (what a table cannot say), and, for those Mercato does not implement yet, their
fields as seed 000 describes them."""

from __future__ import annotations

from dataclasses import dataclass

from mercato.agents.knowledge.model_fields import EntityField, EntityRelationship

CATEGORIES = (
    "core",
    "catalog",
    "transactional",
    "financial",
    "fulfillment",
    "post_purchase",
    "engagement",
)


@dataclass(frozen=True)
class EntitySpec:
    """What the catalog cannot read from a table: an entity's name, owner, category and
    purpose. `table` None: no Mercato agent owns it (its `seed_fields` describe it as seed 000
    does)."""

    name: str
    description: str
    category: str
    agent: str | None
    table: str | None
    test_scenarios: tuple[str, ...] = ()
    seed_fields: tuple[EntityField, ...] = ()
    seed_relationships: tuple[EntityRelationship, ...] = ()


_SEED = EntityField  # the seed's entities not built yet, in its own words

SPECS: tuple[EntitySpec, ...] = (
    EntitySpec(
        "customer",
        "A shopper's account (identity's users with the customer role)",
        "core",
        "identity",
        "users",
        ("happy_path", "guest_checkout", "locked_account"),
    ),
    EntitySpec(
        "product",
        "Something sold, with its variants, category and merchant",
        "catalog",
        "catalog",
        "products",
        ("happy_path", "free_product", "draft", "archived"),
    ),
    EntitySpec(
        "product_variant",
        "A sellable SKU of a product, with its price",
        "catalog",
        "catalog",
        "product_variants",
        ("happy_path", "price_change"),
    ),
    EntitySpec(
        "category",
        "A node of the category tree",
        "catalog",
        "catalog",
        "categories",
        ("happy_path", "nested"),
    ),
    EntitySpec(
        "inventory",
        "Stock of a variant at a location: on hand, reserved, available",
        "fulfillment",
        "inventory",
        "stock_levels",
        ("happy_path", "low_stock", "out_of_stock"),
    ),
    EntitySpec(
        "reservation",
        "Units held for an order until it ships, is cancelled or expires",
        "fulfillment",
        "inventory",
        "stock_reservations",
        ("happy_path", "expired"),
    ),
    EntitySpec(
        "cart",
        "A shopper's cart before checkout",
        "transactional",
        "cart",
        "carts",
        ("happy_path", "high_value", "single_item", "max_items", "abandoned", "multi_currency"),
    ),
    EntitySpec(
        "cart_item",
        "A line of a cart: a variant, its quantity and the price seen",
        "transactional",
        "cart",
        "cart_items",
        ("happy_path", "max_quantity"),
    ),
    EntitySpec(
        "discount_code",
        "A percent or fixed discount with a window and a usage limit",
        "transactional",
        "cart",
        "discount_codes",
        ("happy_path", "expired", "exhausted"),
    ),
    EntitySpec(
        "order",
        "A purchase made at checkout, from pending to delivered or cancelled",
        "transactional",
        "orders",
        "orders",
        ("happy_path", "high_value", "single_item", "international", "cancelled"),
    ),
    EntitySpec(
        "order_item",
        "A line of an order, its price fixed at checkout",
        "transactional",
        "orders",
        "order_lines",
        ("happy_path",),
    ),
    EntitySpec(
        "payment",
        "An order's payment through a provider: authorized, captured, refunded",
        "financial",
        "payments",
        "payments",
        ("happy_path", "card_declined", "full_refund", "partial_refund", "manual_review"),
    ),
    EntitySpec(
        "shipment",
        "A parcel of an order's units from one location, with its label and tracking (an "
        "order may ship in several); or a return's parcel coming back",
        "fulfillment",
        "shipping",
        "shipments",
        ("happy_path", "express", "international", "multi_package", "delivery_failed"),
    ),
    EntitySpec(
        "return",
        "A shopper's return of some of an order's units, from request to refund",
        "post_purchase",
        "returns",
        "returns",
        ("happy_path", "partial_return", "damaged_item", "outside_window"),
    ),
    EntitySpec(
        "notification",
        "A message to a customer or the store's staff over email, SMS, push or the in-app "
        "inbox, queued from an event, with its delivery log",
        "engagement",
        "notifications",
        "notification_messages",
        ("happy_path", "opted_out", "quiet_hours", "provider_outage", "bounced"),
    ),
    EntitySpec(
        "review",
        "A customer's review of a product: its rating and words as written, moderated, marked a "
        "verified purchase when a delivered order held the product",
        "engagement",
        "reviews",
        "reviews",
        ("happy_path", "verified_purchase", "moderated"),
    ),
)
