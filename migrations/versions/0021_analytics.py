"""analytics: read models built from events (orders and their lines, refunds, carts, guest
sessions, stock moves) and each store's reporting settings

Revision ID: 0021_analytics
Revises: 0020_notifications
Create Date: 2026-12-06 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db
import mercato.kernel.money

revision: str = "0021_analytics"
down_revision: str | None = "0020_notifications"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = mercato.kernel.db.UTCDateTime(timezone=True)
AMOUNT = mercato.kernel.money.Amount()


def _dates() -> list[sa.Column[object]]:
    return [
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("week", sa.Date(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "analytics_orders",
        sa.Column("order_id", sa.String(36), nullable=False),
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("placed_at", WHEN, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("subtotal", AMOUNT, nullable=False),
        sa.Column("discount", AMOUNT, nullable=False),
        sa.Column("tax", AMOUNT, nullable=False),
        sa.Column("shipping", AMOUNT, nullable=False),
        sa.Column("total", AMOUNT, nullable=False),
        sa.Column("refunded", AMOUNT, nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("customer_key", sa.String(64), nullable=False),
        sa.Column("first_order", sa.Boolean(), nullable=False),
        sa.Column("confirmed_at", WHEN, nullable=True),
        sa.Column("cancelled_at", WHEN, nullable=True),
        *_dates(),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "order_id", name=op.f("pk_analytics_orders")),
    )
    with op.batch_alter_table("analytics_orders") as batch:
        batch.create_index("ix_analytics_orders_day", ["tenant_id", "day", "status", "currency"])
        batch.create_index(
            "ix_analytics_orders_customer", ["tenant_id", "customer_key", "placed_at"]
        )
        batch.create_index(  # cohorts: the first orders of a period's months, then each
            "ix_analytics_orders_first", ["tenant_id", "first_order", "month", "customer_key"]
        )
    op.create_table(
        "analytics_order_lines",
        sa.Column("line_id", sa.String(36), nullable=False),
        sa.Column("order_id", sa.String(36), nullable=False),
        sa.Column("variant_id", sa.String(36), nullable=False),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("merchant_id", sa.String(64), nullable=True),
        sa.Column("category_id", sa.String(36), nullable=True),
        sa.Column("category_name", sa.String(120), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("unit_price", AMOUNT, nullable=False),
        sa.Column("line_total", AMOUNT, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "line_id", name=op.f("pk_analytics_order_lines")),
    )
    with op.batch_alter_table("analytics_order_lines") as batch:
        batch.create_index("ix_analytics_order_lines_order", ["tenant_id", "order_id"])
        batch.create_index(
            "ix_analytics_order_lines_merchant", ["tenant_id", "merchant_id", "order_id"]
        )
        batch.create_index("ix_analytics_order_lines_variant", ["tenant_id", "variant_id"])
    op.create_table(
        "analytics_refunds",
        sa.Column("refund_id", sa.String(200), nullable=False),
        sa.Column("order_id", sa.String(36), nullable=False),
        sa.Column("payment_id", sa.String(36), nullable=False),
        sa.Column("amount", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("refunded_at", WHEN, nullable=False),
        *_dates(),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "refund_id", name=op.f("pk_analytics_refunds")),
    )
    with op.batch_alter_table("analytics_refunds") as batch:
        batch.create_index("ix_analytics_refunds_day", ["tenant_id", "day"])
        batch.create_index("ix_analytics_refunds_order", ["tenant_id", "order_id"])
    op.create_table(
        "analytics_carts",
        sa.Column("cart_id", sa.String(36), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("session_id", sa.String(64), nullable=True),
        sa.Column("user_id", sa.String(36), nullable=True),
        sa.Column("first_item_at", WHEN, nullable=True),
        sa.Column("abandoned_at", WHEN, nullable=True),
        sa.Column("checked_out_at", WHEN, nullable=True),
        sa.Column("order_id", sa.String(36), nullable=True),
        *_dates(),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "cart_id", name=op.f("pk_analytics_carts")),
    )
    with op.batch_alter_table("analytics_carts") as batch:
        batch.create_index(  # covering: the funnel's and carts' counts from the index alone
            "ix_analytics_carts_day",
            [
                *("tenant_id", "day", "week", "month"),
                *("first_item_at", "abandoned_at", "checked_out_at", "order_id"),
            ],
        )
    op.create_table(
        "analytics_sessions",
        sa.Column("session_id", sa.String(64), nullable=False),
        sa.Column("started_at", WHEN, nullable=False),
        *_dates(),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "session_id", name=op.f("pk_analytics_sessions")),
    )
    with op.batch_alter_table("analytics_sessions") as batch:
        batch.create_index(  # covering: visits counted from the index alone
            "ix_analytics_sessions_day", ["tenant_id", "day", "week", "month"]
        )
    op.create_table(
        "analytics_stock_moves",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("variant_id", sa.String(36), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("delta", sa.Integer(), nullable=False),
        sa.Column("moved_at", WHEN, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "event_id", "variant_id", name=op.f("pk_analytics_stock_moves")
        ),
    )
    with op.batch_alter_table("analytics_stock_moves") as batch:
        batch.create_index(  # covering: balances are read from the index alone
            "ix_analytics_stock_moves_variant", ["tenant_id", "variant_id", "day", "delta", "sku"]
        )
    op.create_table(
        "analytics_settings",
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_analytics_settings")),
    )


def downgrade() -> None:
    for table in (
        "analytics_settings",
        "analytics_stock_moves",
        "analytics_sessions",
        "analytics_carts",
        "analytics_refunds",
        "analytics_order_lines",
        "analytics_orders",
    ):
        op.drop_table(table)
