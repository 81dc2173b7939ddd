"""store tables: no index on tenant_id alone where the store leads a better one (ADR 22)

Every statement filters on the store, so a planner without statistics, or with a new
store's, rated `tenant_id = ?` as narrow as the row's real key and took the lone index:
a payment found by its id read every payment of the store. The store leads the tables'
own indexes; stock transfers and warehouse sync runs, read by store alone, keep theirs.

Revision ID: 0011_store_led_indexes
Revises: 0010_hardening
Create Date: 2026-12-05 09:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011_store_led_indexes"
down_revision: str | None = "0010_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "api_keys",
    "cart_items",
    "cart_settings",
    "carts",
    "categories",
    "discount_codes",
    "guest_sessions",
    "inventory_locations",
    "inventory_sync_discrepancies",
    "one_time_tokens",
    "order_events",
    "order_lines",
    "order_notes",
    "order_tags",
    "orders",
    "payment_transactions",
    "payments",
    "product_attribute_values",
    "product_variants",
    "products",
    "refresh_tokens",
    "stock_levels",
    "stock_movements",
    "stock_reservations",
    "tax_rates",
    "users",
    "webhook_deliveries",
)


def upgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_tenant_id", table_name=table)


def downgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_tenant_id", table, ["tenant_id"])
