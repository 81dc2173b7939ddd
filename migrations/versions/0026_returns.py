"""returns: return requests and their lines (received, inspected, refunded), store credit
balances and their ledger

Revision ID: 0026_returns
Revises: 0025_fulfilment
Create Date: 2026-12-06 02:15:06.379204
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db
import mercato.kernel.money

revision: str = "0026_returns"
down_revision: str | None = "0025_fulfilment"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = mercato.kernel.db.UTCDateTime(timezone=True)
AMOUNT = mercato.kernel.money.Amount()


def upgrade() -> None:
    op.create_table(
        "returns",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("order_number", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("resolution", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("exception_note", sa.Text(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("rejection_reason", sa.String(length=300), nullable=True),
        sa.Column("label_shipment_id", sa.String(length=36), nullable=True),
        sa.Column("paid_amount", AMOUNT, nullable=False),
        sa.Column("fee_amount", AMOUNT, nullable=False),
        sa.Column("refund_amount", AMOUNT, nullable=False),
        sa.Column("refunded_to_payment", AMOUNT, nullable=False),
        sa.Column("refunded_to_credit", AMOUNT, nullable=False),
        sa.Column("refund_note", sa.String(length=300), nullable=True),
        sa.Column("replacement_order_id", sa.String(length=36), nullable=True),
        sa.Column("saga_id", sa.String(length=64), nullable=True),
        sa.Column("requested_by", sa.String(length=128), nullable=True),
        sa.Column("requested_at", WHEN, nullable=False),
        sa.Column("decided_at", WHEN, nullable=True),
        sa.Column("received_at", WHEN, nullable=True),
        sa.Column("inspected_at", WHEN, nullable=True),
        sa.Column("refunded_at", WHEN, nullable=True),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_returns")),
        sa.UniqueConstraint("tenant_id", "number", name=op.f("uq_returns_tenant_id_number")),
    )
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.create_index(
            "ix_returns_customer", ["tenant_id", "customer_id", "requested_at"], unique=False
        )
        batch_op.create_index(
            "ix_returns_email", ["tenant_id", "email", "requested_at"], unique=False
        )
        batch_op.create_index("ix_returns_order", ["tenant_id", "order_id"], unique=False)
        batch_op.create_index(
            "ix_returns_requested", ["tenant_id", "requested_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_returns_status", ["tenant_id", "status", "requested_at", "id"], unique=False
        )

    op.create_table(
        "store_credit_accounts",
        sa.Column("owner", sa.String(length=400), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("balance", AMOUNT, nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("owner", "tenant_id", name=op.f("pk_store_credit_accounts")),
    )
    op.create_table(
        "store_credit_entries",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner", sa.String(length=400), nullable=False),
        sa.Column("amount", AMOUNT, nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=120), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_credit_entries")),
        sa.UniqueConstraint(
            "tenant_id",
            "owner",
            "reason",
            "reference",
            name=op.f("uq_store_credit_entries_tenant_id_owner_reason_reference"),
        ),
    )
    with op.batch_alter_table("store_credit_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_store_credit_entries_owner", ["tenant_id", "owner", "created_at"], unique=False
        )

    op.create_table(
        "return_lines",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("return_id", sa.String(length=36), nullable=False),
        sa.Column("order_line_id", sa.String(length=36), nullable=False),
        sa.Column("variant_id", sa.String(length=36), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("received_quantity", sa.Integer(), nullable=False),
        sa.Column("condition", sa.String(length=12), nullable=True),
        sa.Column("disposition", sa.String(length=12), nullable=True),
        sa.Column("location_id", sa.String(length=36), nullable=True),
        sa.Column("paid_amount", AMOUNT, nullable=False),
        sa.Column("fee_amount", AMOUNT, nullable=False),
        sa.Column("refund_amount", AMOUNT, nullable=False),
        sa.Column("exchange_variant_id", sa.String(length=36), nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["return_id"],
            ["returns.id"],
            name=op.f("fk_return_lines_return_id_returns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_lines")),
    )
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.create_index("ix_return_lines_return", ["tenant_id", "return_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.drop_index("ix_return_lines_return")

    op.drop_table("return_lines")
    with op.batch_alter_table("store_credit_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_store_credit_entries_owner")

    op.drop_table("store_credit_entries")
    op.drop_table("store_credit_accounts")
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_index("ix_returns_status")
        batch_op.drop_index("ix_returns_requested")
        batch_op.drop_index("ix_returns_order")
        batch_op.drop_index("ix_returns_email")
        batch_op.drop_index("ix_returns_customer")

    op.drop_table("returns")
