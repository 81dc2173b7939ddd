"""notifications: messages and their delivery log, preferences, profiles, devices,
suppressions, and the stores' own templates

Revision ID: 0020_notifications
Revises: 0019_assistant
Create Date: 2026-12-05 23:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import mercato.kernel.db

revision: str = "0020_notifications"
down_revision: str | None = "0019_assistant"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = mercato.kernel.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "notification_delivery_steps",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("message_id", sa.String(length=36), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=500), nullable=False),
        sa.Column("at", WHEN, nullable=False),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_delivery_steps")),
    )
    with op.batch_alter_table("notification_delivery_steps", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notification_delivery_steps_message", ["message_id", "at"], unique=False
        )

    op.create_table(
        "notification_devices",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("token", sa.String(length=512), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("disabled_at", WHEN, nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_devices")),
        sa.UniqueConstraint(
            "tenant_id", "token", name=op.f("uq_notification_devices_tenant_id_token")
        ),
    )
    with op.batch_alter_table("notification_devices", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notification_devices_user", ["tenant_id", "user_id"], unique=False
        )

    op.create_table(
        "notification_messages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=True),
        sa.Column("recipient", sa.String(length=512), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("sensitive", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=True),
        sa.Column("provider_message_id", sa.String(length=300), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", WHEN, nullable=False),
        sa.Column("claimed_until", WHEN, nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.Column("delivered_at", WHEN, nullable=True),
        sa.Column("read_at", WHEN, nullable=True),
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_messages")),
        sa.UniqueConstraint(
            "tenant_id", "dedupe_key", name=op.f("uq_notification_messages_tenant_id_dedupe_key")
        ),
    )
    with op.batch_alter_table("notification_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notification_messages_created", ["tenant_id", "created_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_notification_messages_due", ["status", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            "ix_notification_messages_provider", ["provider", "provider_message_id"], unique=False
        )
        batch_op.create_index(
            "ix_notification_messages_user",
            ["tenant_id", "user_id", "channel", "created_at"],
            unique=False,
        )

    op.create_table(
        "notification_preferences",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "user_id", "kind", "channel", name=op.f("pk_notification_preferences")
        ),
    )
    op.create_table(
        "notification_profiles",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("quiet_start", sa.String(length=5), nullable=True),
        sa.Column("quiet_end", sa.String(length=5), nullable=True),
        sa.Column("locale", sa.String(length=16), nullable=True),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("tenant_id", "user_id", name=op.f("pk_notification_profiles")),
    )
    op.create_table(
        "notification_suppressions",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=512), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "address", "scope", name=op.f("pk_notification_suppressions")
        ),
    )
    op.create_table(
        "notification_templates",
        sa.Column("tenant_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("locale", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("html", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint(
            "tenant_id", "kind", "channel", "locale", name=op.f("pk_notification_templates")
        ),
    )
    # ### end Alembic commands ###


def downgrade() -> None:
    op.drop_table("notification_templates")
    op.drop_table("notification_suppressions")
    op.drop_table("notification_profiles")
    op.drop_table("notification_preferences")
    with op.batch_alter_table("notification_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_messages_user")
        batch_op.drop_index("ix_notification_messages_provider")
        batch_op.drop_index("ix_notification_messages_due")
        batch_op.drop_index("ix_notification_messages_created")

    op.drop_table("notification_messages")
    with op.batch_alter_table("notification_devices", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_devices_user")

    op.drop_table("notification_devices")
    with op.batch_alter_table("notification_delivery_steps", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_delivery_steps_message")

    op.drop_table("notification_delivery_steps")
