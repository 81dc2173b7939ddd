"""fulfilment: shipping (zones, rate tables, origins, carriers' settings, quotes, shipments
with their lines and tracking events), each order line's units shipped, delivered and
returned, the shipping option a cart and an order chose

Revision ID: 0025_fulfilment
Revises: 0024_warehouse
Create Date: 2026-12-06 02:04:36.321221
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db
import mercato.kernel.money

revision: str = "0025_fulfilment"
down_revision: str | None = "0024_warehouse"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = mercato.kernel.db.UTCDateTime(timezone=True)
AMOUNT = mercato.kernel.money.Amount()


def upgrade() -> None:
    op.create_table(
        "shipments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("return_id", sa.String(length=36), nullable=True),
        sa.Column("location_id", sa.String(length=36), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("carrier", sa.String(length=40), nullable=False),
        sa.Column("carrier_name", sa.String(length=100), nullable=False),
        sa.Column("service", sa.String(length=80), nullable=False),
        sa.Column("service_name", sa.String(length=120), nullable=False),
        sa.Column("tracking_number", sa.String(length=64), nullable=True),
        sa.Column("carrier_ref", sa.String(length=120), nullable=True),
        sa.Column("tracker_ref", sa.String(length=120), nullable=True),
        sa.Column("ship_from", sa.JSON(), nullable=False),
        sa.Column("ship_to", sa.JSON(), nullable=False),
        sa.Column("packages", sa.JSON(), nullable=False),
        sa.Column("weight_grams", sa.Integer(), nullable=False),
        sa.Column("cost", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("label_pdf", sa.LargeBinary(), nullable=True),
        sa.Column("failed_attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("shipped_at", WHEN, nullable=True),
        sa.Column("delivered_at", WHEN, nullable=True),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("polled_at", WHEN, nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_shipments_tenant_id_number")),
    )
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shipments_created", ["tenant_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_shipments_manifest", ["tenant_id", "carrier", "shipped_at"], unique=False
        )
        batch_op.create_index("ix_shipments_order", ["tenant_id", "order_id"], unique=False)
        batch_op.create_index(
            "ix_shipments_status", ["tenant_id", "status", "created_at", "id"], unique=False
        )
        batch_op.create_index("ix_shipments_tracking", ["carrier", "tracking_number"], unique=False)

    op.create_table(
        "shipping_carrier_settings",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("disabled_services", sa.JSON(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("code", "tenant_id", name=op.f("pk_shipping_carrier_settings")),
    )
    op.create_table(
        "shipping_origins",
        sa.Column("location_id", sa.String(length=36), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("address", sa.JSON(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("location_id", "tenant_id", name=op.f("pk_shipping_origins")),
    )
    op.create_table(
        "shipping_quotes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("cart_id", sa.String(length=36), nullable=True),
        sa.Column("order_id", sa.String(length=36), nullable=True),
        sa.Column("carrier", sa.String(length=40), nullable=False),
        sa.Column("carrier_name", sa.String(length=100), nullable=False),
        sa.Column("service", sa.String(length=80), nullable=False),
        sa.Column("service_name", sa.String(length=120), nullable=False),
        sa.Column("amount", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("days_min", sa.Integer(), nullable=False),
        sa.Column("days_max", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("carrier_ref", sa.String(length=120), nullable=True),
        sa.Column("shipment_ref", sa.String(length=120), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("expires_at", WHEN, nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_quotes")),
    )
    with op.batch_alter_table("shipping_quotes", schema=None) as batch_op:
        batch_op.create_index("ix_shipping_quotes_cart", ["tenant_id", "cart_id"], unique=False)
        batch_op.create_index("ix_shipping_quotes_expiry", ["expires_at"], unique=False)

    op.create_table(
        "shipping_zones",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("regions", sa.JSON(), nullable=False),
        sa.Column("postal_ranges", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_zones")),
        sa.UniqueConstraint("tenant_id", "code", name=op.f("uq_shipping_zones_tenant_id_code")),
    )
    op.create_table(
        "shipment_lines",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("shipment_id", sa.String(length=36), nullable=False),
        sa.Column("order_line_id", sa.String(length=36), nullable=False),
        sa.Column("variant_id", sa.String(length=36), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_shipment_lines_shipment_id_shipments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_lines")),
    )
    with op.batch_alter_table("shipment_lines", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shipment_lines_shipment", ["tenant_id", "shipment_id"], unique=False
        )

    op.create_table(
        "shipment_tracking_events",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("shipment_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("occurred_at", WHEN, nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_shipment_tracking_events_shipment_id_shipments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_tracking_events")),
        sa.UniqueConstraint(
            "tenant_id",
            "shipment_id",
            "dedupe_key",
            name=op.f("uq_shipment_tracking_events_tenant_id_shipment_id_dedupe_key"),
        ),
    )
    with op.batch_alter_table("shipment_tracking_events", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shipment_tracking_events_shipment",
            ["tenant_id", "shipment_id", "occurred_at"],
            unique=False,
        )

    op.create_table(
        "shipping_rate_tables",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("carrier", sa.String(length=40), nullable=False),
        sa.Column("carrier_name", sa.String(length=100), nullable=False),
        sa.Column("service", sa.String(length=60), nullable=False),
        sa.Column("service_name", sa.String(length=100), nullable=False),
        sa.Column("zone_id", sa.String(length=36), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("brackets", sa.JSON(), nullable=False),
        sa.Column("per_kg_over", AMOUNT, nullable=False),
        sa.Column("value_percent", AMOUNT, nullable=False),
        sa.Column("free_over", AMOUNT, nullable=True),
        sa.Column("max_length_mm", sa.Integer(), nullable=True),
        sa.Column("days_min", sa.Integer(), nullable=False),
        sa.Column("days_max", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["zone_id"],
            ["shipping_zones.id"],
            name=op.f("fk_shipping_rate_tables_zone_id_shipping_zones"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipping_rate_tables")),
        sa.UniqueConstraint(
            "tenant_id",
            "carrier",
            "service",
            "zone_id",
            name=op.f("uq_shipping_rate_tables_tenant_id_carrier_service_zone_id"),
        ),
    )
    with op.batch_alter_table("shipping_rate_tables", schema=None) as batch_op:
        batch_op.create_index(
            "ix_shipping_rate_tables_zone", ["tenant_id", "zone_id"], unique=False
        )

    with op.batch_alter_table("carts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shipping_choice", sa.JSON(), nullable=True))

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shipped_quantity", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("delivered_quantity", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("returned_quantity", sa.Integer(), server_default="0", nullable=False)
        )

    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shipping_carrier", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("shipping_service", sa.String(length=80), nullable=True))

    # orders shipped and delivered before: every unit of their lines went, and arrived
    op.execute(
        "UPDATE order_lines SET shipped_quantity = quantity WHERE order_id IN "
        "(SELECT id FROM orders WHERE status IN ('shipped', 'delivered'))"
    )
    op.execute(
        "UPDATE order_lines SET delivered_quantity = quantity WHERE order_id IN "
        "(SELECT id FROM orders WHERE status = 'delivered')"
    )


def downgrade() -> None:
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("shipping_service")
        batch_op.drop_column("shipping_carrier")

    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_column("returned_quantity")
        batch_op.drop_column("delivered_quantity")
        batch_op.drop_column("shipped_quantity")

    with op.batch_alter_table("carts", schema=None) as batch_op:
        batch_op.drop_column("shipping_choice")

    with op.batch_alter_table("shipping_rate_tables", schema=None) as batch_op:
        batch_op.drop_index("ix_shipping_rate_tables_zone")

    op.drop_table("shipping_rate_tables")
    with op.batch_alter_table("shipment_tracking_events", schema=None) as batch_op:
        batch_op.drop_index("ix_shipment_tracking_events_shipment")

    op.drop_table("shipment_tracking_events")
    with op.batch_alter_table("shipment_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_shipment_lines_shipment")

    op.drop_table("shipment_lines")
    op.drop_table("shipping_zones")
    with op.batch_alter_table("shipping_quotes", schema=None) as batch_op:
        batch_op.drop_index("ix_shipping_quotes_expiry")
        batch_op.drop_index("ix_shipping_quotes_cart")

    op.drop_table("shipping_quotes")
    op.drop_table("shipping_origins")
    op.drop_table("shipping_carrier_settings")
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_shipments_tracking")
        batch_op.drop_index("ix_shipments_status")
        batch_op.drop_index("ix_shipments_order")
        batch_op.drop_index("ix_shipments_manifest")
        batch_op.drop_index("ix_shipments_created")

    op.drop_table("shipments")
