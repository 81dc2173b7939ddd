"""warehouse: zones, bins and their contents per inventory location; purchase orders and
their receipts; pick lists and their lines; the box catalogue and packings; cycle counts;
tasks

Revision ID: 0024_warehouse
Revises: 0023_payment_card_expiry
Create Date: 2026-12-06 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db
import mercato.kernel.money

revision: str = "0024_warehouse"
down_revision: str | None = "0023_payment_card_expiry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = mercato.kernel.db.UTCDateTime(timezone=True)
AMOUNT = mercato.kernel.money.Amount()


def upgrade() -> None:
    op.create_table(
        "warehouse_boxes",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("length_mm", sa.Integer(), nullable=False),
        sa.Column("width_mm", sa.Integer(), nullable=False),
        sa.Column("height_mm", sa.Integer(), nullable=False),
        sa.Column("max_weight_grams", sa.Integer(), nullable=False),
        sa.Column("tare_grams", sa.Integer(), nullable=False),
        sa.Column("cost", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse_boxes")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_warehouse_boxes_tenant_id_code")),
    )
    op.create_table(
        "warehouse_cycle_counts",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("location_id", sa.String(36), nullable=False),
        sa.Column("zone_id", sa.String(36), nullable=True),
        sa.Column("bin_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(120), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("completed_at", WHEN, nullable=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse_cycle_counts")),
    )
    with op.batch_alter_table("warehouse_cycle_counts") as batch_op:
        batch_op.create_index(
            "ix_warehouse_cycle_counts_created", ["tenant_id", "created_at", "id"]
        )

    op.create_table(
        "warehouse_packings",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("order_id", sa.String(36), nullable=True),
        sa.Column("pick_list_id", sa.String(36), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("packages", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(120), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse_packings")),
    )
    with op.batch_alter_table("warehouse_packings") as batch_op:
        batch_op.create_index("ix_warehouse_packings_order", ["tenant_id", "order_id"])

    op.create_table(
        "warehouse_pick_lists",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("order_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(120), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse_pick_lists")),
    )
    with op.batch_alter_table("warehouse_pick_lists") as batch_op:
        batch_op.create_index("ix_warehouse_pick_lists_created", ["tenant_id", "created_at", "id"])

    op.create_table(
        "warehouse_purchase_orders",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("supplier_name", sa.String(200), nullable=False),
        sa.Column("location_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse_purchase_orders")),
        sa.UniqueConstraint(
            "tenant_id", "number", name=op.f("uq_warehouse_purchase_orders_tenant_id_number")
        ),
    )
    with op.batch_alter_table("warehouse_purchase_orders") as batch_op:
        batch_op.create_index(
            "ix_warehouse_purchase_orders_created", ["tenant_id", "created_at", "id"]
        )

    op.create_table(
        "warehouse_tasks",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reference", sa.String(120), nullable=True),
        sa.Column("assignee", sa.String(320), nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("due_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse_tasks")),
    )
    with op.batch_alter_table("warehouse_tasks") as batch_op:
        batch_op.create_index("ix_warehouse_tasks_created", ["tenant_id", "created_at", "id"])
        batch_op.create_index("ix_warehouse_tasks_reference", ["tenant_id", "reference"])

    op.create_table(
        "warehouse_zones",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("location_id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse_zones")),
        sa.UniqueConstraint(
            "tenant_id",
            "location_id",
            "code",
            name=op.f("uq_warehouse_zones_tenant_id_location_id_code"),
        ),
    )
    op.create_table(
        "warehouse_bins",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("location_id", sa.String(36), nullable=False),
        sa.Column("zone_id", sa.String(36), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("aisle", sa.Integer(), nullable=False),
        sa.Column("bay", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("position", sa.String(8), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["warehouse_zones.id"],
            name=op.f("fk_warehouse_bins_zone_id_warehouse_zones"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse_bins")),
        sa.UniqueConstraint(
            "tenant_id",
            "location_id",
            "code",
            name=op.f("uq_warehouse_bins_tenant_id_location_id_code"),
        ),
    )
    with op.batch_alter_table("warehouse_bins") as batch_op:
        batch_op.create_index("ix_warehouse_bins_zone", ["tenant_id", "zone_id"])

    op.create_table(
        "warehouse_cycle_count_lines",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("count_id", sa.String(36), nullable=False),
        sa.Column("bin_id", sa.String(36), nullable=False),
        sa.Column("bin_code", sa.String(40), nullable=False),
        sa.Column("variant_id", sa.String(36), nullable=False),
        sa.Column("expected", sa.Integer(), nullable=False),
        sa.Column("counted", sa.Integer(), nullable=True),
        sa.Column("counted_at", WHEN, nullable=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["count_id"],
            ["warehouse_cycle_counts.id"],
            name=op.f("fk_warehouse_cycle_count_lines_count_id_warehouse_cycle_counts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse_cycle_count_lines")),
        sa.UniqueConstraint(
            "tenant_id",
            "count_id",
            "bin_id",
            "variant_id",
            name=op.f("uq_warehouse_cycle_count_lines_tenant_id_count_id_bin_id_variant_id"),
        ),
    )
    op.create_table(
        "warehouse_pick_lines",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("pick_list_id", sa.String(36), nullable=False),
        sa.Column("stop", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(36), nullable=False),
        sa.Column("order_number", sa.String(40), nullable=False),
        sa.Column("tote", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.String(36), nullable=False),
        sa.Column("variant_id", sa.String(36), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("bin_id", sa.String(36), nullable=True),
        sa.Column("bin_code", sa.String(40), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("picked", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.CheckConstraint(
            "picked >= 0 AND picked <= quantity",
            name=op.f("ck_warehouse_pick_lines_picked_within_quantity"),
        ),
        sa.ForeignKeyConstraint(
            ["pick_list_id"],
            ["warehouse_pick_lists.id"],
            name=op.f("fk_warehouse_pick_lines_pick_list_id_warehouse_pick_lists"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse_pick_lines")),
    )
    with op.batch_alter_table("warehouse_pick_lines") as batch_op:
        batch_op.create_index("ix_warehouse_pick_lines_list", ["tenant_id", "pick_list_id", "stop"])
        batch_op.create_index("ix_warehouse_pick_lines_order", ["tenant_id", "order_id"])

    op.create_table(
        "warehouse_purchase_order_lines",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("purchase_order_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.String(36), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("quantity_ordered", sa.Integer(), nullable=False),
        sa.Column("quantity_received", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["purchase_order_id"],
            ["warehouse_purchase_orders.id"],
            name=op.f(
                "fk_warehouse_purchase_order_lines_purchase_order_id_warehouse_purchase_orders"
            ),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse_purchase_order_lines")),
    )
    with op.batch_alter_table("warehouse_purchase_order_lines") as batch_op:
        batch_op.create_index("ix_warehouse_po_lines_order", ["tenant_id", "purchase_order_id"])

    op.create_table(
        "warehouse_receipts",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("purchase_order_id", sa.String(36), nullable=False),
        sa.Column("location_id", sa.String(36), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("actor", sa.String(120), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["purchase_order_id"],
            ["warehouse_purchase_orders.id"],
            name=op.f("fk_warehouse_receipts_purchase_order_id_warehouse_purchase_orders"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse_receipts")),
    )
    with op.batch_alter_table("warehouse_receipts") as batch_op:
        batch_op.create_index("ix_warehouse_receipts_order", ["tenant_id", "purchase_order_id"])

    op.create_table(
        "warehouse_bin_stock",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("bin_id", sa.String(36), nullable=False),
        sa.Column("location_id", sa.String(36), nullable=False),
        sa.Column("variant_id", sa.String(36), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.CheckConstraint(
            "quantity >= 0", name=op.f("ck_warehouse_bin_stock_bin_quantity_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["bin_id"],
            ["warehouse_bins.id"],
            name=op.f("fk_warehouse_bin_stock_bin_id_warehouse_bins"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_warehouse_bin_stock")),
        sa.UniqueConstraint(
            "tenant_id",
            "bin_id",
            "variant_id",
            name=op.f("uq_warehouse_bin_stock_tenant_id_bin_id_variant_id"),
        ),
    )
    with op.batch_alter_table("warehouse_bin_stock") as batch_op:
        batch_op.create_index(
            "ix_warehouse_bin_stock_variant", ["tenant_id", "location_id", "variant_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("warehouse_bin_stock") as batch_op:
        batch_op.drop_index("ix_warehouse_bin_stock_variant")

    op.drop_table("warehouse_bin_stock")
    with op.batch_alter_table("warehouse_receipts") as batch_op:
        batch_op.drop_index("ix_warehouse_receipts_order")

    op.drop_table("warehouse_receipts")
    with op.batch_alter_table("warehouse_purchase_order_lines") as batch_op:
        batch_op.drop_index("ix_warehouse_po_lines_order")

    op.drop_table("warehouse_purchase_order_lines")
    with op.batch_alter_table("warehouse_pick_lines") as batch_op:
        batch_op.drop_index("ix_warehouse_pick_lines_order")
        batch_op.drop_index("ix_warehouse_pick_lines_list")

    op.drop_table("warehouse_pick_lines")
    op.drop_table("warehouse_cycle_count_lines")
    with op.batch_alter_table("warehouse_bins") as batch_op:
        batch_op.drop_index("ix_warehouse_bins_zone")

    op.drop_table("warehouse_bins")
    op.drop_table("warehouse_zones")
    with op.batch_alter_table("warehouse_tasks") as batch_op:
        batch_op.drop_index("ix_warehouse_tasks_reference")
        batch_op.drop_index("ix_warehouse_tasks_created")

    op.drop_table("warehouse_tasks")
    with op.batch_alter_table("warehouse_purchase_orders") as batch_op:
        batch_op.drop_index("ix_warehouse_purchase_orders_created")

    op.drop_table("warehouse_purchase_orders")
    with op.batch_alter_table("warehouse_pick_lists") as batch_op:
        batch_op.drop_index("ix_warehouse_pick_lists_created")

    op.drop_table("warehouse_pick_lists")
    with op.batch_alter_table("warehouse_packings") as batch_op:
        batch_op.drop_index("ix_warehouse_packings_order")

    op.drop_table("warehouse_packings")
    with op.batch_alter_table("warehouse_cycle_counts") as batch_op:
        batch_op.drop_index("ix_warehouse_cycle_counts_created")

    op.drop_table("warehouse_cycle_counts")
    op.drop_table("warehouse_boxes")
