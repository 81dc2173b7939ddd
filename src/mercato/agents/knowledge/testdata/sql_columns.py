"""The columns SQL output fills, per table, in foreign-key order (a parent before the rows
that refer to it). They are the tables' columns as migrated; `tests` compare them with the
models so a new NOT NULL column cannot be forgotten."""

from __future__ import annotations

TABLES: dict[str, tuple[str, ...]] = {
    "tenants": ("id", "name", "hosts", "created_at"),
    "categories": (
        "id", "tenant_id", "parent_id", "name", "slug", "path", "position", "created_at",
    ),
    "products": (
        "id", "tenant_id", "merchant_id", "name", "slug", "description", "status",
        "category_id", "category_path", "attributes", "images", "pictures", "price",
        "compare_at_price", "currency", "is_free", "requires_shipping", "in_stock", "search_text",
        "created_at", "updated_at",
    ),
    "product_variants": (
        "id", "tenant_id", "product_id", "sku", "title", "price", "compare_at_price",
        "attributes", "position", "status", "available", "created_at", "updated_at",
        "weight_grams", "length_mm", "width_mm", "height_mm",
    ),
    "product_attribute_values": ("tenant_id", "product_id", "name", "value"),
    "inventory_locations": (
        "id", "tenant_id", "code", "name", "kind", "priority", "active", "created_at",
    ),
    "stock_levels": (
        "id", "tenant_id", "variant_id", "sku", "location_id", "on_hand", "reserved",
        "reorder_point", "low_alerted", "updated_at",
    ),
    "stock_movements": (
        "id", "tenant_id", "variant_id", "sku", "location_id", "kind", "on_hand_delta",
        "reserved_delta", "reason", "reference", "note", "actor", "created_at",
    ),
    "users": (
        "id", "tenant_id", "email", "full_name", "password_hash", "roles", "merchant_id",
        "status", "email_verified_at", "failed_logins", "locked_until", "auth_version",
        "created_at", "updated_at",
    ),
    "carts": (
        "id", "tenant_id", "user_id", "session_id", "status", "currency", "country", "region",
        "discount_code", "version", "last_activity_at", "abandoned_at", "created_at",
        "updated_at", "shipping_choice",
    ),
    "cart_items": (
        "id", "tenant_id", "cart_id", "variant_id", "product_id", "sku", "name", "quantity",
        "unit_price", "added_at",
    ),
    "orders": (
        "id", "tenant_id", "number", "status", "payment_status", "review", "customer_id",
        "session_id", "email", "currency", "subtotal", "discount", "tax", "shipping", "total",
        "discount_code", "tax_country", "tax_region", "shipping_address", "billing_address",
        "checkout_id", "carrier", "tracking_number", "placed_at", "confirmed_at", "shipped_at",
        "delivered_at", "cancelled_at", "cancel_reason", "version", "created_at", "updated_at",
        "credit_applied", "shipping_carrier", "shipping_service",
    ),
    "order_lines": (
        "id", "tenant_id", "order_id", "variant_id", "product_id", "merchant_id", "sku",
        "name", "quantity", "unit_price", "line_total", "requires_shipping", "position",
        "shipped_quantity", "delivered_quantity", "returned_quantity",
    ),
    "order_events": ("id", "tenant_id", "order_id", "at", "kind", "actor", "detail"),
    "stock_reservations": (
        "id", "tenant_id", "reference", "variant_id", "location_id", "stock_level_id",
        "quantity", "status", "expires_at", "created_at", "ended_at",
    ),
    "payments": (
        "id", "tenant_id", "order_id", "provider", "status", "amount", "currency",
        "captured_amount", "refunded_amount", "provider_ref", "token", "card_brand",
        "card_last4", "card_fingerprint", "customer_id", "customer_key", "email", "ip",
        "failure_code", "review", "review_reasons", "idempotency_key", "created_at",
        "updated_at", "card_exp_month", "card_exp_year",
    ),
    "payment_transactions": (
        "id", "tenant_id", "payment_id", "kind", "status", "amount", "currency",
        "provider_ref", "idempotency_key", "failure_code", "created_at",
    ),
}  # fmt: skip
